"""Compute the diagram grid and the orthogonal edge routes. Pure Python, no Graphviz.

The grid:
- rows: a header (title, phase bands, step headers), the evidence band, one band per
  lane in the model's lane order, a legend row;
- columns: a label column (zone names, lane names), then one column per step in written
  order, separated by *gutters*, then a right margin for the line labels.
Several actions of one lane and step are stacked in their cell; every band grows to fit
its tallest cell, every action of a step shares the column's x.

Routes never cross a box: they leave a box at one side, run vertically only in gutters
(or straight down a column when nothing is in the way) and horizontally only in
*corridors* (strips at the top of each lane band kept free of boxes), in a straight line
between neighbouring cells of one lane, or through empty cells of one lane. Parallel runs
in a gutter or corridor get separate tracks (interval colouring), so they never overlap.

This module only joins the stages: `grid` sizes the cells and places rows and columns,
`routing` plans the routes on the grid (and tells it how much room they need), `labels`
places the flow labels, and `frame` and `nodes` turn the placed grid into the `Layout`
data (defined in `geometry`) that `dot` draws. The sizes are in `metrics`.
"""

from __future__ import annotations

from ..model.blueprint import Blueprint
from . import frame, nodes
from .emotion import emotion_chart
from .geometry import Layout
from .grid import Grid
from .header_band import BandText
from .key import Numbers, key_entries, number_badges
from .labels import label_routes
from .metrics import LABEL_W
from .routing import Router


def compute_layout(
    bp: Blueprint,
    *,
    numbers: dict[str, Numbers] | None = None,
    band: BandText | bool | None = True,
    with_key: bool = True,
) -> Layout:
    """Lay out `bp` on the blueprint grid and route its flows.

    A row of a wrapped drawing (`rows`) passes the whole blueprint's badge `numbers`,
    the band (the first row's, or None) and `with_key=False`: the key comes once, last.
    """
    grid = Grid(bp, band)
    router = Router(grid)
    # The corridors fix the band heights, hence every y; the gutters then fix every x.
    grid.place_rows(router.corridor_heights())
    grid.place_columns(router.gutter_widths())
    routes = label_routes(router.plans, router.paths(), grid.boxes.values())
    header = frame.header(grid)
    numbers = numbers if numbers is not None else number_badges(bp)
    legend, legend_h = frame.legend(grid)
    key_top = grid.lanes_bottom + legend_h
    key, key_h = key_entries(bp, numbers, key_top, grid.width) if with_key else ((), 0.0)
    return Layout(
        width=grid.width,
        height=key_top + key_h,
        locale=grid.locale,
        title=header.title if header else frame.untitled(),
        subtitle=header.facts if header else None,
        bands=frame.band_rects(grid),
        zone_labels=frame.zone_labels(grid),
        lane_labels=frame.lane_labels(grid),
        lines=frame.line_marks(grid),
        phases=frame.phase_bands(grid),
        steps=frame.step_headers(grid),
        columns=tuple(grid.columns),
        actions=nodes.action_nodes(grid),
        evidence=nodes.evidence_nodes(grid),
        markers=nodes.markers(grid, numbers),
        routes=tuple(routes),
        legend=legend,
        legend_top=grid.lanes_bottom,
        header=header,
        key=key,
        parallel=nodes.parallel_outlines(grid),
        emotion=tuple(
            chart
            for chart in [
                emotion_chart(
                    bp,
                    grid.header.height + grid.evidence_h,
                    grid.width,
                    {step.index: x for step, x in zip(grid.steps, grid.columns, strict=True)},
                )
            ]
            if chart is not None
        ),
    )


__all__ = ["LABEL_W", "Layout", "compute_layout"]
