"""Render one compiled blueprint to files: layout, DOT, Graphviz, atomic writes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.fsutil import atomic_write
from ..core.gc_pause import collector_paused
from ..model.blueprint import Blueprint
from .dot import to_dot
from .engines import Engine, EngineError, resolve_engine
from .layout import compute_layout
from .themes import THEMES, Theme, get_theme

DIAGRAM_FORMATS = ("svg", "png", "pdf", "dot")


@dataclass(frozen=True)
class Timing:
    """Seconds spent in our own code (layout + DOT) and in Graphviz."""

    ours: float
    graphviz: float


def blueprint_dot(bp: Blueprint, theme: Theme | str = "default") -> str:
    """The DOT text of `bp` (deterministic: same model, same bytes)."""
    th = get_theme(theme) if isinstance(theme, str) else theme
    with collector_paused():
        return to_dot(compute_layout(bp), th)


def render_blueprint(
    bp: Blueprint,
    formats: Sequence[str],
    out_dir: str | Path,
    *,
    theme: str = "default",
    engine: str | Engine = "auto",
    stem: str | None = None,
    timing: list[Timing] | None = None,
) -> list[Path]:
    """Write `bp` as each of `formats` (svg, png, pdf, dot) into `out_dir`.

    Every file is written atomically. Returns the paths written, in `formats` order.
    Raises `EngineError` (a user-facing message) when Graphviz is missing or fails, and
    `ValueError` for an unknown format or theme.
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
    gv = time.perf_counter() - t1
    written: list[Path] = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        atomic_write(path, dot if fmt == "dot" else rendered[fmt])
        written.append(path)
    if timing is not None:
        timing.append(Timing(ours, gv))
    return written


__all__ = ["DIAGRAM_FORMATS", "EngineError", "Timing", "blueprint_dot", "render_blueprint"]
