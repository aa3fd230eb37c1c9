"""The `bpc` command line: one module per command, shared options and errors in `common`.

`main` (the click group, in `app`) is loaded when it is asked for, so that `entry`, the
console script, can run a plain `bpc check FILE…` without importing click at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import main

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from .app import main

        return main
    raise AttributeError(name)
