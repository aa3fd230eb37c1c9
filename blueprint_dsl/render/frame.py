"""The chart's frame around the boxes: headers, bands, their labels, lines and legend.

The title and subtitle, the phase bands and step headers over the columns, one
background band per lane (and the evidence band), the zone and lane labels of the label
column, the three lines between the zones and the legend row. Every function reads a
placed `Grid` (rows and columns fixed) and returns plain layout data.
"""

from __future__ import annotations

from ..model.blueprint import Line, Zone
from ..model.locale import line_name, zone_name
from .geometry import (
    Band,
    LaneLabel,
    LegendItem,
    LineMark,
    PhaseBand,
    Rect,
    StepHeader,
    Text,
    ZoneLabel,
)
from .grid import Grid
from .metrics import (
    LABEL_FONT,
    LABEL_W,
    LANE_COL_W,
    LEGEND_H,
    LINE_LABEL_FONT,
    STEP_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    TITLE_LINE_H,
    ZONE_COL_W,
    even,
)
from .text import text_width, units_for, wrap
from .words import word


# ---------------------------------------------------------------------- header rows
def title(grid: Grid) -> Text:
    title_lines = grid.header.title_lines
    return Text(
        tuple(title_lines),
        Rect(8, 10, LABEL_W - 8, 10 + len(title_lines) * TITLE_LINE_H),
        TITLE_FONT,
    )


def subtitle(grid: Grid) -> Text | None:
    title_lines, sub_lines = grid.header.title_lines, grid.header.sub_lines
    return (
        Text(
            tuple(sub_lines),
            Rect(
                8,
                14 + len(title_lines) * TITLE_LINE_H,
                LABEL_W - 8,
                14 + len(title_lines) * TITLE_LINE_H + len(sub_lines) * 12,
            ),
            SUBTITLE_FONT,
        )
        if sub_lines
        else None
    )


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
        label = lane.label if lane.declared else word("general", grid.locale)
        lines = wrap(label, units_for(LANE_COL_W - 14, 11.0), 5)
        rect = Rect(ZONE_COL_W, spec.top, LABEL_W, spec.top + spec.height)
        out.append(LaneLabel(lane.id, lane.zone, Text(tuple(lines), rect, 11.0)))
    return tuple(out)


def line_marks(grid: Grid) -> tuple[LineMark, ...]:
    width = grid.width
    marks = []
    for line in (Line.INTERACTION, Line.VISIBILITY, Line.INTERNAL):
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
def legend(grid: Grid) -> tuple[LegendItem, ...]:
    loc = grid.locale
    top = grid.lanes_bottom
    items = [
        ("flow", "legend_flow"),
        ("info", "legend_info"),
        ("two-way", "legend_two_way"),
        ("encounter", "legend_encounter"),
        ("fail", "legend_fail"),
        ("wait", "legend_wait"),
        ("moment", "legend_moment"),
        ("detail", "legend_detail"),
    ]
    out = []
    x = 12.0
    cy = top + LEGEND_H / 2
    for kind, key in items:
        text = word(key, loc)
        sample_w = 34.0 if kind in ("flow", "info", "two-way", "encounter") else 22.0
        sample = Rect(x, cy - 8, x + sample_w, cy + 8)
        tw = even(text_width(text, 9.5) + 4)
        out.append(
            LegendItem(
                kind,
                sample,
                Text((text,), Rect(x + sample_w + 6, cy - 8, x + sample_w + 6 + tw, cy + 8), 9.5),
            )
        )
        x += sample_w + 6 + tw + 18
    return tuple(out)
