"""Code actions for the language server: the quick fixes for diagnostics at a range.

A diagnostic whose help is the hint "did you mean `x`?" (message id `hint.did-you-mean`,
worded in the file's locale, e.g. "是不是 `x`?") gets a fix that replaces the word written
with `x`: the name the hint was worded from, never parsed back out of its words. A step
without physical evidence (BP301) gets a fix that adds an `evidence "…"` line at the top of
its body, with the keyword in the step's language and the layout and line breaks the step
already has.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..core.diagnostics import Diagnostic
from ..language import ast
from ..language.keywords import STATEMENTS
from .document import Analysis, to_lsp_position

DID_YOU_MEAN = "hint.did-you-mean"

# ---- code actions -------------------------------------------------------------


def code_actions(analysis: Analysis, rng: lsp.Range) -> list[lsp.CodeAction]:
    actions: list[lsp.CodeAction] = []
    evidence_steps: set[int] = set()
    for d in analysis.diagnostics_at(rng):
        if d.code == "BP301":
            step = analysis.step_around(d.span)
            if step is not None and id(step) not in evidence_steps:
                evidence_steps.add(id(step))
                action = _add_evidence(analysis, d, step)
                if action is not None:
                    actions.append(action)
            continue
        suggestion = suggested_name(d)
        if suggestion is not None and d.span.line == d.span.end_line:
            written = analysis.body_text(d.span)
            actions.append(
                lsp.CodeAction(
                    title=f"Replace `{written}` with `{suggestion}`",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[analysis.lsp_diagnostic(d)],
                    is_preferred=True,
                    edit=lsp.WorkspaceEdit(
                        changes={analysis.uri: [lsp.TextEdit(analysis.range(d.span), suggestion)]}
                    ),
                )
            )
    return actions


def suggested_name(d: Diagnostic) -> str | None:
    """The name a diagnostic's "did you mean" hint suggests, from the message it was
    worded from (so the same in every locale); None without such a hint."""
    hint = d.source.help if d.source is not None else None
    if hint is None or hint.id != DID_YOU_MEAN:
        return None
    name = hint.arg("name")
    return name if isinstance(name, str) and name else None


def _add_evidence(analysis: Analysis, d: Diagnostic, step: ast.StepNode) -> lsp.CodeAction | None:
    """Insert an `evidence "…"` line at the top of the step's body."""
    keyword = STATEMENTS["evidence"] if step.keyword != "step" else "evidence"
    statement = f'{keyword} "…"'
    label_end = analysis.lines.span_offsets(step.label_span)[1]
    brace = analysis.text.find("{", label_end)
    if brace < 0:
        return None
    brace_line = analysis.lines.line_of(brace)
    first = step.body[0] if step.body else None
    first_offset = analysis.lines.span_offsets(first.span)[0] if first is not None else None
    if first_offset is not None and analysis.lines.line_of(first_offset) == brace_line:
        # the body starts on the `{` line: `step "X" { evidence "…"; customer … }`
        insert_at = brace + 1
        new_text = f" {statement};"
    else:
        step_line = analysis.lines.line_of(analysis.lines.span_offsets(step.span)[0])
        indent = _indent_of(analysis.lines.line_text(step_line)) + "  "
        if first_offset is not None:
            indent = _indent_of(analysis.lines.line_text(analysis.lines.line_of(first_offset)))
        newline = analysis.lines.line_break(brace_line)
        if newline:  # at the start of the line after the `{`
            insert_at = analysis.lines.line_start(brace_line + 1)
            new_text = f"{indent}{statement}{newline}"
        else:  # the `{` line is the last line of the text
            insert_at = len(analysis.text)
            new_text = f"\n{indent}{statement}"
    point = to_lsp_position(analysis.lines.position(insert_at))
    return lsp.CodeAction(
        title=f'Add `{statement}` to step "{step.label}"',
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[analysis.lsp_diagnostic(d)],
        is_preferred=True,
        edit=lsp.WorkspaceEdit(
            changes={analysis.uri: [lsp.TextEdit(lsp.Range(point, point), new_text)]}
        ),
    )


# ---- small helpers -------------------------------------------------------------------


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]
