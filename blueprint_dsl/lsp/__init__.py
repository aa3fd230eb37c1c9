"""The bpc language server (`bpc lsp`): diagnostics, hover, completion, navigation,
outline, formatting and quick fixes for .bp files. Needs `pygls`."""
