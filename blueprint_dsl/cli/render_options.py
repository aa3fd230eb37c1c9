"""What `bpc render`'s arguments ask for: the formats (`-f`), and the name of each
file's outputs in the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

RENDER_FORMATS = ("svg", "png", "pdf", "dot", "html")
DEFAULT_FORMATS = ("svg", "html")


def parse_formats(values: Sequence[str]) -> tuple[str, ...]:
    """`-f svg,png -f dot` -> ("svg", "png", "dot"); raises click.BadParameter."""
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in RENDER_FORMATS:
                import click

                raise click.BadParameter(
                    f"unknown format {name!r} (choose from {', '.join(RENDER_FORMATS)})",
                    param_hint="'-f' / '--format'",
                )
            if name not in out:
                out.append(name)
    return tuple(out) or DEFAULT_FORMATS


def output_stems(files: Sequence[Path]) -> list[str]:
    """Output names without suffix, relative to the files' common folder (so that
    `a/x.bp` and `b/x.bp` do not collide)."""
    if not files:
        return []
    parents = [os.path.abspath(f.parent) for f in files]
    base = os.path.commonpath(parents)
    stems = []
    for f in files:
        rel = os.path.relpath(os.path.abspath(f), base)
        stems.append(rel[:-3] if rel.endswith(".bp") else rel)
    return [s.replace(os.sep, "/") for s in stems]
