"""Monte Carlo simulation of a blueprint (language 0.2, section 8.8).

Each run starts the first customer action and every trigger at time 0 and follows the
work forward (`simulate_graph.py` says what forward is): an action starts when all the
work that reached it in this run has finished (the longest way in), draws its duration
and its wait uniformly from their ranges (or from observations), and hands its finish on
along every forward flow; a decision hands it on along one branch, drawn by the shares
(equal when none are written), and a branch back to an earlier action (a rework loop)
runs that stretch again. What no work reaches in a run does not run in it.

- **Lead time** is the latest finish of the run: the longest path over the forward flows
  actually executed, loops included.
- **Customer time** follows the same paths but weighs only the customer: each customer
  action adds its duration, its wait and the waits of staff and systems in its step; the
  customer's path does not run from one member of a `parallel` group to another, so a
  group adds its longest member; waits in steps without a customer action add where they
  run. Without ranges and decisions both are the figures of `paths.py`.

Runs are simulated side by side (a list per action over a chunk of runs, a chunk at a
time), so memory does not grow with the number of runs: figures are streaming totals
and histograms (`simulate_stats.py`).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence

from ..model.blueprint import Blueprint
from .simulate_graph import Draw, Plan, build_plan
from .simulate_result import Simulation, Totals, figures

NEG = -math.inf
CHUNK = 4096  # runs simulated side by side
MAX_ROUNDS = 1000  # rework rounds in one chunk before the runs still looping are cut short

Values = float | list[float]
Ready = dict[int, list[float]]
Loop = tuple[int, list[int], list[float], list[float]]  # target, runs, times, customer's
Finish = tuple[list[float], list[float], list[float]]  # time, customer's, customer's at start


def simulate(
    bp: Blueprint,
    runs: int = 10_000,
    seed: int = 1,
    observed_durations: Mapping[str, Sequence[float]] | None = None,
    observed_waits: Mapping[str, Sequence[float]] | None = None,
) -> Simulation:
    """Simulate `runs` runs of `bp` with `random.Random(seed)`: the same input gives the
    same figures. Observations given for an action replace its written range."""
    plan = build_plan(bp, observed_durations, observed_waits)
    target = bp.header.target.max_seconds if bp.header.target is not None else None
    totals = Totals.empty(plan, target)
    rnd = random.Random(seed).random
    done = 0
    while done < runs:
        size = min(CHUNK, runs - done)
        _Chunk(plan, size, rnd, totals).run()
        done += size
    return figures(bp, plan, totals, runs, seed)


def _values(draw: Draw, m: int, rnd: Callable[[], float]) -> Values:
    """`m` draws, or one float when the value is fixed."""
    if draw.observed:
        seen, count = draw.observed, len(draw.observed)
        return [seen[int(rnd() * count)] for _ in range(m)]
    if draw.span == 0.0:
        return draw.low
    low, span = draw.low, draw.span
    return [low + span * rnd() for _ in range(m)]


def _add(base: list[float], extra: Values) -> list[float]:
    if isinstance(extra, float):
        return base if extra == 0.0 else [b + extra for b in base]
    return [b + e for b, e in zip(base, extra, strict=True)]


def _plus(a: Values, b: Values) -> Values:
    if isinstance(a, float):
        return _add(b, a) if isinstance(b, list) else a + b
    return _add(a, b)


def _push(ready: Ready, target: int, values: list[float]) -> None:
    here = ready.get(target)
    ready[target] = (
        values if here is None else [a if a > b else b for a, b in zip(here, values, strict=True)]
    )


def _timed(rt: list[float], duration: Draw, wait: Values, rnd: Callable[[], float]) -> list[float]:
    """`rt` + a drawn duration + `wait`, in one pass where it can (the hot loop)."""
    if duration.observed:
        return _add(_add(rt, _values(duration, len(rt), rnd)), wait)
    low, span = duration.low, duration.span
    if isinstance(wait, float):
        low += wait
        if span == 0.0:
            return _add(rt, low)
        return [t + low + span * rnd() for t in rt]
    if span == 0.0:
        return [t + low + w for t, w in zip(rt, wait, strict=True)]
    return [t + low + span * rnd() + w for t, w in zip(rt, wait, strict=True)]


class _Latest:
    """Each run's latest value of a figure, taken over lists given a batch at a time (one
    `max` per run over the batch is much faster than a pass per list)."""

    BATCH = 64

    def __init__(self, into: list[float], runs: list[int], first: bool) -> None:
        self.into, self.runs, self.first = into, runs, first
        self.pending: dict[int, list[float]] = {}

    def add(self, values: list[float]) -> None:
        self.pending[id(values)] = values  # the same list handed on twice counts once
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        lists = list(self.pending.values())
        self.pending = {}
        if self.first:
            self.into[:] = map(max, self.into, *lists)
            return
        into = self.into
        for run, value in zip(
            self.runs, map(max, *lists) if len(lists) > 1 else lists[0], strict=True
        ):
            if value > into[run]:
                into[run] = value


class _Chunk:
    """`m` runs side by side: per action, a list of the runs' values (NEG: not reached)."""

    def __init__(self, plan: Plan, m: int, rnd: Callable[[], float], totals: Totals) -> None:
        self.plan, self.m, self.rnd, self.totals = plan, m, rnd, totals
        self.lead = [0.0] * m
        self.customer = [0.0] * m
        self.loose = [0.0] * m
        self.ran: dict[int, bytearray] | None = {} if plan.has_loops else None
        hosts = {h: n for n, s in enumerate(plan.steps) for h in s.hosted_waits}
        self.release: dict[int, list[int]] = {}  # position -> waits no longer needed after it
        for n in range(len(plan.steps)):
            self.release.setdefault(max(n, hosts.get(n, n)), []).append(n)

    def run(self) -> None:
        runs = list(range(self.m))
        zeros = [0.0] * self.m
        ready_t: Ready = {s: zeros for s in self.plan.starts}
        ready_c: Ready = {s: zeros for s in self.plan.starts}
        rounds = 0
        while runs and ready_t:
            if rounds == MAX_ROUNDS:
                self.totals.cut_short += len(runs)
                break
            runs, ready_t, ready_c = self._round(runs, ready_t, ready_c, rounds == 0)
            rounds += 1
        self.totals.add_chunk(
            [c + w for c, w in zip(self.customer, self.loose, strict=True)], self.lead
        )
        for n, marks in (self.ran or {}).items():
            self.totals.ran[n] += marks.count(1)

    def _round(
        self, runs: list[int], ready_t: Ready, ready_c: Ready, first: bool
    ) -> tuple[list[int], Ready, Ready]:
        """One pass over the plan for `runs` (the first: all of them; then those that
        went round a rework loop once more)."""
        m, steps = len(runs), self.plan.steps
        waits: dict[int, Values] = {}
        loops: list[Loop] = []

        def wait_of(n: int) -> Values:
            if n not in waits:
                waits[n] = _values(steps[n].wait, m, self.rnd)
            return waits[n]

        lead, customer = _Latest(self.lead, runs, first), _Latest(self.customer, runs, first)
        for n in range(min(ready_t), len(steps)):
            rt = ready_t.pop(n, None)
            if rt is not None:
                rc = ready_c.pop(n)
                idle = rt.count(NEG)
                if idle < m:
                    self._mark(n, rt, runs, idle, first)
                    ft, fc = self._step(n, rt, rc, runs, wait_of)
                    if steps[n].sink:
                        lead.add(ft)
                    if steps[n].customer_sink:
                        customer.add(fc)
                    self._forward(n, (ft, fc, rc), ready_t, ready_c, runs, loops)
            for done in self.release.get(n, ()):
                waits.pop(done, None)
        lead.flush()
        customer.flush()
        return self._next_round(loops)

    def _mark(self, n: int, rt: list[float], runs: list[int], idle: int, first: bool) -> None:
        self.totals.executions[n] += len(rt) - idle
        if self.ran is None:
            return
        marks = self.ran.setdefault(n, bytearray(self.m))
        if first and idle == 0:
            marks[:] = b"\x01" * self.m
            return
        for i, t in enumerate(rt):
            if t != NEG:
                marks[runs[i]] = 1

    def _step(
        self,
        n: int,
        rt: list[float],
        rc: list[float],
        runs: list[int],
        wait_of: Callable[[int], Values],
    ) -> tuple[list[float], list[float]]:
        """Draw one action's time in every run that reached it: when it finishes, and the
        customer's time then."""
        step = self.plan.steps[n]
        wait = wait_of(n)
        if step.customer:
            weight = _plus(_values(step.duration, len(rt), self.rnd), wait)
            ft = _add(rt, weight)
            for host in step.hosted_waits:
                weight = _plus(weight, wait_of(host))
            fc = _add(rc, weight)
        else:
            ft, fc = _timed(rt, step.duration, wait, self.rnd), rc
        if step.loose_wait:
            for i, t in enumerate(rt):
                if t != NEG:
                    self.loose[runs[i]] += wait if isinstance(wait, float) else wait[i]
        return ft, fc

    def _forward(
        self,
        n: int,
        finish: Finish,
        ready_t: Ready,
        ready_c: Ready,
        runs: list[int],
        loops: list[Loop],
    ) -> None:
        """Hand the finishes on: along every forward flow, or one branch per run."""
        step = self.plan.steps[n]
        ft, fc, rc = finish
        if not step.branches:
            for target in step.next:
                _push(ready_t, target, ft)
                _push(ready_c, target, rc if target in step.siblings else fc)
            return
        m, rnd = len(ft), self.rnd
        uptos = [b.upto for b in step.branches]
        last = len(uptos) - 1
        if last == 0:
            choice = [0] * m
        elif last == 1:
            cut = uptos[0]
            choice = [0 if rnd() < cut else 1 for _ in range(m)]
        else:
            choice = [min(bisect_right(uptos, rnd()), last) for _ in range(m)]
        counts = self.totals.branches[n]
        for b, branch in enumerate(step.branches):
            bt = [f if c == b else NEG for f, c in zip(ft, choice, strict=True)]
            taken = m - bt.count(NEG)
            counts[b] += taken
            if not taken:
                continue
            bc = [f if c == b else NEG for f, c in zip(fc, choice, strict=True)]
            if branch.loop:
                picked = [i for i, f in enumerate(bt) if f != NEG]
                loops.append(
                    (
                        branch.target,
                        [runs[i] for i in picked],
                        [bt[i] for i in picked],
                        [bc[i] for i in picked],
                    )
                )
            else:
                _push(ready_t, branch.target, bt)
                _push(ready_c, branch.target, bc)

    def _next_round(self, loops: list[Loop]) -> tuple[list[int], Ready, Ready]:
        """The runs that went round a loop, starting again where their loops lead."""
        runs = sorted({run for _, those, _, _ in loops for run in those})
        where = {run: i for i, run in enumerate(runs)}
        ready_t: Ready = {}
        ready_c: Ready = {}
        for target, those, times, customer in loops:
            lt = ready_t.setdefault(target, [NEG] * len(runs))
            lc = ready_c.setdefault(target, [NEG] * len(runs))
            for run, t, c in zip(those, times, customer, strict=True):
                i = where[run]
                lt[i] = max(lt[i], t)
                lc[i] = max(lc[i], c)
        return runs, ready_t, ready_c
