"""The blueprint grid: lanes, cells, box sizes, and where rows and columns fall.

`Grid(bp)` decides which lanes are drawn (one band per lane, in zone order), stacks the
actions of each lane and step in their cell and sizes every box, the header rows and the
evidence band. Where the bands and columns then fall depends on how much room the flow
routes need, so it is done in two later calls with plain numbers from the router:
`place_rows` (the corridor height at the top of each band) fixes every y, and
`place_columns` (the width of each gutter) fixes every x. The grid knows nothing about
routing beyond those numbers; the router reads the grid, never the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model.blueprint import Action, Blueprint, Lane, Zone
from ..model.locale import zone_name
from .emotion import emotion_height
from .header_band import BandText, band_text
from .metrics import (
    BADGE_H,
    BOX_PAD,
    BOX_W,
    CELL_PAD,
    DIAMOND_MIN_H,
    DIAMOND_TEXT,
    EVIDENCE_FONT,
    EVIDENCE_GAP,
    EVIDENCE_LINE_H,
    EVIDENCE_PAD,
    EVIDENCE_W,
    FONT,
    LABEL_W,
    LANE_COL_W,
    LEGEND_H,
    LINE_H,
    META_FONT,
    META_H,
    MIN_BOX_H,
    MIN_GUTTER,
    MIN_REGION,
    RIGHT_MARGIN,
    SLOT_GAP,
    STEP_FONT,
    STEP_LINE_H,
    even,
)
from .text import fmt_duration, units_for, wrap
from .words import word


@dataclass
class Box:
    """One action's box in its cell: its size and text, then its centre once placed."""

    action: Action
    band: int
    col: int
    slot: int
    shape: str
    w: int
    h: int
    lines: list[str]
    meta: list[str]  # the meta lines under the label (role, times, cost, metrics)
    rel_cy: float = 0.0
    cx: float = 0.0
    cy: float = 0.0

    def half_w_at(self, dy: float) -> float:
        """Half the width of the shape at vertical offset `dy` from its centre."""
        if self.shape == "diamond":
            return (self.w / 2) * max(0.0, 1 - 2 * abs(dy) / self.h)
        return self.w / 2

    def half_h_at(self, dx: float) -> float:
        if self.shape == "diamond":
            return (self.h / 2) * max(0.0, 1 - 2 * abs(dx) / self.w)
        return self.h / 2


@dataclass
class LaneBand:
    """One lane's band: its cells, its box region and the corridor strip above it."""

    lane: Lane
    boxes: dict[int, list[Box]] = field(default_factory=dict)  # col -> stacked boxes
    region: float = MIN_REGION
    corridor_h: float = 0.0
    top: float = 0.0

    @property
    def height(self) -> float:
        return self.corridor_h + self.region


@dataclass(frozen=True)
class Header:
    """The header rows' text, wrapped, and their heights."""

    band: BandText | None  # the band across the top
    step_texts: list[list[str]]  # one per column
    step_h: int
    phases: list[tuple[int, int, list[str]]]  # first column, last column, lines
    phase_h: int
    height: int


MAX_LINES = 40  # a label is cut (with an ellipsis) only past this many lines
LANE_FONT = 11.0
LANE_LINE_H = 14.0


def lane_label_lines(lane: Lane, locale: str) -> list[str]:
    """A lane's name as drawn in the label column, wrapped to the column."""
    label = lane.label if lane.declared else word("general", locale)
    return wrap(label, units_for(LANE_COL_W - 14, LANE_FONT), MAX_LINES)


# One evidence note: its lines, height, label and position in Blueprint.evidence.
EvidenceCell = tuple[list[str], int, str, int]


class Grid:
    """The blueprint's grid; rows and columns are placed by `place_rows`, `place_columns`."""

    def __init__(self, bp: Blueprint, band: BandText | bool | None = True) -> None:
        """`band`: the header band's text (True: this blueprint's own; None: no band, as
        in the second and later rows of a wrapped drawing)."""
        self.bp = bp
        self._band = band
        self.locale = bp.header.locale
        self.steps = sorted(bp.steps, key=lambda s: s.index)
        self.col_of = {s.index: i for i, s in enumerate(self.steps)}
        self.ncols = len(self.steps)
        self.boxes: dict[str, Box] = {}
        self.bands: list[LaneBand] = []
        self._lanes()
        self._cells()
        self.header = self._header()
        self.evidence_cells, self.evidence_h = self._evidence()
        self.emotion_h = emotion_height(bp)  # the emotion row, 0 when nothing is rated
        # Set by place_rows():
        self.lanes_bottom: float = 0.0
        self.height: float = 0.0
        # Set by place_columns():
        self.columns: list[float] = []  # x of each step column's centre
        self.gutter_cx: list[float] = []  # x of each gutter's centre (ncols + 1 of them)
        self.width: float = 0.0

    # ------------------------------------------------------------------ lanes, boxes
    def _lanes(self) -> None:
        by_zone: dict[Zone, list[Lane]] = {z: [] for z in Zone}
        for lane in self.bp.lanes:
            if lane.zone is not Zone.EVIDENCE:
                by_zone[lane.zone].append(lane)
        used = {a.lane for a in self.bp.actions}
        for zone in (Zone.CUSTOMER, Zone.ONSTAGE, Zone.BACKSTAGE, Zone.SUPPORT):
            if zone is Zone.CUSTOMER and self.bp.internal:
                continue  # `scope internal`: no customer band (8.7)
            lanes = by_zone[zone]
            if not any(lane.id == zone.value for lane in lanes):
                # The zone's own lane is drawn when used or when the zone has no other lane.
                if zone.value in used or not lanes:
                    lanes.insert(0, Lane(zone.value, zone_name(zone, self.locale), zone, False))
            elif len(lanes) > 1:
                lanes[:] = [lane for lane in lanes if lane.declared or lane.id in used] or lanes[:1]
            self.bands.extend(LaneBand(lane) for lane in lanes)

    def _action_box(self, action: Action, band: int, col: int, slot: int) -> Box:
        decision = action.decision
        # A diamond holds a text block of width tw and height th when tw/W + th/H <= 1.
        inner = BOX_W * DIAMOND_TEXT if decision else BOX_W - 2 * BOX_PAD
        meta_units = units_for(inner, META_FONT)
        meta = [
            line
            for part in self._meta_parts(action)
            for line in wrap(part, meta_units, max_lines=MAX_LINES)
        ]
        lines = wrap(action.label, units_for(inner, FONT), max_lines=MAX_LINES)
        text_h = len(lines) * LINE_H + len(meta) * META_H
        if decision:
            h = even(max(DIAMOND_MIN_H, text_h / (1 - DIAMOND_TEXT) + 6))
        else:
            h = even(max(MIN_BOX_H, text_h + 2 * BOX_PAD))
            if action.wait is not None or action.trigger is not None:
                h += BADGE_H  # the W and ↯ badges sit on the top edge: keep them off the label
        return Box(action, band, col, slot, "diamond" if decision else "box", BOX_W, h, lines, meta)

    def _meta_parts(self, action: Action) -> list[str]:
        """What the box says under its label: role, duration and standard, cost, metrics.
        Each part wraps on its own; nothing is cut off."""
        loc = self.locale
        times: list[str] = []
        if action.role:
            times.append(action.role)
        if action.duration is not None:
            times.append(fmt_duration(action.duration.text))
        if action.standard is not None:
            times.append(f"{word('standard', loc)} {fmt_duration(action.standard.text)}")
        if action.cost is not None:
            currency = self.bp.header.currency
            amount = f"{action.cost:g}"
            times.append(f"{word('cost', loc)} {amount}" + (f" {currency}" if currency else ""))
        parts = [" · ".join(times)] if times else []
        for metric in action.metrics:
            text = f"{metric.name} {metric.value.text}"
            if metric.target is not None:
                direction = "≤ " if metric.lower_is_better else ""
                text += f" ({word('target', loc)} {direction}{metric.target.text})"
            parts.append(text)
        return parts

    def _cells(self) -> None:
        band_of = {spec.lane.id: i for i, spec in enumerate(self.bands)}
        zone_band = {
            spec.lane.zone: i for i, spec in reversed(list(enumerate(self.bands)))
        }  # first band of each zone
        for action in self.bp.actions:
            col = self.col_of.get(action.step_index)
            if col is None:
                continue
            band = band_of.get(action.lane, zone_band.get(action.zone))
            if band is None:
                continue
            cell = self.bands[band].boxes.setdefault(col, [])
            box = self._action_box(action, band, col, len(cell))
            cell.append(box)
            self.boxes[action.key] = box
        for spec in self.bands:
            self._stack(spec)

    def _stack(self, spec: LaneBand) -> None:
        """Size a band's box region to its tallest cell and centre each cell's stack."""
        tallest = 0.0
        for cell in spec.boxes.values():
            stack = sum(b.h for b in cell) + SLOT_GAP * (len(cell) - 1)
            tallest = max(tallest, stack)
        spec.region = max(MIN_REGION, even(tallest + 2 * CELL_PAD), self._lane_label_h(spec))
        for cell in spec.boxes.values():
            stack = sum(b.h for b in cell) + SLOT_GAP * (len(cell) - 1)
            y = (spec.region - stack) / 2
            for b in cell:
                b.rel_cy = y + b.h / 2
                y += b.h + SLOT_GAP

    def _lane_label_h(self, spec: LaneBand) -> int:
        """The height a band needs for its lane name, wrapped (lane names are never cut)."""
        return even(len(lane_label_lines(spec.lane, self.locale)) * LANE_LINE_H + 2 * CELL_PAD)

    def grow_box(self, key: str, h: int) -> None:
        """Make an action's box at least `h` tall (room for its ports); rows not placed yet."""
        box = self.boxes[key]
        if h > box.h:
            box.h = even(h)
            self._stack(self.bands[box.band])

    def boxes_in_order(self) -> list[Box]:
        """The boxes in the model's action order."""
        return [self.boxes[a.key] for a in self.bp.actions if a.key in self.boxes]

    # ------------------------------------------------------------------ header, evidence
    def _header(self) -> Header:
        min_width = LABEL_W + self.ncols * (BOX_W + MIN_GUTTER) + MIN_GUTTER + RIGHT_MARGIN
        band = (
            band_text(self.bp, min_width)
            if self._band is True
            else (self._band if isinstance(self._band, BandText) else None)
        )
        step_texts = [
            wrap(f"{step.index}. {step.label}", units_for(BOX_W - 12, STEP_FONT), 12)
            for step in self.steps
        ]
        step_h = even(max([2] + [len(t) for t in step_texts]) * STEP_LINE_H + 14)
        phase_texts = []
        for phase in self.bp.phases:
            c0 = self.col_of.get(phase.first_step)
            c1 = self.col_of.get(phase.last_step)
            if c0 is None or c1 is None:
                continue
            span_w = (c1 - c0 + 1) * (BOX_W + MIN_GUTTER) - 12
            phase_texts.append((c0, c1, wrap(phase.label, units_for(span_w, 12), 6)))
        phase_h = even(max(len(t[2]) for t in phase_texts) * 16 + 14) if phase_texts else 0
        header_h = (band.height if band else 0) + phase_h + step_h + 8
        return Header(band, step_texts, step_h, phase_texts, phase_h, header_h)

    def _evidence(self) -> tuple[dict[int, list[EvidenceCell]], int]:
        """The evidence notes of each column, and the evidence band's height."""
        ev_units = units_for(EVIDENCE_W - 12, EVIDENCE_FONT)
        ev_cells: dict[int, list[EvidenceCell]] = {}
        for ev_index, ev in enumerate(self.bp.evidence):
            col = self.col_of.get(ev.step_index)
            if col is None:
                continue
            lines = wrap(ev.label, ev_units, MAX_LINES)
            h = even(max(26, len(lines) * EVIDENCE_LINE_H + 12))
            ev_cells.setdefault(col, []).append((lines, h, ev.label, ev_index))
        ev_stack = max(
            [0] + [sum(e[1] for e in c) + EVIDENCE_GAP * (len(c) - 1) for c in ev_cells.values()]
        )
        ev_h = max(56, even(ev_stack + 2 * EVIDENCE_PAD))
        return ev_cells, ev_h

    # ------------------------------------------------------------------ placement
    def place_rows(self, corridor_heights: Mapping[int, float]) -> None:
        """Fix every y: give each band (by index) its corridor height, then stack the
        bands top to bottom under the header and the evidence band."""
        for band, corridor_h in corridor_heights.items():
            self.bands[band].corridor_h = corridor_h
        y: float = self.header.height + self.evidence_h + self.emotion_h
        for spec in self.bands:
            spec.top = y
            y += spec.height
            for cell in spec.boxes.values():
                for b in cell:
                    b.cy = spec.top + spec.corridor_h + b.rel_cy
        self.lanes_bottom = y
        self.height = self.lanes_bottom + LEGEND_H

    def place_columns(self, widths: list[int]) -> None:
        """Fix every x: the label column, then each gutter (`widths`: `ncols + 1` gutter
        widths, the first left of the first step) and step column in turn, then the
        right margin."""
        columns: list[float] = []
        gutter_cx: list[float] = []
        x = float(LABEL_W)
        for c in range(self.ncols):
            gutter_cx.append(x + widths[c] / 2)
            x += widths[c]
            columns.append(x + BOX_W / 2)
            x += BOX_W
        gutter_cx.append(x + widths[self.ncols] / 2)
        x += widths[self.ncols]
        self.columns = columns
        self.gutter_cx = gutter_cx
        self.width = x + RIGHT_MARGIN
        for box in self.boxes.values():
            box.cx = columns[box.col]
