"""Time along paths (language 0.2, section 8.5): the customer's path, lead time and the
critical path.

Actions are ordered by step, then as written; a flow is *forward* when its target comes
later in that order (a `<->` flow counts in whichever direction is forward). Each action
weighs its duration plus its wait, as a (low, high) pair.

- **Customer time** follows the customer's path: customer actions joined by the journey
  and by the flows between them. Each adds its duration and its own wait, and the waits of
  staff and systems in its step go to the step's first customer action (as in 0.1, where
  every wait counted). A `parallel` group adds its longest member. At a customer decision
  the low end follows the shortest branch and the high end the longest; a branch that
  leads to staff continues at the first customer action reachable from it by forward
  flows (none: the journey ends there), and a branch back to an earlier step (a rework
  loop) adds that stretch once more to the high end. Where the path forks without a
  decision, everything on it happens, so both ends take the longest way.
- **Lead time** is the longest path over all forward flows of all actions, from the first
  customer action and every trigger (in a `scope internal` blueprint: its triggers and
  its first step) to an action with no forward flow out; at a decision the low end takes
  the shortest branch. The **critical path** lists the actions of the high end's path
  (on a tie, the path written first).
"""

from __future__ import annotations

import functools
import heapq
import weakref
from collections.abc import Iterable
from typing import NamedTuple

from ..model.blueprint import Action, Blueprint, Duration, FlowKind, Zone

Range = tuple[float, float]


def _span(value: Duration | None) -> Range:
    return (0.0, 0.0) if value is None else (value.min_seconds, value.max_seconds)


def _plus(a: Range, b: Range) -> Range:
    return (a[0] + b[0], a[1] + b[1])


class _Graph(NamedTuple):
    """The flows of one blueprint as adjacency lists, forward and back."""

    order: dict[str, int]
    forward: dict[str, list[str]]  # every forward flow, in flow order
    backward: dict[str, list[str]]  # flows to earlier actions (loops), in flow order


# The graph of each blueprint alive: the checks, the header band, the critical path and
# the JSON export's figures each ask for it, and it is the costly part of each (a folder
# is checked a batch at a time, then drawn). An entry is used only for the same Blueprint
# object whose actions and flows are still the ones it was built from (the model is
# mutable: a changed blueprint gets a new graph), and goes when its blueprint goes.
_GRAPHS: dict[int, tuple[weakref.ref[Blueprint], tuple[object, ...], _Graph]] = {}


def _inputs(bp: Blueprint) -> tuple[object, ...]:
    """What the graph is built from: each action's key and step, each flow's ends and kind."""
    return (
        tuple([(a.key, a.step_index) for a in bp.actions]),
        tuple([(f.source, f.target, f.kind) for f in bp.flows]),
    )


def _graph(bp: Blueprint) -> _Graph:
    """The time graph of `bp` (`_build_graph`), built once per blueprint while it is
    unchanged."""
    inputs = _inputs(bp)
    kept = _GRAPHS.get(id(bp))
    if kept is not None and kept[0]() is bp and kept[1] == inputs:
        return kept[2]
    graph = _build_graph(bp)
    ident = id(bp)
    _GRAPHS[ident] = (weakref.ref(bp, lambda gone: _forget(ident, gone)), inputs, graph)
    return graph


def _forget(ident: int, gone: weakref.ref[Blueprint]) -> None:
    """A blueprint was let go: its graph goes too (unless its id has a new entry)."""
    kept = _GRAPHS.get(ident)
    if kept is not None and kept[0] is gone:
        del _GRAPHS[ident]


def _build_graph(bp: Blueprint) -> _Graph:
    """Order the actions in time: by step, and within a step by its flows (a topological
    order; where flows in one step form a cycle, written order breaks it). A flow is
    forward when it goes to a later action in that order; one to an earlier step, or one
    that closes a cycle, is a loop."""
    written = {a.key: n for n, a in enumerate(bp.actions)}
    step = {a.key: a.step_index for a in bp.actions}
    same: dict[str, list[str]] = {a.key: [] for a in bp.actions}
    for flow in bp.flows:  # `<->` is an exchange, not an order: it does not rank actions
        source, target = flow.source, flow.target
        if flow.kind is FlowKind.TWO_WAY or source not in step or target not in step:
            continue
        if source != target and step[source] == step[target] and target not in same[source]:
            same[source].append(target)
    order = _time_order(bp, same, written)
    forward: dict[str, list[str]] = {a.key: [] for a in bp.actions}
    backward: dict[str, list[str]] = {a.key: [] for a in bp.actions}
    for flow in bp.flows:
        ends = [(flow.source, flow.target)]
        if flow.kind is FlowKind.TWO_WAY:
            ends.append((flow.target, flow.source))
        for source, target in ends:
            if source not in order or target not in order or source == target:
                continue
            if order[target] > order[source]:
                if target not in forward[source]:
                    forward[source].append(target)
            elif flow.kind is not FlowKind.TWO_WAY and target not in backward[source]:
                backward[source].append(target)
    return _Graph(order, forward, backward)


def _time_order(
    bp: Blueprint, same: dict[str, list[str]], written: dict[str, int]
) -> dict[str, int]:
    """Steps in order; inside each, Kahn's algorithm over its flows, written order first."""
    by_step: dict[int, list[str]] = {}
    for a in bp.actions:
        by_step.setdefault(a.step_index, []).append(a.key)
    order: dict[str, int] = {}
    for index in sorted(by_step):
        keys = by_step[index]
        indegree = {k: 0 for k in keys}
        for k in keys:
            for t in same[k]:
                indegree[t] += 1
        ready = [(written[k], k) for k in keys if indegree[k] == 0]
        heapq.heapify(ready)  # written order first, in O(n log n) for a crowded step
        left = set(keys)
        while left:
            if not ready:  # a cycle: the first written of what is left goes next
                first = min(left, key=written.__getitem__)
                ready = [(written[first], first)]
            _, here = heapq.heappop(ready)
            if here not in left:
                continue
            left.discard(here)
            order[here] = len(order)
            for t in same[here]:
                if t in left:
                    indegree[t] -= 1
                    if indegree[t] == 0:
                        heapq.heappush(ready, (written[t], t))
    return order


# ---- lead time and the critical path ----------------------------------------------------
def _starts(bp: Blueprint, graph: _Graph) -> list[str]:
    keys = [a.key for a in sorted(bp.actions, key=lambda a: graph.order[a.key])]
    by_key = {a.key: a for a in bp.actions}
    starts = [k for k in keys if by_key[k].trigger is not None]
    if bp.internal:
        first = min((a.step_index for a in bp.actions), default=0)
        starts += [k for k in keys if by_key[k].step_index == first]
    else:
        opener = next((by_key[k] for k in keys if by_key[k].zone is Zone.CUSTOMER), None)
        if opener is not None:  # with the actions that start at the same time as it
            group = opener.parallel_group
            same_time = [k for k in keys if group is not None and by_key[k].parallel_group == group]
            starts += [opener.key, *same_time]
    return list(dict.fromkeys(sorted(starts, key=graph.order.__getitem__)))


class LeadTime(NamedTuple):
    """The service's time end to end (every lane), and the critical path that sets its
    maximum."""

    min_seconds: float
    max_seconds: float
    critical_path: tuple[str, ...]


def lead_time(bp: Blueprint) -> LeadTime:
    """How long the service takes end to end, staff and systems included (8.5)."""
    graph = _graph(bp)
    by_key = {a.key: a for a in bp.actions}
    low: dict[str, float] = {}
    high: dict[str, tuple[float, str | None]] = {}
    for key in sorted(by_key, key=graph.order.__getitem__, reverse=True):
        action = by_key[key]
        w_low, w_high = _plus(_span(action.duration), _span(action.wait))
        nxt = graph.forward[key]
        if not nxt:
            low[key], high[key] = w_low, (w_high, None)
            continue
        lows = [low[n] for n in nxt]
        low[key] = w_low + (min(lows) if action.decision else max(lows))
        best = max(nxt, key=lambda n: high[n][0])  # the first written wins a tie
        high[key] = (w_high + high[best][0], best)
    starts = _starts(bp, graph)
    if not starts:
        return LeadTime(0.0, 0.0, ())
    first = max(starts, key=lambda k: high[k][0])
    path: list[str] = []
    here: str | None = first
    while here is not None:
        path.append(here)
        here = high[here][1]
    return LeadTime(max(low[k] for k in starts), high[first][0], tuple(path))


# ---- the customer's path ---------------------------------------------------------------
class _CustomerPath:
    def __init__(self, bp: Blueprint) -> None:
        self.bp = bp
        self.graph = _graph(bp)
        self.by_key = {a.key: a for a in bp.actions}
        customers = [a for a in bp.actions if a.zone is Zone.CUSTOMER]
        self.customers = sorted(customers, key=lambda a: self.graph.order[a.key])
        self.unit = {a.key: self._unit_of(a) for a in self.customers}
        self.members: dict[str, list[Action]] = {}
        for a in self.customers:
            self.members.setdefault(self.unit[a.key], []).append(a)
        self.weights = self._weights()

    def _unit_of(self, action: Action) -> str:
        if action.parallel_group is None:
            return action.key
        return f"parallel:{action.parallel_group}"

    def _weights(self) -> dict[str, Range]:
        """Each customer action's own time, with its step's other waits on the first one."""
        first_in_step: dict[int, str] = {}
        for a in self.customers:
            first_in_step.setdefault(a.step_index, a.key)
        weight = {a.key: _plus(_span(a.duration), _span(a.wait)) for a in self.customers}
        for a in self.bp.actions:
            if a.zone is not Zone.CUSTOMER and a.wait is not None:
                host = first_in_step.get(a.step_index)
                if host is not None:
                    weight[host] = _plus(weight[host], _span(a.wait))
        return weight

    def unit_weight(self, unit: str) -> Range:
        members = [self.weights[a.key] for a in self.members[unit]]
        return (max(m[0] for m in members), max(m[1] for m in members))

    def first_customer_after(self, key: str) -> str | None:
        """The first customer action reachable from `key` by forward flows."""
        seen, frontier, found = {key}, [key], []
        while frontier:
            here = frontier.pop()
            for nxt in self.graph.forward[here]:
                if nxt in seen:
                    continue
                seen.add(nxt)
                if self.by_key[nxt].zone is Zone.CUSTOMER:
                    found.append(nxt)
                else:
                    frontier.append(nxt)
        return min(found, key=self.graph.order.__getitem__) if found else None

    def exits(self, unit: str) -> tuple[list[str], list[str], bool]:
        """(next units, loop-back units, is a decision) of one unit of the path."""
        nexts: list[str] = []
        loops: list[str] = []
        decision = False
        for member in self.members[unit]:
            decision = decision or member.decision
            targets = list(self.graph.forward[member.key])
            if member.decision:
                targets += self.graph.backward[member.key]
            for target in targets:
                landing = target
                if self.by_key[target].zone is not Zone.CUSTOMER:
                    if not member.decision:
                        continue
                    found = self.first_customer_after(target)
                    if found is None:
                        nexts.append("")  # this branch ends the journey
                        continue
                    landing = found
                dest = self.unit[landing]
                if dest == unit:
                    continue
                rank = self.graph.order
                is_back = rank[landing] < rank[self.members[unit][0].key]
                bucket = loops if is_back else nexts
                if dest not in bucket:
                    bucket.append(dest)
        return nexts, loops, decision

    @functools.cached_property
    def units(self) -> list[str]:
        """The path's units (a customer action, or a parallel group), in path order."""
        return list(dict.fromkeys(self.unit[a.key] for a in self.customers))

    @functools.cached_property
    def exits_of(self) -> dict[str, tuple[list[str], list[str], bool]]:
        return {u: self.exits(u) for u in self.units}

    @functools.cached_property
    def starts(self) -> list[str]:
        entered = {n for u in self.units for n in self.exits_of[u][0]}
        return [u for u in self.units if u not in entered]

    @functools.cached_property
    def lengths(self) -> dict[str, Range]:
        """Each unit's (min, max) seconds from it to the journey's end, computed from the
        last unit back (no recursion: a 10,000-step journey is fine)."""
        out: dict[str, Range] = {"": (0.0, 0.0)}
        for unit in reversed(self.units):
            own = self.unit_weight(unit)
            nexts, loops, decision = self.exits_of[unit]
            after = [out.get(n, (0.0, 0.0)) for n in nexts]
            if not after:
                rest = (0.0, 0.0)
            elif decision:
                rest = (min(a[0] for a in after), max(a[1] for a in after))
            else:
                rest = (max(a[0] for a in after), max(a[1] for a in after))
            again = max((self.between(loop, unit) for loop in loops), default=0.0)
            out[unit] = (own[0] + rest[0], own[1] + rest[1] + again)
        return out

    def between(self, start: str, end: str) -> float:
        """The high end of the path from `start` to `end`, both included (a loop's stretch
        taken once more); 0 when `end` cannot be reached from `start`."""
        units = self.units
        if start not in units or end not in units:
            return 0.0
        lo, hi = units.index(start), units.index(end)
        best: dict[str, float] = {end: self.unit_weight(end)[1]}
        for unit in reversed(units[lo:hi]):
            ways = [best[n] for n in self.exits_of[unit][0] if n in best]
            if ways:
                best[unit] = self.unit_weight(unit)[1] + max(ways)
        return best.get(start, 0.0)


def customer_path(bp: Blueprint) -> Range:
    """(min, max) seconds of the customer's path through the journey (8.5)."""
    path = _CustomerPath(bp)
    if not path.customers:
        return (0.0, 0.0)
    lengths = [path.lengths[u] for u in path.starts] or [(0.0, 0.0)]
    loose = _waits_without_customer(bp, path)
    return (max(x[0] for x in lengths) + loose[0], max(x[1] for x in lengths) + loose[1])


def _waits_without_customer(bp: Blueprint, path: _CustomerPath) -> Range:
    """Waits in steps that have no customer action: still the customer's time (0.1)."""
    steps = {a.step_index for a in path.customers}
    waits: Iterable[Action] = (a for a in bp.actions if a.wait is not None)
    total = (0.0, 0.0)
    for a in waits:
        if a.step_index not in steps:
            total = _plus(total, _span(a.wait))
    return total
