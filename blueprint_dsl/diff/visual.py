"""`bpc diff --format svg|html`: the new drawing with what changed marked on it.

The whole pipeline in a screenful:

    diff  = diff_blueprints(old, new)                  the text diff (compare.py)
    marks = marks_for(old, new, diff)                  what to mark (visual_marks.py)
    svg   = the new blueprint drawn as `bpc render` draws it (render.pipeline, svg_post)
    ghosts = place_ghosts(old, layouts, marks)         removed parts (visual_ghosts.py)
    mark_drawing(svg, ...)                             colours, badges, ghosts (visual_svg.py)
    frame(svg, change_lines(diff))                     legend and change list (visual_panel.py)
    page(...)                                          or an HTML page (visual_html.py)

Added parts are green with a "+" badge, changed ones amber with "~", removed ones dashed
red ghosts with "−" where they were; the change list has the text diff's lines. The same
inputs always give the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..model.blueprint import Blueprint
from ..render.engines import Engine, resolve_engine
from ..render.layout import compute_layout
from ..render.pipeline import blueprint_dot
from ..render.svg_post import element_ids, post_process
from ..render.themes import get_theme
from .compare import diff_blueprints
from .result import BlueprintDiff
from .visual_ghosts import place_ghosts
from .visual_html import page
from .visual_list import change_lines
from .visual_marks import marks_for
from .visual_panel import frame
from .visual_svg import mark_drawing

VISUAL_FORMATS = ("svg", "html")
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'


def _summary(diff: BlueprintDiff) -> str:
    count = len(diff.changes)
    if not diff.has_changes:
        return "no semantic differences"
    return f"{count} change{'s' if count != 1 else ''}"


def visual_root(
    old: Blueprint,
    new: Blueprint,
    diff: BlueprintDiff,
    *,
    theme: str = "default",
    engine: str | Engine = "auto",
    panel: bool = True,
) -> ET.Element:
    """The marked drawing of `new` as an SVG element tree (with the list when `panel`)."""
    th = get_theme(theme)
    eng = engine if isinstance(engine, Engine) else resolve_engine(engine, ["svg"])
    new_layout, old_layout = compute_layout(new), compute_layout(old)
    drawn = post_process(eng.render(blueprint_dot(new, th), "svg"), new)
    root = ET.fromstring(drawn)
    marks = marks_for(old, new, diff)
    ghosts, ghost_flows = place_ghosts(old, old_layout, new_layout, marks)
    mark_drawing(root, new_layout, marks, ghosts, ghost_flows, th.font, element_ids(new))
    frame(root, change_lines(diff), th.font, panel=panel)
    title = root.find("{http://www.w3.org/2000/svg}title")
    if title is not None:
        title.text = f"Changes to {new.header.title}: {_summary(diff)}"
    return root


def visual_diff(
    old: Blueprint,
    new: Blueprint,
    fmt: str = "svg",
    *,
    diff: BlueprintDiff | None = None,
    theme: str = "default",
    engine: str | Engine = "auto",
) -> str:
    """The visual diff of `old` → `new` as one SVG file or one HTML page (`fmt`)."""
    if fmt not in VISUAL_FORMATS:
        raise ValueError(f"unknown visual diff format {fmt!r}")
    result = diff if diff is not None else diff_blueprints(old, new)
    root = visual_root(old, new, result, theme=theme, engine=engine, panel=fmt == "svg")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    if fmt == "svg":
        return XML_HEAD + body + "\n"
    return page(result, body, change_lines(result), _summary(result))


__all__ = ["VISUAL_FORMATS", "visual_diff", "visual_root"]
