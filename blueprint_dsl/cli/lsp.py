"""`bpc lsp`: start the language server on stdio (for editors)."""

from __future__ import annotations

import click

from .common import friendly


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only way).")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write a debug log here.")
@friendly
def lsp_command(stdio: bool, log_file: str | None) -> None:
    """Run the language server for editors, speaking LSP on stdin/stdout.

    Editors start it themselves; see editors/README.md for VS Code, Neovim, Emacs and
    Helix. Needs the `pygls` package.
    """
    del stdio  # accepted because some clients (vscode-languageclient) always pass it
    try:
        from ..lsp.server import main
    except ImportError as error:
        raise click.ClickException(
            f"the language server needs pygls ({error}); install it with: pip install 'pygls>=2'"
        ) from None
    main(log_file)
