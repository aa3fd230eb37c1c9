"""`bpc render --critical-path`: the service's critical path, highlighted (LANGUAGE.md 8.5).

The critical path is the chain of actions on the longest path of `lead_time` (staff and
systems included). Its boxes get a thick outline and the flows between consecutive
actions of the path a thick line in the theme's `critical` colour; the legend says so.
"""

from __future__ import annotations

import dataclasses
import itertools

from ..analysis.paths import lead_time
from ..model.blueprint import Blueprint
from .geometry import Layout, LegendItem, Rect, Text
from .metrics import even
from .text import text_width
from .words import word


def with_critical_path(layout: Layout, bp: Blueprint) -> Layout:
    """`layout` with the critical path of `bp` marked, and a legend item for it."""
    path = lead_time(bp).critical_path
    if len(path) < 1:
        return layout
    text = word("legend_critical", bp.header.locale)
    if layout.legend:
        last = layout.legend[-1]
        x, cy = last.text.rect.x1 + 18, last.sample.cy
    else:
        x, cy = 12.0, layout.height - 18
    sample = Rect(x, cy - 8, x + 34, cy + 8)
    tw = even(text_width(text, 9.5) + 4)
    label = Text((text,), Rect(x + 40, cy - 8, x + 40 + tw, cy + 8), 9.5)
    item = LegendItem("critical", sample, label)
    return dataclasses.replace(layout, critical=path, legend=(*layout.legend, item))


def critical_pairs(layout: Layout) -> frozenset[tuple[str, str]]:
    """The (source, target) pairs of consecutive actions on the highlighted path."""
    path = layout.critical
    return frozenset(itertools.pairwise(path))
