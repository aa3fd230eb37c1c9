"""The syntax tree of a .bp file. Every node keeps its source span.

Nodes are `NamedTuple`s: immutable, compact and cheap to define (a frozen dataclass
costs a millisecond or more at start-up, and `bpc check` defines every class here).
Two nodes are equal only if they are of the same class (`_same_class_eq` below), not
merely equal as tuples.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..core.spans import Span


class Name(NamedTuple):
    """An identifier as written, with its span."""

    text: str
    span: Span


class Value(NamedTuple):
    """An attribute or field argument."""

    kind: str  # "string" | "quantity" | "name" | "range" | "compare"
    text: str  # string values unescaped; ranges as "lo..hi"
    span: Span
    low: str | None = None  # range ends, as written
    high: str | None = None


class Field(NamedTuple):
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


class Header(NamedTuple):
    """The `blueprint "Title" { … }` block."""

    title: str
    title_span: Span
    fields: tuple[Field, ...]
    span: Span
    keyword: str = "blueprint"


class LaneDecl(NamedTuple):
    """`lane id "Label" in zone`."""

    id: Name
    label: str
    zone: Name
    span: Span
    keyword: str = "lane"
    in_keyword: str = "in"


class EvidenceItem(NamedTuple):
    """One item of an `evidence` statement: an optional id and its label."""

    id: Name | None
    label: str
    span: Span


class EvidenceStmt(NamedTuple):
    """`evidence "A", id "B"`: the physical evidence of a step."""

    items: tuple[EvidenceItem, ...]
    span: Span
    keyword: str = "evidence"


class FlowRef(NamedTuple):
    """An arrow after an action and the actions it points to."""

    arrow: str
    arrow_span: Span
    targets: tuple[Name, ...]


class ActionStmt(NamedTuple):
    """`lane [id] "Label" [-> targets] { attributes }`: one action."""

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


class Chain(NamedTuple):
    """`a -> b -> c [: "label" [share]]`: flows written apart from their actions."""

    names: tuple[Name, ...]
    arrows: tuple[tuple[str, Span], ...]
    label: str | None
    label_span: Span | None
    span: Span
    share: Value | None = None  # a decision branch's share of cases: `: "valid" 90%`


class ParallelNode(NamedTuple):
    """`parallel { … }`: actions of one step that happen at the same time."""

    body: tuple[ActionStmt | Chain, ...]
    span: Span
    keyword: str = "parallel"


class StepNode(NamedTuple):
    """`step [id] "Label" { … }`."""

    id: Name | None
    label: str
    label_span: Span
    body: tuple[EvidenceStmt | ActionStmt | Chain | ParallelNode, ...]
    span: Span
    keyword: str = "step"


class PhaseNode(NamedTuple):
    """`phase "Label" { steps }`."""

    label: str
    label_span: Span
    steps: tuple[StepNode, ...]
    span: Span
    keyword: str = "phase"


class Include(NamedTuple):
    """`include "path"`."""

    path: str
    path_span: Span
    span: Span
    keyword: str = "include"


Item = Header | LaneDecl | PhaseNode | StepNode | Chain | ActionStmt | Include


class Comment(NamedTuple):
    """A `#` comment, kept for the formatter."""

    text: str
    span: Span


class Document:
    """A parsed file: its top-level items in order, and its comments."""

    __slots__ = ("comments", "items", "path")

    def __init__(
        self, path: str, items: list[Item] | None = None, comments: list[Comment] | None = None
    ) -> None:
        self.path = path
        self.items: list[Item] = [] if items is None else items
        self.comments: list[Comment] = [] if comments is None else comments

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.path, self.items, self.comments) == (other.path, other.items, other.comments)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, items={self.items!r}, comments={self.comments!r})"


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


def _same_class_eq(self: Any, other: object) -> bool:
    if type(self) is not type(other) or not isinstance(other, tuple):
        return False
    return tuple.__eq__(self, other) is True  # type: ignore[operator]  # (mypy reads type == …)


def _same_class_ne(self: Any, other: object) -> bool:
    return not _same_class_eq(self, other)


for _node in (
    Name, Value, Field, Header, LaneDecl, EvidenceItem, EvidenceStmt, FlowRef,
    ActionStmt, Chain, ParallelNode, StepNode, PhaseNode, Include, Comment,
):  # fmt: skip
    _node.__eq__ = _same_class_eq  # type: ignore[method-assign]
    _node.__ne__ = _same_class_ne  # type: ignore[method-assign]
    _node.__hash__ = tuple.__hash__  # type: ignore[method-assign]
