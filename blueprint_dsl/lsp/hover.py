"""Hover for the language server: what a name is, and what a rule at the cursor means.

`hover` describes the name under the cursor (an action with its lane, zone, step, flows
and attributes; a lane, step or evidence item; a zone, attribute or header field, with
its English or Chinese spelling) and explains the rule of each diagnostic there.
`describe_definition` and `ZONE_HELP` are shared with completion.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..checks.rules import get_rule
from ..language import ast
from ..language.formatter import quote
from ..language.keywords import canonical, chinese
from ..model.attributes import ATTRIBUTES, HEADER_FIELDS
from ..model.builder import ZONE_KEYWORDS
from .document import Analysis
from .index import Definition, Occurrence

ZONE_HELP: dict[str, str] = {
    "customer": "customer actions: what the customer does (above the line of interaction)",
    "onstage": "onstage actions: what the customer sees staff do "
    "(between the lines of interaction and visibility)",
    "backstage": "backstage actions: staff work the customer does not see "
    "(between the lines of visibility and internal interaction)",
    "support": "support processes: systems and internal services "
    "(below the line of internal interaction)",
}

# ---- hover --------------------------------------------------------------------


def hover(analysis: Analysis, position: lsp.Position) -> lsp.Hover | None:
    parts: list[str] = []
    rng: lsp.Range | None = None
    occurrence = analysis.occurrence_at(position)
    if occurrence is not None:
        text = _describe(analysis, occurrence)
        if text:
            parts.append(text)
            rng = analysis.range(occurrence.name.span)
    point = lsp.Range(position, position)
    for d in analysis.diagnostics_at(point):
        rule = get_rule(d.code)
        if rule is None:
            continue
        parts.append(
            f"**{rule.code}** ({d.severity.value}): {rule.title}\n\n{rule.explanation}"
            + (f"\n\n*help*: {d.help}" if d.help else "")
        )
    if not parts:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(lsp.MarkupKind.Markdown, "\n\n---\n\n".join(parts)),
        range=rng,
    )


def _describe(analysis: Analysis, occurrence: Occurrence) -> str | None:
    name = occurrence.name.text
    if occurrence.role == "attribute":
        spec = ATTRIBUTES.get(canonical(name))
        if spec is None:
            return None
        return f"**attribute** `{name}`{_alias(name)}\n\nwritten: `{spec.form}`"
    if occurrence.role == "field":
        spec = HEADER_FIELDS.get(canonical(name))
        if spec is None:
            return None
        return f"**header field** `{name}`{_alias(name)}\n\nwritten: `{spec.form}`"
    if occurrence.role in ("zone", "lane") and canonical(name) in ZONE_KEYWORDS:
        zone = ZONE_KEYWORDS[canonical(name)].value
        return f"**zone** `{name}`{_alias(name)}\n\n{ZONE_HELP[zone]}"
    found = analysis.definition_of(occurrence)
    if found is None:
        return f"`{name}` is not defined" if occurrence.role in ("lane", "target") else None
    return describe_definition(analysis, found)


def describe_definition(analysis: Analysis, found: Definition) -> str:
    where = "" if found.span.file == analysis.path else f"\n\ndefined in `{found.span.file}`"
    node = found.node
    if isinstance(node, ast.LaneDecl):
        lane_zone = analysis.zone_of_lane(node.id.text) or canonical(node.zone.text)
        return f'**lane** `{node.id.text}` "{node.label}" — zone **{lane_zone}**{where}'
    if isinstance(node, ast.StepNode):
        return f"**step** `{found.name}` {_step_text(analysis, node, found.phase)}{where}"
    if isinstance(node, ast.EvidenceItem):
        step = _step_text(analysis, found.step, found.phase)
        return f'**evidence** `{found.name}` "{node.label}"\n\n{step}{where}'
    assert isinstance(node, ast.ActionStmt)
    lane = node.lane.text
    zone = analysis.zone_of_lane(lane)
    lane_text = f"lane `{lane}`"
    declared = analysis.index.definitions.get(lane)
    if declared is not None and isinstance(declared.node, ast.LaneDecl):
        lane_text += f' "{declared.node.label}"'
    lines = [f'**action** `{found.name}` "{node.label}"', ""]
    lines.append(f"{lane_text} — zone **{zone or '?'}**  ")
    if found.step is not None:
        lines.append(_step_text(analysis, found.step, found.phase) + "  ")
    else:
        lines.append("outside the steps (a shared support process)  ")
    for flow in node.flows:
        lines.append(f"flows: `{flow.arrow} {', '.join(t.text for t in flow.targets)}`  ")
    if node.attributes:
        lines.append("")
        lines.extend(f"- `{_field_text(a)}`" for a in node.attributes)
    return "\n".join(lines) + where


def _step_text(analysis: Analysis, step: ast.StepNode | None, phase: ast.PhaseNode | None) -> str:
    if step is None:
        return ""
    number = analysis.index.step_numbers.get(id(step))
    text = f'step {number} "{step.label}"' if number else f'step "{step.label}"'
    if phase is not None:
        text += f' in phase "{phase.label}"'
    return text


# ---- small helpers -------------------------------------------------------------------


def _alias(name: str) -> str:
    english = canonical(name)
    if english != name:
        return f" (= `{english}`)"
    zh = chinese(name)
    return f" (中文 `{zh}`)" if zh else ""


def _field_text(item: ast.Field) -> str:
    parts = [item.name.text]
    for value in item.values:
        parts.append(quote(value.text) if value.kind == "string" else value.text)
    return " ".join(parts)
