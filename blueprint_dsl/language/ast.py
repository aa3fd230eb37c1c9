"""The syntax tree of a .bp file. Every node keeps its source span."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.spans import Span


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Value:
    """An attribute or field argument."""

    kind: str  # "string" | "quantity" | "name" | "range" | "compare"
    text: str  # string values unescaped; ranges as "lo..hi"
    span: Span
    low: str | None = None  # range ends, as written
    high: str | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """A header field or an action attribute: a name and its arguments."""

    name: Name
    values: tuple[Value, ...]

    @property
    def span(self) -> Span:
        """From the name to the end of the last argument (worked out, not kept: a big
        blueprint has five fields a step)."""
        start = self.name.span
        end = self.values[-1].span if self.values else start
        return Span(start.file, start.line, start.column, end.end_line, end.end_column)


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    title_span: Span
    fields: tuple[Field, ...]
    span: Span
    keyword: str = "blueprint"


@dataclass(frozen=True, slots=True)
class LaneDecl:
    id: Name
    label: str
    zone: Name
    span: Span
    keyword: str = "lane"
    in_keyword: str = "in"


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: Name | None
    label: str
    span: Span


@dataclass(frozen=True, slots=True)
class EvidenceStmt:
    items: tuple[EvidenceItem, ...]
    span: Span
    keyword: str = "evidence"


@dataclass(frozen=True, slots=True)
class FlowRef:
    arrow: str
    arrow_span: Span
    targets: tuple[Name, ...]


@dataclass(frozen=True, slots=True)
class ActionStmt:
    lane: Name
    id: Name | None
    label: str
    label_span: Span
    flows: tuple[FlowRef, ...]
    attributes: tuple[Field, ...]
    span: Span

    @property
    def head_span(self) -> Span:
        """Where diagnostics about the action point: its id, else its label."""
        return self.id.span if self.id is not None else self.label_span


@dataclass(frozen=True, slots=True)
class Chain:
    names: tuple[Name, ...]
    arrows: tuple[tuple[str, Span], ...]
    label: str | None
    label_span: Span | None
    span: Span
    share: Value | None = None  # a decision branch's share of cases: `: "valid" 90%`


@dataclass(frozen=True, slots=True)
class ParallelNode:
    """`parallel { … }`: actions of one step that happen at the same time."""

    body: tuple[ActionStmt | Chain, ...]
    span: Span
    keyword: str = "parallel"


@dataclass(frozen=True, slots=True)
class StepNode:
    id: Name | None
    label: str
    label_span: Span
    body: tuple[EvidenceStmt | ActionStmt | Chain | ParallelNode, ...]
    span: Span
    keyword: str = "step"


@dataclass(frozen=True, slots=True)
class PhaseNode:
    label: str
    label_span: Span
    steps: tuple[StepNode, ...]
    span: Span
    keyword: str = "phase"


@dataclass(frozen=True, slots=True)
class Include:
    path: str
    path_span: Span
    span: Span
    keyword: str = "include"


Item = Header | LaneDecl | PhaseNode | StepNode | Chain | ActionStmt | Include


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    span: Span


@dataclass
class Document:
    path: str
    items: list[Item] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def step_around(document: Document, span: Span) -> StepNode | None:
    """The step whose block holds the start of `span`, if any."""
    key = (span.line, span.column)
    for item in document.items:
        steps = item.steps if isinstance(item, PhaseNode) else (item,)
        for step in steps:
            if isinstance(step, StepNode) and (
                (step.span.line, step.span.column)
                <= key
                < (step.span.end_line, step.span.end_column)
            ):
                return step
    return None
