"""Flow labels: the finished routes, each label placed where it covers nothing else.

`label_routes` turns the router's plans and polylines into `Route`s. A labelled flow's
text goes at the first candidate spot on its own route, nearest the source first, that
covers no box, no other route and no label placed before it: in a gap of a segment
(the route is then cut in two parts around it) or beside a segment. The collision tests
run against `Obstacles`, every box and route segment bucketed in 400-point tiles.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from ..model.blueprint import Flow, Line
from .geometry import Point, Rect, Route, Text
from .grid import Box
from .metrics import ARROW, EDGE_LABEL_FONT, even
from .routing import RoutePlan
from .text import text_width, units_for, wrap


def label_routes(
    plans: list[RoutePlan], paths: list[list[Point]], boxes: Iterable[Box]
) -> list[Route]:
    """Build the routes; place each flow label where it covers no other line or box."""
    obstacles: Obstacles | None = None  # built only when some flow has a label
    routes = []
    for p, pts in zip(plans, paths, strict=True):
        flow = p.flow
        label = None
        parts: tuple[tuple[Point, ...], ...] = (tuple(pts),)
        if flow.label:
            if obstacles is None:
                obstacles = Obstacles()
                for box in boxes:
                    cx, cy, w, h = box.cx, box.cy, box.w, box.h
                    obstacles.add_box((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
                for other in paths:
                    obstacles.add_path(other)
            label, parts = place_label(flow_label(flow), pts, obstacles)
            obstacles.add_rect(label.rect)
        src, dst = p.s.action.label, p.t.action.label
        tip = f"{src} {flow.kind.value} {dst}" + (f" : {flow_label(flow)}" if flow.label else "")
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


def flow_label(flow: Flow) -> str:
    """A flow's label as drawn: a decision branch's share beside it ("valid · 90%")."""
    label = flow.label or ""
    if flow.share is None:
        return label
    return f"{label} · {flow.share * 100:.3g}%"


Box4 = tuple[float, float, float, float]  # x0, y0, x1, y1: a Rect's fields, as a tuple


class Obstacles:
    """Boxes and route segments, bucketed by 400-point tiles, for label collision tests."""

    TILE = 400.0

    def __init__(self) -> None:
        self.tiles: dict[tuple[int, int], list[Box4]] = {}

    def _keys(self, r: Box4) -> list[tuple[int, int]]:
        t = self.TILE
        i0, i1 = int(r[0] // t), int(r[2] // t)
        j0, j1 = int(r[1] // t), int(r[3] // t)
        if i0 == i1 and j0 == j1:  # most boxes and segments lie in one tile
            return [(i0, j0)]
        return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]

    def add_box(self, r: Box4) -> None:
        tiles = self.tiles
        for key in self._keys(r):
            if key in tiles:
                tiles[key].append(r)
            else:
                tiles[key] = [r]

    def add_rect(self, r: Rect) -> None:
        self.add_box((r.x0, r.y0, r.x1, r.y1))

    def add_path(self, pts: list[Point]) -> None:
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            self.add_box(_segment(ax, ay, bx, by))

    def hits(self, r: Rect, own: list[Box4]) -> int:
        seen: set[int] = set()
        count = 0
        x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
        for key in self._keys((x0, y0, x1, y1)):
            for other in self.tiles.get(key, ()):
                if id(other) in seen:
                    continue
                seen.add(id(other))
                if (
                    other[0] < x1 and x0 < other[2] and other[1] < y1 and y0 < other[3]
                ) and other not in own:
                    count += 1
        return count


def _segment(ax: float, ay: float, bx: float, by: float) -> Box4:
    """The box around one segment of a route, a point wider on every side."""
    return (min(ax, bx) - 1, min(ay, by) - 1, max(ax, bx) + 1, max(ay, by) + 1)


def place_label(
    label: str, pts: list[Point], obstacles: Obstacles
) -> tuple[Text, tuple[tuple[Point, ...], ...]]:
    """Put a flow label on its route: in a gap of a segment (the line stops at the label)
    or beside a segment, at the first candidate spot that covers no other line or box."""
    lines = wrap(label, units_for(110, EDGE_LABEL_FONT), 6)
    w = even(max(text_width(line, EDGE_LABEL_FONT) for line in lines) + 10)
    h = even(len(lines) * 12 + 4)
    own = [_segment(ax, ay, bx, by) for (ax, ay), (bx, by) in itertools.pairwise(pts)]
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
        for f in (near, 0.5, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 1 - near):
            cx, cy = ax + (bx - ax) * f, ay + (by - ay) * f
            if length * min(f, 1 - f) * 2 >= room:
                candidates.append((Rect.around(cx, cy, w, h), i, True))
            if horizontal:
                candidates.append((Rect.around(cx, cy - h / 2 - 3, w, h), i, False))
                candidates.append((Rect.around(cx, cy + h / 2 + 3, w, h), i, False))
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
