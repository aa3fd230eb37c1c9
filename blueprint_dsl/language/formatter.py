"""`bpc fmt`: the canonical layout of a .bp file.

Two-space indentation; lane keywords and ids aligned within a step, lane declarations
aligned as a table; one statement per line; attribute blocks inline when short, one
attribute per line otherwise; a blank line between steps, phases and groups of top-level
statements; arrows and separators normalised. Every comment stays with the line it was
on, keywords keep the form (English or Chinese) the author wrote, and formatting is
idempotent and preserves meaning.

A line that ends with a `# bpc: ignore[…]` comment is *pinned*: what the comment silences
is whatever a diagnostic points at on that line, so fmt keeps all the code of that line
on one line (joined with `; ` when the canonical layout would split it) and moves no other
code onto it (an attribute block that touches a pinned line is neither folded nor
unfolded). `bpc check` therefore reports the same before and after fmt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic
from ..core.spans import source_lines
from ..core.textwidth import display_width
from . import ast

INDENT = "  "
MAX_INLINE_WIDTH = 88
MAX_INLINE_ATTRIBUTES = 3

# What makes a comment an ignore comment, matched loosely (checks.validate reads them): a
# comment pinned by mistake only keeps its line's layout, one missed would change meaning.
_IGNORE_COMMENT = re.compile(r"bpc:\s*ignore\[")


@dataclass
class _Out:
    """One output line; `line` is the source line it comes from (None for blank lines).

    `plain` is set for the start of a statement: its text without the alignment padding,
    used when a pinned line holds several statements."""

    indent: int
    text: str
    line: int | None
    plain: str | None = None


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _value(value: ast.Value) -> str:
    if value.kind == "string":
        return quote(value.text)
    return value.text


def _field(field: ast.Field) -> str:
    return " ".join([field.name.text, *(_value(v) for v in field.values)])


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


class _Formatter:
    def __init__(self, pinned: frozenset[int] = frozenset()) -> None:
        self.out: list[_Out] = []
        self.pinned = pinned  # source lines that end with an ignore comment

    def emit(self, indent: int, text: str, line: int | None, plain: str | None = None) -> None:
        self.out.append(_Out(indent, text, line, plain))

    def statement(self, indent: int, text: str, line: int, plain: str | None = None) -> None:
        """Emit the start of a statement (`plain`: its text without alignment padding)."""
        self.emit(indent, text, line, text if plain is None else plain)

    def blank(self) -> None:
        if self.out and self.out[-1].line is not None:
            self.out.append(_Out(0, "", None))

    # ---- top level ---------------------------------------------------------------------
    def document(self, items: list[ast.Item]) -> None:
        previous: type | None = None
        index = 0
        while index < len(items):
            item = items[index]
            kind = type(item)
            if previous is not None and (
                kind is not previous or kind in (ast.PhaseNode, ast.StepNode, ast.Header)
            ):
                self.blank()
            if isinstance(item, ast.LaneDecl):
                group: list[ast.LaneDecl] = []
                while index < len(items) and isinstance(items[index], ast.LaneDecl):
                    lane = items[index]
                    assert isinstance(lane, ast.LaneDecl)
                    group.append(lane)
                    index += 1
                self.lanes(group)
                previous = ast.LaneDecl
                continue
            if isinstance(item, ast.Header):
                self.header(item)
            elif isinstance(item, ast.PhaseNode):
                self.phase(item)
            elif isinstance(item, ast.StepNode):
                self.step(item, 0)
            elif isinstance(item, ast.ActionStmt):
                self.actions([item], 0)
            elif isinstance(item, ast.Include):
                self.statement(0, f"{item.keyword} {quote(item.path)}", item.span.line)
            else:
                self.statement(0, _chain(item), item.span.line)
            previous = kind
            index += 1

    def header(self, header: ast.Header) -> None:
        self.statement(0, f"{header.keyword} {quote(header.title)} {{", header.span.line)
        width = max((display_width(f.name.text) for f in header.fields), default=0)
        for field in header.fields:
            values = " ".join(_value(v) for v in field.values)
            text = f"{_pad(field.name.text, width)} {values}".rstrip()
            self.statement(1, text, field.span.line, _field(field))
        self.emit(0, "}", header.span.end_line)

    def lanes(self, group: list[ast.LaneDecl]) -> None:
        id_width = max(display_width(d.id.text) for d in group)
        label_width = max(display_width(quote(d.label)) for d in group)
        for decl in group:
            text = (
                f"{decl.keyword} {_pad(decl.id.text, id_width)} "
                f"{_pad(quote(decl.label), label_width)} {decl.in_keyword} {decl.zone.text}"
            )
            plain = (
                f"{decl.keyword} {decl.id.text} {quote(decl.label)} "
                f"{decl.in_keyword} {decl.zone.text}"
            )
            self.statement(0, text, decl.span.line, plain)

    def phase(self, phase: ast.PhaseNode) -> None:
        self.statement(0, f"{phase.keyword} {quote(phase.label)} {{", phase.span.line)
        for number, step in enumerate(phase.steps):
            if number:
                self.blank()
            self.step(step, 1)
        self.emit(0, "}", phase.span.end_line)

    def step(self, step: ast.StepNode, depth: int) -> None:
        head = f"{step.keyword} {step.id.text + ' ' if step.id else ''}{quote(step.label)} {{"
        self.statement(depth, head, step.span.line)
        self.body(step.body, depth + 1)
        self.emit(depth, "}", step.span.end_line)

    def body(
        self,
        body: tuple[ast.EvidenceStmt | ast.ActionStmt | ast.Chain | ast.ParallelNode, ...],
        depth: int,
    ) -> None:
        """A step's (or a `parallel` block's) statements, runs of actions aligned."""
        run: list[ast.ActionStmt] = []
        for stmt in body:
            if isinstance(stmt, ast.ActionStmt):
                run.append(stmt)
                continue
            self.actions(run, depth)
            run = []
            if isinstance(stmt, ast.EvidenceStmt):
                items = ", ".join(
                    (f"{i.id.text} " if i.id else "") + quote(i.label) for i in stmt.items
                )
                self.statement(depth, f"{stmt.keyword} {items}", stmt.span.line)
            elif isinstance(stmt, ast.ParallelNode):
                self.statement(depth, f"{stmt.keyword} {{", stmt.span.line)
                self.body(stmt.body, depth + 1)
                self.emit(depth, "}", stmt.span.end_line)
            else:
                self.statement(depth, _chain(stmt), stmt.span.line)
        self.actions(run, depth)

    def actions(self, run: list[ast.ActionStmt], depth: int) -> None:
        """Consecutive actions, with lane keywords and ids aligned in columns."""
        if not run:
            return
        lane_width = max(display_width(a.lane.text) for a in run)
        id_width = max(display_width(a.id.text) if a.id else 0 for a in run)
        for action in run:
            parts = [_pad(action.lane.text, lane_width)]
            if id_width:
                parts.append(_pad(action.id.text if action.id else "", id_width))
            parts.append(quote(action.label))
            plain = " ".join([action.lane.text, *([action.id.text] if action.id else [])])
            plain += f" {quote(action.label)}"
            flows = "".join(
                f" {flow.arrow} " + ", ".join(t.text for t in flow.targets) for flow in action.flows
            )
            head, plain = " ".join(parts) + flows, plain + flows
            line, end_line = action.span.line, action.span.end_line
            attributes = action.attributes
            if not attributes:
                self.statement(depth, head, line, plain)
                continue
            block = f" {{ {'; '.join(_field(a) for a in attributes)} }}"
            fits = display_width(INDENT * depth + head + block) <= MAX_INLINE_WIDTH
            inline = len(attributes) <= MAX_INLINE_ATTRIBUTES and fits
            if any(n in self.pinned for n in range(line, end_line + 1)):
                inline = line == end_line  # keep the block as it is: folded or not
            if inline:
                self.statement(depth, head + block, line, plain + block)
                continue
            self.statement(depth, head + " {", line, plain + " {")
            for attribute in attributes:
                self.emit(depth + 1, _field(attribute), attribute.span.line)
            self.emit(depth, "}", end_line)


def _chain(chain: ast.Chain) -> str:
    text = chain.names[0].text
    for (arrow, _), name in zip(chain.arrows, chain.names[1:], strict=False):
        text += f" {arrow} {name.text}"
    if chain.label is not None:
        text += f" : {quote(chain.label)}"
    if chain.share is not None:
        text += f" {chain.share.text}"
    return text


def _pinned_lines(comments: Iterable[ast.Comment], source: list[str]) -> frozenset[int]:
    """The source lines that end with an ignore comment after some code."""
    pinned = set()
    for comment in comments:
        line = comment.span.line
        before = source[line - 1][: comment.span.column - 1] if line <= len(source) else ""
        if before.strip() and _IGNORE_COMMENT.search(comment.text):
            pinned.add(line)
    return frozenset(pinned)


def _join_pinned(out: list[_Out], pinned: frozenset[int]) -> list[_Out]:
    """Put all the output of each pinned source line back on one line (blank lines the
    layout put between its statements go)."""
    joined: list[_Out] = []
    index = 0
    while index < len(out):
        entry = out[index]
        if entry.line is None or entry.line not in pinned:
            joined.append(entry)
            index += 1
            continue
        group = [entry]
        index += 1
        scan = index
        while scan < len(out) and out[scan].line in (None, entry.line):
            if out[scan].line is not None:
                group.append(out[scan])
                index = scan + 1
            scan += 1
        joined.append(_join(group))
    return joined


def _join(group: list[_Out]) -> _Out:
    """One line of `group`, as the source had it: a block opened on the line goes on
    after its `{`, statements are separated by `; `. A line that holds several
    statements is not aligned with its neighbours."""
    several = sum(1 for o in group if o.plain is not None) > 1
    text = ""
    for entry in group:
        piece = entry.plain if several and entry.plain is not None else entry.text
        if text:
            text += " " if text.endswith("{") or piece.startswith("}") else "; "
        text += piece.rstrip()
    return _Out(group[0].indent, text, group[0].line)


def _place_comments(out: list[_Out], comments: list[ast.Comment], source: list[str]) -> None:
    """Put each comment back: at the end of its line's statement, or on its own line
    before the statement that followed it."""
    for comment in comments:
        line = comment.span.line
        before = source[line - 1][: comment.span.column - 1] if line <= len(source) else ""
        if before.strip():  # a trailing comment: after the last output from that line
            owners = [n for n, o in enumerate(out) if o.line == line]
            if owners:
                out[owners[-1]].text += f"  {comment.text}"
                continue
        # an own-line comment (or a trailing one whose line was reshaped)
        at = next((n for n, o in enumerate(out) if o.line is not None and o.line > line), None)
        if at is None:
            out.append(_Out(0, comment.text, line))
            continue
        indent = out[at].indent
        if out[at].text == "}":  # the comment closed a block: keep it inside
            indent += 1
        out.insert(at, _Out(indent, comment.text, line))
        followed_by_blank = line < len(source) and not source[line].strip()
        if followed_by_blank and out[at + 1].line is not None:
            out.insert(at + 1, _Out(0, "", None))


def format_source(text: str, path: str = "<stdin>") -> tuple[str | None, list[Diagnostic]]:
    """The canonical layout of `text`, or None with the syntax errors that prevent it."""
    from .parser import parse

    source = text[1:] if text.startswith("\ufeff") else text
    document, diagnostics = parse(source, path)
    if document is None:
        return None, diagnostics
    lines_of_source = source_lines(source)
    pinned = _pinned_lines(document.comments, lines_of_source)
    formatter = _Formatter(pinned)
    formatter.document(document.items)
    out = _join_pinned(formatter.out, pinned)
    _place_comments(out, document.comments, lines_of_source)
    while out and out[-1].line is None:
        out.pop()
    lines = [(INDENT * o.indent + o.text).rstrip() if o.text else "" for o in out]
    result = "\n".join(lines) + "\n" if lines else ""
    if "\r\n" in source:
        result = result.replace("\n", "\r\n")
    return result, []
