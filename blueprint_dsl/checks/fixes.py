"""Fixes for diagnostics, as text edits: what `bpc check --fix` applies.

Safe fixes never change what a blueprint means: removing a code that a
`# bpc: ignore[...]` comment names but that silences nothing (BP106). Unsafe fixes need
a reader's eye and are applied only with `--unsafe-fixes`: taking the suggestion of a
"did you mean `x`?" (BP201's closest id, a lane or attribute name, a keyword), and
adding an `evidence "…"` line to a step that has none (BP301), as the language server's
quick fixes do.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic
from ..core.spans import Span
from ..language import ast
from ..language.keywords import STATEMENTS
from .validate import IGNORE_COMMENT

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] by `text` (offsets into the source as read)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    code: str
    line: int
    title: str
    safe: bool
    edits: tuple[Edit, ...]


class Offsets:
    """Offsets of (line, column) positions in a text with any line ends."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _LINE_END.finditer(text))]

    def of(self, line: int, column: int) -> int:
        start = self.starts[min(line, len(self.starts)) - 1]
        return min(start + column - 1, len(self.text))

    def span(self, span: Span) -> tuple[int, int]:
        return self.of(span.line, span.column), self.of(span.end_line, span.end_column)

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_break(self, line: int) -> str:
        if line >= len(self.starts):
            return ""
        return self.text[self.starts[line - 1] : self.starts[line]][len(self.line_text(line)) :]


def find_fixes(
    text: str, diagnostics: Sequence[Diagnostic], document: ast.Document | None, *, unsafe: bool
) -> list[Fix]:
    """The fixes for `diagnostics` of `text` (only the safe ones unless `unsafe`)."""
    offsets = Offsets(text)
    fixes = _unused_ignores(offsets, diagnostics)
    if unsafe:
        fixes += [f for d in diagnostics if (f := _suggestion(offsets, d)) is not None]
        fixes += _evidence_lines(offsets, diagnostics, document)
    return fixes


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """`text` with every fix whose edits do not overlap an earlier one; the fixes applied."""
    taken: list[tuple[int, int]] = []
    applied: list[Fix] = []
    edits: list[Edit] = []
    for fix in fixes:
        ranges = [(e.start, e.end) for e in fix.edits]
        if any((s < te and ts < e) or s == e == ts for s, e in ranges for ts, te in taken):
            continue
        taken += ranges
        edits += fix.edits
        applied.append(fix)
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text, applied


# ---- safe: ignore comments that silence nothing (BP106) ----------------------------


def _unused_ignores(offsets: Offsets, diagnostics: Sequence[Diagnostic]) -> list[Fix]:
    unused: dict[tuple[int, int], set[str]] = {}
    spans: dict[tuple[int, int], Span] = {}
    for d in diagnostics:
        code = d.source.message.arg("code") if d.source and d.source.message else None
        if d.code == "BP106" and isinstance(code, str):
            key = (d.span.line, d.span.column)
            unused.setdefault(key, set()).add(code)
            spans[key] = d.span
    fixes = []
    for key, codes in sorted(unused.items()):
        start, end = offsets.span(spans[key])
        comment = offsets.text[start:end]
        match = IGNORE_COMMENT.search(comment)
        if match is None:
            continue
        kept = [c.strip() for c in match.group(1).split(",") if c.strip()]
        kept = [c for c in kept if c.upper() not in codes]
        if kept:
            edit = Edit(start + match.start(1), start + match.end(1), ", ".join(kept))
        elif comment.strip() == match.group(0):  # the comment is only the directive
            line_start = offsets.of(spans[key].line, 1)
            before = offsets.text[line_start:start]
            cut = start - (len(before) - len(before.rstrip(" \t")))
            edit = Edit(cut, end, "")
        else:
            edit = Edit(start + match.start(), start + match.end(), "")
        title = f"remove unused {', '.join(sorted(codes))} from the ignore comment"
        fixes.append(Fix("BP106", spans[key].line, title, True, (edit,)))
    return fixes


# ---- unsafe: "did you mean `x`?" -----------------------------------------------------


def _suggestion(offsets: Offsets, d: Diagnostic) -> Fix | None:
    help_text = d.source.help if d.source is not None else None
    if help_text is None or help_text.id != "hint.did-you-mean" or d.span.line != d.span.end_line:
        return None
    suggestion = help_text.arg("name")
    if not isinstance(suggestion, str):
        return None
    start, end = offsets.span(d.span)
    written = offsets.text[start:end]
    title = f"replace `{written}` with `{suggestion}`"
    return Fix(d.code, d.span.line, title, False, (Edit(start, end, suggestion),))


# ---- unsafe: an evidence line for a step without one (BP301) -------------------------


def _evidence_lines(
    offsets: Offsets, diagnostics: Sequence[Diagnostic], document: ast.Document | None
) -> list[Fix]:
    if document is None:
        return []
    fixes = []
    done: set[int] = set()
    for d in diagnostics:
        if d.code != "BP301":
            continue
        step = ast.step_around(document, d.span)
        if step is None or id(step) in done:
            continue
        done.add(id(step))
        fix = _add_evidence(offsets, step)
        if fix is not None:
            fixes.append(fix)
    return fixes


def _add_evidence(offsets: Offsets, step: ast.StepNode) -> Fix | None:
    """An `evidence "…"` line at the top of the step's body, in the step's language."""
    keyword = STATEMENTS["evidence"] if step.keyword != "step" else "evidence"
    statement = f'{keyword} "…"'
    brace = offsets.text.find("{", offsets.span(step.label_span)[1])
    if brace < 0:
        return None
    brace_line = bisect.bisect_right(offsets.starts, brace)
    first = step.body[0] if step.body else None
    title = f'add `{statement}` to step "{step.label}"'
    if first is not None and first.span.line == brace_line:  # `step "X" { customer … }`
        return Fix(
            "BP301", step.span.line, title, False, (Edit(brace + 1, brace + 1, f" {statement};"),)
        )
    indent_line = first.span.line if first is not None else step.span.line
    line = offsets.line_text(indent_line)
    indent = line[: len(line) - len(line.lstrip(" \t"))] + ("" if first is not None else "  ")
    newline = offsets.line_break(brace_line)
    if newline:
        at = offsets.starts[brace_line]
        edit = Edit(at, at, f"{indent}{statement}{newline}")
    else:
        edit = Edit(len(offsets.text), len(offsets.text), f"\n{indent}{statement}")
    return Fix("BP301", step.span.line, title, False, (edit,))
