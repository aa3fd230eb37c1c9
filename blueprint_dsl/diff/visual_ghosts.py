"""Where the removed actions and flows of a visual diff are drawn: "ghosts" in their old
place, mapped onto the new drawing.

The old layout's coordinates are mapped to the new one axis by axis: x through the
columns of the steps both versions have, y through the bands of the lanes both have
(piecewise linear between those anchors, with slope 1 beyond them). An action removed
from a step and lane that still exist lands in that step's column and that lane's band;
one whose step or lane is gone lands between its old neighbours (or at its old place).
A ghost never covers a box of the new drawing: when its mapped place is taken, the
nearest free place in the same band is used (first one that no flow crosses, then any),
then a compact one-line ghost, and only when nothing fits the mapped place itself.
A removed flow is drawn as a short orthogonal connector between its two ends (the new
boxes or the ghosts), offset so it does not lie on top of a flow of the new drawing.
Everything is in the new layout's points (origin top-left, y down).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TypeVar

from ..model.blueprint import Blueprint, FlowKind
from ..render.geometry import Layout, Point, Rect
from ..render.metrics import LABEL_W
from ..render.text import text_width, units_for, wrap
from .visual_marks import Marks

COMPACT_H = 22.0
COMPACT_SIZE = 9.5
PAD = 4.0
BUCKET = 300.0  # the width of the columns the room is indexed by
_T = TypeVar("_T")
PIN = 18.0  # the pin where a set-aside ghost was
STRIP_TOP = 30.0  # from the drawing's bottom to the set-aside ghosts


@dataclass(frozen=True)
class Ghost:
    """A removed action: its old label (wrapped as in the old drawing) at `rect`. When
    there was no room for it where it was, `pin` marks that place with `number`, and
    `rect` is in the strip of set-aside ghosts below the drawing."""

    key: str
    label: str
    rect: Rect
    lines: tuple[str, ...]
    size: float
    diamond: bool
    pin: Rect | None = None
    number: int = 0


@dataclass(frozen=True)
class GhostFlow:
    index: int  # in the old blueprint's flows
    source: str  # old action keys
    target: str
    kind: FlowKind
    points: tuple[Point, ...]
    title: str


class AxisMap:
    """A monotone piecewise-linear map from old to new coordinates on one axis."""

    def __init__(self, anchors: list[tuple[float, float]]) -> None:
        kept: list[tuple[float, float]] = []
        for old, new in sorted(anchors):
            if not kept or (old > kept[-1][0] and new >= kept[-1][1]):
                kept.append((old, new))
        self.old = [a for a, _ in kept] or [0.0]
        self.new = [b for _, b in kept] or [0.0]

    def __call__(self, value: float) -> float:
        i = bisect.bisect_right(self.old, value)
        if i == 0:
            return self.new[0] + value - self.old[0]
        if i == len(self.old):
            return self.new[-1] + value - self.old[-1]
        a0, a1, b0, b1 = self.old[i - 1], self.old[i], self.new[i - 1], self.new[i]
        return b0 + (value - a0) * (b1 - b0) / (a1 - a0)


def _hits(seg: tuple[Point, Point], r: Rect, pad: float = 1.0) -> bool:
    (x0, y0), (x1, y1) = seg
    return (
        min(x0, x1) < r.x1 + pad
        and max(x0, x1) > r.x0 - pad
        and min(y0, y1) < r.y1 + pad
        and max(y0, y1) > r.y0 - pad
    )


class _Room:
    """What a ghost must not cover in the new drawing."""

    def __init__(self, new: Layout) -> None:
        self.boxes: list[Rect] = [a.rect for a in new.actions]
        self.boxes += [e.rect for e in new.evidence]
        self.boxes += [m.rect for m in new.markers]
        self.boxes += [r.label.rect for r in new.routes if r.label is not None]
        self.boxes += [t.rect for mark in new.lines for t in mark.labels]
        self.segments = [
            (part[i], part[i + 1])
            for r in new.routes
            for part in r.parts
            for i in range(len(part) - 1)
        ]
        self.x_max = new.columns[-1] + 120 if new.columns else new.width
        self._box_buckets: dict[int, list[Rect]] = {}
        self._segment_buckets: dict[int, list[tuple[Point, Point]]] = {}
        for box in self.boxes:
            self._file(self._box_buckets, box, box.x0, box.x1)
        for seg in self.segments:
            xs = (seg[0][0], seg[1][0])
            self._file(self._segment_buckets, seg, min(xs), max(xs))

    def within(self, region: Rect) -> _Room:
        """The same room with only the boxes and segments that reach into `region`
        (looked up in columns of `BUCKET` points, so a long drawing stays fast)."""
        near = _Room.__new__(_Room)
        first, last = int(region.x0 // BUCKET), int(region.x1 // BUCKET)
        boxes: dict[int, Rect] = {}
        segments: dict[int, tuple[Point, Point]] = {}
        for k in range(first, last + 1):
            boxes.update((id(b), b) for b in self._box_buckets.get(k, ()))
            segments.update((id(s), s) for s in self._segment_buckets.get(k, ()))
        near.boxes = [b for b in boxes.values() if b.overlaps(region)]
        near.segments = [s for s in segments.values() if _hits(s, region, 0.0)]
        near.x_max = self.x_max
        near._box_buckets, near._segment_buckets = {}, {}
        return near

    def add_box(self, box: Rect) -> None:
        self.boxes.append(box)
        self._file(self._box_buckets, box, box.x0, box.x1)

    def add_segment(self, segment: tuple[Point, Point]) -> None:
        self.segments.append(segment)
        xs = (segment[0][0], segment[1][0])
        self._file(self._segment_buckets, segment, min(xs), max(xs))

    @staticmethod
    def _file(buckets: dict[int, list[_T]], item: _T, x0: float, x1: float) -> None:
        for k in range(int(x0 // BUCKET), int(x1 // BUCKET) + 1):
            buckets.setdefault(k, []).append(item)

    def free(self, r: Rect, strict: bool) -> bool:
        grown = Rect(r.x0 - PAD, r.y0 - PAD, r.x1 + PAD, r.y1 + PAD)
        if r.x0 < LABEL_W + PAD or r.x1 > self.x_max:
            return False
        if any(grown.overlaps(b) for b in self.boxes):
            return False
        return not (strict and any(_hits(s, r, 2.0) for s in self.segments))


def _candidates(
    mx: float, my: float, w: float, h: float, band: Rect, columns: tuple[float, ...]
) -> list[Rect]:
    xs = [mx, *sorted(columns, key=lambda c: (abs(c - mx), c))[:3]]
    low, high = band.y0 + 2 + h / 2, band.y1 - 2 - h / 2
    ys: list[float] = []
    if low <= high:
        steps = int((high - low) // 2) + 1
        ys = [low + 2 * k for k in range(steps)] + [high]
    out = [Rect.around(x, y, w, h) for x in xs for y in ys]
    out.sort(key=lambda r: (math.hypot(r.cx - mx, r.cy - my), r.cx, r.cy))
    return out


def _band_for(new: Layout, lane: str, y: float) -> Rect:
    for band in new.bands:
        if band.lane_id == lane:
            return band.rect
    if not new.bands:
        return Rect(0, y - 40, new.width, y + 40)
    return min(new.bands, key=lambda b: 0 if b.rect.y0 <= y <= b.rect.y1 else 1).rect


def _maps(old: Layout, new: Layout, marks: Marks) -> tuple[AxisMap, AxisMap]:
    xs = [(0.0, 0.0), (LABEL_W, LABEL_W)]
    for a, b in marks.steps.items():
        if a <= len(old.columns) and b <= len(new.columns):
            xs.append((old.columns[a - 1], new.columns[b - 1]))
    ys = [(0.0, 0.0)]
    new_bands = {band.lane_id: band.rect for band in new.bands}
    for band in old.bands:
        if band.lane_id in new_bands:
            ys += [(band.rect.y0, new_bands[band.lane_id].y0)]
            ys += [(band.rect.y1, new_bands[band.lane_id].y1)]
    return AxisMap(xs), AxisMap(ys)


def place_ghosts(
    old_bp: Blueprint, old: Layout, new: Layout, marks: Marks
) -> tuple[list[Ghost], list[GhostFlow]]:
    """The ghosts of the removed actions and flows, in the new layout's coordinates."""
    mx, my = _maps(old, new, marks)
    room = _Room(new)
    nodes = {a.key: a for a in old.actions}
    ghosts: list[Ghost] = []
    aside: list[Ghost] = []
    for key in marks.removed_actions:
        node = nodes.get(key)
        if node is None:
            continue
        action = old_bp.action(key)
        cx, cy = mx(node.rect.cx), my(node.rect.cy)
        band = _band_for(new, action.lane, cy)
        ghost = _fit(room, node.rect.w, node.rect.h, cx, cy, band, new.columns)
        lines, size = node.text.lines, node.text.size
        if ghost is None:
            w = min(node.rect.w, text_width(action.label, COMPACT_SIZE) + 20)
            ghost = _fit(room, w, COMPACT_H, cx, cy, band, new.columns)
            if ghost is not None:
                lines = tuple(wrap(action.label, units_for(w - 18, COMPACT_SIZE), 1))
                size = COMPACT_SIZE
        diamond = node.shape == "diamond"
        if ghost is None:
            pin = _pin(room, cx, cy, band)
            room.add_box(pin)
            aside.append(
                Ghost(
                    key,
                    action.label,
                    node.rect,
                    node.text.lines,
                    node.text.size,
                    diamond,
                    pin,
                    len(aside) + 1,
                )
            )
            continue
        room.add_box(ghost)
        ghosts.append(Ghost(key, action.label, ghost, lines, size, diamond))
    ghosts += _strip(aside, new)
    ends = {g.key: g.pin or g.rect for g in ghosts}
    boxes = {a.key: a.rect for a in new.actions}
    for old_key, new_key in marks.actions.items():
        if new_key in boxes:
            ends.setdefault(old_key, boxes[new_key])
    flows: list[GhostFlow] = []
    for index in marks.removed_flows:
        flow = old_bp.flows[index]
        if flow.source not in ends or flow.target not in ends:
            continue
        route = next((r for r in old.routes if r.index == index), None)
        mapped = [] if route is None else [(mx(x), my(y)) for part in route.parts for x, y in part]
        pts = _connector(ends[flow.source], ends[flow.target], room, tuple(mapped))
        title = f"{old_bp.action(flow.source).label} {flow.kind.value} "
        title += old_bp.action(flow.target).label + (f" : “{flow.label}”" if flow.label else "")
        flows.append(GhostFlow(index, flow.source, flow.target, flow.kind, pts, title))
        for i in range(len(pts) - 1):
            room.add_segment((pts[i], pts[i + 1]))
    return ghosts, flows


def _pin(room: _Room, cx: float, cy: float, band: Rect) -> Rect:
    """A free spot for the pin that marks where a set-aside ghost was."""
    xs = [cx + d for d in (0.0, 10.0, -10.0, 20.0, -20.0, 30.0, -30.0)]
    options = _candidates(cx, cy, PIN, PIN, band, tuple(xs))
    near = room.within(_around(options))
    for strict in (True, False):
        for r in options:
            if near.free(r, strict):
                return r
    return Rect.around(cx, cy, PIN, PIN)


def _strip(aside: list[Ghost], new: Layout) -> list[Ghost]:
    """The set-aside ghosts in a row below the drawing, in order."""
    out: list[Ghost] = []
    x, y = LABEL_W + PAD, new.height + STRIP_TOP
    row = 0.0
    for g in aside:
        if out and x + g.rect.w > new.width:
            x, y = LABEL_W + PAD, y + row + 16
        row = max(row, g.rect.h)
        rect = Rect(x, y, x + g.rect.w, y + g.rect.h)
        out.append(Ghost(g.key, g.label, rect, g.lines, g.size, g.diamond, g.pin, g.number))
        x = rect.x1 + 24
    return out


def _fit(
    room: _Room, w: float, h: float, cx: float, cy: float, band: Rect, columns: tuple[float, ...]
) -> Rect | None:
    options = _candidates(cx, cy, w, h, band, columns)
    near = room.within(_around(options))
    for strict in (True, False):
        for r in options:
            if near.free(r, strict):
                return r
    return None


def _around(rects: list[Rect], pad: float = 2 * PAD) -> Rect:
    """The box around `rects`, grown by `pad`."""
    if not rects:
        return Rect(0, 0, 0, 0)
    return Rect(
        min(r.x0 for r in rects) - pad,
        min(r.y0 for r in rects) - pad,
        max(r.x1 for r in rects) + pad,
        max(r.y1 for r in rects) + pad,
    )


def _collinear(a: tuple[Point, Point], b: tuple[Point, Point]) -> bool:
    """Two axis-parallel segments on (nearly) one line and overlapping."""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if abs(ax0 - ax1) < 0.5 and abs(bx0 - bx1) < 0.5 and abs(ax0 - bx0) < 6:
        return min(ay0, ay1) < max(by0, by1) and min(by0, by1) < max(ay0, ay1)
    if abs(ay0 - ay1) < 0.5 and abs(by0 - by1) < 0.5 and abs(ay0 - by0) < 6:
        return min(ax0, ax1) < max(bx0, bx1) and min(bx0, bx1) < max(ax0, ax1)
    return False


def _touches(p: Point, r: Rect) -> bool:
    return r.x0 - 3 <= p[0] <= r.x1 + 3 and r.y0 - 3 <= p[1] <= r.y1 + 3


def _connector(s: Rect, t: Rect, room: _Room, mapped: tuple[Point, ...]) -> tuple[Point, ...]:
    """An orthogonal line from box `s` to box `t`, off the flows already drawn: the old
    route mapped onto the new drawing when it still joins the two boxes, else the
    shortest of a few simple shapes that crosses no box."""
    options: list[tuple[Point, ...]] = []
    if len(mapped) >= 2 and _touches(mapped[0], s) and _touches(mapped[-1], t):
        options.append(mapped)
    lo, hi = max(s.x0, t.x0) + 12, min(s.x1, t.x1) - 12
    top, bottom = max(s.y0, t.y0) + 8, min(s.y1, t.y1) - 8
    shifts = (0.0, 14.0, -14.0, 28.0, -28.0, 42.0, -42.0)
    if lo <= hi:
        mid = (lo + hi) / 2
        y0, y1 = (s.y1, t.y0) if s.cy < t.cy else (s.y0, t.y1)
        options += [((mid + d, y0), (mid + d, y1)) for d in shifts if lo <= mid + d <= hi]
    elif top <= bottom:
        mid = (top + bottom) / 2
        x0, x1 = (s.x1, t.x0) if s.cx < t.cx else (s.x0, t.x1)
        options += [((x0, mid + d), (x1, mid + d)) for d in shifts if top <= mid + d <= bottom]
    else:
        x0 = s.x1 if s.cx < t.cx else s.x0
        y1 = t.y0 if s.cy < t.cy else t.y1
        options += [
            ((x0, s.cy + d), (t.cx + d, s.cy + d), (t.cx + d, y1))
            for d in shifts
            if s.y0 + 6 < s.cy + d < s.y1 - 6 and t.x0 + 6 < t.cx + d < t.x1 - 6
        ]
    # Round the boxes in between: out of a side, along the gutter beside both, back in.
    for d in (14.0, 26.0, 38.0):
        gx = max(s.x1, t.x1) + d
        options.append(((s.x1, s.cy), (gx, s.cy), (gx, t.cy), (t.x1, t.cy)))
        gx = min(s.x0, t.x0) - d
        options.append(((s.x0, s.cy), (gx, s.cy), (gx, t.cy), (t.x0, t.cy)))
    if s.overlaps(t):
        return ((s.cx, s.cy), (t.cx, t.cy))

    points = [p for pts in options for p in pts]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    near = room.within(Rect(min(xs) - 8, min(ys) - 8, max(xs) + 8, max(ys) + 8))
    others = [b for b in near.boxes if not (b.overlaps(s) or b.overlaps(t))]

    def clear(pts: tuple[Point, ...], lines: bool) -> bool:
        segs = [(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
        if any(_hits(seg, b, -1.0) for seg in segs for b in others):
            return False
        return not (lines and any(_collinear(a, b) for a in segs for b in near.segments))

    for lines in (True, False):
        for pts in options:
            if clear(pts, lines):
                return pts
    return options[0]
