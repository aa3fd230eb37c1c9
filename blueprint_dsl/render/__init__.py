"""The diagram backend: a service blueprint drawn on a computed grid through Graphviz.

`layout.compute_layout` computes bands, columns, boxes and orthogonal routes (pure
Python) from `grid` (lanes, cells, rows and columns), `routing` (flow routes), `labels`
(flow label placement), `frame` and `nodes` (the drawn parts), into the `geometry` data;
`dot` writes them as pinned DOT (with `dot_canvas` and `dot_flows`); `engines` runs
Graphviz (system or embedded); `pipeline.render_blueprint` ties them together and
writes files atomically.
"""

from __future__ import annotations

from .engines import ENGINE_CHOICES, EngineError, resolve_engine
from .pipeline import DIAGRAM_FORMATS, Timing, blueprint_dot, render_blueprint
from .themes import THEMES, get_theme

__all__ = [
    "DIAGRAM_FORMATS",
    "ENGINE_CHOICES",
    "THEMES",
    "EngineError",
    "Timing",
    "blueprint_dot",
    "get_theme",
    "render_blueprint",
    "resolve_engine",
]
