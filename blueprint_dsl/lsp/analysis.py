"""What the language server knows about one .bp document, without a server.

`Analysis(text, path, uri)` compiles the text exactly as `bpc check` does and indexes the
syntax tree: every id's definition and references, the lane and step of each action,
and the blocks around a cursor. Its methods answer the LSP requests with `lsprotocol`
values; the server only moves them over the wire, so all of this is unit-testable.

When the text has syntax errors (as it has while one types), the tree comes from a
tolerant re-parse that blanks the offending lines, so completion, hover and navigation
still know the rest of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp

from ..checks.config import Config
from ..checks.rules import get_rule
from ..compiler import CompileResult, compile_text
from ..core.diagnostics import Diagnostic, Severity
from ..core.spans import Span, source_lines
from ..language import ast
from ..language.formatter import format_source, quote
from ..language.keywords import ATTRIBUTES as ATTRIBUTE_ZH
from ..language.keywords import HEADER_FIELDS as HEADER_FIELD_ZH
from ..language.keywords import LOCALE_VALUES, STATEMENTS, ZONES, canonical, chinese
from ..language.parser import parse
from ..model.attributes import ATTRIBUTES, HEADER_FIELDS
from ..model.builder import ZONE_KEYWORDS
from ..model.values import UNITS
from .positions import UTF16, LineIndex, Position, Range

Reader = Callable[[str], str | None]

SOURCE = "bpc"
MAX_REPAIRS = 12
MAX_INCLUDE_DEPTH = 8

SEVERITIES: dict[Severity, lsp.DiagnosticSeverity] = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}

ZONE_HELP: dict[str, str] = {
    "customer": "customer actions: what the customer does (above the line of interaction)",
    "onstage": "onstage actions: what the customer sees staff do "
    "(between the lines of interaction and visibility)",
    "backstage": "backstage actions: staff work the customer does not see "
    "(between the lines of visibility and internal interaction)",
    "support": "support processes: systems and internal services "
    "(below the line of internal interaction)",
}

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")
_CLOSED_STRING = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def read_file(path: str) -> str | None:
    """The text of a file on disk, or None when it cannot be read as UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def path_of_uri(uri: str) -> str | None:
    """The file-system path of a `file:` URI (None for other schemes, e.g. untitled:)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if re.match(r"^/[A-Za-z]:", path):  # file:///C:/x on Windows
        path = path[1:]
    return path


def uri_of_path(path: str) -> str:
    return Path(path).resolve().as_uri()


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


def _index_document(document: ast.Document, index: Index, own: bool) -> None:
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
        for stmt in node.body:
            if isinstance(stmt, ast.EvidenceStmt):
                for item in stmt.items:
                    if item.id is not None:
                        found = index.define(
                            Definition(item.id.text, "evidence", item.id.span, item, node, phase)
                        )
                        note(Occurrence(item.id, "definition", found))
            elif isinstance(stmt, ast.ActionStmt):
                action(stmt, node, phase)
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


def tolerant_parse(text: str, path: str) -> ast.Document | None:
    """Parse `text`; on syntax errors, blank the lines at fault and try again.

    Blanking keeps every line and column, so the spans of the tree are those of `text`.
    """
    lines = source_lines(text)
    for _ in range(MAX_REPAIRS):
        document, problems = parse("\n".join(lines), path)
        if document is not None:
            return document
        bad = {d.span.line for d in problems if d.code == "BP100"}
        changed = False
        for number in sorted(bad):
            if 1 <= number <= len(lines) and lines[number - 1].strip():
                lines[number - 1] = " " * len(lines[number - 1])
                changed = True
        if not changed:
            lines.append("}")  # an unclosed block at the end of the file
    return None


# ---- the analysis ---------------------------------------------------------------------


class Analysis:
    """One version of one document, compiled and indexed."""

    def __init__(
        self,
        text: str,
        path: str,
        uri: str | None = None,
        *,
        config: Config | None = None,
        encoding: str = UTF16,
        read: Reader = read_file,
    ) -> None:
        self.text = text
        self.path = path
        self.uri = uri or uri_of_path(path)
        self.encoding = encoding
        self.read = read
        skip = 1 if text.startswith("\ufeff") else 0
        self.body = text[skip:]  # what the compiler sees
        self.lines = LineIndex(text, encoding, skip)
        self.result: CompileResult = compile_text(text, path, config)
        self.document = tolerant_parse(self.body, path)
        self.index = Index()
        self._other_lines: dict[str, LineIndex | None] = {}
        if self.document is not None:
            self._read_includes(self.document, path, 0, {str(Path(path).resolve())})
            _index_document(self.document, self.index, own=True)
        self.chinese = uses_chinese_keywords(self.body)

    # ---- positions ----------------------------------------------------------------
    def _lines_for(self, file: str) -> LineIndex | None:
        if file == self.path:
            return self.lines
        if file not in self._other_lines:
            text = self.read(file)
            self._other_lines[file] = LineIndex(text, self.encoding) if text is not None else None
        return self._other_lines[file]

    def range(self, span: Span) -> lsp.Range:
        return to_lsp_range(self.lines.span_range(span))

    def location(self, span: Span) -> lsp.Location:
        """The location of a span in this file or in another (an included file)."""
        if span.file == self.path:
            return lsp.Location(self.uri, self.range(span))
        lines = self._lines_for(span.file)
        if lines is None:
            start = lsp.Position(max(span.line - 1, 0), max(span.column - 1, 0))
            return lsp.Location(uri_of_path(span.file), lsp.Range(start, start))
        return lsp.Location(uri_of_path(span.file), to_lsp_range(lines.span_range(span)))

    def offset(self, position: lsp.Position) -> int:
        return self.lines.offset((position.line, position.character))

    # ---- includes -----------------------------------------------------------------
    def _read_includes(self, document: ast.Document, path: str, depth: int, seen: set[str]) -> None:
        """Index the lanes and support processes that `include` statements bring."""
        if depth >= MAX_INCLUDE_DEPTH or (depth == 0 and path_of_uri(self.uri) is None):
            return
        for item in document.items:
            if not isinstance(item, ast.Include):
                continue
            target = str((Path(path).parent / item.path).resolve())
            if depth == 0:
                self.index.includes.append((item, target))
            if target in seen:
                continue
            seen.add(target)
            text = self.read(target)
            if text is None:
                continue
            included, _ = parse(text, target)
            if included is None:
                continue
            self._read_includes(included, target, depth + 1, seen)
            _index_document(included, self.index, own=False)

    # ---- diagnostics --------------------------------------------------------------
    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    def lsp_diagnostics(self) -> list[lsp.Diagnostic]:
        return [self.lsp_diagnostic(d) for d in self.diagnostics]

    def lsp_diagnostic(self, d: Diagnostic) -> lsp.Diagnostic:
        message = d.message
        related = [
            lsp.DiagnosticRelatedInformation(self.location(where), text) for text, where in d.notes
        ]
        if d.span.file == self.path:
            rng = self.range(d.span)
        else:  # in an included file: shown on the include statement of this file
            here = [where for _, where in d.notes if where.file == self.path]
            rng = (
                self.range(here[-1]) if here else lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            )
            message = f"{d.span.file}:{d.span.line}:{d.span.column}: {message}"
            related.insert(0, lsp.DiagnosticRelatedInformation(self.location(d.span), d.message))
        if d.help:
            message += f"\nhelp: {d.help}"
        return lsp.Diagnostic(
            range=rng,
            message=message,
            severity=SEVERITIES[d.severity],
            code=d.code,
            source=SOURCE,
            related_information=related or None,
        )

    def diagnostics_at(self, rng: lsp.Range) -> list[Diagnostic]:
        """This file's diagnostics whose range meets `rng`."""
        found = []
        for d in self.diagnostics:
            if d.span.file != self.path:
                continue
            own = self.range(d.span)
            if _before(own.end, rng.start) or _before(rng.end, own.start):
                continue
            found.append(d)
        return found

    # ---- names at a position ------------------------------------------------------
    def occurrence_at(self, position: lsp.Position) -> Occurrence | None:
        """The name under the cursor (a cursor just after a name counts)."""
        offset = self.offset(position)
        touching: Occurrence | None = None
        for occurrence in self.index.occurrences:
            start, end = self.lines.span_offsets(occurrence.name.span)
            if start <= offset < end:
                return occurrence
            if offset == end:
                touching = occurrence
        return touching

    def definition_of(self, occurrence: Occurrence) -> Definition | None:
        if occurrence.role == "definition":
            return occurrence.definition
        if occurrence.role in ("lane", "target"):
            return self.index.definitions.get(occurrence.name.text)
        return None

    def include_at(self, position: lsp.Position) -> str | None:
        offset = self.offset(position)
        for include, target in self.index.includes:
            start, end = self.lines.span_offsets(include.path_span)
            if start <= offset <= end:
                return target
        return None

    # ---- go to definition, references ---------------------------------------------
    def definition(self, position: lsp.Position) -> list[lsp.Location]:
        target = self.include_at(position)
        if target is not None:
            start = lsp.Position(0, 0)
            return [lsp.Location(uri_of_path(target), lsp.Range(start, start))]
        occurrence = self.occurrence_at(position)
        if occurrence is None:
            return []
        found = self.definition_of(occurrence)
        return [self.location(found.span)] if found is not None else []

    def references(self, position: lsp.Position, include_declaration: bool) -> list[lsp.Location]:
        occurrence = self.occurrence_at(position)
        if occurrence is None or occurrence.role not in ("definition", "lane", "target"):
            return []
        name = occurrence.name.text
        found = self.index.definitions.get(name)
        locations = []
        if include_declaration and found is not None and found.span.file != self.path:
            locations.append(self.location(found.span))
        for other in self.index.occurrences:
            if other.name.text != name or other.role not in ("definition", "lane", "target"):
                continue
            if other.role == "definition" and (
                not include_declaration or other.definition is not found
            ):
                continue  # a second (duplicate) definition is not a reference
            locations.append(self.location(other.name.span))
        return locations

    def document_highlights(self, position: lsp.Position) -> list[lsp.DocumentHighlight]:
        highlights = []
        for location in self.references(position, include_declaration=True):
            if location.uri != self.uri:
                continue
            occurrence = self.occurrence_at(location.range.start)
            kind = (
                lsp.DocumentHighlightKind.Write
                if occurrence is not None and occurrence.role == "definition"
                else lsp.DocumentHighlightKind.Read
            )
            highlights.append(lsp.DocumentHighlight(location.range, kind))
        return highlights

    # ---- hover --------------------------------------------------------------------
    def hover(self, position: lsp.Position) -> lsp.Hover | None:
        parts: list[str] = []
        rng: lsp.Range | None = None
        occurrence = self.occurrence_at(position)
        if occurrence is not None:
            text = self._describe(occurrence)
            if text:
                parts.append(text)
                rng = self.range(occurrence.name.span)
        point = lsp.Range(position, position)
        for d in self.diagnostics_at(point):
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

    def _describe(self, occurrence: Occurrence) -> str | None:
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
        found = self.definition_of(occurrence)
        if found is None:
            return f"`{name}` is not defined" if occurrence.role in ("lane", "target") else None
        return self.describe_definition(found)

    def describe_definition(self, found: Definition) -> str:
        where = "" if found.span.file == self.path else f"\n\ndefined in `{found.span.file}`"
        node = found.node
        if isinstance(node, ast.LaneDecl):
            lane_zone = self.zone_of_lane(node.id.text) or canonical(node.zone.text)
            return f'**lane** `{node.id.text}` "{node.label}" — zone **{lane_zone}**{where}'
        if isinstance(node, ast.StepNode):
            return f"**step** `{found.name}` {self._step_text(node, found.phase)}{where}"
        if isinstance(node, ast.EvidenceItem):
            step = self._step_text(found.step, found.phase)
            return f'**evidence** `{found.name}` "{node.label}"\n\n{step}{where}'
        assert isinstance(node, ast.ActionStmt)
        lane = node.lane.text
        zone = self.zone_of_lane(lane)
        lane_text = f"lane `{lane}`"
        declared = self.index.definitions.get(lane)
        if declared is not None and isinstance(declared.node, ast.LaneDecl):
            lane_text += f' "{declared.node.label}"'
        lines = [f'**action** `{found.name}` "{node.label}"', ""]
        lines.append(f"{lane_text} — zone **{zone or '?'}**  ")
        if found.step is not None:
            lines.append(self._step_text(found.step, found.phase) + "  ")
        else:
            lines.append("outside the steps (a shared support process)  ")
        for flow in node.flows:
            lines.append(f"flows: `{flow.arrow} {', '.join(t.text for t in flow.targets)}`  ")
        if node.attributes:
            lines.append("")
            lines.extend(f"- `{_field_text(a)}`" for a in node.attributes)
        return "\n".join(lines) + where

    def _step_text(self, step: ast.StepNode | None, phase: ast.PhaseNode | None) -> str:
        if step is None:
            return ""
        number = self.index.step_numbers.get(id(step))
        text = f'step {number} "{step.label}"' if number else f'step "{step.label}"'
        if phase is not None:
            text += f' in phase "{phase.label}"'
        return text

    def zone_of_lane(self, lane: str) -> str | None:
        zone = ZONE_KEYWORDS.get(canonical(lane))
        if zone is not None:
            return zone.value
        found = self.index.definitions.get(lane)
        if found is not None and isinstance(found.node, ast.LaneDecl):
            declared = ZONE_KEYWORDS.get(canonical(found.node.zone.text))
            return declared.value if declared is not None else None
        return None

    # ---- document symbols ---------------------------------------------------------
    def document_symbols(self) -> list[lsp.DocumentSymbol]:
        if self.document is None:
            return []
        symbols: list[lsp.DocumentSymbol] = []
        for item in self.document.items:
            if isinstance(item, ast.Header):
                symbols.append(
                    self._symbol(
                        item.title, "blueprint", lsp.SymbolKind.Package, item.span, item.title_span
                    )
                )
            elif isinstance(item, ast.LaneDecl):
                zone = canonical(item.zone.text)
                symbols.append(
                    self._symbol(
                        item.id.text,
                        f'"{item.label}" in {zone}',
                        lsp.SymbolKind.Class,
                        item.span,
                        item.id.span,
                    )
                )
            elif isinstance(item, ast.Include):
                symbols.append(
                    self._symbol(
                        item.path, "include", lsp.SymbolKind.File, item.span, item.path_span
                    )
                )
            elif isinstance(item, ast.PhaseNode):
                phase = self._symbol(
                    item.label, "phase", lsp.SymbolKind.Namespace, item.span, item.label_span
                )
                phase.children = [self._step_symbol(step) for step in item.steps]
                symbols.append(phase)
            elif isinstance(item, ast.StepNode):
                symbols.append(self._step_symbol(item))
            elif isinstance(item, ast.ActionStmt):
                symbols.append(self._action_symbol(item))
        return symbols

    def _step_symbol(self, step: ast.StepNode) -> lsp.DocumentSymbol:
        number = self.index.step_numbers.get(id(step))
        detail = f"step {number}" + (f" `{step.id.text}`" if step.id else "")
        symbol = self._symbol(step.label, detail, lsp.SymbolKind.Module, step.span, step.label_span)
        children = []
        for stmt in step.body:
            if isinstance(stmt, ast.ActionStmt):
                children.append(self._action_symbol(stmt))
            elif isinstance(stmt, ast.EvidenceStmt):
                for item in stmt.items:
                    children.append(
                        self._symbol(
                            item.label,
                            "evidence",
                            lsp.SymbolKind.Constant,
                            item.span,
                            item.id.span if item.id else item.span,
                        )
                    )
        symbol.children = children
        return symbol

    def _action_symbol(self, stmt: ast.ActionStmt) -> lsp.DocumentSymbol:
        name = stmt.id.text if stmt.id else stmt.label
        zone = self.zone_of_lane(stmt.lane.text) or "?"
        detail = (
            f'"{stmt.label}" · {stmt.lane.text} ({zone})'
            if stmt.id
            else (f"{stmt.lane.text} ({zone})")
        )
        kind = lsp.SymbolKind.Event if zone == "customer" else lsp.SymbolKind.Function
        return self._symbol(name, detail, kind, stmt.span, stmt.head_span)

    def _symbol(
        self, name: str, detail: str, kind: lsp.SymbolKind, span: Span, selection: Span
    ) -> lsp.DocumentSymbol:
        rng = self.range(span)
        chosen = self.range(selection)
        if _before(chosen.start, rng.start) or _before(rng.end, chosen.end):
            chosen = rng
        return lsp.DocumentSymbol(
            name=name or "(unnamed)", kind=kind, range=rng, selection_range=chosen, detail=detail
        )

    # ---- formatting ---------------------------------------------------------------
    def formatting(self) -> list[lsp.TextEdit]:
        """One edit that replaces the document with its canonical layout (none on errors)."""
        formatted, problems = format_source(self.body, self.path)
        if formatted is None or problems:
            return []
        if self.text.startswith("\ufeff"):
            formatted = "\ufeff" + formatted
        if formatted == self.text:
            return []
        whole = lsp.Range(lsp.Position(0, 0), to_lsp_position(self.lines.end))
        return [lsp.TextEdit(whole, formatted)]

    # ---- code actions -------------------------------------------------------------
    def code_actions(self, rng: lsp.Range) -> list[lsp.CodeAction]:
        actions: list[lsp.CodeAction] = []
        evidence_steps: set[int] = set()
        for d in self.diagnostics_at(rng):
            if d.code == "BP301":
                step = self._step_around(d.span)
                if step is not None and id(step) not in evidence_steps:
                    evidence_steps.add(id(step))
                    action = self._add_evidence(d, step)
                    if action is not None:
                        actions.append(action)
                continue
            match = _DID_YOU_MEAN.search(d.help or "")
            if match and d.span.line == d.span.end_line:
                written = self.body_text(d.span)
                suggestion = match.group(1)
                actions.append(
                    lsp.CodeAction(
                        title=f"Replace `{written}` with `{suggestion}`",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[self.lsp_diagnostic(d)],
                        is_preferred=True,
                        edit=lsp.WorkspaceEdit(
                            changes={self.uri: [lsp.TextEdit(self.range(d.span), suggestion)]}
                        ),
                    )
                )
        return actions

    def body_text(self, span: Span) -> str:
        start, end = self.lines.span_offsets(span)
        return self.text[start:end]

    def _step_around(self, span: Span) -> ast.StepNode | None:
        if self.document is None:
            return None
        key = (span.line, span.column)
        for item in self.document.items:
            steps = item.steps if isinstance(item, ast.PhaseNode) else (item,)
            for step in steps:
                if isinstance(step, ast.StepNode) and (
                    (step.span.line, step.span.column)
                    <= key
                    < (step.span.end_line, step.span.end_column)
                ):
                    return step
        return None

    def _add_evidence(self, d: Diagnostic, step: ast.StepNode) -> lsp.CodeAction | None:
        """Insert an `evidence "…"` line at the top of the step's body."""
        keyword = STATEMENTS["evidence"] if step.keyword != "step" else "evidence"
        statement = f'{keyword} "…"'
        label_end = self.lines.span_offsets(step.label_span)[1]
        brace = self.text.find("{", label_end)
        if brace < 0:
            return None
        brace_line = self.lines.line_of(brace)
        first = step.body[0] if step.body else None
        first_offset = self.lines.span_offsets(first.span)[0] if first is not None else None
        if first_offset is not None and self.lines.line_of(first_offset) == brace_line:
            # the body starts on the `{` line: `step "X" { evidence "…"; customer … }`
            insert_at = brace + 1
            new_text = f" {statement};"
        else:
            step_line = self.lines.line_of(self.lines.span_offsets(step.span)[0])
            indent = _indent_of(self.lines.line_text(step_line)) + "  "
            if first_offset is not None:
                indent = _indent_of(self.lines.line_text(self.lines.line_of(first_offset)))
            newline = self.lines.line_break(brace_line)
            if newline:  # at the start of the line after the `{`
                insert_at = self.lines.line_start(brace_line + 1)
                new_text = f"{indent}{statement}{newline}"
            else:  # the `{` line is the last line of the text
                insert_at = len(self.text)
                new_text = f"\n{indent}{statement}"
        point = to_lsp_position(self.lines.position(insert_at))
        return lsp.CodeAction(
            title=f'Add `{statement}` to step "{step.label}"',
            kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[self.lsp_diagnostic(d)],
            is_preferred=True,
            edit=lsp.WorkspaceEdit(
                changes={self.uri: [lsp.TextEdit(lsp.Range(point, point), new_text)]}
            ),
        )

    # ---- completion ---------------------------------------------------------------
    def completion(self, position: lsp.Position) -> list[lsp.CompletionItem]:
        offset = self.offset(position)
        context = scan_context(self.text, offset)
        if context is None:
            return []
        start = to_lsp_position(self.lines.position(context.prefix_start))
        replace = lsp.Range(start, position)
        items: list[lsp.CompletionItem] = []

        def add(
            label: str,
            kind: lsp.CompletionItemKind,
            detail: str | None = None,
            documentation: str | None = None,
            sort: str = "1",
            insert: str | None = None,
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
                    filter_text=text,
                    text_edit=lsp.TextEdit(replace, text),
                )
            )

        def keyword(english: str, kind: lsp.CompletionItemKind, detail: str, sort: str) -> None:
            add(english, kind, detail, sort=sort)
            zh = chinese(english)
            if self.chinese and zh is not None:
                add(zh, kind, f"{english}: {detail}", sort=sort)

        what = context.what
        if what == "unit":
            number = context.prefix[: len(context.prefix) - len(context.unit_prefix)]
            units = [u for u in UNITS if u.isascii() or self.chinese]
            if context.statement == "metric":
                units.append("%")
            for unit in units:
                add(number + unit, lsp.CompletionItemKind.Unit, _unit_detail(unit), sort="1")
        elif what == "target":
            here = context.prefix_start
            current_step = self._step_at_offset(here)
            for found in self.index.definitions.values():
                if found.kind != "action":
                    continue
                assert isinstance(found.node, ast.ActionStmt)
                sort = "0" if current_step is not None and found.step is current_step else "1"
                zone = self.zone_of_lane(found.node.lane.text) or "?"
                add(
                    found.name,
                    lsp.CompletionItemKind.Reference,
                    f'"{found.node.label}" · {found.node.lane.text} ({zone})',
                    self.describe_definition(found),
                    sort=sort,
                )
        elif what == "step-start":
            for zone in ZONES:
                keyword(zone, lsp.CompletionItemKind.Keyword, f"zone: {ZONE_HELP[zone]}", "0")
            add("frontstage", lsp.CompletionItemKind.Keyword, "zone: alias of onstage", sort="2")
            for found in self.index.definitions.values():
                if isinstance(found.node, ast.LaneDecl):
                    zone_name = self.zone_of_lane(found.name) or "?"
                    add(
                        found.name,
                        lsp.CompletionItemKind.Class,
                        f'lane "{found.node.label}" in {zone_name}',
                        sort="0",
                    )
            keyword(
                "evidence", lsp.CompletionItemKind.Keyword, "physical evidence of the step", "1"
            )
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
            for name, spec in ATTRIBUTES.items():
                if name in context.used and not spec.repeatable:
                    continue
                add(name, lsp.CompletionItemKind.Property, spec.form, sort="0")
                zh = ATTRIBUTE_ZH.get(name)
                if self.chinese and zh:
                    add(zh, lsp.CompletionItemKind.Property, f"{name}: {spec.form}", sort="0")
        elif what == "field":
            for name, spec in HEADER_FIELDS.items():
                if name in context.used:
                    continue
                add(name, lsp.CompletionItemKind.Field, spec.form, sort="0")
                zh = HEADER_FIELD_ZH.get(name)
                if self.chinese and zh:
                    add(zh, lsp.CompletionItemKind.Field, f"{name}: {spec.form}", sort="0")
        elif what == "in":
            keyword("in", lsp.CompletionItemKind.Keyword, "the lane's zone follows", "0")
        elif what == "zone":
            for zone in ZONES:
                keyword(zone, lsp.CompletionItemKind.Keyword, ZONE_HELP[zone], "0")
        elif what == "locale":
            for value in LOCALE_VALUES:
                keyword(value, lsp.CompletionItemKind.EnumMember, "locale", "0")
        elif what == "recover":
            keyword("recover", lsp.CompletionItemKind.Keyword, 'recover "how it is put right"', "0")
        elif what == "metric-target":
            keyword("target", lsp.CompletionItemKind.Keyword, "the metric's target value", "0")
        return items

    def _step_at_offset(self, offset: int) -> ast.StepNode | None:
        return self._step_around(Span(self.path, *self.lines.bp_position(offset), 0, 0))


# ---- the completion context -----------------------------------------------------------

_TOKEN = re.compile(
    r"""
     (?P<string>"(?:[^"\\\r\n]|\\.)*"?)
    |(?P<comment>\#[^\r\n]*)
    |(?P<newline>\r\n|\r|\n)
    |(?P<semi>;)
    |(?P<lbrace>\{)
    |(?P<rbrace>\})
    |(?P<arrow><->|-->|->)
    |(?P<comma>,)
    |(?P<colon>:)
    |(?P<range>\.\.)
    |(?P<quantity>[+-]?\d+(?:\.\d+)?(?:%|[^\W\d_]+)?)
    |(?P<name>[^\W\d](?:\w|-(?![->]))*)
    |(?P<space>[ \t\f\ufeff]+)
    |(?P<other>.)
    """,
    re.X,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "space":
            yield _Token(kind, match.group(), match.start(), match.end())


def uses_chinese_keywords(text: str) -> bool:
    """Whether a keyword (statement, zone, attribute, field) is written in Chinese."""
    if not _CJK.search(text):
        return False
    keywords = {
        zh for table in (STATEMENTS, ZONES, ATTRIBUTE_ZH, HEADER_FIELD_ZH) for zh in table.values()
    }
    return any(t.kind == "name" and t.text in keywords for t in tokens(text))


@dataclass
class _Block:
    kind: str  # "top" | "header" | "phase" | "step" | "attributes"
    used: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class CompletionContext:
    what: str  # see Analysis.completion
    prefix: str  # the word (or number) being typed
    prefix_start: int  # its offset
    statement: str | None = None  # the canonical first word of the statement
    unit_prefix: str = ""
    used: frozenset[str] = frozenset()


def scan_context(text: str, offset: int) -> CompletionContext | None:
    """What may be written at `offset`: read the statements and blocks before it."""
    stack = [_Block("top")]
    statement: list[_Token] = []
    toks = list(tokens(text[:offset]))
    prefix: _Token | None = None
    if toks and toks[-1].end == offset and toks[-1].kind in ("name", "quantity"):
        prefix = toks.pop()
    if toks and toks[-1].end == offset and toks[-1].kind in ("string", "comment"):
        closed = toks[-1].kind == "string" and _CLOSED_STRING.fullmatch(toks[-1].text)
        if not closed:
            return None  # inside a label or a comment
    for tok in toks:
        if tok.kind in ("newline", "semi"):
            _end_statement(stack[-1], statement)
            statement = []
        elif tok.kind == "lbrace":
            opener = canonical(statement[0].text) if statement else ""
            kind = {"blueprint": "header", "phase": "phase", "step": "step"}.get(
                opener, "attributes"
            )
            stack.append(_Block(kind))
            statement = []
        elif tok.kind == "rbrace":
            _end_statement(stack[-1], statement)
            if len(stack) > 1:
                stack.pop()
            statement = []
        elif tok.kind != "comment":
            statement.append(tok)
    block = stack[-1]
    start = prefix.start if prefix is not None else offset
    word = prefix.text if prefix is not None else ""
    first = canonical(statement[0].text) if statement else None
    kinds = [t.kind for t in statement]

    def make(what: str, unit: str = "") -> CompletionContext:
        return CompletionContext(what, word, start, first, unit, frozenset(block.used))

    if prefix is not None and prefix.kind == "quantity":
        unit = re.sub(r"^[+-]?\d+(?:\.\d+)?", "", word)
        if block.kind in ("attributes", "header") and statement:
            return make("unit", unit)
        return None
    if kinds and (kinds[-1] == "arrow" or (kinds[-1] == "comma" and "arrow" in kinds)):
        return make("target")
    if not statement:
        return make(
            {
                "top": "top-start",
                "phase": "phase-start",
                "step": "step-start",
                "attributes": "attribute",
                "header": "field",
            }[block.kind]
        )
    if first == "lane" and block.kind == "top":
        if kinds == ["name", "name", "string"]:
            return make("in")
        if kinds == ["name", "name", "string", "name"] and canonical(statement[3].text) == "in":
            return make("zone")
    if block.kind == "header" and first == "locale" and len(statement) == 1:
        return make("locale")
    if block.kind == "attributes":
        if first == "fail" and kinds == ["name", "string"]:
            return make("recover")
        if first == "metric" and kinds == ["name", "string", "quantity"]:
            return make("metric-target")
    return None


def _end_statement(block: _Block, statement: list[_Token]) -> None:
    if statement and block.kind in ("attributes", "header") and statement[0].kind == "name":
        block.used.add(canonical(statement[0].text))


# ---- small helpers -------------------------------------------------------------------


def to_lsp_position(position: Position) -> lsp.Position:
    return lsp.Position(position[0], position[1])


def to_lsp_range(rng: Range) -> lsp.Range:
    return lsp.Range(to_lsp_position(rng[0]), to_lsp_position(rng[1]))


def _before(a: lsp.Position, b: lsp.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


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


def _unit_detail(unit: str) -> str:
    if unit == "%":
        return "percent"
    seconds = UNITS[unit]
    names = {1: "seconds", 60: "minutes", 3600: "hours", 86400: "days"}
    return names.get(int(seconds), "")
