"""The model pass: syntax tree to `Blueprint`, resolving lanes, steps, ids and flows.

It reports what the tree cannot mean (BP101–BP103, BP200–BP202, BP300) and leaves the
quality rules (BP3xx–BP5xx) to the validator.
"""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import msg
from ..core.spans import Span
from ..core.suggest import closest
from ..language import ast
from ..language.includes import IncludeReader, Loader, is_library
from ..language.keywords import canonical
from ..language.typos import keyword_typo
from .attributes import ATTRIBUTES, apply_fields
from .blueprint import (
    Action,
    Blueprint,
    Evidence,
    Flow,
    FlowKind,
    Lane,
    ParallelGroup,
    Phase,
    Step,
    Zone,
)
from .build_state import BuildState
from .flows import PendingFlow, error, kind_word, read_share, resolve_flows
from .header import read_header
from .locale import zone_name

ZONE_KEYWORDS: dict[str, Zone] = {
    "customer": Zone.CUSTOMER,
    "onstage": Zone.ONSTAGE,
    "frontstage": Zone.ONSTAGE,
    "backstage": Zone.BACKSTAGE,
    "support": Zone.SUPPORT,
}


class _Builder(BuildState):
    """Reads the syntax tree of one blueprint into its state (build_state.py)."""

    __slots__ = ()

    # ---- ids ----------------------------------------------------------------------
    def claim(self, name: ast.Name, kind: str) -> bool:
        first = self.ids.get(name.text)
        if first is not None:
            first_kind, first_span = first
            self.diagnostics.append(
                Diagnostic.of(
                    "BP200",
                    Severity.ERROR,
                    msg(
                        "id.duplicate",
                        id=name.text,
                        kind=kind_word(first_kind),
                        line=first_span.line,
                    ),
                    name.span,
                    msg("id.duplicate.help", kind=kind_word(kind)),
                    ((msg("note.first-defined"), first_span),),
                )
            )
            return False
        self.ids[name.text] = (kind, name.span)
        return True

    # ---- header ---------------------------------------------------------------------
    def read_header(self, items: list[ast.Item]) -> None:
        self.header = read_header(
            items, self.path, self.default_locale, self.library, self.diagnostics
        )

    # ---- lanes ----------------------------------------------------------------------
    def declare_lane(self, decl: ast.LaneDecl, origin: tuple[Span, ...] = ()) -> None:
        mark = len(self.diagnostics)
        self._declare_lane(decl)
        self.note_origin(mark, origin)

    def note_origin(self, mark: int, origin: tuple[Span, ...]) -> None:
        """Add "included from" notes to the diagnostics reported since `mark`."""
        notes = tuple((msg("note.included-from"), span) for span in origin)
        if notes:
            self.diagnostics[mark:] = [d.with_notes(notes) for d in self.diagnostics[mark:]]

    def read_shared_action(self, stmt: ast.ActionStmt, origin: tuple[Span, ...] = ()) -> None:
        """A support process outside any step (shared systems persist across steps)."""
        mark = len(self.diagnostics)
        lane = self.resolve_lane(stmt.lane)
        if lane is not None and lane[0] is not Zone.SUPPORT:
            self.diagnostics.append(
                error(
                    "BP104",
                    msg("action.outside-step", label=stmt.label),
                    stmt.head_span,
                    msg("action.outside-step.help"),
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
                    error(
                        "BP104",
                        msg("support.no-steps", label=action.label),
                        action.span,
                        msg("support.no-steps.help"),
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
                message = msg("lane.evidence-zone")
                help = msg("lane.evidence-zone.help")
            else:
                message = msg("lane.unknown-zone", lane=decl.id.text, zone=zone_text)
                close = closest(zone_text, ZONE_KEYWORDS)
                help = msg("hint.did-you-mean", name=close) if close else msg("lane.zones")
            self.diagnostics.append(error("BP202", message, decl.zone.span, help))
            return
        if canonical(decl.id.text) in ZONE_KEYWORDS or canonical(decl.id.text) == "evidence":
            self.diagnostics.append(
                error(
                    "BP202",
                    msg("lane.zone-name", lane=decl.id.text),
                    decl.id.span,
                    msg("lane.zone-name.help"),
                )
            )
            return
        if decl.id.text in self.declared:
            first = self.declared[decl.id.text].span
            self.diagnostics.append(
                Diagnostic.of(
                    "BP202",
                    Severity.ERROR,
                    msg("lane.twice", lane=decl.id.text),
                    decl.id.span,
                    msg("lane.twice.help"),
                    ((msg("note.first-declared"), first),) if first else (),
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
                    error(
                        "BP202",
                        msg("lane.used-before", lane=name.text, line=lane.span.line),
                        name.span,
                        msg("lane.used-before.help"),
                    )
                )
            return lane.zone, lane.id
        keyword = keyword_typo(name.text)
        if keyword is not None:  # `evidnce "Lobby"`, `includ "team.bp"`: one error, said so
            self.diagnostics.append(
                error(
                    "BP100",
                    msg("syntax.keyword-typo", word=name.text),
                    name.span,
                    msg("hint.did-you-mean", name=keyword),
                )
            )
            return None
        if canonical(name.text) == "evidence":
            help = msg("lane.evidence-form")
        else:
            choices = [*ZONE_KEYWORDS, *self.declared]
            close = closest(name.text, choices)
            help = (
                msg("hint.did-you-mean", name=close)
                if close
                else msg("lane.undeclared.help", lane=name.text)
            )
        self.diagnostics.append(
            error("BP202", msg("lane.undeclared", lane=name.text), name.span, help)
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
            elif isinstance(stmt, ast.ParallelNode):
                self.read_parallel(stmt, index)
            else:
                self.read_chain(stmt)

    def read_parallel(self, node: ast.ParallelNode, step_index: int) -> None:
        """`parallel { … }`: its actions share a group (0.2, section 8.1)."""
        group = len(self.groups) + 1
        before = len(self.actions)
        for stmt in node.body:
            if isinstance(stmt, ast.ActionStmt):
                self.read_action(stmt, step_index)
            else:
                self.read_chain(stmt)
        members = self.actions[before:]
        for action in members:
            action.parallel_group = group
        self.groups.append(
            ParallelGroup(group, step_index, tuple(a.key for a in members), node.span)
        )

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
        if action.trigger is not None and zone is Zone.CUSTOMER:
            self.diagnostics.append(
                error(
                    "BP102",
                    msg("attr.trigger-customer", label=stmt.label),
                    action.attribute_spans.get("trigger", stmt.head_span),
                    msg("attr.trigger-customer.help"),
                )
            )
            action.trigger = None
        if lane is not None:
            self.actions.append(action)
        for flow in stmt.flows:
            kind = FlowKind(flow.arrow)
            for target in flow.targets:
                if stmt.id is None:
                    self.diagnostics.append(
                        error(
                            "BP201",
                            msg("action.flows-without-id", label=stmt.label),
                            stmt.label_span,
                            msg(
                                "action.flows-without-id.help",
                                example=f'{stmt.lane.text} my_id "{stmt.label}" …',
                            ),
                        )
                    )
                    break
                self.pending.append(
                    PendingFlow(stmt.id, target, kind, None, flow.arrow_span.to(target.span))
                )

    def read_chain(self, chain: ast.Chain) -> None:
        if chain.label is not None and len(chain.arrows) > 1:
            assert chain.label_span is not None
            self.diagnostics.append(
                error(
                    "BP100",
                    msg("chain.label", count=len(chain.arrows)),
                    chain.label_span,
                    msg("chain.label.help"),
                )
            )
        share = read_share(chain.share, self.diagnostics) if len(chain.arrows) == 1 else None
        for (arrow, _), source, target in zip(
            chain.arrows, chain.names, chain.names[1:], strict=False
        ):
            label = chain.label if len(chain.arrows) == 1 else None
            span = source.span.to(target.span)
            self.pending.append(PendingFlow(source, target, FlowKind(arrow), label, span, share))

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


def build(
    document: ast.Document,
    default_locale: str = "en",
    load: Loader | None = None,
    *,
    release: bool = False,
    step_lines: list[tuple[int, int]] | None = None,
) -> tuple[Blueprint, list[Diagnostic]]:
    """Build the model of one parsed file, with the diagnostics of the model pass.

    `load` reads included files; without it, `include` statements are reported. With
    `release`, each top-level item is let go from `document.items` (set to None) as it
    is read into the model, so that a big file's tree and its model are not all alive
    at once; the document is then spent. `step_lines`, when given, receives the first
    and last line of each step, in order.
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
                builder.diagnostics.append(error("BP105", msg("include.not-read"), item.span, None))
                continue
            for shared, origin in reader.expand(item, (Path(document.path).resolve(),)):
                if isinstance(shared, ast.LaneDecl):
                    builder.declare_lane(shared, origin)
                else:
                    builder.read_shared_action(shared, origin)
    if reader is not None:
        builder.diagnostics.extend(reader.diagnostics)

    def read_step(step: ast.StepNode, phase: str | None) -> None:
        builder.read_step(step, phase)
        if step_lines is not None:
            step_lines.append((step.span.line, step.span.end_line))

    items = document.items
    for position, item in enumerate(items):
        if release:
            items[position] = None  # type: ignore[call-overload]  # spent: see above
        if isinstance(item, ast.PhaseNode):
            first = len(builder.steps) + 1
            for step in item.steps:
                read_step(step, item.label)
            if item.steps:
                builder.phases.append(Phase(item.label, item.label_span, first, len(builder.steps)))
        elif isinstance(item, ast.StepNode):
            read_step(item, None)
        elif isinstance(item, ast.Chain):
            builder.read_chain(item)
        del item  # nothing but the model keeps what it read
    flows = resolve_flows(builder.pending, builder.actions, builder.ids, builder.diagnostics)
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
        parallel_groups=builder.groups,
    )
    return blueprint, builder.diagnostics
