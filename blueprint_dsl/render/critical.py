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
from .geometry import Layout
from .legend import entries_of, relegend
from .words import word


def with_critical_path(layout: Layout, bp: Blueprint) -> Layout:
    """`layout` with the critical path of `bp` marked, and a legend item for it."""
    path = lead_time(bp).critical_path
    if len(path) < 1:
        return layout
    text = word("legend_critical", bp.header.locale)
    marked = dataclasses.replace(layout, critical=path)
    return relegend(marked, [*entries_of(layout.legend), ("critical", text, 34.0)])


def critical_pairs(layout: Layout) -> frozenset[tuple[str, str]]:
    """The (source, target) pairs of consecutive actions on the highlighted path."""
    path = layout.critical
    return frozenset(itertools.pairwise(path))
