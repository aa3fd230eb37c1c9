"""The files a command is given: paths as given and the `.bp` files below each folder,
and the error a path that cannot be used is (exit 2). Here, not in the compiler, so that
a command that only lists files (an unchanged `bpc render`) imports no compiler.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class UsageError(Exception):
    """A path that cannot be read or a bad argument: exit code 2, never a traceback."""


def collect_paths(
    paths: Sequence[str | Path],
    *,
    exclude: Sequence[str] = (),
    default_exclude: Sequence[str] | None = None,
) -> list[Path]:
    """Files as given, and the `*.bp` files below each folder, in sorted order.

    A folder walk (`blueprint_dsl.core.scan`) skips hidden names, the skip list
    (`default_exclude`, DEFAULT_EXCLUDE when None; the `exclude` setting replaces it),
    the `exclude` patterns (gitignore-style, relative to the folder given), what
    `.gitignore` files ignore, and symbolic links out of the folder. Files named here are
    read as given, whatever the patterns say. A bad pattern is a UsageError.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            from .scan import DEFAULT_EXCLUDE, PatternError, find_blueprints  # folders only

            skip = DEFAULT_EXCLUDE if default_exclude is None else default_exclude
            try:
                found.extend(find_blueprints(path, exclude=exclude, default_exclude=skip))
            except PatternError as error:
                raise UsageError(str(error)) from None
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise UsageError(f"{path}: not a file or folder")
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found
