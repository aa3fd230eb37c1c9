"""The chart's frame around the boxes: headers, bands, their labels, lines and legend.

The title and subtitle, the phase bands and step headers over the columns, one
background band per lane (and the evidence band), the zone and lane labels of the label
column, the three lines between the zones and the legend row. Every function reads a
placed `Grid` (rows and columns fixed) and returns plain layout data.
"""

from __future__ import annotations

from ..model.blueprint import FlowKind, Line, Zone
from ..model.locale import line_name, zone_name
from .geometry import (
    Band,
    HeaderBand,
    LaneLabel,
    LegendItem,
    LineMark,
    PhaseBand,
    Rect,
    StepHeader,
    Text,
    ZoneLabel,
)
from .grid import LANE_FONT, Grid, lane_label_lines
from .header_band import header_band
from .legend import place_legend
from .metrics import (
    LABEL_FONT,
    LABEL_W,
    LINE_LABEL_FONT,
    STEP_FONT,
    TITLE_FONT,
    ZONE_COL_W,
    even,
)
from .text import text_width, units_for, wrap
from .words import word


# ---------------------------------------------------------------------- header rows
def header(grid: Grid) -> HeaderBand | None:
    band = grid.header.band
    return header_band(band, grid.width) if band is not None else None


def untitled() -> Text:
    """The title of a row without a band (a wrapped drawing's later rows): empty."""
    return Text((), Rect(0, 0, 0, 0), TITLE_FONT)


def phase_bands(grid: Grid) -> tuple[PhaseBand, ...]:
    gutter_cx, header = grid.gutter_cx, grid.header
    header_h, step_h, phase_h = header.height, header.step_h, header.phase_h
    return tuple(
        PhaseBand(
            Text(
                tuple(lines),
                Rect(
                    gutter_cx[c0] + 3,
                    header_h - step_h - 4 - phase_h,
                    gutter_cx[c1 + 1] - 3,
                    header_h - step_h - 6,
                ),
                12.0,
            )
        )
        for c0, c1, lines in header.phases
    )


def step_headers(grid: Grid) -> tuple[StepHeader, ...]:
    gutter_cx, header = grid.gutter_cx, grid.header
    header_h, step_h, step_texts = header.height, header.step_h, header.step_texts
    return tuple(
        StepHeader(
            step.index,
            Text(
                tuple(step_texts[c]),
                Rect(
                    gutter_cx[c] + 3,
                    header_h - step_h - 2,
                    gutter_cx[c + 1] - 3,
                    header_h - 4,
                ),
                STEP_FONT,
            ),
        )
        for c, step in enumerate(grid.steps)
    )


# ---------------------------------------------------------------------- bands, labels
def band_rects(grid: Grid) -> tuple[Band, ...]:
    header_h, ev_h, width = grid.header.height, grid.evidence_h, grid.width
    bands = [Band("evidence", Zone.EVIDENCE, Rect(0, header_h, width, header_h + ev_h), False)]
    previous: Zone | None = None
    alternate = False
    for spec in grid.bands:
        alternate = not alternate if spec.lane.zone is previous else False
        previous = spec.lane.zone
        rect = Rect(0, spec.top, width, spec.top + spec.height)
        bands.append(Band(spec.lane.id, spec.lane.zone, rect, alternate))
    return tuple(bands)


def zone_labels(grid: Grid) -> tuple[ZoneLabel, ...]:
    header_h, ev_h = grid.header.height, grid.evidence_h
    spans: dict[Zone, tuple[float, float, int]] = {Zone.EVIDENCE: (header_h, header_h + ev_h, 1)}
    for spec in grid.bands:
        zone = spec.lane.zone
        top, _, n = spans.get(zone, (spec.top, 0.0, 0))
        spans[zone] = (top, spec.top + spec.height, n + 1)
    out = []
    for zone, (top, bottom, n) in spans.items():
        only_own = n == 1 and (zone is Zone.EVIDENCE or not _declared_in(grid, zone))
        w = LABEL_W if only_own else ZONE_COL_W
        lines = wrap(zone_name(zone, grid.locale), units_for(w - 16, LABEL_FONT), 4)
        out.append(ZoneLabel(zone, Text(tuple(lines), Rect(0, top, w, bottom), LABEL_FONT)))
    return tuple(out)


def _declared_in(grid: Grid, zone: Zone) -> bool:
    return any(s.lane.declared for s in grid.bands if s.lane.zone is zone)


def lane_labels(grid: Grid) -> tuple[LaneLabel, ...]:
    out = []
    for spec in grid.bands:
        lane = spec.lane
        if not _declared_in(grid, lane.zone):
            continue
        lines = lane_label_lines(lane, grid.locale)
        rect = Rect(ZONE_COL_W, spec.top, LABEL_W, spec.top + spec.height)
        out.append(LaneLabel(lane.id, lane.zone, Text(tuple(lines), rect, LANE_FONT)))
    return tuple(out)


def line_marks(grid: Grid) -> tuple[LineMark, ...]:
    width = grid.width
    marks = []
    for line in (Line.INTERACTION, Line.VISIBILITY, Line.INTERNAL):
        if line is Line.INTERACTION and grid.bp.internal:
            continue  # no customer, so no line of interaction (8.7)
        first = next((s for s in grid.bands if s.lane.zone is line.below), None)
        if first is None:
            continue
        y = first.top
        name = line_name(line, grid.locale)
        tw = even(text_width(name, LINE_LABEL_FONT) + 12)
        labels = (
            Text((name,), Rect(6, y - 8, 6 + tw, y + 8), LINE_LABEL_FONT),
            Text((name,), Rect(width - tw - 6, y - 8, width - 6, y + 8), LINE_LABEL_FONT),
        )
        marks.append(LineMark(line, name, y, 0.0, width, labels))
    return tuple(marks)


# ---------------------------------------------------------------------- legend row
def used_legend_items(grid: Grid) -> list[tuple[str, str]]:
    """(kind, word key) of each legend item this diagram uses, in legend order."""
    bp = grid.bp
    drawn = [f for f in bp.flows if f.source in grid.boxes and f.target in grid.boxes]
    encounter = [f for f in drawn if Line.INTERACTION in f.crosses]
    used = {
        "journey": any(f.implicit and f not in encounter for f in drawn),
        "flow": any(
            f.kind is FlowKind.FLOW and not f.implicit and f not in encounter for f in drawn
        ),
        "info": any(f.kind is FlowKind.INFO and f not in encounter for f in drawn),
        "two-way": any(f.kind is FlowKind.TWO_WAY and f not in encounter for f in drawn),
        "encounter": bool(encounter),
        "decision": any(b.shape == "diamond" for b in grid.boxes.values()),
        "evidence": bool(grid.evidence_cells),
        "fail": any(b.action.fails for b in grid.boxes.values()),
        "wait": any(b.action.wait is not None for b in grid.boxes.values()),
        "moment": any(b.action.moment for b in grid.boxes.values()),
        "detail": any(b.action.detail for b in grid.boxes.values()),
        "trigger": any(b.action.trigger is not None for b in grid.boxes.values()),
        "parallel": any(sum(k in grid.boxes for k in g.keys) >= 2 for g in bp.parallel_groups),
    }
    items = [
        ("journey", "legend_journey"),
        ("flow", "legend_flow"),
        ("info", "legend_info"),
        ("two-way", "legend_two_way"),
        ("encounter", "legend_encounter"),
        ("decision", "legend_decision"),
        ("evidence", "legend_evidence"),
        ("fail", "legend_fail"),
        ("wait", "legend_wait"),
        ("moment", "legend_moment"),
        ("detail", "legend_detail"),
        ("trigger", "legend_trigger"),
        ("parallel", "legend_parallel"),
    ]
    return [(kind, key) for kind, key in items if used[kind]]


LINE_SAMPLES = ("journey", "flow", "info", "two-way", "encounter")


def legend(grid: Grid) -> tuple[tuple[LegendItem, ...], float]:
    """The legend: a sample and a word for each thing this diagram draws, nothing else;
    and its height (it wraps to more rows in a narrow drawing)."""
    entries = [
        (kind, word(key, grid.locale), sample_width(kind)) for kind, key in used_legend_items(grid)
    ]
    return place_legend(entries, grid.lanes_bottom, grid.width)


def sample_width(kind: str) -> float:
    if kind in (*LINE_SAMPLES, "critical"):
        return 34.0
    return 30.0 if kind in ("decision", "evidence", "parallel") else 22.0
