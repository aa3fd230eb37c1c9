"""The laid-out diagram as plain data: what `layout` computes and `dot` draws.

Coordinates are points (1/72 inch), origin at the top-left corner, y growing downwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.blueprint import FlowKind, Line, Zone

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    @classmethod
    def around(cls, cx: float, cy: float, w: float, h: float) -> Rect:
        return cls(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


@dataclass(frozen=True)
class Text:
    """Lines of text centred in `rect`."""

    lines: tuple[str, ...]
    rect: Rect
    size: float


@dataclass(frozen=True)
class Band:
    """One lane: a full-width horizontal band."""

    lane_id: str
    zone: Zone
    rect: Rect
    alternate: bool  # drawn in the zone's alternate shade


@dataclass(frozen=True)
class ZoneLabel:
    zone: Zone
    text: Text


@dataclass(frozen=True)
class LaneLabel:
    lane_id: str
    zone: Zone
    text: Text


@dataclass(frozen=True)
class LineMark:
    """One of the three lines, drawn across the full width at `y`."""

    line: Line
    name: str
    y: float
    x0: float
    x1: float
    labels: tuple[Text, ...]


@dataclass(frozen=True)
class PhaseBand:
    text: Text  # the text's rect is the whole band


@dataclass(frozen=True)
class StepHeader:
    index: int
    text: Text


@dataclass(frozen=True)
class ActionNode:
    key: str
    zone: Zone
    shape: str  # "box" | "diamond"
    rect: Rect
    text: Text
    meta: Text | None
    tooltip: str
    url: str | None


@dataclass(frozen=True)
class EvidenceNode:
    index: int  # position in Blueprint.evidence
    step_index: int
    rect: Rect
    text: Text
    tooltip: str


@dataclass(frozen=True)
class Marker:
    """A badge on an action: fail point, wait point, moment of truth or detail link."""

    kind: str  # "fail" | "wait" | "moment" | "detail"
    owner: str  # the action key
    rect: Rect
    text: str
    size: float
    tooltip: str
    url: str | None


@dataclass(frozen=True)
class Route:
    """A flow drawn as orthogonal polylines. A labelled flow has two parts with the
    label in the gap between them; the arrowhead is at the end of the last part."""

    index: int  # position of the flow in Blueprint.flows
    source: str
    target: str
    kind: FlowKind
    implicit: bool
    encounter: bool
    parts: tuple[tuple[Point, ...], ...]
    label: Text | None
    tooltip: str


@dataclass(frozen=True)
class LegendItem:
    kind: str  # "flow" | "info" | "two-way" | "encounter" | "fail" | "wait" | "moment" | "detail"
    sample: Rect
    text: Text


@dataclass(frozen=True)
class HeaderBand:
    """The band across the top: title, the header's facts, customer time against target.

    `status` is "over" (even the shortest customer time is over the target), "may" (the
    longest is), "ok", or "" when there is no target or no customer time."""

    rect: Rect
    title: Text
    facts: Text | None
    time: Text | None
    status: str
    status_text: Text | None


@dataclass(frozen=True)
class KeyEntry:
    """One entry of the key under the legend: its badge's number and what it stands for,
    in one text ("F1 No table ready → Offer a bar seat and a drink")."""

    kind: str  # "fail" | "wait" | "moment" | "detail" | "trigger" | "note"
    owner: str  # the action key
    badge_text: str  # "F1", "W1", "★1", "↗1", "↯1", or the word for a note
    text: Text


@dataclass(frozen=True)
class EmotionPoint:
    step_index: int
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class EmotionChart:
    """The customer's emotion per step (−2…+2), a line chart above the customer band."""

    rect: Rect
    zero_y: float
    label: Text
    ticks: tuple[Text, ...]
    points: tuple[EmotionPoint, ...]


@dataclass(frozen=True)
class ParallelOutline:
    """A dashed outline around the actions of one `parallel` group in one lane band."""

    group: int
    rect: Rect
    tooltip: str


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    locale: str
    title: Text
    subtitle: Text | None
    bands: tuple[Band, ...]
    zone_labels: tuple[ZoneLabel, ...]
    lane_labels: tuple[LaneLabel, ...]
    lines: tuple[LineMark, ...]
    phases: tuple[PhaseBand, ...]
    steps: tuple[StepHeader, ...]
    columns: tuple[float, ...]  # x of each step column's centre
    actions: tuple[ActionNode, ...]
    evidence: tuple[EvidenceNode, ...]
    markers: tuple[Marker, ...]
    routes: tuple[Route, ...]
    legend: tuple[LegendItem, ...]
    header: HeaderBand | None = None
    key: tuple[KeyEntry, ...] = ()
    emotion: tuple[EmotionChart, ...] = ()  # one per row of a wrapped drawing
    parallel: tuple[ParallelOutline, ...] = ()
    critical: tuple[str, ...] = ()  # action keys of the critical path, when highlighted
    legend_top: float = 0.0  # where the legend starts (under the lanes)
