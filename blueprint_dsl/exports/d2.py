"""D2: one container per lane, stacked top to bottom in zone order (`grid-rows`).

Each lane is a one-row grid, so its actions read left to right in step order.

Ids from the .bp file are kept where D2 accepts them as keys (Unicode letters included);
reserved D2 words, ids with `-` and actions without an id get n1, n2, …
"""

from __future__ import annotations

import re

from ..model.blueprint import Action, Blueprint, FlowKind
from . import common as c
from . import losses
from .common import ExportResult

KEY = re.compile(r"[^\W\d]\w*\Z")

# D2 keywords: as a key they would set a property instead of naming a shape.
RESERVED = (
    "label",
    "desc",
    "shape",
    "icon",
    "style",
    "near",
    "width",
    "height",
    "top",
    "left",
    "link",
    "tooltip",
    "class",
    "classes",
    "vars",
    "direction",
    "constraint",
    "grid-rows",
    "grid-columns",
    "grid-gap",
    "vertical-gap",
    "horizontal-gap",
    "source-arrowhead",
    "target-arrowhead",
    "layers",
    "scenarios",
    "steps",
    "title",
    "null",
    "suspend",
    "unsuspend",
    "true",
    "false",
    "_",
)


def d2_text(text: str) -> str:
    """A label as a double-quoted D2 string, quotes included: never syntax or a ${substitution}."""
    out: list[str] = ['"']
    for char in text:
        if char in '"\\$':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif c.is_control(char):
            out.append(" ")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _comment(text: str) -> str:
    return "# " + c.plain(text)


def _node(node_id: str, action: Action) -> str:
    shape = " {shape: diamond}" if action.decision else ""
    return f"{node_id}: {d2_text(action.label)}{shape}"


def _allowed(name: str) -> bool:
    return KEY.match(name) is not None


def export_d2(bp: Blueprint) -> ExportResult:
    ids = c.safe_ids(c.id_requests(bp), _allowed, RESERVED)
    renamed = c.renamed(bp, ids)
    header = bp.header
    title = header.title + "".join(
        f", {name} {value}"
        for name, value in (("id", header.id), ("version", header.version))
        if value
    )
    lanes = c.used_lanes(bp)
    lines = [_comment(f"{title} (exported by bpc from {bp.path})")]
    if renamed:
        lines.append(_comment("ids: " + ", ".join(f"{new} = {old}" for old, new in renamed)))
    lines += [
        f"title: {d2_text(header.title)} {{near: top-center; shape: text; style.font-size: 24}}",
        "# lanes top to bottom in zone order",
        f"grid-rows: {max(1, len(lanes))}",
        "grid-gap: 24",
    ]
    lane_of: dict[str, str] = {}
    cells = c.by_lane_and_step(bp)
    evidence_at = c.evidence_by_step(bp)
    for lane in lanes:
        lane_id = ids[f"lane:{lane.id}"]
        lines.append("")
        lines.append(f"{lane_id}: {d2_text(c.lane_title(bp, lane))} {{")
        lines.append("  # one row, in step order")
        lines.append("  grid-rows: 1")
        lines.append("  grid-gap: 40")
        for step in bp.steps:
            evidence = evidence_at.get(step.index, []) if lane.id == "evidence" else []
            actions = cells.get((lane.id, step.index), [])
            if not evidence and not actions:
                continue
            lines.append("  " + _comment(f"step {step.index}: {step.label}"))
            for index, item in evidence:
                lines.append(f"  {ids[f'evidence:{index}']}: {d2_text(item.label)} {{shape: page}}")
            for action in actions:
                node_id = ids[f"action:{action.key}"]
                lane_of[action.key] = f"{lane_id}.{node_id}"
                lines.append(f"  {_node(node_id, action)}")
        lines.append("}")
    explicit = [f for f in bp.flows if not f.implicit]
    journey = [f for f in bp.flows if f.implicit]
    for group, comment in ((explicit, "flows"), (journey, "customer journey")):
        if group:
            lines.append("")
            lines.append(_comment(comment))
        for flow in group:
            arrow = "<->" if flow.kind is FlowKind.TWO_WAY else "->"
            edge = f"{lane_of[flow.source]} {arrow} {lane_of[flow.target]}"
            label = f": {d2_text(flow.label)}" if flow.label else ""
            style = " {style.stroke-dash: 3}" if flow.kind is FlowKind.INFO else ""
            if style and not label:
                label = ":"
            lines.append(edge + label + style)
    lost = losses.lost_sentences(
        bp,
        "D2",
        [
            losses.LINES,
            losses.COLUMNS,
            losses.PHASES,
            losses.EVIDENCE_PLACEMENT,
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
    sentence = losses.renamed_sentence(renamed, "D2")
    if sentence:
        lost.append(sentence)
    return ExportResult("\n".join(lines) + "\n", tuple(lost))
