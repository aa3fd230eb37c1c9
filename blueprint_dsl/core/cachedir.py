"""bpc's cache folder, where what is worked out once per machine is kept between runs
(the parser's tables, the report's compiled templates, the Graphviz versions, the
embedded Graphviz compiled for this machine, the drawing code's fingerprint): $BPC_CACHE_DIR, else
$XDG_CACHE_HOME/bpc or ~/.cache/bpc. Anything in it may be deleted at any time; a
cache that cannot be read or written is worked out again.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path | None:
    """Where the cache is kept: $BPC_CACHE_DIR, else $XDG_CACHE_HOME/bpc or ~/.cache/bpc."""
    explicit = os.environ.get("BPC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "bpc"
    home = os.environ.get("HOME")
    return Path(home) / ".cache" / "bpc" if home else None


def save_cached(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (through a temporary file: a reader never sees half of
    it); nothing when the cache folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass  # an unwritable cache: worked out again next time
