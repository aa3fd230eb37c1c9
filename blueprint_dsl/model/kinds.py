"""The kinds and the unchanging values of the model: zones, lines, flow kinds, durations,
quantities, fail points and metrics (re-exported by `model/blueprint.py`).

The values are `NamedTuple`s, which cost a tenth of a dataclass to define at start-up.
"""

from __future__ import annotations

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
