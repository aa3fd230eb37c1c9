"""Render one compiled blueprint to files: layout, DOT, Graphviz, atomic writes."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.fsutil import atomic_write, content_digest
from ..core.gc_pause import collector_paused
from ..model.blueprint import Blueprint
from .dot import to_dot
from .engines import Engine, EngineError, resolve_engine
from .layout import compute_layout
from .svg_post import post_process
from .themes import THEMES, Theme, get_theme

DIAGRAM_FORMATS = ("svg", "png", "pdf", "dot")


@dataclass(frozen=True)
class Timing:
    """Seconds spent in our own code (layout + DOT) and in Graphviz."""

    ours: float
    graphviz: float


# A label that starts with a line break (`\n`, `\l`, `\r` right after the opening quote;
# `\\n` is a backslash and an n) has an empty first line.
_EMPTY_FIRST_LINE = re.compile(r'(?<=[\[ ,])label="(?=\\[nlr])')


def blueprint_dot(bp: Blueprint, theme: Theme | str = "default") -> str:
    """The DOT text of `bp` (deterministic: same model, same bytes)."""
    th = get_theme(theme) if isinstance(theme, str) else theme
    with collector_paused():
        return no_empty_first_lines(to_dot(compute_layout(bp), th))


def no_empty_first_lines(dot: str) -> str:
    """Give every label whose first line is empty a first line of one space.

    Graphviz (the embedded build, and recent system ones) leaves the first text span of
    a label uninitialised when that line is empty, and later calls a stale function
    pointer from it while freeing the label: in WebAssembly a trap ("out of bounds table
    access") once the heap has been used. A space is measured like the empty line (one
    line high, no width), so the drawing looks the same; other labels are untouched.
    """
    if 'label="\\' not in dot:
        return dot
    return _EMPTY_FIRST_LINE.sub('label=" ', dot)


def render_blueprint(
    bp: Blueprint,
    formats: Sequence[str],
    out_dir: str | Path,
    *,
    theme: str = "default",
    engine: str | Engine = "auto",
    stem: str | None = None,
    timing: list[Timing] | None = None,
    digests: dict[Path, str] | None = None,
    fixed_size: bool = False,
) -> list[Path]:
    """Write `bp` as each of `formats` (svg, png, pdf, dot) into `out_dir`.

    Every file is written atomically. Returns the paths written, in `formats` order;
    `digests`, when given, receives the sha256 of the bytes written to each path (what
    this call wrote, even if another process replaces the file a moment later).
    Raises `EngineError` (a user-facing message) when Graphviz is missing or fails,
    `WriteError` when a file cannot be written, and `ValueError` for an unknown format
    or theme. The SVG is post-processed (`svg_post`): it scales to its container unless
    `fixed_size` keeps Graphviz's width and height in points.
    """
    unknown = [f for f in formats if f not in DIAGRAM_FORMATS]
    if unknown:
        raise ValueError(f"unknown diagram format(s): {', '.join(unknown)}")
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: choose one of {', '.join(THEMES)}")
    images = [f for f in formats if f != "dot"]
    eng = (
        engine
        if isinstance(engine, Engine)
        else (resolve_engine(engine, images) if images else None)
    )
    t0 = time.perf_counter()
    dot = blueprint_dot(bp, theme)
    ours = time.perf_counter() - t0
    name = stem or Path(bp.path).name.removesuffix(".bp") or "blueprint"
    out = Path(out_dir)
    rendered: dict[str, bytes] = {}
    t1 = time.perf_counter()
    for fmt in images:
        assert eng is not None
        rendered[fmt] = eng.render(dot, fmt)
        if fmt == "svg":
            rendered[fmt] = post_process(rendered[fmt], bp, fixed_size=fixed_size)
    gv = time.perf_counter() - t1
    written: list[Path] = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        payload = dot if fmt == "dot" else rendered[fmt]
        atomic_write(path, payload)
        written.append(path)
        if digests is not None:
            digests[path] = content_digest(payload)
    if timing is not None:
        timing.append(Timing(ours, gv))
    return written


__all__ = [
    "DIAGRAM_FORMATS",
    "EngineError",
    "Timing",
    "blueprint_dot",
    "no_empty_first_lines",
    "render_blueprint",
]
