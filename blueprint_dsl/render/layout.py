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
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.blueprint import Action, Blueprint, Flow, Lane, Line, Zone
from ..model.locale import line_name, zone_name
from .geometry import (
    ActionNode,
    Band,
    EvidenceNode,
    LaneLabel,
    Layout,
    LegendItem,
    LineMark,
    Marker,
    PhaseBand,
    Point,
    Rect,
    Route,
    StepHeader,
    Text,
    ZoneLabel,
)
from .quoting import safe_link
from .text import text_width, units_for, wrap
from .words import word

# Geometry, in points. Sizes are even integers so that both Graphviz versions agree.
ZONE_COL_W = 118
LANE_COL_W = 104
LABEL_W = ZONE_COL_W + LANE_COL_W
RIGHT_MARGIN = 132
BOX_W = 150
BOX_PAD = 8
MIN_BOX_H = 40
FONT = 11.0
LINE_H = 14.0
META_FONT = 9.0
META_H = 13.0
DIAMOND_MIN_H = 64
DIAMOND_TEXT = 0.56  # share of a diamond's width given to its text
SLOT_GAP = 30
CELL_PAD = 20
MIN_REGION = 76
EVIDENCE_W = BOX_W - 14
EVIDENCE_FONT = 10.0
EVIDENCE_LINE_H = 13.0
EVIDENCE_GAP = 8
EVIDENCE_PAD = 14
TRACK = 8
GUTTER_MARGIN = 18
MIN_GUTTER = 48
CORRIDOR_PAD = 8
PHASE_H = 30
STEP_FONT = 10.5
STEP_LINE_H = 14.0
TITLE_FONT = 14.0
TITLE_LINE_H = 18.0
SUBTITLE_FONT = 9.0
LABEL_FONT = 12.0
LABEL_LINE_H = 15.0
LINE_LABEL_FONT = 9.5
LEGEND_H = 36
EDGE_LABEL_FONT = 9.5
BADGE_H = 16
ARROW = 7.0  # arrowhead length (Graphviz arrowsize 0.7)


def _even(value: float) -> int:
    """Round up to an even integer (Graphviz rounds node sizes to whole points)."""
    n = int(-(-value // 1))
    return n + (n % 2)


@dataclass
class _Box:
    action: Action
    band: int
    col: int
    slot: int
    shape: str
    w: int
    h: int
    lines: list[str]
    meta: str | None
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
class _Plan:
    index: int
    flow: Flow
    s: _Box
    t: _Box
    kind: str  # vertical | hop | side | through | corridor
    s_side: str  # R L T B
    t_side: str
    g1: int | None = None
    g2: int | None = None
    corridor: int | None = None
    straight: bool = False
    corridor_track: int = 0
    g1_track: int = 0
    g2_track: int = 0
    column_offset: float = 0.0
    s_port: Point = (0.0, 0.0)
    t_port: Point = (0.0, 0.0)


@dataclass
class _BandSpec:
    lane: Lane
    boxes: dict[int, list[_Box]] = field(default_factory=dict)  # col -> stacked boxes
    region: float = MIN_REGION
    corridor_h: float = 0.0
    top: float = 0.0

    @property
    def height(self) -> float:
        return self.corridor_h + self.region


def _color_intervals(items: list[tuple[float, float, int]], gap: float) -> dict[int, int]:
    """Greedy interval colouring: item id -> track, overlapping intervals never share one."""
    tracks: list[float] = []
    result: dict[int, int] = {}
    for lo, hi, ident in sorted(items):
        for k, end in enumerate(tracks):
            if end + gap < lo:
                tracks[k] = hi
                result[ident] = k
                break
        else:
            result[ident] = len(tracks)
            tracks.append(hi)
    return result


def _track_offset(track: int, count: int) -> float:
    return (track - (count - 1) / 2) * TRACK


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and middle points of straight runs."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (abs(a[0] - b[0]) < 0.01 and abs(b[0] - p[0]) < 0.01) or (
                abs(a[1] - b[1]) < 0.01 and abs(b[1] - p[1]) < 0.01
            ):
                out[-1] = p
                continue
        out.append(p)
    return out


def _fmt_duration(text: str) -> str:
    return text.replace("..", "–")


class _Builder:
    def __init__(self, bp: Blueprint) -> None:
        self.bp = bp
        self.locale = bp.header.locale
        self.steps = sorted(bp.steps, key=lambda s: s.index)
        self.col_of = {s.index: i for i, s in enumerate(self.steps)}
        self.ncols = len(self.steps)
        self.boxes: dict[str, _Box] = {}
        self.bands: list[_BandSpec] = []
        self.plans: list[_Plan] = []

    # ------------------------------------------------------------------ lanes, boxes
    def _lanes(self) -> None:
        by_zone: dict[Zone, list[Lane]] = {z: [] for z in Zone}
        for lane in self.bp.lanes:
            if lane.zone is not Zone.EVIDENCE:
                by_zone[lane.zone].append(lane)
        used = {a.lane for a in self.bp.actions}
        for zone in (Zone.CUSTOMER, Zone.ONSTAGE, Zone.BACKSTAGE, Zone.SUPPORT):
            lanes = by_zone[zone]
            if not any(lane.id == zone.value for lane in lanes):
                # The zone's own lane is drawn when used or when the zone has no other lane.
                if zone.value in used or not lanes:
                    lanes.insert(0, Lane(zone.value, zone_name(zone, self.locale), zone, False))
            elif len(lanes) > 1:
                lanes[:] = [lane for lane in lanes if lane.declared or lane.id in used] or lanes[:1]
            self.bands.extend(_BandSpec(lane) for lane in lanes)

    def _action_box(self, action: Action, band: int, col: int, slot: int) -> _Box:
        decision = action.decision
        meta_parts: list[str] = []
        if action.role:
            meta_parts.append(action.role)
        if action.duration is not None:
            meta_parts.append(_fmt_duration(action.duration.text))
        if action.standard is not None:
            std = word("standard", self.locale)
            meta_parts.append(f"{std} {_fmt_duration(action.standard.text)}")
        meta = " · ".join(meta_parts) or None
        # A diamond holds a text block of width tw and height th when tw/W + th/H <= 1.
        inner = BOX_W * DIAMOND_TEXT if decision else BOX_W - 2 * BOX_PAD
        if meta is not None:
            meta = wrap(meta, units_for(inner, META_FONT), max_lines=1)[0]
        lines = wrap(action.label, units_for(inner, FONT), max_lines=8 if decision else 10)
        text_h = len(lines) * LINE_H + (META_H if meta else 0)
        if decision:
            h = _even(max(DIAMOND_MIN_H, text_h / (1 - DIAMOND_TEXT) + 6))
        else:
            h = _even(max(MIN_BOX_H, text_h + 2 * BOX_PAD))
            if action.wait is not None:
                h += BADGE_H  # the W badge sits on the top edge: keep it off the label
        return _Box(
            action, band, col, slot, "diamond" if decision else "box", BOX_W, h, lines, meta
        )

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
            tallest = 0.0
            for cell in spec.boxes.values():
                stack = sum(b.h for b in cell) + SLOT_GAP * (len(cell) - 1)
                tallest = max(tallest, stack)
            spec.region = max(MIN_REGION, _even(tallest + 2 * CELL_PAD))
            for cell in spec.boxes.values():
                stack = sum(b.h for b in cell) + SLOT_GAP * (len(cell) - 1)
                y = (spec.region - stack) / 2
                for b in cell:
                    b.rel_cy = y + b.h / 2
                    y += b.h + SLOT_GAP

    # ------------------------------------------------------------------ route plans
    def _obstructed(self, s: _Box, t: _Box) -> bool:
        """Is there a box in the column between s and t?"""
        a, b = sorted(((s.band, s.slot), (t.band, t.slot)))
        for band in range(a[0], b[0] + 1):
            for box in self.bands[band].boxes.get(s.col, []):
                if a < (box.band, box.slot) < b:
                    return True
        return False

    def _empty_between(self, band: int, c0: int, c1: int) -> bool:
        lo, hi = sorted((c0, c1))
        cells = self.bands[band].boxes
        return all(not cells.get(c) for c in range(lo + 1, hi))

    def _plan(self, index: int, flow: Flow, s: _Box, t: _Box) -> _Plan:
        cs, ct = s.col, t.col
        if cs == ct:
            if s is not t and not self._obstructed(s, t):
                down = (s.band, s.slot) < (t.band, t.slot)
                return _Plan(
                    index, flow, s, t, "vertical", "B" if down else "T", "T" if down else "B"
                )
            return _Plan(index, flow, s, t, "side", "R", "R", g1=cs + 1)
        fwd = ct > cs
        out_side, in_side = ("R", "L") if fwd else ("L", "R")
        near = cs + 1 if fwd else cs  # the gutter next to the source, on the target's side
        if abs(ct - cs) == 1:
            return _Plan(index, flow, s, t, "hop", out_side, in_side, g1=near)
        if s.band == t.band and self._empty_between(s.band, cs, ct):
            return _Plan(index, flow, s, t, "through", out_side, in_side, g1=near)
        far = ct if fwd else ct + 1  # the gutter next to the target, on the source's side
        return _Plan(
            index, flow, s, t, "corridor", out_side, in_side, g1=near, g2=far, corridor=t.band
        )

    def _plans(self) -> None:
        for index, flow in enumerate(self.bp.flows):
            s = self.boxes.get(flow.source)
            t = self.boxes.get(flow.target)
            if s is not None and t is not None:
                self.plans.append(self._plan(index, flow, s, t))
        # A flow between same-height neighbours of one lane is drawn as a straight line
        # through the centre ports of both boxes (the customer journey, mostly).
        taken: set[tuple[str, str]] = set()
        for p in self.plans:
            if p.kind in ("hop", "through") and p.s.band == p.t.band and p.s.rel_cy == p.t.rel_cy:
                ends = ((p.s.action.key, p.s_side), (p.t.action.key, p.t_side))
                if not (set(ends) & taken):
                    taken.update(ends)
                    p.straight = True

    # ------------------------------------------------------------------ tracks, geometry
    def _corridors(self) -> None:
        per_band: dict[int, list[tuple[float, float, int]]] = {}
        for i, p in enumerate(self.plans):
            if p.kind == "corridor" and p.corridor is not None and p.g1 is not None:
                assert p.g2 is not None
                lo, hi = sorted((p.g1, p.g2))
                per_band.setdefault(p.corridor, []).append((lo, hi, i))
        for band, items in per_band.items():
            tracks = _color_intervals(items, gap=-0.5)
            for i, track in tracks.items():
                self.plans[i].corridor_track = track
            count = max(tracks.values()) + 1
            self.bands[band].corridor_h = CORRIDOR_PAD + count * TRACK

    def _corridor_y(self, p: _Plan) -> float:
        assert p.corridor is not None
        return self.bands[p.corridor].top + CORRIDOR_PAD + p.corridor_track * TRACK

    def _side_ports(self) -> None:
        groups: dict[tuple[str, str], list[tuple[float, int, _Plan, str]]] = {}
        for p in self.plans:
            if p.kind == "vertical":
                continue
            s_key = self._corridor_y(p) if p.kind == "corridor" else p.t.cy
            t_key = self._corridor_y(p) if p.kind == "corridor" else p.s.cy
            groups.setdefault((p.s.action.key, p.s_side), []).append((s_key, p.index, p, "s"))
            groups.setdefault((p.t.action.key, p.t_side), []).append((t_key, p.index, p, "t"))
        for (key, side), members in groups.items():
            box = self.boxes[key]
            members.sort(key=lambda m: (m[0], m[1]))
            centre = [m for m in members if m[2].straight]
            others = [m for m in members if not m[2].straight]
            spacing = min(10.0, (box.h - 12) / max(1, len(members)))
            offsets: list[tuple[float, tuple[float, int, _Plan, str]]] = []
            if centre:
                offsets.append((0.0, centre[0]))
                above = [m for m in others if m[0] < box.cy]
                below = [m for m in others if m[0] >= box.cy]
                for k, m in enumerate(reversed(above)):
                    offsets.append((-(k + 1) * spacing, m))
                for k, m in enumerate(below):
                    offsets.append(((k + 1) * spacing, m))
            else:
                n = len(others)
                for k, m in enumerate(others):
                    offsets.append(((k - (n - 1) / 2) * spacing, m))
            for dy, (_, _, plan, end) in offsets:
                half = box.half_w_at(dy)
                x = box.cx + half if side == "R" else box.cx - half
                if end == "s":
                    plan.s_port = (x, box.cy + dy)
                else:
                    plan.t_port = (x, box.cy + dy)

    def _column_offsets(self) -> None:
        per_col: dict[int, list[tuple[float, float, int]]] = {}
        for i, p in enumerate(self.plans):
            if p.kind == "vertical":
                lo, hi = sorted((p.s.cy, p.t.cy))
                per_col.setdefault(p.s.col, []).append((lo, hi, i))
        for items in per_col.values():
            tracks = _color_intervals(items, gap=-0.5)
            for i, track in tracks.items():
                # 0, +12, -12, +24, ...: the first flow runs down the middle.
                step = (track + 1) // 2 * 12.0
                self.plans[i].column_offset = step if track % 2 else -step

    def _vertical_ports(self) -> None:
        for p in self.plans:
            if p.kind != "vertical":
                continue
            dx = p.column_offset
            sy = p.s.half_h_at(dx) * (1 if p.s_side == "B" else -1)
            ty = p.t.half_h_at(dx) * (1 if p.t_side == "B" else -1)
            p.s_port = (p.s.cx + dx, p.s.cy + sy)
            p.t_port = (p.t.cx + dx, p.t.cy + ty)

    def _gutters(self) -> list[int]:
        """Assign gutter tracks; returns the number of tracks per gutter."""
        per_gutter: dict[int, list[tuple[float, float, int]]] = {}
        for i, p in enumerate(self.plans):
            if p.kind in ("hop", "through") and abs(p.s_port[1] - p.t_port[1]) < 0.01:
                p.straight = True
            if p.straight or p.kind == "vertical":
                continue
            assert p.g1 is not None
            if p.kind == "corridor":
                assert p.g2 is not None
                cy = self._corridor_y(p)
                lo, hi = sorted((p.s_port[1], cy))
                per_gutter.setdefault(p.g1, []).append((lo, hi, 2 * i))
                lo, hi = sorted((cy, p.t_port[1]))
                per_gutter.setdefault(p.g2, []).append((lo, hi, 2 * i + 1))
            else:
                lo, hi = sorted((p.s_port[1], p.t_port[1]))
                per_gutter.setdefault(p.g1, []).append((lo, hi, 2 * i))
        counts = [0] * (self.ncols + 1)
        for g, items in per_gutter.items():
            tracks = _color_intervals(items, gap=4)
            for ident, track in tracks.items():
                plan = self.plans[ident // 2]
                if ident % 2:
                    plan.g2_track = track
                else:
                    plan.g1_track = track
            counts[g] = max(tracks.values()) + 1
        return counts

    # ------------------------------------------------------------------ assembly
    def build(self) -> Layout:
        self._lanes()
        self._cells()
        self._plans()
        self._corridors()

        # Header rows.
        title_lines = wrap(self.bp.header.title, units_for(LABEL_W - 16, TITLE_FONT), 4)
        sub_parts = [
            part
            for part in (
                self.bp.header.id,
                f"{word('version', self.locale)} {self.bp.header.version}"
                if self.bp.header.version
                else None,
                self.bp.header.owner,
            )
            if part
        ]
        subtitle = " · ".join(sub_parts)
        sub_lines = wrap(subtitle, units_for(LABEL_W - 16, SUBTITLE_FONT), 3) if subtitle else []
        step_texts = [
            wrap(f"{step.index}. {step.label}", units_for(BOX_W - 12, STEP_FONT), 4)
            for step in self.steps
        ]
        step_h = _even(max([2] + [len(t) for t in step_texts]) * STEP_LINE_H + 14)
        phase_texts = []
        for phase in self.bp.phases:
            c0 = self.col_of.get(phase.first_step)
            c1 = self.col_of.get(phase.last_step)
            if c0 is None or c1 is None:
                continue
            span_w = (c1 - c0 + 1) * (BOX_W + MIN_GUTTER) - 12
            phase_texts.append((phase, c0, c1, wrap(phase.label, units_for(span_w, 12), 2)))
        phase_h = _even(max(len(t[3]) for t in phase_texts) * 16 + 14) if phase_texts else 0
        title_h = len(title_lines) * TITLE_LINE_H + len(sub_lines) * 12 + 20
        header_h = _even(max(phase_h + step_h + 8, title_h))

        # Evidence band.
        ev_units = units_for(EVIDENCE_W - 12, EVIDENCE_FONT)
        ev_cells: dict[int, list[tuple[list[str], int, str, int]]] = {}
        for ev_index, ev in enumerate(self.bp.evidence):
            col = self.col_of.get(ev.step_index)
            if col is None:
                continue
            lines = wrap(ev.label, ev_units, 4)
            h = _even(max(26, len(lines) * EVIDENCE_LINE_H + 12))
            ev_cells.setdefault(col, []).append((lines, h, ev.label, ev_index))
        ev_stack = max(
            [0] + [sum(e[1] for e in c) + EVIDENCE_GAP * (len(c) - 1) for c in ev_cells.values()]
        )
        ev_h = max(56, _even(ev_stack + 2 * EVIDENCE_PAD))

        # Bands, top to bottom.
        y: float = header_h + ev_h
        for spec in self.bands:
            spec.top = y
            y += spec.height
            for cell in spec.boxes.values():
                for b in cell:
                    b.cy = spec.top + spec.corridor_h + b.rel_cy
        lanes_bottom = y
        height = lanes_bottom + LEGEND_H

        # Ports on the left/right sides only depend on y; then gutters fix the x grid.
        # (cx is not known yet: ports are computed relative to cx = 0 and shifted below.)
        self._side_ports()
        counts = self._gutters()
        widths = [max(MIN_GUTTER, 2 * GUTTER_MARGIN + (n - 1) * TRACK) for n in counts]
        widths = [_even(w) for w in widths]
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
        width = x + RIGHT_MARGIN

        for box in self.boxes.values():
            box.cx = columns[box.col]
        for p in self.plans:
            if p.kind != "vertical":
                p.s_port = (p.s_port[0] + p.s.cx, p.s_port[1])
                p.t_port = (p.t_port[0] + p.t.cx, p.t_port[1])
        self._column_offsets()
        self._vertical_ports()

        def track_x(g: int, track: int) -> float:
            return gutter_cx[g] + _track_offset(track, counts[g])

        paths = [self._path(p, track_x) for p in self.plans]
        routes = self._label_routes(paths)

        return Layout(
            width=width,
            height=height,
            locale=self.locale,
            title=Text(
                tuple(title_lines),
                Rect(8, 10, LABEL_W - 8, 10 + len(title_lines) * TITLE_LINE_H),
                TITLE_FONT,
            ),
            subtitle=Text(
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
            else None,
            bands=self._band_rects(header_h, ev_h, width),
            zone_labels=self._zone_labels(header_h, ev_h),
            lane_labels=self._lane_labels(),
            lines=self._line_marks(width),
            phases=tuple(
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
                for _, c0, c1, lines in phase_texts
            ),
            steps=tuple(
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
                for c, step in enumerate(self.steps)
            ),
            columns=tuple(columns),
            actions=tuple(self._action_node(b) for b in self._boxes_in_order()),
            evidence=self._evidence_nodes(ev_cells, columns, header_h, ev_h),
            markers=self._markers(),
            routes=tuple(routes),
            legend=self._legend(lanes_bottom),
        )

    def _boxes_in_order(self) -> list[_Box]:
        return [self.boxes[a.key] for a in self.bp.actions if a.key in self.boxes]

    def _band_rects(self, header_h: float, ev_h: float, width: float) -> tuple[Band, ...]:
        bands = [Band("evidence", Zone.EVIDENCE, Rect(0, header_h, width, header_h + ev_h), False)]
        previous: Zone | None = None
        alternate = False
        for spec in self.bands:
            alternate = not alternate if spec.lane.zone is previous else False
            previous = spec.lane.zone
            rect = Rect(0, spec.top, width, spec.top + spec.height)
            bands.append(Band(spec.lane.id, spec.lane.zone, rect, alternate))
        return tuple(bands)

    def _zone_labels(self, header_h: float, ev_h: float) -> tuple[ZoneLabel, ...]:
        spans: dict[Zone, tuple[float, float, int]] = {
            Zone.EVIDENCE: (header_h, header_h + ev_h, 1)
        }
        for spec in self.bands:
            zone = spec.lane.zone
            top, _, n = spans.get(zone, (spec.top, 0.0, 0))
            spans[zone] = (top, spec.top + spec.height, n + 1)
        out = []
        for zone, (top, bottom, n) in spans.items():
            only_own = n == 1 and (zone is Zone.EVIDENCE or not self._declared_in(zone))
            w = LABEL_W if only_own else ZONE_COL_W
            lines = wrap(zone_name(zone, self.locale), units_for(w - 16, LABEL_FONT), 4)
            out.append(ZoneLabel(zone, Text(tuple(lines), Rect(0, top, w, bottom), LABEL_FONT)))
        return tuple(out)

    def _declared_in(self, zone: Zone) -> bool:
        return any(s.lane.declared for s in self.bands if s.lane.zone is zone)

    def _lane_labels(self) -> tuple[LaneLabel, ...]:
        out = []
        for spec in self.bands:
            lane = spec.lane
            if not self._declared_in(lane.zone):
                continue
            label = lane.label if lane.declared else word("general", self.locale)
            lines = wrap(label, units_for(LANE_COL_W - 14, 11.0), 5)
            rect = Rect(ZONE_COL_W, spec.top, LABEL_W, spec.top + spec.height)
            out.append(LaneLabel(lane.id, lane.zone, Text(tuple(lines), rect, 11.0)))
        return tuple(out)

    def _line_marks(self, width: float) -> tuple[LineMark, ...]:
        marks = []
        for line in (Line.INTERACTION, Line.VISIBILITY, Line.INTERNAL):
            first = next((s for s in self.bands if s.lane.zone is line.below), None)
            if first is None:
                continue
            y = first.top
            name = line_name(line, self.locale)
            tw = _even(text_width(name, LINE_LABEL_FONT) + 12)
            labels = (
                Text((name,), Rect(6, y - 8, 6 + tw, y + 8), LINE_LABEL_FONT),
                Text((name,), Rect(width - tw - 6, y - 8, width - 6, y + 8), LINE_LABEL_FONT),
            )
            marks.append(LineMark(line, name, y, 0.0, width, labels))
        return tuple(marks)

    def _action_node(self, b: _Box) -> ActionNode:
        a = b.action
        rect = Rect.around(b.cx, b.cy, b.w, b.h)
        text_h = len(b.lines) * LINE_H
        meta_h = META_H if b.meta else 0.0
        top = b.cy - (text_h + meta_h) / 2
        text = Text(tuple(b.lines), Rect(rect.x0, top, rect.x1, top + text_h), FONT)
        meta = (
            Text((b.meta,), Rect(rect.x0, top + text_h, rect.x1, top + text_h + META_H), META_FONT)
            if b.meta
            else None
        )
        url = safe_link(a.detail) if a.detail else None
        return ActionNode(a.key, a.zone, b.shape, rect, text, meta, self._tooltip(a), url)

    def _tooltip(self, a: Action) -> str:
        loc = self.locale
        parts = [a.label]
        lane = next((s.lane for s in self.bands if s.lane.id == a.lane), None)
        where = lane.label if lane is not None else a.lane
        parts.append(f"{where} · {word('step', loc)} {a.step_index}")
        if a.role:
            parts.append(a.role)
        if a.duration is not None:
            dur = f"{word('duration', loc)}: {_fmt_duration(a.duration.text)}"
            if a.standard is not None:
                dur += f" ({word('standard', loc)} {_fmt_duration(a.standard.text)})"
            parts.append(dur)
        if a.wait is not None:
            parts.append(f"{word('wait', loc)}: {_fmt_duration(a.wait.text)}")
        for fail in a.fails:
            rec = fail.recover or word("no_recovery", loc)
            parts.append(f"{word('fail', loc)}: {fail.what} → {rec}")
        if a.moment:
            parts.append(word("moment", loc) + (f": {a.moment_note}" if a.moment_note else ""))
        parts.extend(a.notes)
        if a.detail:
            parts.append(f"{word('legend_detail', loc)}: {a.detail}")
        return "\n".join(parts)

    def _evidence_nodes(
        self,
        cells: dict[int, list[tuple[list[str], int, str, int]]],
        columns: list[float],
        header_h: float,
        ev_h: float,
    ) -> tuple[EvidenceNode, ...]:
        out = []
        for col in sorted(cells):
            cell = cells[col]
            stack = sum(e[1] for e in cell) + EVIDENCE_GAP * (len(cell) - 1)
            y = header_h + (ev_h - stack) / 2
            for lines, h, label, index in cell:
                rect = Rect(columns[col] - EVIDENCE_W / 2, y, columns[col] + EVIDENCE_W / 2, y + h)
                text = Text(tuple(lines), rect, EVIDENCE_FONT)
                out.append(EvidenceNode(index, self.steps[col].index, rect, text, label))
                y += h + EVIDENCE_GAP
        return tuple(out)

    def _markers(self) -> tuple[Marker, ...]:
        loc = self.locale
        out: list[Marker] = []
        for b in self._boxes_in_order():
            a = b.action
            r = Rect.around(b.cx, b.cy, b.w, b.h)
            diamond = b.shape == "diamond"
            # Anchors: top-right, top-left, bottom-left, bottom-right (edge midpoints of a diamond).
            # A diamond's badges sit in the empty corners of its bounding box.
            dx, dy = b.w * 0.3, b.h * 0.34
            tr = (b.cx + dx, b.cy - dy) if diamond else (r.x1 - 8, r.y0)
            tl = (b.cx - dx, b.cy - dy) if diamond else (r.x0 + 4, r.y0)
            bl = (b.cx - dx, b.cy + dy) if diamond else (r.x0 + 10, r.y1)
            br = (b.cx + dx, b.cy + dy) if diamond else (r.x1 - 4, r.y1)
            if a.fails:
                text = "F" if len(a.fails) == 1 else f"F{len(a.fails)}"
                w = 18 if len(a.fails) == 1 else 24
                tip = "\n".join(
                    f"{word('fail', loc)}: {f.what} → {f.recover or word('no_recovery', loc)}"
                    for f in a.fails
                )
                out.append(Marker("fail", a.key, Rect.around(*tr, w, 18), text, 10.0, tip, None))
            if a.wait is not None:
                text = f"W {_fmt_duration(a.wait.text)}"
                w = _even(text_width(text, 9.0) + 10)
                x0 = tl[0] - 8 if not diamond else tl[0] - w / 2
                rect = Rect(x0, tl[1] - BADGE_H / 2, x0 + w, tl[1] + BADGE_H / 2)
                tip = f"{word('wait', loc)}: {_fmt_duration(a.wait.text)}"
                if a.standard is not None:
                    tip += f" ({word('standard', loc)} {_fmt_duration(a.standard.text)})"
                out.append(Marker("wait", a.key, rect, text, 9.0, tip, None))
            if a.moment:
                tip = word("moment", loc) + (f": {a.moment_note}" if a.moment_note else "")
                out.append(Marker("moment", a.key, Rect.around(*bl, 22, 22), "", 9.0, tip, None))
            if a.detail:
                text = f"↗ {word('detail', loc)}"
                w = _even(text_width(text, 9.0) + 10)
                rect = Rect(br[0] - w + 4, br[1] - BADGE_H / 2, br[0] + 4, br[1] + BADGE_H / 2)
                if diamond:
                    rect = Rect.around(*br, w, BADGE_H)
                out.append(Marker("detail", a.key, rect, text, 9.0, a.detail, safe_link(a.detail)))
        return tuple(out)

    def _path(self, p: _Plan, track_x: Callable[[int, int], float]) -> list[Point]:
        s, t = p.s_port, p.t_port
        if p.kind == "vertical" or p.straight:
            pts = [s, t]
        elif p.kind == "corridor":
            assert p.g1 is not None and p.g2 is not None
            x1 = track_x(p.g1, p.g1_track)
            x2 = track_x(p.g2, p.g2_track)
            cy = self._corridor_y(p)
            pts = [s, (x1, s[1]), (x1, cy), (x2, cy), (x2, t[1]), t]
        else:
            assert p.g1 is not None
            gx = track_x(p.g1, p.g1_track)
            pts = [s, (gx, s[1]), (gx, t[1]), t]
        return _simplify(pts)

    def _label_routes(self, paths: list[list[Point]]) -> list[Route]:
        """Build the routes; place each flow label where it covers no other line or box."""
        obstacles: _Obstacles | None = None  # built only when some flow has a label
        routes = []
        for p, pts in zip(self.plans, paths, strict=True):
            flow = p.flow
            label = None
            parts: tuple[tuple[Point, ...], ...] = (tuple(pts),)
            if flow.label:
                if obstacles is None:
                    obstacles = _Obstacles()
                    for box in self.boxes.values():
                        obstacles.add_rect(Rect.around(box.cx, box.cy, box.w, box.h))
                    for other in paths:
                        obstacles.add_path(other)
                label, parts = _place_label(flow.label, pts, obstacles)
                obstacles.add_rect(label.rect)
            src, dst = p.s.action.label, p.t.action.label
            tip = f"{src} {flow.kind.value} {dst}" + (f" : {flow.label}" if flow.label else "")
            encounter = Line.INTERACTION in flow.crosses
            routes.append(
                Route(
                    p.index,
                    flow.source,
                    flow.target,
                    flow.kind,
                    flow.implicit,
                    encounter,
                    parts,
                    label,
                    tip,
                )
            )
        return routes

    def _legend(self, top: float) -> tuple[LegendItem, ...]:
        loc = self.locale
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
            tw = _even(text_width(text, 9.5) + 4)
            out.append(
                LegendItem(
                    kind,
                    sample,
                    Text(
                        (text,), Rect(x + sample_w + 6, cy - 8, x + sample_w + 6 + tw, cy + 8), 9.5
                    ),
                )
            )
            x += sample_w + 6 + tw + 18
        return tuple(out)


class _Obstacles:
    """Boxes and route segments, bucketed by 400-point tiles, for label collision tests."""

    TILE = 400.0

    def __init__(self) -> None:
        self.tiles: dict[tuple[int, int], list[Rect]] = {}

    def _keys(self, r: Rect) -> list[tuple[int, int]]:
        t = self.TILE
        return [
            (i, j)
            for i in range(int(r.x0 // t), int(r.x1 // t) + 1)
            for j in range(int(r.y0 // t), int(r.y1 // t) + 1)
        ]

    def add_rect(self, r: Rect) -> None:
        for key in self._keys(r):
            self.tiles.setdefault(key, []).append(r)

    def add_path(self, pts: list[Point]) -> None:
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            self.add_rect(Rect(min(ax, bx) - 1, min(ay, by) - 1, max(ax, bx) + 1, max(ay, by) + 1))

    def hits(self, r: Rect, own: list[Rect]) -> int:
        seen: set[int] = set()
        count = 0
        for key in self._keys(r):
            for other in self.tiles.get(key, ()):
                if id(other) in seen:
                    continue
                seen.add(id(other))
                if other.overlaps(r) and not any(other == mine for mine in own):
                    count += 1
        return count


def _place_label(
    label: str, pts: list[Point], obstacles: _Obstacles
) -> tuple[Text, tuple[tuple[Point, ...], ...]]:
    """Put a flow label on its route: in a gap of a segment (the line stops at the label)
    or beside a segment, at the first candidate spot that covers no other line or box."""
    lines = wrap(label, units_for(110, EDGE_LABEL_FONT), 3)
    w = _even(max(text_width(line, EDGE_LABEL_FONT) for line in lines) + 10)
    h = _even(len(lines) * 12 + 4)
    own = [
        Rect(min(ax, bx) - 1, min(ay, by) - 1, max(ax, bx) + 1, max(ay, by) + 1)
        for (ax, ay), (bx, by) in itertools.pairwise(pts)
    ]
    # Candidates in order of preference: (rect, segment index, split?).
    candidates: list[tuple[Rect, int, bool]] = []
    # Nearest the source first: a decision's branch labels stay next to the decision.
    order = range(len(pts) - 1)
    for i in order:
        (ax, ay), (bx, by) = pts[i], pts[i + 1]
        horizontal = abs(ay - by) < 0.01
        length = abs(bx - ax) + abs(by - ay)
        room = (w if horizontal else h) + 2 * ARROW + 8
        extent = w if horizontal else h
        near = min(0.5, (extent / 2 + ARROW + 10) / length) if length else 0.5
        for f in (near, 0.5, 0.3, 0.7):
            cx, cy = ax + (bx - ax) * f, ay + (by - ay) * f
            if length * min(f, 1 - f) * 2 >= room:
                candidates.append((Rect.around(cx, cy, w, h), i, True))
            if horizontal:
                candidates.append((Rect.around(cx, cy - h / 2 - 3, w, h), i, False))
            else:
                candidates.append((Rect.around(cx + w / 2 + 4, cy, w, h), i, False))
                candidates.append((Rect.around(cx - w / 2 - 4, cy, w, h), i, False))
    best = min(
        enumerate(candidates),
        key=lambda c: (obstacles.hits(c[1][0], own), c[0]),
    )[1]
    rect, i, split = best
    text = Text(tuple(lines), rect, EDGE_LABEL_FONT)
    if not split:
        return text, (tuple(pts),)
    (ax, ay), (bx, by) = pts[i], pts[i + 1]
    cx, cy = rect.cx, rect.cy
    if abs(ay - by) < 0.01:
        sign = 1 if bx > ax else -1
        gap_a, gap_b = (cx - sign * (w / 2 + 2), cy), (cx + sign * (w / 2 + 2), cy)
    else:
        sign = 1 if by > ay else -1
        gap_a, gap_b = (cx, cy - sign * (h / 2 + 2)), (cx, cy + sign * (h / 2 + 2))
    first = (*pts[: i + 1], gap_a)
    second = (gap_b, *pts[i + 1 :])
    return text, (first, second)


def compute_layout(bp: Blueprint) -> Layout:
    """Lay out `bp` on the blueprint grid and route its flows."""
    return _Builder(bp).build()
