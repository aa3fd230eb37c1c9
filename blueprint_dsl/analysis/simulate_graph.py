"""The plan a simulation runs: the blueprint's actions in time order, each with what it
draws, what it weighs for the customer, and where its work goes next.

The order is the one of section 8.5 (`paths.py`): by step, and inside a step by its
flows. A flow is *forward* when its target comes later in that order (a `<->` flow counts
in whichever direction is forward). A flow that leaves a decision is one of its branches;
a branch to an earlier action is a rework loop. Flows back from an action that is not a
decision (BP402) carry no work in time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model.blueprint import Action, Blueprint, Duration, Flow, FlowKind, Line, Zone


@dataclass(frozen=True)
class Draw:
    """How one duration or wait is drawn: uniform on low…low+span, or from observations."""

    low: float = 0.0
    span: float = 0.0
    observed: tuple[float, ...] = ()

    @property
    def mean(self) -> float:
        if self.observed:
            return sum(self.observed) / len(self.observed)
        return self.low + self.span / 2


@dataclass(frozen=True)
class Branch:
    target: int  # a position in the plan
    upto: float  # cumulative share: taken when a uniform draw falls below it
    loop: bool  # back to an earlier action: a rework loop


@dataclass
class Step:
    """One action of the plan."""

    key: str
    lane: int  # index in Plan.lanes
    customer: bool
    duration: Draw
    wait: Draw
    cost: float
    next: list[int] = field(default_factory=list)  # forward flows, for a non-decision
    branches: list[Branch] = field(default_factory=list)  # for a decision
    # the customer's weight: its own time and the waits of staff and systems in its step
    # (their positions); a wait in a step without customers is the customer's time too
    hosted_waits: list[int] = field(default_factory=list)
    loose_wait: bool = False
    # the other customer actions of its `parallel` group: the customer's path does not run
    # from one to another (the group adds only its longest member)
    siblings: frozenset[int] = frozenset()

    @property
    def sink(self) -> bool:
        """No work goes on from here: its finish counts for the lead time."""
        return not self.next and not self.branches

    @property
    def customer_sink(self) -> bool:
        """The customer's path goes on from here only to siblings (or nowhere)."""
        return not self.branches and all(n in self.siblings for n in self.next)


@dataclass
class Plan:
    steps: list[Step]
    starts: list[int]
    lanes: list[str]  # lane ids, in drawing order
    flow_edges: list[tuple[int, int | None]]  # per flow: (position of the end it leaves
    # from, branch index when it is a decision's branch, else None)
    encounter_flows: list[int]  # indexes into bp.flows that cross the line of interaction
    has_loops: bool


def time_order(bp: Blueprint) -> list[str]:
    """Action keys in time order: steps in order; inside each, Kahn's algorithm over its
    flows, written order first (a cycle inside a step is broken at the first written)."""
    written = {a.key: n for n, a in enumerate(bp.actions)}
    step = {a.key: a.step_index for a in bp.actions}
    same: dict[str, list[str]] = {a.key: [] for a in bp.actions}
    for source, target, _ in _ends(bp.flows):
        known = source in step and target in step and source != target
        if known and step[source] == step[target] and target not in same[source]:
            same[source].append(target)
    by_step: dict[int, list[str]] = {}
    for a in bp.actions:
        by_step.setdefault(a.step_index, []).append(a.key)
    order: list[str] = []
    for index in sorted(by_step):
        keys = by_step[index]
        indegree = {k: 0 for k in keys}
        for k in keys:
            for t in same[k]:
                indegree[t] += 1
        ready = [k for k in keys if indegree[k] == 0]
        left = set(keys)
        while left:
            if not ready:
                ready = [min(left, key=written.__getitem__)]
            ready.sort(key=written.__getitem__)
            here = ready.pop(0)
            if here not in left:
                continue
            left.discard(here)
            order.append(here)
            for t in same[here]:
                if t in left:
                    indegree[t] -= 1
                    if indegree[t] == 0:
                        ready.append(t)
    return order


def _ends(flows: Sequence[Flow]) -> list[tuple[str, str, int]]:
    """(source, target, flow index) of every flow, a `<->` flow both ways."""
    out = []
    for n, flow in enumerate(flows):
        out.append((flow.source, flow.target, n))
        if flow.kind is FlowKind.TWO_WAY:
            out.append((flow.target, flow.source, n))
    return out


def _draw(value: Duration | None, observed: Sequence[float] = ()) -> Draw:
    if observed:
        return Draw(observed=tuple(observed))
    if value is None:
        return Draw()
    return Draw(value.min_seconds, value.max_seconds - value.min_seconds)


def build_plan(
    bp: Blueprint,
    observed_durations: Mapping[str, Sequence[float]] | None = None,
    observed_waits: Mapping[str, Sequence[float]] | None = None,
) -> Plan:
    """The plan of `bp`; where an action has observations (given here only when there
    are enough of them), its draws come from those instead of the written range."""
    durations, waits = observed_durations or {}, observed_waits or {}
    keys = time_order(bp)
    pos = {k: n for n, k in enumerate(keys)}
    by_key = {a.key: a for a in bp.actions}
    lanes = [lane.id for lane in bp.lanes]
    lane_index = {lane_id: n for n, lane_id in enumerate(lanes)}
    steps = [_step(by_key[k], lane_index, durations.get(k, ()), waits.get(k, ())) for k in keys]
    _host_waits(bp, keys, by_key, steps)
    _groups(keys, by_key, steps)
    edges = _edges(bp, pos, by_key, steps)
    encounters = [n for n, f in enumerate(bp.flows) if Line.INTERACTION in f.crosses]
    return Plan(
        steps,
        _starts(bp, keys, by_key),
        lanes,
        edges,
        encounters,
        any(b.loop for s in steps for b in s.branches),
    )


def _step(
    action: Action, lanes: dict[str, int], durations: Sequence[float], waits: Sequence[float]
) -> Step:
    return Step(
        key=action.key,
        lane=lanes.get(action.lane, 0),
        customer=action.zone is Zone.CUSTOMER,
        duration=_draw(action.duration, durations),
        wait=_draw(action.wait, waits),
        cost=action.cost or 0.0,
    )


def _host_waits(
    bp: Blueprint, keys: list[str], by_key: dict[str, Action], steps: list[Step]
) -> None:
    """Staff and system waits go to their step's first customer action (as in 8.5)."""
    first_customer: dict[int, int] = {}
    for n, key in enumerate(keys):
        if by_key[key].zone is Zone.CUSTOMER:
            first_customer.setdefault(by_key[key].step_index, n)
    for n, key in enumerate(keys):
        action = by_key[key]
        if action.zone is Zone.CUSTOMER or action.wait is None:
            continue
        host = first_customer.get(action.step_index)
        if host is None:
            steps[n].loose_wait = True
        else:
            steps[host].hosted_waits.append(n)


def _groups(keys: list[str], by_key: dict[str, Action], steps: list[Step]) -> None:
    members: dict[int, list[int]] = {}
    for n, key in enumerate(keys):
        group = by_key[key].parallel_group
        if group is not None and steps[n].customer:
            members.setdefault(group, []).append(n)
    for where in members.values():
        for n in where:
            steps[n].siblings = frozenset(where) - {n}


def _edges(
    bp: Blueprint, pos: dict[str, int], by_key: dict[str, Action], steps: list[Step]
) -> list[tuple[int, int | None]]:
    """Fill each step's forward flows or branches; say, per flow, where it leaves from."""
    shares: dict[tuple[int, int], float | None] = {}
    loops: dict[int, list[int]] = {}
    for source, target, n in _ends(bp.flows):
        if source not in pos or target not in pos or source == target:
            continue
        here, there = pos[source], pos[target]
        step = steps[here]
        if there > here:
            if there not in step.next:
                step.next.append(there)
                shares[(here, there)] = bp.flows[n].share
        elif (
            by_key[source].decision
            and bp.flows[n].kind is not FlowKind.TWO_WAY
            and there not in loops.setdefault(here, [])
        ):
            loops[here].append(there)
            shares[(here, there)] = bp.flows[n].share
    for n, step in enumerate(steps):
        if not by_key[step.key].decision:
            continue
        targets = [*step.next, *loops.get(n, [])]
        step.next = []
        given = [shares[(n, t)] for t in targets]
        known = sum(s for s in given if s is not None)
        missing = sum(1 for s in given if s is None)
        rest = max(0.0, 1.0 - known) / missing if missing else 0.0
        weights = [rest if s is None else s for s in given]
        if missing == len(given):
            weights = [1.0] * len(given)
        total = sum(weights) or 1.0
        upto = 0.0
        for where, weight in zip(targets, weights, strict=True):
            upto += weight / total
            step.branches.append(Branch(where, upto, where < n))
        if step.branches:
            last = step.branches[-1]
            step.branches[-1] = Branch(last.target, 1.0, last.loop)
    return [_edge_of(flow, pos, steps) for flow in bp.flows]


def _edge_of(flow: Flow, pos: dict[str, int], steps: list[Step]) -> tuple[int, int | None]:
    """Where a flow's work leaves from (its earlier end for `<->`), and its branch."""
    if flow.source not in pos or flow.target not in pos:
        return (-1, None)
    here, there = pos[flow.source], pos[flow.target]
    if flow.kind is FlowKind.TWO_WAY and there < here:
        here, there = there, here
    for n, branch in enumerate(steps[here].branches):
        if branch.target == there:
            return (here, n)
    return (here, None)


def _starts(bp: Blueprint, keys: list[str], by_key: dict[str, Action]) -> list[int]:
    """The first customer action (with the rest of its `parallel` group: the journey
    enters each of them) and every trigger; in a `scope internal` blueprint its triggers
    and the actions of its first step (8.5, 8.7)."""
    starts = [n for n, k in enumerate(keys) if by_key[k].trigger is not None]
    if bp.internal:
        first_step = min((a.step_index for a in bp.actions), default=0)
        starts += [n for n, k in enumerate(keys) if by_key[k].step_index == first_step]
    else:
        first = next((by_key[k] for k in keys if by_key[k].zone is Zone.CUSTOMER), None)
        group = None if first is None else first.parallel_group
        starts += [
            n
            for n, k in enumerate(keys)
            if by_key[k] is first or (group is not None and by_key[k].parallel_group == group)
        ]
    return sorted(set(starts))
