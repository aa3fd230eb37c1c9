"""Orthogonal flow routes on the grid: route kinds, tracks, ports and polylines.

Routes never cross a box: they leave a box at one side, run vertically only in gutters
(or straight down a column when nothing is in the way) and horizontally only in
*corridors* (strips at the top of each lane band kept free of boxes), in a straight line
between neighbouring cells of one lane, or through empty cells of one lane. Parallel runs
in a gutter or corridor get separate tracks (interval colouring), so they never overlap.

`Router(grid)` reads a `Grid` and plans every flow; the room its tracks need goes back
to the grid as plain numbers, in three steps the layout runs in order:
`corridor_heights()` (for `Grid.place_rows`), `gutter_widths()` once the rows are placed
(for `Grid.place_columns`), and `paths()` once the columns are placed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model.blueprint import Flow
from .geometry import Point
from .grid import Box, Grid
from .metrics import (
    ARROW,
    CORRIDOR_PAD,
    EDGE_LABEL_FONT,
    GUTTER_MARGIN,
    MIN_GUTTER,
    PORT_GAP,
    TRACK,
    even,
)
from .text import text_width
from .tracks import Run, color_intervals, order_tracks


@dataclass
class RoutePlan:
    """How one flow is routed: its kind, the sides it leaves and enters, its tracks."""

    index: int
    flow: Flow
    s: Box
    t: Box
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


Member = tuple[float, int, RoutePlan, str]  # sort key, flow index, plan, which end
Placed = tuple[Box, bool, float, list[tuple[float, Member]]]  # box, centred, spacing, ports


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


class Router:
    """Routes the flows of a grid; `plans` has one `RoutePlan` per drawn flow."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.plans: list[RoutePlan] = []
        self._gutter_tracks: list[int] = []  # the number of tracks per gutter
        self._plans()

    # ------------------------------------------------------------------ route plans
    def _obstructed(self, s: Box, t: Box) -> bool:
        """Is there a box in the column between s and t?"""
        a, b = sorted(((s.band, s.slot), (t.band, t.slot)))
        for band in range(a[0], b[0] + 1):
            for box in self.grid.bands[band].boxes.get(s.col, []):
                if a < (box.band, box.slot) < b:
                    return True
        return False

    def _empty_between(self, band: int, c0: int, c1: int) -> bool:
        lo, hi = sorted((c0, c1))
        cells = self.grid.bands[band].boxes
        return all(not cells.get(c) for c in range(lo + 1, hi))

    def _plan(self, index: int, flow: Flow, s: Box, t: Box) -> RoutePlan:
        cs, ct = s.col, t.col
        if cs == ct:
            if s is not t and not self._obstructed(s, t):
                down = (s.band, s.slot) < (t.band, t.slot)
                return RoutePlan(
                    index, flow, s, t, "vertical", "B" if down else "T", "T" if down else "B"
                )
            return RoutePlan(index, flow, s, t, "side", "R", "R", g1=cs + 1)
        fwd = ct > cs
        out_side, in_side = ("R", "L") if fwd else ("L", "R")
        near = cs + 1 if fwd else cs  # the gutter next to the source, on the target's side
        if abs(ct - cs) == 1:
            return RoutePlan(index, flow, s, t, "hop", out_side, in_side, g1=near)
        if s.band == t.band and self._empty_between(s.band, cs, ct):
            return RoutePlan(index, flow, s, t, "through", out_side, in_side, g1=near)
        far = ct if fwd else ct + 1  # the gutter next to the target, on the source's side
        return RoutePlan(
            index, flow, s, t, "corridor", out_side, in_side, g1=near, g2=far, corridor=t.band
        )

    def _plans(self) -> None:
        boxes = self.grid.boxes
        for index, flow in enumerate(self.grid.bp.flows):
            s = boxes.get(flow.source)
            t = boxes.get(flow.target)
            if s is not None and t is not None:
                self.plans.append(self._plan(index, flow, s, t))
        self._grow_boxes()
        # A flow between same-height neighbours of one lane is drawn as a straight line
        # through the centre ports of both boxes (the customer journey, mostly).
        taken: set[tuple[str, str]] = set()
        for p in self.plans:
            if p.kind in ("hop", "through") and p.s.band == p.t.band and p.s.rel_cy == p.t.rel_cy:
                ends = ((p.s.action.key, p.s_side), (p.t.action.key, p.t_side))
                if not (set(ends) & taken):
                    taken.update(ends)
                    p.straight = True

    def _grow_boxes(self) -> None:
        """Make each box tall enough for its ports PORT_GAP apart (before the straight
        flows are chosen: growing a box moves the boxes of its cell)."""
        ends: dict[tuple[str, str], int] = {}
        centred: set[tuple[str, str]] = set()  # sides that may get a straight flow
        for p in self.plans:
            if p.kind != "vertical":
                for key in ((p.s.action.key, p.s_side), (p.t.action.key, p.t_side)):
                    ends[key] = ends.get(key, 0) + 1
                    if p.kind in ("hop", "through") and p.s.band == p.t.band:
                        centred.add(key)
        for key, n in ends.items():
            # a centred port may leave all the others on one side of it
            span = 2 * (n - 1) + 1 if key in centred else n
            self.grid.grow_box(key[0], int(span * PORT_GAP + 6))

    # ------------------------------------------------------------------ tracks, geometry
    def corridor_heights(self) -> dict[int, float]:
        """Assign corridor tracks; returns the corridor height of each band (by index)
        that has one, for `Grid.place_rows`."""
        heights: dict[int, float] = {}
        per_band: dict[int, list[tuple[float, float, int]]] = {}
        for i, p in enumerate(self.plans):
            if p.kind == "corridor" and p.corridor is not None and p.g1 is not None:
                assert p.g2 is not None
                lo, hi = sorted((p.g1, p.g2))
                per_band.setdefault(p.corridor, []).append((lo, hi, i))
        for band, items in per_band.items():
            # Runs that meet at one gutter take different tracks (no run continues another).
            tracks = color_intervals(items, gap=0.5)
            for i, track in tracks.items():
                self.plans[i].corridor_track = track
            count = max(tracks.values()) + 1
            heights[band] = CORRIDOR_PAD + count * TRACK
        return heights

    def _corridor_y(self, p: RoutePlan) -> float:
        assert p.corridor is not None
        return self.grid.bands[p.corridor].top + CORRIDOR_PAD + p.corridor_track * TRACK

    def _side_ports(self) -> None:
        groups: dict[tuple[str, str], list[Member]] = {}
        for p in self.plans:
            if p.kind == "vertical":
                continue
            s_key = self._corridor_y(p) if p.kind == "corridor" else p.t.cy
            t_key = self._corridor_y(p) if p.kind == "corridor" else p.s.cy
            groups.setdefault((p.s.action.key, p.s_side), []).append((s_key, p.index, p, "s"))
            groups.setdefault((p.t.action.key, p.t_side), []).append((t_key, p.index, p, "t"))
        placed: dict[tuple[str, str], Placed] = {}
        for (key, side), members in groups.items():
            box = self.grid.boxes[key]
            members.sort(key=lambda m: (m[0], m[1]))
            centre = [m for m in members if m[2].straight]
            others = [m for m in members if not m[2].straight]
            # Ports at least 10 pt apart where the side allows, never nearer a corner
            # than 3 pt (a crowded side gets ports closer than 10, never on one point).
            spacing = min(PORT_GAP, (box.h - 6) / max(1, len(members)))
            offsets: list[tuple[float, Member]] = []
            if centre:
                offsets.append((0.0, centre[0]))
                above = [m for m in others if m[0] < box.cy]
                below = [m for m in others if m[0] >= box.cy]
                side_n = max(1, len(above), len(below))
                spacing = min(PORT_GAP, (box.h / 2 - 3) / side_n)
                for k, m in enumerate(reversed(above)):
                    offsets.append((-(k + 1) * spacing, m))
                for k, m in enumerate(below):
                    offsets.append(((k + 1) * spacing, m))
            else:
                n = len(others)
                for k, m in enumerate(others):
                    offsets.append(((k - (n - 1) / 2) * spacing, m))
            placed[(key, side)] = (box, bool(centre), spacing, offsets)
        self._nudge(placed)
        for (_key, side), (box, _, _, offsets) in placed.items():
            for dy, (_, _, plan, end) in offsets:
                half = box.half_w_at(dy)
                x = box.cx + half if side == "R" else box.cx - half
                if end == "s":
                    plan.s_port = (x, box.cy + dy)
                else:
                    plan.t_port = (x, box.cy + dy)

    def _nudge(self, placed: dict[tuple[str, str], Placed]) -> None:
        """Where a port on a box's right side and a port on the next column's left side
        are at one y, move the ports of one side by half their spacing: the two stubs in
        the gutter between would otherwise meet or need tracks in a costly order."""
        right: dict[int, list[tuple[float, int]]] = {}  # gutter -> (y, flow) of R ports
        for (_key, side), (box, _, _, offsets) in placed.items():
            if side == "R":
                for dy, m in offsets:
                    right.setdefault(box.col + 1, []).append((box.cy + dy, m[2].index))
        for (key, side), (box, centred, spacing, offsets) in placed.items():
            if side != "L":
                continue
            others = right.get(box.col, [])
            if any(
                abs(box.cy + dy - y) < 2 and m[2].index != flow
                for dy, m in offsets
                for y, flow in others
            ):
                # a centred port stays; the others move away from it
                half = spacing / 2
                moved = [
                    (dy + (half if dy > 0 or not centred else -half if dy else 0), m)
                    for dy, m in offsets
                ]
                placed[(key, side)] = (box, centred, spacing, moved)

    def _column_offsets(self) -> None:
        per_col: dict[int, list[tuple[float, float, int]]] = {}
        for i, p in enumerate(self.plans):
            if p.kind == "vertical":
                lo, hi = sorted((p.s.cy, p.t.cy))
                per_col.setdefault(p.s.col, []).append((lo, hi, i))
        for items in per_col.values():
            tracks = color_intervals(items, gap=-0.5)
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
            if p.kind in ("hop", "through"):
                p.straight = abs(p.s_port[1] - p.t_port[1]) < 0.01
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
        counts = [0] * (self.grid.ncols + 1)
        for g, items in per_gutter.items():
            tracks = order_tracks(self._runs(color_intervals(items, gap=TRACK)))
            for ident, track in tracks.items():
                plan = self.plans[ident // 2]
                if ident % 2:
                    plan.g2_track = track
                else:
                    plan.g1_track = track
            counts[g] = max(tracks.values()) + 1
        return counts

    def _runs(self, tracks: dict[int, int]) -> list[Run]:
        """A gutter's runs with their stubs (to their boxes and along their corridor)."""
        runs = []
        for ident, track in tracks.items():
            p = self.plans[ident // 2]
            s_stub, t_stub = (p.s_port[1], p.s_side == "R"), (p.t_port[1], p.t_side == "R")
            if p.kind != "corridor":
                stubs, (lo, hi) = [s_stub, t_stub], sorted((p.s_port[1], p.t_port[1]))
            else:
                assert p.g1 is not None and p.g2 is not None
                cy = self._corridor_y(p)
                end = p.t_port[1] if ident % 2 else p.s_port[1]
                box = t_stub if ident % 2 else s_stub
                # the corridor leaves this gutter towards the other one
                towards_left = (p.g1 < p.g2) == bool(ident % 2)
                stubs, (lo, hi) = [box, (cy, towards_left)], sorted((end, cy))
            runs.append(Run(ident, track, lo, hi, p.index, stubs))
        return runs

    def gutter_widths(self) -> list[int]:
        """Place the side ports and assign gutter tracks (the rows must be placed);
        returns the width of each gutter, for `Grid.place_columns`."""
        # Ports on the left/right sides only depend on y; then gutters fix the x grid.
        # (cx is not known yet: ports are computed relative to cx = 0 and shifted in paths().)
        self._side_ports()
        counts = self._gutters()
        self._gutter_tracks = counts
        widths = [max(MIN_GUTTER, 2 * GUTTER_MARGIN + (n - 1) * TRACK) for n in counts]
        for g, room in self._label_room(counts).items():
            widths[g] += int(room)
        return [even(w) for w in widths]

    def _label_room(self, counts: list[int]) -> dict[int, float]:
        """Room for a decision's branch labels in a crowded gutter beside it: the tracks
        are centred, so each side gains half, enough for a label to sit in the gap of
        the branch's first run, clear of the other flows' tracks."""
        room: dict[int, float] = {}
        for p in self.plans:
            label = p.flow.label
            if not label or not p.s.action.decision or p.g1 is None or counts[p.g1] < 3:
                continue
            w = min(120.0, text_width(label, EDGE_LABEL_FONT) + 10) + 2 * ARROW + 10
            room[p.g1] = max(room.get(p.g1, 0.0), 2 * w - 2 * GUTTER_MARGIN)
        return room

    # ------------------------------------------------------------------ polylines
    def paths(self) -> list[list[Point]]:
        """Every plan's polyline, in `plans` order (the columns must be placed)."""
        for p in self.plans:
            if p.kind != "vertical":
                p.s_port = (p.s_port[0] + p.s.cx, p.s_port[1])
                p.t_port = (p.t_port[0] + p.t.cx, p.t_port[1])
        self._column_offsets()
        self._vertical_ports()
        gutter_cx, counts = self.grid.gutter_cx, self._gutter_tracks

        def track_x(g: int, track: int) -> float:
            return gutter_cx[g] + _track_offset(track, counts[g])

        return [self._path(p, track_x) for p in self.plans]

    def _path(self, p: RoutePlan, track_x: Callable[[int, int], float]) -> list[Point]:
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
