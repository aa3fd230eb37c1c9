"""What an import builds before it is written: a blueprint as plain lists, in the order
the .bp file will have (steps in order, each with its evidence and actions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.blueprint import Zone


@dataclass
class Attribute:
    """One attribute line: `name` is English (the writer translates it for `locale zh`);
    each value is ("string", text), ("raw", token) or ("keyword", English keyword)."""

    name: str
    values: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DraftAction:
    lane: str  # a lane id, or a zone name for the zone's own lane
    label: str
    id: str | None
    flows: list[tuple[str, str]] = field(default_factory=list)  # (arrow, target id)
    attributes: list[Attribute] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # written above the action
    parallel_group: int | None = None  # actions of one group are written in `parallel { }`


@dataclass
class DraftStep:
    label: str
    phase: str | None
    evidence: list[str] = field(default_factory=list)
    actions: list[DraftAction] = field(default_factory=list)


@dataclass
class DraftLane:
    id: str
    label: str
    zone: Zone


@dataclass
class Draft:
    title: str
    locale: str  # "en" | "zh"
    lanes: list[DraftLane] = field(default_factory=list)
    steps: list[DraftStep] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # written after the header

    @property
    def action_count(self) -> int:
        return sum(len(s.actions) for s in self.steps)
