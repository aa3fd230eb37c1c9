"""The validated, backend-neutral model of one blueprint.

Backends (diagram, report, exports) read only these classes; they never see the
parser or the AST. Everything here is plain data with source spans. The values that
never change (durations, quantities, fail points, metrics) are
`NamedTuple`s, which cost a tenth of a frozen dataclass to define at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from ..core.spans import Span


class Zone(StrEnum):
    """The five areas of a service blueprint, top to bottom."""

    EVIDENCE = "evidence"
    CUSTOMER = "customer"
    ONSTAGE = "onstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"

    @property
    def level(self) -> int:
        return ZONE_ORDER.index(self)


ZONE_ORDER: tuple[Zone, ...] = (
    Zone.EVIDENCE,
    Zone.CUSTOMER,
    Zone.ONSTAGE,
    Zone.BACKSTAGE,
    Zone.SUPPORT,
)


class Line(StrEnum):
    """The three lines of a blueprint; each sits just above the zone named in `below`."""

    INTERACTION = "interaction"
    VISIBILITY = "visibility"
    INTERNAL = "internal"

    @property
    def below(self) -> Zone:
        return {
            Line.INTERACTION: Zone.ONSTAGE,
            Line.VISIBILITY: Zone.BACKSTAGE,
            Line.INTERNAL: Zone.SUPPORT,
        }[self]


LINE_ORDER: tuple[Line, ...] = (Line.INTERACTION, Line.VISIBILITY, Line.INTERNAL)


def lines_between(a: Zone, b: Zone) -> tuple[Line, ...]:
    """The lines a flow between zones `a` and `b` crosses, top to bottom."""
    lo, hi = sorted((a.level, b.level))
    return tuple(line for line in LINE_ORDER if lo < line.below.level <= hi)


class FlowKind(StrEnum):
    FLOW = "->"  # flow of work or of the customer
    INFO = "-->"  # information / data flow, drawn dashed
    TWO_WAY = "<->"  # two-way interaction

    @property
    def name_(self) -> str:
        return {"->": "flow", "-->": "info", "<->": "two-way"}[self.value]


class Duration(NamedTuple):
    """A duration or a range of durations, in seconds."""

    min_seconds: float
    max_seconds: float
    text: str

    @property
    def is_range(self) -> bool:
        return self.min_seconds != self.max_seconds


class Quantity(NamedTuple):
    """A metric value: a percentage, a plain number or a duration."""

    kind: str  # "percent" | "number" | "duration"
    value: float  # percent as written (62% -> 62.0); durations in seconds
    text: str


class FailPoint(NamedTuple):
    """A `fail` attribute: what can go wrong, and how it is recovered (None: not said)."""

    what: str
    recover: str | None
    span: Span


class Metric(NamedTuple):
    """A `metric` attribute: a measured value and, optionally, its target."""

    name: str
    value: Quantity
    target: Quantity | None
    span: Span
    lower_is_better: bool = False  # `target <= V` (0.2); `target V` and `>= V` are higher

    def misses_target(self, value: float | None = None) -> bool:
        """Whether `value` (default: the written value) misses the target's direction."""
        if self.target is None:
            return False
        got = self.value.value if value is None else value
        return got > self.target.value if self.lower_is_better else got < self.target.value


@dataclass(frozen=True, slots=True)  # not a NamedTuple: its `index` would hide tuple.index
class ParallelGroup:
    """`parallel { … }`: actions of one step that happen at the same time (0.2)."""

    index: int  # 1-based, in file order
    step_index: int
    keys: tuple[str, ...]
    span: Span


@dataclass(slots=True)
class Lane:
    """A lane of one zone, declared with `lane` or the zone's own."""

    id: str
    label: str
    zone: Zone
    declared: bool  # False for the zone's own lane (customer, onstage, ...)
    span: Span | None = None


@dataclass(slots=True)
class Phase:
    """A `phase`: a label over a run of consecutive steps."""

    label: str
    span: Span
    first_step: int  # 1-based step indexes, inclusive
    last_step: int


@dataclass(slots=True)
class Step:
    """A `step`: one column of the blueprint."""

    index: int  # 1-based, in written order
    id: str | None
    label: str
    phase: str | None
    span: Span


@dataclass(slots=True)
class Evidence:
    """A piece of physical evidence, in the step it is shown in."""

    id: str | None
    label: str
    step_index: int
    span: Span


@dataclass(slots=True)
class Action:
    """An action in one lane of one step, with its attributes resolved."""

    key: str  # the id, or a generated "#<n>" for actions without one
    id: str | None
    label: str
    zone: Zone
    lane: str
    step_index: int
    span: Span
    role: str | None = None
    duration: Duration | None = None
    standard: Duration | None = None
    wait: Duration | None = None
    fails: list[FailPoint] = field(default_factory=list)
    decision: bool = False
    moment: bool = False
    moment_note: str | None = None
    emotion: int | None = None
    cost: float | None = None
    metrics: list[Metric] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    detail: str | None = None
    trigger: str | None = None  # 0.2: starts by itself ("" when no reason is written)
    parallel_group: int | None = None  # 0.2: the `parallel` group it belongs to
    attribute_spans: dict[str, Span] = field(default_factory=dict)


@dataclass(slots=True)
class Flow:
    """A flow between two actions, by key; `crosses` lists the lines it passes."""

    source: str  # action keys
    target: str
    kind: FlowKind
    label: str | None
    implicit: bool  # the generated customer journey
    crosses: tuple[Line, ...]
    span: Span
    share: float | None = None  # 0.2: a decision branch's share of cases, 0…1


@dataclass(slots=True)
class Header:
    """The `blueprint` block: title and header fields."""

    title: str
    id: str | None = None
    version: str | None = None
    owner: str | None = None
    persona: str | None = None
    description: str | None = None
    locale: str = "en"
    target: Duration | None = None
    currency: str | None = None
    span: Span | None = None
    scope: str = "customer"  # 0.2: "internal" for a blueprint with no customer in it


@dataclass(slots=True, weakref_slot=True)  # analysis/paths keeps graphs by weak reference
class Blueprint:
    """One compiled blueprint. Lanes are in drawing order (zone order, then declaration)."""

    path: str
    header: Header
    lanes: list[Lane]
    phases: list[Phase]
    steps: list[Step]
    actions: list[Action]
    evidence: list[Evidence]
    flows: list[Flow]
    parallel_groups: list[ParallelGroup] = field(default_factory=list)

    _actions_by_key: dict[str, Action] = field(init=False, repr=False, compare=False)
    _lanes_by_id: dict[str, Lane] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
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
