"""The validated, backend-neutral model of one blueprint.

Backends (diagram, report, exports) read only these classes; they never see the
parser or the AST. Everything here is plain data with source spans. The kinds and the
values that never change (durations, quantities, fail points, metrics) are in
`kinds.py`, the elements of a blueprint in `elements.py`; all are imported from here.
None is a dataclass: `bpc check` imports no `dataclasses` (core/records.py).
"""

from __future__ import annotations

from ..core.records import Record
from .elements import Action, Evidence, Flow, Header, Lane, ParallelGroup, Phase, Step
from .kinds import (
    LINE_ORDER,
    ZONE_ORDER,
    Duration,
    FailPoint,
    FlowKind,
    Line,
    Metric,
    Quantity,
    Zone,
    lines_between,
)

__all__ = [
    "LINE_ORDER",
    "ZONE_ORDER",
    "Action",
    "Blueprint",
    "Duration",
    "Evidence",
    "FailPoint",
    "Flow",
    "FlowKind",
    "Header",
    "Lane",
    "Line",
    "Metric",
    "ParallelGroup",
    "Phase",
    "Quantity",
    "Step",
    "Zone",
    "lines_between",
]


class Blueprint(Record):
    """One compiled blueprint. Lanes are in drawing order (zone order, then declaration).

    Equal by its fields (not by the indexes `action` and `lane` read); weakly referable,
    as analysis/paths keeps graphs by weak reference."""

    __slots__ = (
        "__weakref__", "_actions_by_key", "_lanes_by_id", "actions", "evidence", "flows",
        "header", "lanes", "parallel_groups", "path", "phases", "steps",
    )  # fmt: skip
    __match_args__ = (
        "path", "header", "lanes", "phases", "steps", "actions", "evidence", "flows",
        "parallel_groups",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        header: Header,
        lanes: list[Lane],
        phases: list[Phase],
        steps: list[Step],
        actions: list[Action],
        evidence: list[Evidence],
        flows: list[Flow],
        parallel_groups: list[ParallelGroup] | None = None,  # None: a new empty list
    ) -> None:
        self.path = path
        self.header = header
        self.lanes = lanes
        self.phases = phases
        self.steps = steps
        self.actions = actions
        self.evidence = evidence
        self.flows = flows
        self.parallel_groups: list[ParallelGroup] = (
            [] if parallel_groups is None else parallel_groups
        )
        self._actions_by_key = {a.key: a for a in self.actions}
        self._lanes_by_id = {lane.id: lane for lane in self.lanes}

    def action(self, key: str) -> Action:
        return self._actions_by_key[key]

    def lane(self, lane_id: str) -> Lane:
        return self._lanes_by_id[lane_id]

    def actions_in_step(self, index: int) -> list[Action]:
        return [a for a in self.actions if a.step_index == index]

    @property
    def internal(self) -> bool:
        """`scope internal`: a drill-down of backstage or support work, no customer in it."""
        return self.header.scope == "internal"

    def evidence_in_step(self, index: int) -> list[Evidence]:
        return [e for e in self.evidence if e.step_index == index]
