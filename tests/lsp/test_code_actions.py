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


# A typo'd flow end in blueprints whose diagnostics are in Chinese (`语言 zh`, `locale zh`).
ZH_TYPO = """\
蓝图 "咖啡店" {
  语言 zh
  目标 30分钟
}
泳道 店员 "店员" 属于 前台
步骤 "点单" {
  有形展示 "菜单"
  顾客 点单 "点一杯咖啡" -> 接
  店员 接单 "接单" { 时长 2分钟 }
}
"""
EN_KEYWORDS_ZH_LOCALE = """\
blueprint "Café" {
  locale zh
}
lane barista "Barista" in onstage
step "Order" {
  evidence "Menu"
  customer ask "Ask" -> tkae
  barista take "Take"
}
"""


@pytest.mark.parametrize(
    ("text", "written", "meant"),
    [(ZH_TYPO, "接", "接单"), (EN_KEYWORDS_ZH_LOCALE, "tkae", "take")],
)
def test_did_you_mean_fix_in_a_chinese_locale(text: str, written: str, meant: str) -> None:
    analysis = Analysis(text, "/nowhere/a.zh.bp")
    (problem,) = analysis.diagnostics
    assert problem.code == "BP201" and problem.help is not None
    assert "did you mean" not in problem.help  # worded in Chinese
    assert f"`{meant}`" in problem.help
    (action,) = code_actions(analysis, analysis.range(problem.span))
    assert action.title == f"Replace `{written}` with `{meant}`"
    assert action.diagnostics is not None and action.diagnostics[0].code == "BP201"
    fixed = _fix(analysis, "BP201")
    assert fixed == text.replace(f"-> {written}\n", f"-> {meant}\n")
    assert Analysis(fixed, "/nowhere/a.zh.bp").diagnostics == []


def test_no_did_you_mean_fix_without_a_suggestion() -> None:
    text = ZH_TYPO.replace("-> 接\n", "-> 完全不同的编号\n")
    analysis = Analysis(text, "/nowhere/a.zh.bp")
    (problem,) = analysis.diagnostics
    assert problem.code == "BP201"
    assert code_actions(analysis, analysis.range(problem.span)) == []
