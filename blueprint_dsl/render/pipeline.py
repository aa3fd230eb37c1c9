"""Render one compiled blueprint to files: layout, DOT, Graphviz, atomic writes."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.fsutil import atomic_write, content_digest
from ..core.gc_pause import collector_paused
from ..model.blueprint import Blueprint
from .critical import with_critical_path
from .dot import to_dot
from .engines import Engine, EngineError, resolve_engine
from .fit import PAGE_MARGIN, Fit, page_size, png_scale, steps_per_row, with_dpi
from .geometry import Layout
from .layout import compute_layout
from .pdf_pages import join_pages
from .rows import key_pages, row_layouts, wrapped_layout
from .svg_post import post_process
from .svg_write import Inline
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


def blueprint_dot(
    bp: Blueprint, theme: Theme | str = "default", per_row: int = 0, critical: bool = False
) -> str:
    """The DOT text of `bp` (deterministic: same model, same bytes), in rows of
    `per_row` steps when that is more than 0 and fewer than the blueprint's steps, with
    the critical path highlighted when `critical`."""
    with collector_paused():  # one pause for both: the collector runs once, after
        return layout_dot(blueprint_layout(bp, per_row, critical), theme)


def blueprint_layout(bp: Blueprint, per_row: int = 0, critical: bool = False) -> Layout:
    with collector_paused():
        wrapped = 0 < per_row < len(bp.steps)
        layout = wrapped_layout(bp, per_row) if wrapped else compute_layout(bp)
        return with_critical_path(layout, bp) if critical else layout


def layout_dot(layout: Layout, theme: Theme | str = "default") -> str:
    th = get_theme(theme) if isinstance(theme, str) else theme
    with collector_paused():
        return no_empty_first_lines(to_dot(layout, th))


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
    fit: Fit | None = None,
    warnings: list[str] | None = None,
    inline: Inline | None = None,
) -> list[Path]:
    """Write `bp` as each of `formats` (svg, png, pdf, dot) into `out_dir`.

    Every file is written atomically. Returns the paths written, in `formats` order;
    `digests`, when given, receives the sha256 of the bytes written to each path (what
    this call wrote, even if another process replaces the file a moment later).
    Raises `EngineError` (a user-facing message) when Graphviz is missing or fails,
    `WriteError` when a file cannot be written, and `ValueError` for an unknown format
    or theme. The SVG is post-processed (`svg_post`): it scales to its container unless
    `fixed_size` keeps Graphviz's width and height in points. `fit` wraps rows, sets the
    PNG scale and paginates a PDF (`fit.Fit`); what had to give (a PNG drawn smaller than
    asked) is appended to `warnings` as a sentence. With `inline`, the SVG is also written
    as the report inlines it, in the same walk (see `svg_post.post_process`).
    """
    fit = fit or Fit()
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
    name = stem or Path(bp.path).name.removesuffix(".bp") or "blueprint"
    layouts: dict[int, Layout] = {}
    dots: dict[int, str] = {}

    def dot_for(fmt: str) -> tuple[Layout, str]:
        per = steps_per_row(fit, fmt, len(bp.steps))
        if per not in dots:
            layouts[per] = blueprint_layout(bp, per, fit.critical_path)
            dots[per] = layout_dot(layouts[per], theme)
        return layouts[per], dots[per]

    dot = dot_for("dot")[1] if "dot" in formats else ""
    ours = time.perf_counter() - t0
    out = Path(out_dir)
    rendered: dict[str, bytes] = {}
    t1 = time.perf_counter()
    for position, fmt in enumerate(images):
        assert eng is not None
        if fmt == "pdf" and fit.page is not None:
            rendered[fmt] = _pages(bp, fit, theme, eng)
            continue
        layout, text = dot_for(fmt)
        if fmt == "png":
            scale, warning = png_scale(fit, layout.width, layout.height)
            if warning is not None and warnings is not None:
                warnings.append(f"{name}.png: {warning}")
            text = with_dpi(text, scale)
        per = steps_per_row(fit, fmt, len(bp.steps))
        later = images[position + 1 :]
        last = all(steps_per_row(fit, other, len(bp.steps)) != per for other in later)
        if last:
            # no format after this one draws this layout: let it go before Graphviz runs,
            # and its DOT before the drawing is read (a big blueprint's layout and DOT
            # are a few hundred MB)
            layouts.pop(per, None)
        del layout
        drawn = eng.render(text, fmt)
        if last:
            dots.pop(per, None)
        del text
        if fmt == "svg":
            with collector_paused():  # a big drawing is hundreds of thousands of elements
                root = ET.fromstring(drawn)
                del drawn  # the drawing is kept once: as the tree
                drawn = post_process(root, bp, fixed_size=fixed_size, inline=inline)
                del root
        rendered[fmt] = drawn
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


def _pages(bp: Blueprint, fit: Fit, theme: str, engine: Engine) -> bytes:
    """A PDF with one row of `bp` on each page of `fit.page`."""
    per = steps_per_row(fit, "pdf", len(bp.steps))
    with collector_paused():
        rows = row_layouts(bp, per, with_key=False)
        if fit.critical_path:
            rows = [with_critical_path(row, bp) for row in rows]
        if len(rows) > 1:  # the key on pages of its own, as wide as the widest row
            rows += key_pages(bp, max(row.width for row in rows), page_size(fit))
    pdfs = [engine.render(layout_dot(row, theme), "pdf") for row in rows]
    return join_pages(pdfs, page_size(fit), PAGE_MARGIN)


__all__ = [
    "DIAGRAM_FORMATS",
    "EngineError",
    "Fit",
    "Timing",
    "blueprint_dot",
    "no_empty_first_lines",
    "render_blueprint",
]
