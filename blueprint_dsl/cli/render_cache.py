"""The render cache: a manifest `.bpc-cache.json` in each output folder keeps, per
blueprint, a hash of everything that shapes its drawing, so an unchanged file is not
drawn again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_FILE = ".bpc-cache.json"
#: Bump when the drawing changes, so cached outputs are redrawn.
RENDERER_VERSION = "1"


def render_sources() -> list[Path]:
    """The drawing code (the `render` package) whose every change redraws cached outputs."""
    return sorted((Path(__file__).resolve().parent.parent / "render").rglob("*.py"))


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """A hash of the renderer's own source, so a changed drawing code redraws everything."""
    digest = hashlib.sha256()
    for path in render_sources():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(source: bytes, formats: Sequence[str], theme: str, engine: str) -> str:
    from ..core.version import __version__

    digest = hashlib.sha256()
    parts = (
        __version__,
        RENDERER_VERSION,
        renderer_fingerprint(),
        ",".join(formats),
        theme,
        engine,
    )
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(source)
    return digest.hexdigest()


def load_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / CACHE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def save_manifest(out_dir: Path, entries: dict[str, Any]) -> None:
    from ..core.fsutil import atomic_write

    data = {"bpc-render-cache": 1, "entries": {k: entries[k] for k in sorted(entries)}}
    atomic_write(out_dir / CACHE_FILE, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
