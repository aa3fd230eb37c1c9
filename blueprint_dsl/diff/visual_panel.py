"""The frame of a visual diff SVG: a legend strip above the drawing and the change list
as a panel of SVG text (wrapped lines) below it, or to its right when the drawing is
taller than wide. The root's viewBox grows to hold them; the drawing is not moved."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

from ..render.dot_canvas import num
from ..render.text import text_width, units_for, wrap
from .visual_list import ListLine
from .visual_style import GHOST_DASH, INK, MUTED, PANEL_FILL, PANEL_STROKE, STATES
from .visual_svg import S, el

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The list is English text: Latin fonts first (their quotes are not full-width), then CJK.
LIST_FONT = (
    "Noto Sans,DejaVu Sans,Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,PingFang SC,"
    "Microsoft YaHei,WenQuanYi Micro Hei,sans-serif"
)
LEGEND_H = 34.0
GAP = 16.0
SIDE_W = 560.0
MAX_TEXT_W = 1100.0
PANEL_PAD = 14.0
SPACING = {"title": (0.0, 6.0), "heading": (8.0, 3.0)}  # room before and after a line
SIZES = {"title": 13.0, "heading": 11.5, "figure": 10.5, "change": 10.5, "note": 11.0}


def _view_box(root: ET.Element) -> tuple[float, float, float, float]:
    parts = [float(v) for v in root.get("viewBox", "0 0 800 600").replace(",", " ").split()]
    return parts[0], parts[1], parts[2], parts[3]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def wrapped(text: str, width: float, size: float) -> list[str]:
    """`text` wrapped to `width` points, each line but the last keeping the space it broke
    at (none between CJK characters), so the lines joined give `text` back."""
    lines = wrap(text, units_for(width, size), max_lines=200)
    out: list[str] = []
    at = 0
    for n, line in enumerate(lines):
        found = text.find(line, at)
        if found < 0 or n + 1 == len(lines):
            out.append(line)
            continue
        at = found + len(line)
        space = at < len(text) and text[at] == " "
        if not space and line and lines[n + 1] and not (_wide(line[-1]) or _wide(lines[n + 1][0])):
            space = True  # a long word split in two: keep them apart
        out.append(line + (" " if space else ""))
    return out


def _legend(root: ET.Element, x: float, y: float, font: str) -> None:
    g = el(root, "g", {"id": "vd-legend", "class": "vd-legend"})
    base = y + LEGEND_H / 2 + 4
    el(
        g,
        "text",
        {
            "x": num(x),
            "y": num(base),
            "font-family": font,
            "font-size": "12",
            "font-weight": "bold",
            "fill": INK,
        },
        "Changes:",
    )
    at = x + text_width("Changes:", 12) + 8
    for state in STATES.values():
        sample = {
            "x": num(at),
            "y": num(y + 8),
            "width": "34",
            "height": num(LEGEND_H - 16),
            "rx": "4",
            "fill": state.fill,
            "stroke": state.stroke,
            "stroke-width": "2.5",
        }
        if state.name == "removed":
            sample["stroke-dasharray"] = GHOST_DASH
            sample["stroke-width"] = "2"
        item = el(g, "g", {"class": f"vd-legend-item vd-{state.name}"})
        el(item, "rect", sample)
        el(
            item,
            "text",
            {
                "x": num(at + 17),
                "y": num(base),
                "text-anchor": "middle",
                "font-family": font,
                "font-size": "13",
                "font-weight": "bold",
                "fill": state.text,
            },
            state.badge,
        )
        el(
            item,
            "text",
            {
                "x": num(at + 42),
                "y": num(base),
                "font-family": font,
                "font-size": "11.5",
                "fill": INK,
            },
            state.word,
        )
        at += 42 + text_width(state.word, 11.5) + 22


def _line(g: ET.Element, line: ListLine, x: float, y: float, width: float, font: str) -> float:
    """Draw one list line below `y`; returns the `y` below it."""
    size = SIZES[line.role]
    step = size * 1.45
    before, after = SPACING.get(line.role, (0.0, 0.0))
    top, y = y, y + before + size
    indent = 0.0 if line.role in ("title", "heading", "note") else 14.0
    state = STATES.get(line.state or "")
    if state is not None:
        indent = 30.0
        disc = el(g, "g", {"class": f"vd-badge vd-{state.name}"})
        cx, cy = x + 20, y - size * 0.35
        if state.name == "changed":  # a diamond, as in the drawing
            corners = ((cx, cy - 7.5), (cx + 7.5, cy), (cx, cy + 7.5), (cx - 7.5, cy))
            points = " ".join(f"{num(round(a, 2))},{num(round(b, 2))}" for a, b in corners)
            el(disc, "polygon", {"points": points, "fill": state.stroke})
        else:
            el(disc, "circle", {"cx": num(cx), "cy": num(cy), "r": "7", "fill": state.stroke})
        el(
            disc,
            "text",
            {
                "x": num(x + 20),
                "y": num(y - size * 0.35 + 4),
                "text-anchor": "middle",
                "font-family": font,
                "font-size": "11",
                "font-weight": "bold",
                "fill": state.badge_text,
            },
            state.badge,
        )
    attrs = {
        "class": f"vd-line vd-{line.role}",
        XML_SPACE: "preserve",
        "font-family": font,
        "font-size": num(size),
        "fill": INK if line.role != "note" else MUTED,
    }
    if line.role in ("title", "heading"):
        attrs["font-weight"] = "bold"
    if state is not None:
        attrs["class"] += f" vd-{state.name}"
    text = el(g, "text", attrs)
    parts = wrapped(line.text, width - indent, size)
    for n, part in enumerate(parts):
        span = el(text, "tspan", {"x": num(x + indent), "y": num(y + n * step)})
        if n == 0 and state is not None and line.kind and part.startswith(line.kind):
            span.text = line.kind
            span.set("font-weight", "bold")
            span.set("fill", state.text)
            rest = el(text, "tspan", {})
            rest.text = part[len(line.kind) :]
        else:
            span.text = part
    return top + before + len(parts) * step + after


def _panel_height(lines: list[ListLine], width: float) -> float:
    total = 2 * PANEL_PAD
    for line in lines:
        size = SIZES[line.role]
        indent = 30.0 if line.state else 0.0 if line.role in ("title", "heading", "note") else 14.0
        before, after = SPACING.get(line.role, (0.0, 0.0))
        total += before + len(wrapped(line.text, width - indent, size)) * size * 1.45 + after
    return total


def frame(root: ET.Element, lines: list[ListLine], font: str, *, panel: bool) -> None:
    """Add the legend strip (and the change-list panel) around the drawing `root`."""
    x, y, w, h = _view_box(root)
    top = y - LEGEND_H
    right, bottom = x + w, y + h
    below = w >= h
    if panel:
        px, py = (x + GAP, bottom + GAP) if below else (right + GAP, top + GAP)
        pw = max(w - 2 * GAP, 600.0) if below else SIDE_W
        text_w = min(pw - 32, MAX_TEXT_W)
        ph = _panel_height(lines, text_w)
        right = max(right, px + pw + GAP)
        bottom = max(bottom, py + ph + GAP)
    backdrop = ET.Element(
        S + "rect",
        {
            "x": num(x),
            "y": num(top),
            "width": num(right - x),
            "height": num(bottom - top),
            "fill": "#ffffff",
        },
    )
    at = next((i for i, c in enumerate(root) if c.tag not in (S + "title", S + "desc")), len(root))
    root.insert(at, backdrop)
    _legend(root, x + GAP, top, font)
    if panel:
        g = el(root, "g", {"id": "vd-changes", "class": "vd-changes"})
        el(
            g,
            "rect",
            {
                "x": num(px),
                "y": num(py),
                "width": num(pw),
                "height": num(ph),
                "rx": "6",
                "fill": PANEL_FILL,
                "stroke": PANEL_STROKE,
            },
        )
        at_y = py + PANEL_PAD
        for line in lines:
            at_y = _line(g, line, px + 16, at_y, text_w, LIST_FONT)
    root.set("viewBox", " ".join(num(round(v, 2)) for v in (x, top, right - x, bottom - top)))
