"""Placing the legend: one row of samples and words under the lanes, wrapping to more
rows when the drawing is narrower than the legend (nothing runs off the edge)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .geometry import Layout, LegendItem, Rect, Text
from .metrics import LEGEND_H, even
from .text import text_width

ROW_H = 26.0  # each further legend row
FONT = 9.5

# (kind, word, sample width)
Entry = tuple[str, str, float]


def place_legend(
    entries: Sequence[Entry], top: float, width: float
) -> tuple[tuple[LegendItem, ...], float]:
    """The legend items from `top` in a drawing `width` wide, and the legend's height."""
    out: list[LegendItem] = []
    x, cy = 12.0, top + LEGEND_H / 2
    for kind, word, sample_w in entries:
        tw = even(text_width(word, FONT) + 4)
        need = sample_w + 6 + tw
        if out and x + need > width - 12:
            x, cy = 12.0, cy + ROW_H
        sample = Rect(x, cy - 8, x + sample_w, cy + 8)
        label = Text((word,), Rect(x + sample_w + 6, cy - 8, x + need, cy + 8), FONT)
        out.append(LegendItem(kind, sample, label))
        x += need + 18
    height = LEGEND_H + (cy - (top + LEGEND_H / 2))
    return tuple(out), height


def entries_of(items: Sequence[LegendItem]) -> list[Entry]:
    return [(i.kind, i.text.lines[0], i.sample.w) for i in items]


def relegend(layout: Layout, entries: Sequence[Entry], width: float | None = None) -> Layout:
    """`layout` with its legend placed anew from `entries`; the key below moves with it."""
    width = layout.width if width is None else width
    old_h = _height(layout)
    items, new_h = place_legend(entries, layout.legend_top, width)
    grow = new_h - old_h
    key = tuple(
        dataclasses.replace(e, text=dataclasses.replace(e.text, rect=_down(e.text.rect, grow)))
        for e in layout.key
    )
    return dataclasses.replace(layout, legend=items, key=key, height=layout.height + grow)


def _down(r: Rect, dy: float) -> Rect:
    return Rect(r.x0, r.y0 + dy, r.x1, r.y1 + dy)


def _height(layout: Layout) -> float:
    if not layout.legend:
        return LEGEND_H
    last = max(i.sample.cy for i in layout.legend)
    return LEGEND_H + (last - (layout.legend_top + LEGEND_H / 2))
