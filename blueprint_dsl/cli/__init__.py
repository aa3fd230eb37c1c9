"""The `bpc` command line: one module per command, shared options and errors in `common`."""

from .app import main

__all__ = ["main"]
