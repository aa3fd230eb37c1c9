"""PlantUML: an activity diagram (new syntax) with one swimlane per lane, in zone order.

An activity diagram gives each activity one way out, so flows become chains of arrows:
each chain follows the first flow to an activity not drawn yet (work flows before data
flows); every other flow is listed in a note beside its source activity. Evidence is a
note beside the step's first customer action.
"""

from __future__ import annotations

from ..model.blueprint import Action, Blueprint, Flow, FlowKind, Zone
from ..model.locale import zone_name
from . import common as c
from . import losses
from .common import ExportResult

# ASCII punctuation that PlantUML could read as Creole markup, HTML, a terminator, a
# comment or a preprocessor call; it is written as a character reference. `!` is one too:
# the preprocessor runs `!include`, `!define`, … on any line that starts with it, also an
# indented note line, so escaped text can never start a directive wherever it is put.
_SAFE_PUNCTUATION = set(" .,()?:")


def plantuml_text(text: str) -> str:
    """A label as PlantUML text (activity, swimlane title, arrow label, note line): no
    `!`, `$`, `%` or `@` is left to start a directive or call a preprocessor function."""
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append("\\n")
        elif char in "\\$":
            # Unicode form: some PlantUML versions mishandle &#92; and &#36; (regex replacement)
            out.append(f"<U+{ord(char):04X}>")
        elif c.is_control(char):
            out.append(" ")
        elif ord(char) < 128 and not char.isalnum() and char not in _SAFE_PUNCTUATION:
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


ARROWS = {FlowKind.FLOW: "->", FlowKind.INFO: "-[dashed]->", FlowKind.TWO_WAY: "-[bold]->"}
NOTE_ARROWS = {FlowKind.FLOW: "→", FlowKind.INFO: "⇢", FlowKind.TWO_WAY: "↔"}


def _comment(text: str) -> str:
    """A `'` comment line: one line of text, with no `/'` or `'/` of a block comment."""
    return "' " + c.plain(text).replace("/'", "/ '").replace("'/", "' /")


def _chains(bp: Blueprint) -> tuple[list[list[tuple[Flow | None, Action]]], set[int]]:
    """Chains of (arrow into the action, action), and the flows (by index) drawn as arrows."""
    outgoing: dict[str, list[tuple[int, Flow]]] = {}
    for index, flow in enumerate(bp.flows):
        outgoing.setdefault(flow.source, []).append((index, flow))
    drawn: set[int] = set()
    emitted: set[str] = set()
    chains: list[list[tuple[Flow | None, Action]]] = []
    for start in bp.actions:
        if start.key in emitted:
            continue
        chain: list[tuple[Flow | None, Action]] = [(None, start)]
        emitted.add(start.key)
        current = start
        while True:
            candidates = [
                (index, flow)
                for index, flow in outgoing.get(current.key, [])
                if flow.target not in emitted
            ]
            if not candidates:
                break
            index, flow = min(
                candidates, key=lambda pair: (pair[1].kind is FlowKind.INFO, pair[1].implicit)
            )
            drawn.add(index)
            current = bp.action(flow.target)
            emitted.add(current.key)
            chain.append((flow, current))
        chains.append(chain)
    return chains, drawn


def export_plantuml(bp: Blueprint) -> ExportResult:
    ids = c.safe_ids(c.id_requests(bp), c.ascii_id)
    header = bp.header
    title = header.title + "".join(
        f", {name} {value}"
        for name, value in (("id", header.id), ("version", header.version))
        if value
    )
    lines = ["@startuml", _comment(f"{title} (exported by bpc from {bp.path})")]
    shown_title = plantuml_text(header.title)
    if shown_title.strip():  # a bare `title` line opens a title block that never ends
        lines.append(f"title {shown_title}")
    lanes = [lane for lane in c.used_lanes(bp) if lane.zone is not Zone.EVIDENCE]
    for lane in lanes:
        lines.append(f"|{ids[f'lane:{lane.id}']}| {plantuml_text(c.lane_title(bp, lane))}")

    chains, drawn = _chains(bp)
    evidence_at: dict[str, list[str]] = {}
    evidence_by_step = c.evidence_by_step(bp)
    actions_by_step: dict[int, list[Action]] = {}
    for action in bp.actions:
        actions_by_step.setdefault(action.step_index, []).append(action)
    for step in bp.steps:
        items = [item for _, item in evidence_by_step.get(step.index, [])]
        actions = actions_by_step.get(step.index, [])
        holders = [a for a in actions if a.zone is Zone.CUSTOMER] or actions
        if items and holders:
            evidence_at[holders[0].key] = [item.label for item in items]
    evidence_name = zone_name(Zone.EVIDENCE, header.locale)
    journey = "顾客旅程" if header.locale == "zh" else "customer journey"
    step_labels = {s.index: s.label for s in bp.steps}
    notes_for: dict[str, list[str]] = {}
    for index, flow in enumerate(bp.flows):
        if index in drawn:
            continue
        target = bp.action(flow.target)
        line = f"{NOTE_ARROWS[flow.kind]} {c.quoted(target.label)}"
        if flow.label:
            line += f" : {c.plain(flow.label)}"
        if flow.implicit:
            line += f" ({journey})"
        notes_for.setdefault(flow.source, []).append(line)

    for number, chain in enumerate(chains):
        if number:
            lines.append("detach")
        lines.append("")
        for arrow, action in chain:
            if arrow is not None:
                text = f" {plantuml_text(arrow.label)};" if arrow.label else ""
                lines.append(f"{ARROWS[arrow.kind]}{text}")
            where = f"step {action.step_index}: {step_labels[action.step_index]}"
            lines.append(_comment(f"{where} · {action.id or action.key}"))
            lines.append(f"|{ids[f'lane:{action.lane}']}|")
            lines.append(f":{plantuml_text(action.label)};")
            if action.key in evidence_at:
                lines.append("note left")
                lines.append(
                    "  "
                    + plantuml_text(
                        f"{evidence_name}: "
                        + ", ".join(c.plain(e) for e in evidence_at[action.key])
                    )
                )
                lines.append("end note")
            if action.key in notes_for:
                lines.append("note right")
                lines.extend("  " + plantuml_text(line) for line in notes_for[action.key])
                lines.append("end note")
    lines.append("@enduml")

    lost = losses.lost_sentences(
        bp,
        "PlantUML",
        [losses.LINES, losses.COLUMNS, losses.PHASES],
    )
    noted = len(bp.flows) - len(drawn)
    if noted:
        lost.append(
            f"{c.plural(noted, 'flow')} cannot be arrows (an activity has one way out in "
            "PlantUML): they are listed in notes beside their source activity."
        )
    if bp.evidence:
        lost.append(
            f"Physical evidence ({c.plural(len(bp.evidence), 'item')}) is a note beside the "
            "step's first customer action, not a lane above it."
        )
    lost += losses.lost_sentences(
        bp,
        "PlantUML",
        [
            losses.DECISIONS,
            losses.TWO_WAY,
            losses.FAILS,
            losses.WAITS,
            losses.MOMENTS,
            losses.TIMES,
            losses.EMOTIONS,
            losses.METRICS,
            losses.COSTS,
            losses.NOTES,
            losses.ROLES,
            losses.DETAILS,
            losses.HEADER_FIELDS,
            losses.EMPTY_LANES,
        ],
    )
    lost.append("Ids are not shown: each activity's id is in a comment above it.")
    return ExportResult("\n".join(lines) + "\n", tuple(lost))
