"""`python -m blueprint_dsl.lsp`: the language server on stdio."""

from .server import main

main()
