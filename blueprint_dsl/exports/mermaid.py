"""Mermaid: a `flowchart LR` with one subgraph per lane, in zone order.

GitHub and GitLab render it inside a ```mermaid block. Ids from the .bp file are kept where
Mermaid accepts them; others (CJK, `-`, reserved words, actions without an id) get n1, n2, …
"""

from __future__ import annotations

import re

from ..model.blueprint import Action, Blueprint, FlowKind
from . import common as c
from . import losses
from .common import ExportResult

# Words that break a flowchart when used as a node or subgraph id (checked without case).
RESERVED = (
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classDef",
    "click",
    "call",
    "href",
    "linkStyle",
    "direction",
    "default",
    "interpolate",
    "accTitle",
    "accDescr",
    "TB",
    "TD",
    "BT",
    "RL",
    "LR",
)

ARROWS = {FlowKind.FLOW: "-->", FlowKind.INFO: "-.->", FlowKind.TWO_WAY: "<-->"}

# Characters that would be markup or syntax inside a quoted Mermaid label, as entity codes.
_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "|": "#124;",
    "*": "#42;",
    "_": "#95;",
    "~": "#126;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "\\": "#92;",
}


def mermaid_text(text: str) -> str:
    """A label as the inside of a quoted Mermaid string: always text, never syntax or HTML."""
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append("<br>")
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif c.is_control(char):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


_PERCENTS = re.compile(r"%(?=%)")


def _comment(text: str) -> str:
    """A `%%` comment line of one line of text (a title, a step label, a file name).

    Mermaid reads `%%{init: …}%%` as a directive anywhere in the text, also inside a
    comment: braces become parentheses and `%%` is split, so a comment never holds one.
    """
    body = c.plain(text).replace("{", "(").replace("}", ")")
    return "%% " + _PERCENTS.sub("% ", body)


def _node(node_id: str, action: Action) -> str:
    label = f'"{mermaid_text(action.label)}"'
    return f"{node_id}{{{label}}}" if action.decision else f"{node_id}[{label}]"


def export_mermaid(bp: Blueprint) -> ExportResult:
    ids = c.safe_ids(c.id_requests(bp), c.ascii_id, RESERVED)
    renamed = c.renamed(bp, ids)
    header = bp.header
    title = header.title + "".join(
        f", {name} {value}"
        for name, value in (("id", header.id), ("version", header.version))
        if value
    )
    lines = [_comment(f"{title} (exported by bpc from {bp.path})")]
    if renamed:
        lines.append(_comment("ids: " + ", ".join(f"{new} = {old}" for old, new in renamed)))
    lines.append("flowchart LR")
    cells = c.by_lane_and_step(bp)
    evidence_at = c.evidence_by_step(bp)
    for lane in c.used_lanes(bp):
        lines.append(
            f'  subgraph {ids[f"lane:{lane.id}"]}["{mermaid_text(c.lane_title(bp, lane))}"]'
        )
        if lane.id == "evidence":
            lines.append("    direction LR")
        for step in bp.steps:
            evidence = evidence_at.get(step.index, []) if lane.id == "evidence" else []
            actions = cells.get((lane.id, step.index), [])
            if not evidence and not actions:
                continue
            lines.append("    " + _comment(f"step {step.index}: {step.label}"))
            for index, item in evidence:
                lines.append(f'    {ids[f"evidence:{index}"]}("{mermaid_text(item.label)}")')
            for action in actions:
                lines.append(f"    {_node(ids[f'action:{action.key}'], action)}")
        if lane.id == "evidence" and len(bp.evidence) > 1:
            # Invisible links keep the evidence in one row, in step order.
            chain = " ~~~ ".join(ids[f"evidence:{i}"] for i in range(len(bp.evidence)))
            lines.append(f"    {chain}")
        lines.append("  end")
    explicit = [f for f in bp.flows if not f.implicit]
    journey = [f for f in bp.flows if f.implicit]
    for group, comment in ((explicit, "flows"), (journey, "customer journey")):
        if group:
            lines.append("  " + _comment(comment))
        for flow in group:
            arrow = ARROWS[flow.kind]
            if flow.label:
                arrow += f'|"{mermaid_text(flow.label)}"|'
            source, target = ids[f"action:{flow.source}"], ids[f"action:{flow.target}"]
            lines.append(f"  {source} {arrow} {target}")
    lost = losses.lost_sentences(
        bp,
        "Mermaid",
        [
            losses.LINES,
            losses.LANE_ORDER,
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
            losses.HEADER,
            losses.EMPTY_LANES,
        ],
    )
    sentence = losses.renamed_sentence(renamed, "Mermaid")
    if sentence:
        lost.append(sentence)
    return ExportResult("\n".join(lines) + "\n", tuple(lost))
