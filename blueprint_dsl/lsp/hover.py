"""Hover for the language server: what a name is, and what a rule at the cursor means.

`hover` describes the name under the cursor (an action with its lane, zone, step, flows
and attributes; a lane, step or evidence item; a zone, attribute or header field, with
its English or Chinese spelling) and explains the rule of each diagnostic there. The
words of language 0.2 are explained too (`parallel`, `trigger`, `scope` and its values,
a branch's share such as the `90%` of `check -> sign : "valid" 90%`, a metric's `<=` /
`>=`), in Chinese when the document is (its `locale zh`, or Chinese keywords).
`describe_definition` and `ZONE_HELP` are shared with completion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsprotocol import types as lsp

from ..checks.rules import get_rule
from ..core.spans import Span
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
    else:
        found = _explain_at(analysis, analysis.offset(position))
        if found is not None:
            parts.append(found[0])
            rng = analysis.range(found[1])
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
        text = f"**attribute** `{name}`{_alias(name)}\n\nwritten: `{spec.form}`"
        return text + _explanation(analysis, canonical(name))
    if occurrence.role == "field":
        spec = HEADER_FIELDS.get(canonical(name))
        if spec is None:
            return None
        text = f"**header field** `{name}`{_alias(name)}\n\nwritten: `{spec.form}`"
        return text + _explanation(analysis, canonical(name))
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


# ---- the words of language 0.2 -------------------------------------------------------

_HELP: dict[str, dict[str, str]] = {
    "parallel": {
        "en": "Actions of this step that happen at the same time (the father waits while his "
        "son fills in the form). The journey enters each customer action of the group and "
        "leaves from each; none of them is linked to another. For time, the group lasts as "
        "long as its longest member. A block with fewer than two actions is BP509.",
        "zh": "本步骤中同时发生的行为(父亲等候时儿子填写表格)。顾客旅程进入组内每个顾客行为,"
        "也从每个顾客行为离开,组内的行为彼此不相连。计算时间时,一组的时长取其中最长的成员。"
        "少于两个行为的并行块为 BP509。",
    },
    "trigger": {
        "en": "A contact the company starts by itself: a schedule, an event, a system alarm "
        '(`trigger "the balance is low"`). The action is a start of reachability (BP505) '
        "and of the lead time. A customer action cannot have one (BP102).",
        "zh": '由公司主动发起的接触:定时、事件或系统告警(`触发 "余额不足"`)。该行为是可达性'
        "(BP505)和前置时间的起点。顾客行为不能有触发(BP102)。",
    },
    "scope": {
        "en": "`scope internal`: an internal blueprint, refining a backstage or support "
        "action through `detail`, with no customer in it. BP301, BP302, BP303 and BP305 do "
        "not apply; reachability (BP505) and the lead time start from its triggers and the "
        "actions of its first step; no customer band and no line of interaction are drawn. "
        "`scope customer` (the default): a blueprint of the customer's service.",
        "zh": "`范围 内部`:内部蓝图,通过 `细化` 细化某个后台或支持行为,其中没有顾客。BP301、"
        "BP302、BP303、BP305 不适用;可达性(BP505)与前置时间从触发和第一个步骤的行为开始;"
        "图中不画顾客区和互动分界线。`范围 顾客`(默认):面向顾客的服务蓝图。",
    },
    "<=": {
        "en": "**target direction** `<=`: lower is better, the target is a ceiling "
        '(`metric "Complaint rate" 2% target <= 5%`). BP506 when the value is above it.',
        "zh": '**目标方向** `<=`:越低越好,目标是上限(`指标 "投诉率" 2% 目标 <= 5%`)。'
        "数值高于上限时为 BP506。",
    },
    ">=": {
        "en": "**target direction** `>=`: higher is better, the target is a floor, as with a "
        'plain `target V` (`metric "NPS" 62% target >= 80%`). BP506 when the value is below it.',
        "zh": "**目标方向** `>=`:越高越好,目标是下限,与不写方向的 `目标 V` 相同"
        '(`指标 "满意度" 62% 目标 >= 80%`)。数值低于目标时为 BP506。',
    },
}


_PERCENT = re.compile(r"[+-]?\d+(?:\.\d+)?%")


def _locale(analysis: Analysis) -> str:
    """The language of the explanations: Chinese for `locale zh` or Chinese keywords."""
    return "zh" if analysis.result.locale == "zh" or analysis.chinese else "en"


def _explanation(analysis: Analysis, word: str) -> str:
    words = _HELP.get(word)
    return f"\n\n{words[_locale(analysis)]}" if words else ""


def _explain_at(analysis: Analysis, offset: int) -> tuple[str, Span] | None:
    """A word of language 0.2 at `offset` that is not a name: the `parallel` keyword, a
    scope value, a branch's share or a metric's direction; its explanation and span."""
    document = analysis.document
    if document is None:
        return None

    def at(span: Span, length: int | None = None) -> bool:
        start, end = analysis.lines.span_offsets(span)
        return start <= offset <= (start + length if length is not None else end)

    for item in document.items:
        if isinstance(item, ast.Header):
            for header_field in item.fields:
                if canonical(header_field.name.text) != "scope":
                    continue
                for value in header_field.values:
                    if at(value.span):
                        written = f"`{value.text}`{_alias(value.text)}"
                        return f"**scope** {written}{_explanation(analysis, 'scope')}", value.span
    for stmt in _statements(document):
        if isinstance(stmt, ast.ParallelNode) and at(stmt.span, len(stmt.keyword)):
            members = [a.id.text if a.id else a.label for a in _members(stmt)]
            head = f"**{stmt.keyword}**{_alias(stmt.keyword)}"
            listed = ", ".join(f"`{m}`" for m in members) or "—"
            count = (
                f"{len(members)} 个行为:{listed}"
                if _locale(analysis) == "zh"
                else f"{len(members)} action(s): {listed}"
            )
            span = stmt.span
            keyword = Span(
                span.file, span.line, span.column, span.line, span.column + len(stmt.keyword)
            )
            return f"{head} — {count}{_explanation(analysis, 'parallel')}", keyword
        if isinstance(stmt, ast.Chain) and stmt.share is not None and at(stmt.share.span):
            return _share_text(analysis, document, stmt, stmt.share), stmt.share.span
        if isinstance(stmt, ast.ActionStmt):
            for attribute in stmt.attributes:
                for value in attribute.values:
                    if value.kind == "compare" and at(value.span):
                        return _HELP[value.text][_locale(analysis)], value.span
    return None


def _share_text(
    analysis: Analysis, document: ast.Document, chain: ast.Chain, share: ast.Value
) -> str:
    source = chain.names[0].text
    branches = [
        c
        for c in _statements(document)
        if isinstance(c, ast.Chain) and c.names[0].text == source and len(c.names) == 2
    ]
    written = [f"{c.label or '?'} {c.share.text if c.share else '—'}" for c in branches]
    total = sum(
        float(c.share.text[:-1])
        for c in branches
        if c.share is not None and _PERCENT.fullmatch(c.share.text)
    )
    branch = chain.label or "?"
    listed = ", ".join(written)
    if _locale(analysis) == "zh":
        return (
            f"**分支占比** `{share.text}`:决策 `{source}` 的案例中走分支“{branch}”的比例。"
            "一个决策的占比要么每个分支都写、要么都不写,且合计为 100%(误差半个百分点内,"
            f"否则为 BP508)。不写时各分支同样可能。\n\n`{source}` 的分支:{listed}"
            f"(合计 {total:g}%)"
        )
    return (
        f"**branch share** `{share.text}`: the share of decision `{source}`'s cases that "
        f'take the branch "{branch}". The shares of one decision are given on all its '
        "branches or on none, and add up to 100% within half a percentage point (else "
        "BP508); without shares the branches are equally likely.\n\n"
        f"branches of `{source}`: {listed} (total {total:g}%)"
    )


def _statements(
    document: ast.Document,
) -> Iterator[ast.EvidenceStmt | ast.ActionStmt | ast.Chain | ast.ParallelNode]:
    """Every statement of the document's steps (those inside `parallel` too) and the
    chains and actions at the top level."""
    for item in document.items:
        if isinstance(item, (ast.ActionStmt, ast.Chain)):
            yield item
        steps = item.steps if isinstance(item, ast.PhaseNode) else (item,)
        for step in steps:
            if not isinstance(step, ast.StepNode):
                continue
            for stmt in step.body:
                yield stmt
                if isinstance(stmt, ast.ParallelNode):
                    yield from stmt.body


def _members(node: ast.ParallelNode) -> list[ast.ActionStmt]:
    return [stmt for stmt in node.body if isinstance(stmt, ast.ActionStmt)]


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
