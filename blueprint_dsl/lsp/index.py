"""The index of names in a .bp syntax tree, for the language server.

`index_document` records where each id (action, lane, step, evidence item) is defined,
in the open file and in the files it includes. For the open file it also records every
name written there and what it is (`Occurrence`): an id's definition, an action's lane,
a flow end, a lane's zone, an attribute or a header field. It also numbers the steps.
Navigation, hover, completion and the outline all read this index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.spans import Span
from ..language import ast

# ---- the index of names -------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """Where an id is defined: an action, lane, step or evidence item."""

    name: str
    kind: str  # "action" | "lane" | "step" | "evidence"
    span: Span  # the id, in span.file
    node: ast.ActionStmt | ast.LaneDecl | ast.StepNode | ast.EvidenceItem
    step: ast.StepNode | None = None
    phase: ast.PhaseNode | None = None


@dataclass(frozen=True)
class Occurrence:
    """A name written in this file and what it is."""

    name: ast.Name
    # "definition" | "lane" (an action's lane) | "target" (a flow end) | "zone" (the zone
    # of a lane declaration) | "attribute" | "field" (a header field)
    role: str
    definition: Definition | None = None
    action: ast.ActionStmt | None = None  # the action an attribute belongs to


@dataclass
class Index:
    definitions: dict[str, Definition] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    step_numbers: dict[int, int] = field(default_factory=dict)  # id(StepNode) -> 1-based
    step_count: int = 0
    includes: list[tuple[ast.Include, str]] = field(default_factory=list)  # resolved paths

    def define(self, definition: Definition) -> Definition:
        return self.definitions.setdefault(definition.name, definition)


def index_document(document: ast.Document, index: Index, own: bool) -> None:
    """Add the definitions (and, for the open file, the occurrences) of `document`."""

    def note(occurrence: Occurrence) -> None:
        if own:
            index.occurrences.append(occurrence)

    def action(
        stmt: ast.ActionStmt, step: ast.StepNode | None, phase: ast.PhaseNode | None
    ) -> None:
        note(Occurrence(stmt.lane, "lane"))
        if stmt.id is not None:
            found = index.define(
                Definition(stmt.id.text, "action", stmt.id.span, stmt, step, phase)
            )
            note(Occurrence(stmt.id, "definition", found))
        for flow in stmt.flows:
            for target in flow.targets:
                note(Occurrence(target, "target"))
        for attribute in stmt.attributes:
            note(Occurrence(attribute.name, "attribute", action=stmt))

    def step(node: ast.StepNode, phase: ast.PhaseNode | None) -> None:
        index.step_count += 1
        index.step_numbers[id(node)] = index.step_count
        if node.id is not None:
            found = index.define(Definition(node.id.text, "step", node.id.span, node, node, phase))
            note(Occurrence(node.id, "definition", found))
        body: list[ast.EvidenceStmt | ast.ActionStmt | ast.Chain | ast.ParallelNode]
        body = list(node.body)
        while body:
            stmt = body.pop(0)
            if isinstance(stmt, ast.EvidenceStmt):
                for item in stmt.items:
                    if item.id is not None:
                        found = index.define(
                            Definition(item.id.text, "evidence", item.id.span, item, node, phase)
                        )
                        note(Occurrence(item.id, "definition", found))
            elif isinstance(stmt, ast.ActionStmt):
                action(stmt, node, phase)
            elif isinstance(stmt, ast.ParallelNode):
                body[:0] = stmt.body  # a parallel block's actions are the step's
            else:
                for name in stmt.names:
                    note(Occurrence(name, "target"))

    for item in document.items:
        if isinstance(item, ast.Header):
            for header_field in item.fields:
                note(Occurrence(header_field.name, "field"))
        elif isinstance(item, ast.LaneDecl):
            found = index.define(Definition(item.id.text, "lane", item.id.span, item))
            note(Occurrence(item.id, "definition", found))
            note(Occurrence(item.zone, "zone"))
        elif isinstance(item, ast.PhaseNode):
            for node in item.steps:
                step(node, item)
        elif isinstance(item, ast.StepNode):
            step(item, None)
        elif isinstance(item, ast.ActionStmt):
            action(item, None, None)
        elif isinstance(item, ast.Chain):
            for name in item.names:
                note(Occurrence(name, "target"))
