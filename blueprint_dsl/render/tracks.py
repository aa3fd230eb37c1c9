"""Tracks in a channel: interval colouring, then an order of the tracks across it.

A *run* is one flow's vertical stretch in a gutter, from `lo` to `hi`; its *stubs* are the
horizontal pieces that leave it at a y, towards the left (a box or corridor on the left)
or towards the right. `color_intervals` gives overlapping runs different tracks;
`order_tracks` then chooses which track lies left of which: a stub crosses every run it
passes on its way out, and a left-going stub and a right-going stub at one y must not
meet (the two flows would read as one flow across the gutter), nor run side by side
nearer than 10 pt, so those orders are (nearly) forbidden. The order with the fewest
crossings is found exactly for a few tracks and by insertion for more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations

FORBIDDEN = 1000  # the cost of an order that makes two flows continue each other
TIGHT = 100  # the cost of an order that runs two stubs side by side, too close
NEAR = 10.0  # stubs nearer than this (in y) must not overlap
EXACT = 7  # up to this many tracks every order is tried


@dataclass
class Run:
    """One run in a channel: its track, its extent, its stubs and its flow's identity."""

    ident: int
    track: int
    lo: float
    hi: float
    flow: int
    stubs: list[tuple[float, bool]] = field(default_factory=list)  # (y, towards the left)


def color_intervals(items: list[tuple[float, float, int]], gap: float) -> dict[int, int]:
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


def _costs(runs: list[Run], n: int) -> list[list[int]]:
    """cost[a][b]: the crossings (and forbidden meetings) if track a lies left of track b."""
    cost = [[0] * n for _ in range(n)]
    for a in runs:
        for y, left in a.stubs:
            for b in runs:
                if b.track == a.track or b.flow == a.flow:
                    continue
                if b.lo < y < b.hi:
                    # a left-going stub of a crosses b when b is left of a, and so on
                    if left:
                        cost[b.track][a.track] += 1
                    else:
                        cost[a.track][b.track] += 1
                for yb, left_b in b.stubs:
                    if left and not left_b and abs(y - yb) < NEAR:
                        # b left of a: the stubs overlap, on one line or side by side
                        cost[b.track][a.track] += FORBIDDEN if abs(y - yb) < 2 else TIGHT
    return cost


def _total(order: tuple[int, ...] | list[int], cost: list[list[int]]) -> int:
    return sum(cost[a][b] for i, a in enumerate(order) for b in order[i + 1 :])


def order_tracks(runs: list[Run]) -> dict[int, int]:
    """Run ident -> track, renumbered left to right in the cheapest order found."""
    if not runs:
        return {}
    n = max(r.track for r in runs) + 1
    cost = _costs(runs, n)
    best: list[int] = list(range(n))
    if n <= EXACT:
        best_cost = _total(best, cost)
        for perm in permutations(range(n)):
            c = _total(perm, cost)
            if c < best_cost:
                best, best_cost = list(perm), c
    else:
        order: list[int] = []
        for k in range(n):  # insert each track where it costs least
            spots = [[*order[:i], k, *order[i:]] for i in range(len(order) + 1)]
            order = min(spots, key=lambda o: _total(o, cost))
        if _total(order, cost) < _total(best, cost):
            best = order
    rank = {k: r for r, k in enumerate(best)}
    return {r.ident: rank[r.track] for r in runs}
