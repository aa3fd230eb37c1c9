"""Completion for the language server: what may be written at the cursor.

`completion` reads the completion context (`scanner.scan_context`) and offers what fits
there: the action ids after an arrow (those of the current step first), zones and
declared lanes at the start of a statement in a step, statement keywords, attributes and
header fields not yet used, `in` and the zone of a lane declaration, locales, `recover`
and a metric's `target`, and units after a number. Chinese keywords are offered too when
the document already uses them. For language 0.2: `parallel` (and a snippet of the block)
where a step statement starts, `trigger` among the attributes of an action that is not
the customer's, `scope` with its values `internal` / `customer`, and the direction `<=` /
`>=` after a metric's `target`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from lsprotocol import types as lsp

from ..core.spans import Span
from ..language import ast
from ..language.keywords import ATTRIBUTES as ATTRIBUTE_ZH
from ..language.keywords import HEADER_FIELDS as HEADER_FIELD_ZH
from ..language.keywords import LOCALE_VALUES, ZONES, chinese
from ..model.attributes import ATTRIBUTES, HEADER_FIELDS
from ..model.values import UNITS
from .document import Analysis, Reader, to_lsp_position
from .hover import ZONE_HELP, describe_definition
from .scanner import close_blocks, scan_context

# ---- completion ---------------------------------------------------------------


class _Add(Protocol):
    def __call__(
        self,
        label: str,
        kind: lsp.CompletionItemKind,
        detail: str | None = None,
        documentation: str | None = None,
        sort: str = "1",
        insert: str | None = None,
        snippet: bool = False,
    ) -> None: ...


def completion(
    analysis: Analysis, position: lsp.Position, *, snippets: bool = True
) -> list[lsp.CompletionItem]:
    """What may be written at `position`; `snippets=False` for a client without snippets."""
    offset = analysis.offset(position)
    context = scan_context(analysis.text, offset)
    if context is None:
        return []
    typed = analysis  # the text as typed: the cursor, the prefix and the edit's range
    analysis = _with_blocks_closed(analysis)  # what the rest of the file defines
    start = to_lsp_position(typed.lines.position(context.prefix_start))
    replace = lsp.Range(start, position)
    items: list[lsp.CompletionItem] = []

    def add(
        label: str,
        kind: lsp.CompletionItemKind,
        detail: str | None = None,
        documentation: str | None = None,
        sort: str = "1",
        insert: str | None = None,
        snippet: bool = False,
    ) -> None:
        text = insert if insert is not None else label
        items.append(
            lsp.CompletionItem(
                label=label,
                kind=kind,
                detail=detail,
                documentation=(
                    lsp.MarkupContent(lsp.MarkupKind.Markdown, documentation)
                    if documentation
                    else None
                ),
                sort_text=f"{sort}{label}",
                filter_text=text.split(" ", 1)[0] if snippet else text,
                text_edit=lsp.TextEdit(replace, text),
                insert_text_format=lsp.InsertTextFormat.Snippet if snippet else None,
            )
        )

    def keyword(english: str, kind: lsp.CompletionItemKind, detail: str, sort: str) -> None:
        add(english, kind, detail, sort=sort)
        zh = chinese(english)
        if analysis.chinese and zh is not None:
            add(zh, kind, f"{english}: {detail}", sort=sort)

    what = context.what
    if what == "unit":
        number = context.prefix[: len(context.prefix) - len(context.unit_prefix)]
        units = [u for u in UNITS if u.isascii() or analysis.chinese]
        if context.statement == "metric":
            units.append("%")
        for unit in units:
            add(number + unit, lsp.CompletionItemKind.Unit, _unit_detail(unit), sort="1")
    elif what == "target":
        here = context.prefix_start
        current_step = _step_at_offset(typed, analysis, here)
        for found in analysis.index.definitions.values():
            if found.kind != "action":
                continue
            assert isinstance(found.node, ast.ActionStmt)
            sort = "0" if current_step is not None and found.step is current_step else "1"
            zone = analysis.zone_of_lane(found.node.lane.text) or "?"
            add(
                found.name,
                lsp.CompletionItemKind.Reference,
                f'"{found.node.label}" · {found.node.lane.text} ({zone})',
                describe_definition(analysis, found),
                sort=sort,
            )
    elif what == "step-start":
        for zone in ZONES:
            keyword(zone, lsp.CompletionItemKind.Keyword, f"zone: {ZONE_HELP[zone]}", "0")
        add("frontstage", lsp.CompletionItemKind.Keyword, "zone: alias of onstage", sort="2")
        for found in analysis.index.definitions.values():
            if isinstance(found.node, ast.LaneDecl):
                zone_name = analysis.zone_of_lane(found.name) or "?"
                add(
                    found.name,
                    lsp.CompletionItemKind.Class,
                    f'lane "{found.node.label}" in {zone_name}',
                    sort="0",
                )
        if context.block == "step":  # a parallel block holds actions only
            keyword(
                "evidence", lsp.CompletionItemKind.Keyword, "physical evidence of the step", "1"
            )
            _parallel(analysis, add, snippets)
    elif what == "top-start":
        for word, detail in (
            ("blueprint", "the header"),
            ("lane", 'declare a lane: lane ID "Label" in ZONE'),
            ("phase", "a group of steps"),
            ("step", "a column of the blueprint"),
            ("include", "shared lanes and support processes from another file"),
        ):
            keyword(word, lsp.CompletionItemKind.Keyword, detail, "0")
        keyword(
            "support",
            lsp.CompletionItemKind.Keyword,
            "a support process outside the steps",
            "1",
        )
    elif what == "phase-start":
        keyword("step", lsp.CompletionItemKind.Keyword, "a column of the blueprint", "0")
    elif what == "attribute":
        customer = context.lane is not None and analysis.zone_of_lane(context.lane) == "customer"
        for name, spec in ATTRIBUTES.items():
            if name in context.used and not spec.repeatable:
                continue
            if name == "trigger" and customer:
                continue  # a trigger is a contact the company starts (BP102 on a customer)
            add(name, lsp.CompletionItemKind.Property, spec.form, sort="0")
            zh = ATTRIBUTE_ZH.get(name)
            if analysis.chinese and zh:
                add(zh, lsp.CompletionItemKind.Property, f"{name}: {spec.form}", sort="0")
    elif what == "field":
        for name, spec in HEADER_FIELDS.items():
            if name in context.used:
                continue
            add(name, lsp.CompletionItemKind.Field, spec.form, sort="0")
            zh = HEADER_FIELD_ZH.get(name)
            if analysis.chinese and zh:
                add(zh, lsp.CompletionItemKind.Field, f"{name}: {spec.form}", sort="0")
    elif what == "in":
        keyword("in", lsp.CompletionItemKind.Keyword, "the lane's zone follows", "0")
    elif what == "zone":
        for zone in ZONES:
            keyword(zone, lsp.CompletionItemKind.Keyword, ZONE_HELP[zone], "0")
    elif what == "locale":
        for value in LOCALE_VALUES:
            keyword(value, lsp.CompletionItemKind.EnumMember, "locale", "0")
    elif what == "scope":
        for value, help_text in (
            ("internal", "an internal blueprint: no customer in it"),
            ("customer", "a blueprint of the customer's service (the default)"),
        ):
            keyword(value, lsp.CompletionItemKind.EnumMember, f"scope: {help_text}", "0")
    elif what == "metric-direction":
        for word, help_text in (
            ("<=", "lower is better: the target is a ceiling"),
            (">=", "higher is better: the target is a floor (as a plain target)"),
        ):
            add(word, lsp.CompletionItemKind.Operator, help_text, sort="0")
    elif what == "recover":
        keyword("recover", lsp.CompletionItemKind.Keyword, 'recover "how it is put right"', "0")
    elif what == "metric-target":
        keyword("target", lsp.CompletionItemKind.Keyword, "the metric's target value", "0")
    return items


def _parallel(analysis: Analysis, add: _Add, snippets: bool) -> None:
    """`parallel` (并行) and, for a client with snippets, the whole block."""
    detail = "actions of this step that happen at the same time"
    words = ["parallel"] + ([chinese("parallel") or "并行"] if analysis.chinese else [])
    for word in words:
        add(word, lsp.CompletionItemKind.Keyword, detail, sort="1")
        if snippets:
            add(
                f"{word} {{ … }}",
                lsp.CompletionItemKind.Snippet,
                detail,
                sort="1",
                insert=f"{word} {{\n\t$0\n}}",
                snippet=True,
            )


def _with_blocks_closed(analysis: Analysis) -> Analysis:
    """The analysis of the text with its half-typed blocks closed, when it has some: the
    tolerant re-parse of the text as typed would read an unfinished `parallel {` as
    swallowing the steps after it, or give up, and hide the ids they define."""
    closed = close_blocks(analysis.text)
    if closed == analysis.text:
        return analysis
    return _closed_analysis(closed, analysis.path, analysis.uri, analysis.encoding, analysis.read)


@lru_cache(maxsize=4)  # completion is asked again and again on one version of a file
def _closed_analysis(text: str, path: str, uri: str, encoding: str, read: Reader) -> Analysis:
    return Analysis(text, path, uri, encoding=encoding, read=read)


def _step_at_offset(typed: Analysis, analysis: Analysis, offset: int) -> ast.StepNode | None:
    """The step of `analysis` around `offset` of the text as typed (same lines and columns)."""
    return analysis.step_around(Span(analysis.path, *typed.lines.bp_position(offset), 0, 0))


# ---- small helpers -------------------------------------------------------------------


def _unit_detail(unit: str) -> str:
    if unit == "%":
        return "percent"
    seconds = UNITS[unit]
    names = {1: "seconds", 60: "minutes", 3600: "hours", 86400: "days"}
    return names.get(int(seconds), "")
