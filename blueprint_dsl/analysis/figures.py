"""Figures computed from a compiled blueprint: the JSON export's `analysis` object."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.blueprint import Blueprint, Line, Zone
from .paths import customer_path, lead_time


@dataclass(frozen=True)
class Analysis:
    steps: int
    customer_actions: int
    encounters: int
    internal_encounters: int
    fail_points: int
    fail_points_without_recovery: int
    wait_points: int
    customer_time_min: float
    customer_time_max: float
    target_seconds: float | None
    evidence_coverage: float
    lead_time_min: float = 0.0
    lead_time_max: float = 0.0
    critical_path: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "steps": self.steps,
            "customer_actions": self.customer_actions,
            "encounters": self.encounters,
            "internal_encounters": self.internal_encounters,
            "fail_points": self.fail_points,
            "fail_points_without_recovery": self.fail_points_without_recovery,
            "wait_points": self.wait_points,
            "customer_time": {
                "min_seconds": json_number(self.customer_time_min),
                "max_seconds": json_number(self.customer_time_max),
            },
            "target_seconds": None
            if self.target_seconds is None
            else json_number(self.target_seconds),
            "evidence_coverage": round(self.evidence_coverage, 4),
            "lead_time": {
                "min_seconds": json_number(self.lead_time_min),
                "max_seconds": json_number(self.lead_time_max),
            },
            "critical_path": list(self.critical_path),
        }


def json_number(value: float) -> float | int:
    """A whole number as an int (600, not 600.0), for JSON output."""
    return int(value) if float(value).is_integer() else value


def analyse(bp: Blueprint) -> Analysis:
    customer = [a for a in bp.actions if a.zone is Zone.CUSTOMER]
    steps_with_evidence = {e.step_index for e in bp.evidence}
    fails = [f for a in bp.actions for f in a.fails]
    # 0.2 (section 8.5): the customer's path, not the sum of every customer action; the
    # same figure for a file without customer decisions or parallel groups.
    time_min, time_max = customer_path(bp)
    lead = lead_time(bp)
    covered = sum(1 for a in customer if a.step_index in steps_with_evidence)
    return Analysis(
        steps=len(bp.steps),
        customer_actions=len(customer),
        encounters=sum(1 for f in bp.flows if Line.INTERACTION in f.crosses),
        internal_encounters=sum(1 for f in bp.flows if Line.INTERNAL in f.crosses),
        fail_points=len(fails),
        fail_points_without_recovery=sum(1 for f in fails if f.recover is None),
        wait_points=sum(1 for a in bp.actions if a.wait is not None),
        customer_time_min=time_min,
        customer_time_max=time_max,
        target_seconds=None if bp.header.target is None else bp.header.target.max_seconds,
        evidence_coverage=covered / len(customer) if customer else 0.0,
        lead_time_min=lead.min_seconds,
        lead_time_max=lead.max_seconds,
        critical_path=lead.critical_path,
    )
