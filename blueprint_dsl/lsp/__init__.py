"""The bpc language server (`bpc lsp`): diagnostics, hover, completion, navigation,
outline, formatting and quick fixes for .bp files. Needs `pygls`.

The modules, each importing only from those listed before it: `framing` (LSP frames read
off a byte stream, bounded, and the JSON-RPC errors for bad ones), `positions` (spans <->
LSP positions), `scanner` (tokens and the completion context of raw text), `index` (the
names of a syntax tree), `document` (`Analysis`: one document compiled and indexed),
then one module per feature: `navigation`, `hover`, `completion`, `symbols`,
`code_actions`, `formatting`; and `server`, which answers LSP requests with them.
"""
