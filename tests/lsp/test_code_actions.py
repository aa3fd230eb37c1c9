"""Quick fixes without a server: the evidence fix keeps the layout, and a BOM is kept."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.lsp.code_actions import code_actions
from blueprint_dsl.lsp.document import Analysis

from .editor import apply_edits


def _fix(analysis: Analysis, code: str) -> str:
    from lsprotocol import types as lsp

    (problem,) = [d for d in analysis.diagnostics if d.code == code]
    (action,) = code_actions(analysis, analysis.range(problem.span))
    assert action.edit is not None and action.edit.changes is not None
    edits = [
        {
            "range": {
                "start": {"line": e.range.start.line, "character": e.range.start.character},
                "end": {"line": e.range.end.line, "character": e.range.end.character},
            },
            "newText": e.new_text,
        }
        for e in action.edit.changes[analysis.uri]
    ]
    assert isinstance(action.kind, lsp.CodeActionKind)
    return apply_edits(analysis.text, edits)


STEPPED = 'blueprint "A" {\n}\nstep "S" {\n    customer a "A"\n}\n'


def test_evidence_fix_keeps_line_breaks_and_layout() -> None:
    fixed = _fix(Analysis(STEPPED, "/nowhere/a.bp"), "BP301")
    assert fixed == 'blueprint "A" {\n}\nstep "S" {\n    evidence "…"\n    customer a "A"\n}\n'
    crlf = STEPPED.replace("\n", "\r\n")
    assert _fix(Analysis(crlf, "/nowhere/a.bp"), "BP301") == fixed.replace("\n", "\r\n")
    cr = STEPPED.replace("\n", "\r")
    assert _fix(Analysis(cr, "/nowhere/a.bp"), "BP301") == fixed.replace("\n", "\r")
    one_line = 'blueprint "A" {\n}\nstep "S" { customer a "A" }\n'
    assert _fix(Analysis(one_line, "/nowhere/a.bp"), "BP301") == (
        'blueprint "A" {\n}\nstep "S" { evidence "…"; customer a "A" }\n'
    )


def test_a_byte_order_mark_shifts_the_first_line_only() -> None:
    text = '\ufeffblueprint "A" { idd "x" }\n'
    analysis = Analysis(text, "/nowhere/a.bp")
    (problem,) = analysis.lsp_diagnostics()
    assert problem.code == "BP102"
    start = problem.range.start
    assert text[analysis.offset(start) :].startswith("idd")
    assert _fix(analysis, "BP102") == '\ufeffblueprint "A" { id "x" }\n'
