"""`build(release=True)`: each top-level item is let go as it is read (a big file's tree
and model are not all alive at once), and the model is the one a kept tree gives."""

from __future__ import annotations

from blueprint_dsl.api import compile_text
from blueprint_dsl.compiler import _load_included
from blueprint_dsl.language.parser import parse
from blueprint_dsl.model.builder import build

from ..conftest import SAMPLES

PHASED = """blueprint "Shop" {
}
phase "Arrive" {
  step "Enter" {
    evidence "Door"
    customer enter "Enter" -> greet
    onstage greet "Greet"
  }
}
step "Buy" {
  customer buy "Buy" -> tll
  onstage till "Till"
}
phase "Leave" {
  step "Go" {
    customer go "Go" { fail "Lost" }
  }
}
"""


def test_a_released_tree_builds_the_model_a_kept_one_builds() -> None:
    for text, path in [(PHASED, "shop.bp"), *((p.read_text("utf-8"), str(p)) for p in SAMPLES)]:
        kept_doc, _ = parse(text, path)
        spent_doc, _ = parse(text, path)
        assert kept_doc is not None and spent_doc is not None
        kept_lines: list[tuple[int, int]] = []
        spent_lines: list[tuple[int, int]] = []
        kept = build(kept_doc, "en", _load_included, step_lines=kept_lines)
        spent = build(spent_doc, "en", _load_included, release=True, step_lines=spent_lines)
        assert spent == kept, path
        assert spent_lines == kept_lines and len(kept_lines) == len(kept[0].steps)
        assert all(item is None for item in spent_doc.items)
        assert kept_doc.items and None not in kept_doc.items


def test_step_lines_are_each_steps_first_and_last_line() -> None:
    document, _ = parse(PHASED, "shop.bp")
    assert document is not None
    lines: list[tuple[int, int]] = []
    build(document, "en", None, step_lines=lines)
    assert lines == [(4, 8), (10, 13), (15, 17)]


def test_a_compile_keeps_the_tree_only_when_asked() -> None:
    """And with an error in a step of a phase, that step's warnings still wait."""
    kept = compile_text(PHASED, "shop.bp", keep_document=True)
    spent = compile_text(PHASED, "shop.bp")
    assert kept.document is not None and spent.document is None
    assert kept.diagnostics == spent.diagnostics
    codes = {(d.code, d.span.line) for d in spent.diagnostics}
    assert ("BP201", 11) in codes
    assert ("BP301", 16) in codes  # step "Go": no evidence, and no error in it
    # step "Buy" has no evidence either, but holds the error: no BP301 there
    assert not any(code == "BP301" and 10 <= line <= 13 for code, line in codes)
