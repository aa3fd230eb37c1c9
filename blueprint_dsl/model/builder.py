"""The model pass: syntax tree to `Blueprint`, resolving lanes, steps, ids and flows.

It reports what the tree cannot mean (BP101–BP103, BP200–BP202, BP300) and leaves the
quality rules (BP3xx–BP5xx) to the validator.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.diagnostics import Diagnostic, Severity
from ..core.spans import Span
from ..language import ast
from ..language.includes import IncludeReader, Loader, is_library
from ..language.keywords import canonical
from .attributes import ATTRIBUTES, HEADER_FIELDS, apply_fields
from .blueprint import (
    Action,
    Blueprint,
    Evidence,
    Flow,
    FlowKind,
    Header,
    Lane,
    Phase,
    Step,
    Zone,
    lines_between,
)
from .locale import zone_name

ZONE_KEYWORDS: dict[str, Zone] = {
    "customer": Zone.CUSTOMER,
    "onstage": Zone.ONSTAGE,
    "frontstage": Zone.ONSTAGE,
    "backstage": Zone.BACKSTAGE,
    "support": Zone.SUPPORT,
}


def _error(code: str, message: str, span: Span, help: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, help)


@dataclass
class _PendingFlow:
    source: ast.Name
    target: ast.Name
    kind: FlowKind
    label: str | None
    span: Span


@dataclass
class _Builder:
    path: str
    default_locale: str = "en"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    header: Header | None = None
    declared: dict[str, Lane] = field(default_factory=dict)
    ids: dict[str, tuple[str, Span]] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    pending: list[_PendingFlow] = field(default_factory=list)
    shared: list[Action] = field(default_factory=list)
    library: bool = False

    # ---- ids ----------------------------------------------------------------------
    def claim(self, name: ast.Name, kind: str) -> bool:
        first = self.ids.get(name.text)
        if first is not None:
            first_kind, first_span = first
            self.diagnostics.append(
                Diagnostic(
                    "BP200",
                    Severity.ERROR,
                    f"duplicate id `{name.text}`: already used by the {first_kind} "
                    f"at line {first_span.line}",
                    name.span,
                    f"rename this {kind}; lanes, steps, actions and evidence share one set of ids",
                    (("first defined here", first_span),),
                )
            )
            return False
        self.ids[name.text] = (kind, name.span)
        return True

    # ---- header ---------------------------------------------------------------------
    def read_header(self, items: list[ast.Item]) -> None:
        headers = [item for item in items if isinstance(item, ast.Header)]
        if not headers and self.library:
            self.header = Header(title="(shared lanes)", locale=self.default_locale)
            return
        if not headers:
            span = _first_span(items, self.path)
            self.diagnostics.append(
                _error(
                    "BP103",
                    "this file has no `blueprint` header" if items else "the file is empty",
                    span,
                    'start the file with: blueprint "Title" { id "…" version "A/0" }',
                )
            )
            self.header = Header(title="(untitled)", locale=self.default_locale)
            return
        first = headers[0]
        if items[0] is not first:
            self.diagnostics.append(
                _error(
                    "BP103",
                    "the `blueprint` header must be the first statement",
                    first.title_span,
                    "move the `blueprint { … }` block to the top of the file",
                )
            )
        for extra in headers[1:]:
            self.diagnostics.append(
                Diagnostic(
                    "BP103",
                    Severity.ERROR,
                    "a file holds exactly one `blueprint` header; this is a second one",
                    extra.title_span,
                    "merge the headers, or split the file into two blueprints",
                    (("first header here", first.title_span),),
                )
            )
        header = Header(title=first.title, locale=self.default_locale, span=first.span)
        apply_fields(first.fields, HEADER_FIELDS, header, "header field", self.diagnostics)
        self.header = header

    # ---- lanes ----------------------------------------------------------------------
    def declare_lane(self, decl: ast.LaneDecl, origin: tuple[Span, ...] = ()) -> None:
        mark = len(self.diagnostics)
        self._declare_lane(decl)
        self.note_origin(mark, origin)

    def note_origin(self, mark: int, origin: tuple[Span, ...]) -> None:
        """Add "included from" notes to the diagnostics reported since `mark`."""
        notes = tuple(("included from", span) for span in origin)
        if notes:
            self.diagnostics[mark:] = [
                replace(d, notes=(*d.notes, *notes)) for d in self.diagnostics[mark:]
            ]

    def read_shared_action(self, stmt: ast.ActionStmt, origin: tuple[Span, ...] = ()) -> None:
        """A support process outside any step (shared systems persist across steps)."""
        mark = len(self.diagnostics)
        lane = self.resolve_lane(stmt.lane)
        if lane is not None and lane[0] is not Zone.SUPPORT:
            self.diagnostics.append(
                _error(
                    "BP104",
                    f'the action "{stmt.label}" stands outside a step, but only support '
                    "processes may",
                    stmt.head_span,
                    "move it into the step where it happens",
                )
            )
        elif lane is not None:
            before = len(self.actions)
            self.read_action(stmt, 0)
            self.shared.extend(self.actions[before:])
        self.note_origin(mark, origin)

    def place_shared_actions(self, flows: list[Flow]) -> list[Flow]:
        """Put each shared support process in the first step of an action it serves.

        A blueprint without steps has nowhere to put them: they are reported (BP104) and
        left out, so that every action of the model stands in a step."""
        if not self.steps and self.shared and not self.library:
            for action in self.shared:
                self.diagnostics.append(
                    _error(
                        "BP104",
                        f'support process "{action.label}" has no step to be drawn in: '
                        "the blueprint has no steps",
                        action.span,
                        "add the steps of the service, with the actions that use it",
                    )
                )
            gone = {a.key for a in self.shared}
            self.actions = [a for a in self.actions if a.key not in gone]
            return [f for f in flows if f.source not in gone and f.target not in gone]
        step_of = {a.key: a.step_index for a in self.actions}
        for action in self.shared:
            steps = [
                step_of[other]
                for flow in flows
                for end, other in ((flow.source, flow.target), (flow.target, flow.source))
                if end == action.key and step_of[other] > 0
            ]
            action.step_index = min(steps) if steps else 1
        return flows

    def _declare_lane(self, decl: ast.LaneDecl) -> None:
        zone_text = canonical(decl.zone.text)
        zone = ZONE_KEYWORDS.get(zone_text)
        if zone is None:
            if zone_text == "evidence":
                message = "the evidence zone holds no declared lanes"
                help = "declare the lane in customer, onstage, backstage or support"
            else:
                message = f"lane `{decl.id.text}` is declared in an unknown zone `{zone_text}`"
                close = difflib.get_close_matches(zone_text, list(ZONE_KEYWORDS), n=1)
                help = (
                    f"did you mean `{close[0]}`?"
                    if close
                    else "zones are customer, onstage, backstage and support"
                )
            self.diagnostics.append(_error("BP202", message, decl.zone.span, help))
            return
        if canonical(decl.id.text) in ZONE_KEYWORDS or canonical(decl.id.text) == "evidence":
            self.diagnostics.append(
                _error(
                    "BP202",
                    f"`{decl.id.text}` is a zone name and cannot be declared as a lane",
                    decl.id.span,
                    "give the lane another id",
                )
            )
            return
        if decl.id.text in self.declared:
            first = self.declared[decl.id.text].span
            self.diagnostics.append(
                Diagnostic(
                    "BP202",
                    Severity.ERROR,
                    f"lane `{decl.id.text}` is declared twice",
                    decl.id.span,
                    "remove one of the declarations",
                    (("first declared here", first),) if first else (),
                )
            )
            return
        if not self.claim(decl.id, "lane"):
            return
        self.declared[decl.id.text] = Lane(decl.id.text, decl.label, zone, True, decl.span)

    def resolve_lane(self, name: ast.Name) -> tuple[Zone, str] | None:
        zone = ZONE_KEYWORDS.get(canonical(name.text))
        if zone is not None:
            return zone, zone.value
        lane = self.declared.get(name.text)
        if lane is not None:
            assert lane.span is not None
            same_file = lane.span.file == name.span.file
            if same_file and (lane.span.line, lane.span.column) > (
                name.span.line,
                name.span.column,
            ):
                self.diagnostics.append(
                    _error(
                        "BP202",
                        f"lane `{name.text}` is used before its declaration "
                        f"at line {lane.span.line}",
                        name.span,
                        "move the `lane` declaration above its first use",
                    )
                )
            return lane.zone, lane.id
        if canonical(name.text) == "evidence":
            help = 'evidence is written `evidence "A", "B"` and has no id or flows before its label'
        else:
            choices = [*ZONE_KEYWORDS, *self.declared]
            close = difflib.get_close_matches(name.text, choices, n=1)
            help = (
                f"did you mean `{close[0]}`?"
                if close
                else f'declare it first: lane {name.text} "Label" in onstage'
            )
        self.diagnostics.append(
            _error("BP202", f"action in undeclared lane `{name.text}`", name.span, help)
        )
        return None

    # ---- steps ------------------------------------------------------------------------
    def read_step(self, node: ast.StepNode, phase: str | None) -> None:
        index = len(self.steps) + 1
        step_id = None
        if node.id is not None and self.claim(node.id, "step"):
            step_id = node.id.text
        self.steps.append(Step(index, step_id, node.label, phase, node.label_span))
        for stmt in node.body:
            if isinstance(stmt, ast.EvidenceStmt):
                for item in stmt.items:
                    item_id = item.id.text if item.id and self.claim(item.id, "evidence") else None
                    self.evidence.append(Evidence(item_id, item.label, index, item.span))
            elif isinstance(stmt, ast.ActionStmt):
                self.read_action(stmt, index)
            else:
                self.read_chain(stmt)

    def read_action(self, stmt: ast.ActionStmt, step_index: int) -> None:
        lane = self.resolve_lane(stmt.lane)
        action_id = None
        if stmt.id is not None and self.claim(stmt.id, "action"):
            action_id = stmt.id.text
        key = action_id if action_id is not None else f"#{len(self.actions) + 1}"
        zone, lane_id = lane if lane is not None else (Zone.ONSTAGE, "?")
        action = Action(key, action_id, stmt.label, zone, lane_id, step_index, stmt.head_span)
        action.attribute_spans = apply_fields(
            stmt.attributes, ATTRIBUTES, action, "attribute", self.diagnostics
        )
        if lane is not None:
            self.actions.append(action)
        for flow in stmt.flows:
            kind = FlowKind(flow.arrow)
            for target in flow.targets:
                if stmt.id is None:
                    self.diagnostics.append(
                        _error(
                            "BP201",
                            f'the action "{stmt.label}" has flows but no id',
                            stmt.label_span,
                            f'give it an id: {stmt.lane.text} my_id "{stmt.label}" …',
                        )
                    )
                    break
                self.pending.append(
                    _PendingFlow(stmt.id, target, kind, None, flow.arrow_span.to(target.span))
                )

    def read_chain(self, chain: ast.Chain) -> None:
        if chain.label is not None and len(chain.arrows) > 1:
            assert chain.label_span is not None
            self.diagnostics.append(
                _error(
                    "BP100",
                    "a label belongs to a single flow, but this chain has "
                    f"{len(chain.arrows)} flows",
                    chain.label_span,
                    'split the chain: a -> b : "label" on a line of its own',
                )
            )
        for (arrow, _), source, target in zip(
            chain.arrows, chain.names, chain.names[1:], strict=False
        ):
            label = chain.label if len(chain.arrows) == 1 else None
            self.pending.append(
                _PendingFlow(source, target, FlowKind(arrow), label, source.span.to(target.span))
            )

    # ---- flows --------------------------------------------------------------------------
    def resolve_flows(self) -> list[Flow]:
        by_id = {a.id: a for a in self.actions if a.id is not None}
        flows: dict[tuple[str, str, FlowKind], Flow] = {}
        for pending in self.pending:
            source = self.resolve_end(pending.source, by_id)
            target = self.resolve_end(pending.target, by_id)
            if source is None or target is None:
                continue
            key = (source.key, target.key, pending.kind)
            existing = flows.get(key)
            if existing is not None:
                if existing.label is None:
                    existing.label = pending.label
                continue
            flows[key] = Flow(
                source.key,
                target.key,
                pending.kind,
                pending.label,
                False,
                lines_between(source.zone, target.zone),
                pending.span,
            )
        explicit = list(flows.values())
        return explicit + self.customer_journey(explicit)

    def resolve_end(self, name: ast.Name, by_id: dict[str, Action]) -> Action | None:
        action = by_id.get(name.text)
        if action is not None:
            return action
        kind = self.ids.get(name.text, ("", name.span))[0]
        if kind == "evidence":
            self.diagnostics.append(
                _error(
                    "BP300",
                    f"evidence `{name.text}` cannot be the end of a flow",
                    name.span,
                    "point the flow at the action that uses the evidence",
                )
            )
            return None
        if kind in ("lane", "step"):
            message = f"`{name.text}` is a {kind}, not an action: a flow joins two actions"
            help = "point the flow at an action id"
        elif kind == "action":
            return None  # an action whose lane could not be resolved: already reported
        else:
            message = f"flow refers to an undefined id `{name.text}`"
            close = difflib.get_close_matches(name.text, sorted(by_id), n=1, cutoff=0.5)
            help = (
                f"did you mean `{close[0]}`?"
                if close
                else "define an action with this id, or fix the spelling"
            )
        self.diagnostics.append(_error("BP201", message, name.span, help))
        return None

    def customer_journey(self, explicit: list[Flow]) -> list[Flow]:
        """Link consecutive customer actions, unless one already flows to a later one."""
        customers = [a for a in self.actions if a.zone is Zone.CUSTOMER]
        order = {a.key: n for n, a in enumerate(customers)}
        leads_on: set[str] = set()
        for flow in explicit:
            ends = [(flow.source, flow.target)]
            if flow.kind is FlowKind.TWO_WAY:
                ends.append((flow.target, flow.source))
            for source, target in ends:
                if source in order and target in order and order[target] > order[source]:
                    leads_on.add(source)
        journey = []
        for here, after in itertools.pairwise(customers):
            if here.key in leads_on:
                continue
            journey.append(Flow(here.key, after.key, FlowKind.FLOW, None, True, (), here.span))
        return journey

    # ---- whole file -----------------------------------------------------------------------
    def lanes(self) -> list[Lane]:
        assert self.header is not None
        used = {a.lane for a in self.actions}
        lanes: list[Lane] = []
        declared_by_zone = {
            z: [lane for lane in self.declared.values() if lane.zone is z] for z in Zone
        }
        for zone in Zone:
            own = zone.value
            if zone is Zone.EVIDENCE or own in used or not declared_by_zone[zone]:
                lanes.append(Lane(own, zone_name(zone, self.header.locale), zone, False))
            lanes.extend(declared_by_zone[zone])
        return lanes


def _first_span(items: list[ast.Item], path: str) -> Span:
    if items:
        first = items[0]
        span = first.span
        return Span(path, span.line, span.column, span.line, span.column + 1)
    return Span(path, 1, 1, 1, 2)


def build(
    document: ast.Document, default_locale: str = "en", load: Loader | None = None
) -> tuple[Blueprint, list[Diagnostic]]:
    """Build the model of one parsed file, with the diagnostics of the model pass.

    `load` reads included files; without it, `include` statements are reported.
    """
    builder = _Builder(document.path, default_locale, library=is_library(document))
    builder.read_header(document.items)
    reader = IncludeReader(Path(document.path), load) if load is not None else None
    for item in document.items:
        if isinstance(item, ast.LaneDecl):
            builder.declare_lane(item)
        elif isinstance(item, ast.ActionStmt):
            builder.read_shared_action(item)
        elif isinstance(item, ast.Include):
            if reader is None:
                builder.diagnostics.append(
                    _error("BP105", "includes are not read here", item.span, None)
                )
                continue
            for shared, origin in reader.expand(item, (Path(document.path).resolve(),)):
                if isinstance(shared, ast.LaneDecl):
                    builder.declare_lane(shared, origin)
                else:
                    builder.read_shared_action(shared, origin)
    if reader is not None:
        builder.diagnostics.extend(reader.diagnostics)
    for item in document.items:
        if isinstance(item, ast.PhaseNode):
            first = len(builder.steps) + 1
            for step in item.steps:
                builder.read_step(step, item.label)
            if item.steps:
                builder.phases.append(Phase(item.label, item.label_span, first, len(builder.steps)))
        elif isinstance(item, ast.StepNode):
            builder.read_step(item, None)
        elif isinstance(item, ast.Chain):
            builder.read_chain(item)
    flows = builder.resolve_flows()
    flows = builder.place_shared_actions(flows)
    assert builder.header is not None
    blueprint = Blueprint(
        path=document.path,
        header=builder.header,
        lanes=builder.lanes(),
        phases=builder.phases,
        steps=builder.steps,
        actions=builder.actions,
        evidence=builder.evidence,
        flows=flows,
    )
    return blueprint, builder.diagnostics
