"""What a simulation reports (section 8.8), from the totals its runs leave; the JSON form
follows `blueprint_dsl/schemas/simulate.schema.json`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model.blueprint import Blueprint, Zone
from .simulate_graph import Plan
from .simulate_stats import Histogram, Summary, round_seconds

SCHEMA_VERSION = 1


@dataclass
class Totals:
    """Running totals over every run simulated so far."""

    executions: list[int]
    ran: list[int]  # runs in which an action ran at least once (with loops only)
    branches: list[list[int]]  # executions of each decision branch
    customer: Histogram
    lead: Histogram
    target: float | None
    over_target: int = 0
    cut_short: int = 0

    @classmethod
    def empty(cls, plan: Plan, target: float | None = None) -> Totals:
        size = len(plan.steps)
        return cls(
            [0] * size,
            [0] * size,
            [[0] * len(s.branches) for s in plan.steps],
            Histogram(),
            Histogram(),
            target,
        )

    def add_chunk(self, customer: Sequence[float], lead: Sequence[float]) -> None:
        self.customer.add(customer)
        self.lead.add(lead)
        if self.target is not None:
            limit = self.target
            self.over_target += sum(1 for c in customer if c > limit)


@dataclass(frozen=True)
class ActionFigures:
    key: str
    label: str
    lane: str
    probability: float  # of running at least once in a run
    executions: float  # expected number per run, loops included
    cost: float | None
    expected_cost: float
    observed_durations: int  # how many observations its durations are drawn from (0: none)
    observed_waits: int


@dataclass(frozen=True)
class LaneFigures:
    id: str
    label: str
    zone: str
    busy: float  # mean seconds of work per run (durations of its actions that ran)


@dataclass(frozen=True)
class Simulation:
    path: str
    title: str
    locale: str
    runs: int
    seed: int
    customer_time: Summary
    lead_time: Summary
    target_seconds: float | None
    p_over_target: float | None
    histogram_width: float
    histogram: tuple[int, ...]
    lanes: tuple[LaneFigures, ...]
    currency: str | None
    expected_cost: float
    encounters: float
    written_encounters: int
    actions: tuple[ActionFigures, ...]
    cut_short: int

    def to_json(self, observed: str | None = None) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "file": self.path,
            "title": self.title,
            "runs": self.runs,
            "seed": self.seed,
            "observed": observed,
            "customer_time": {
                **self.customer_time.to_json(),
                "histogram": {
                    "bin_seconds": round_seconds(self.histogram_width),
                    "counts": list(self.histogram),
                },
            },
            "lead_time": self.lead_time.to_json(),
            "target_seconds": None
            if self.target_seconds is None
            else round_seconds(self.target_seconds),
            "p_over_target": None if self.p_over_target is None else round(self.p_over_target, 4),
            "lanes": [
                {
                    "lane": x.id,
                    "label": x.label,
                    "zone": x.zone,
                    "mean_busy_seconds": round_seconds(x.busy),
                }
                for x in self.lanes
            ],
            "cost": {
                "currency": self.currency,
                "expected_per_service": round(self.expected_cost, 4),
            },
            "encounters": {
                "expected": round(self.encounters, 4),
                "written": self.written_encounters,
            },
            "actions": [
                {
                    "action": a.key,
                    "label": a.label,
                    "lane": a.lane,
                    "probability": round(a.probability, 4),
                    "expected_executions": round(a.executions, 4),
                    "cost": a.cost,
                    "expected_cost": round(a.expected_cost, 4),
                    "observed": {"durations": a.observed_durations, "waits": a.observed_waits},
                }
                for a in self.actions
            ],
            "runs_cut_short": self.cut_short,
        }


def figures(bp: Blueprint, plan: Plan, totals: Totals, runs: int, seed: int) -> Simulation:
    """The report of `runs` runs from their totals."""
    per = 1.0 / runs if runs else 0.0
    by_key = {a.key: a for a in bp.actions}
    actions = []
    busy: dict[int, float] = {}
    for n, step in enumerate(plan.steps):
        action = by_key[step.key]
        executions = totals.executions[n] * per
        ran = (totals.ran[n] if plan.has_loops else totals.executions[n]) * per
        # a duration is drawn independently of whether its action runs: its expected sum
        # is the expected executions times the mean duration (exact, and without noise)
        busy[step.lane] = busy.get(step.lane, 0.0) + executions * step.duration.mean
        actions.append(
            ActionFigures(
                step.key,
                action.label,
                action.lane,
                ran,
                executions,
                action.cost,
                (action.cost or 0.0) * executions,
                len(step.duration.observed),
                len(step.wait.observed),
            )
        )
    lanes = tuple(
        LaneFigures(lane.id, lane.label, lane.zone.value, busy.get(n, 0.0))
        for n, lane in enumerate(bp.lanes)
        if lane.zone is not Zone.EVIDENCE
    )
    encounters = 0.0
    for flow_index in plan.encounter_flows:
        here, branch = plan.flow_edges[flow_index]
        if here < 0:
            continue
        done = totals.executions[here] if branch is None else totals.branches[here][branch]
        encounters += done * per
    target = bp.header.target.max_seconds if bp.header.target is not None else None
    width, counts = totals.customer.coarse()
    return Simulation(
        path=bp.path,
        title=bp.header.title,
        locale=bp.header.locale,
        runs=runs,
        seed=seed,
        customer_time=totals.customer.summary(),
        lead_time=totals.lead.summary(),
        target_seconds=target,
        p_over_target=None if target is None else totals.over_target * per,
        histogram_width=width,
        histogram=tuple(counts),
        lanes=lanes,
        currency=bp.header.currency,
        expected_cost=sum(a.expected_cost for a in actions),
        encounters=encounters,
        written_encounters=len(plan.encounter_flows),
        actions=tuple(actions),
        cut_short=totals.cut_short,
    )
