"""Completion without a server: the completion contexts, and what is offered in them."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.lsp.completion import completion
from blueprint_dsl.lsp.document import Analysis
from blueprint_dsl.lsp.positions import UTF16, units
from blueprint_dsl.lsp.scanner import scan_context


def test_completion_contexts() -> None:
    def what(text: str) -> str | None:
        context = scan_context(text, len(text))
        return context.what if context is not None else None

    assert what("") == "top-start"
    assert what("la") == "top-start"
    assert what('step "A" {\n  ') == "step-start"
    assert what('step "A" {\n  cust') == "step-start"
    assert what('step "A" {\n  customer a "A" -> ') == "target"
    assert what('step "A" {\n  customer a "A" -> b, ') == "target"
    assert what('step "A" {\n  a --> b -> ') == "target"
    assert what('step "A" {\n  customer a "A" { ') == "attribute"
    assert what('step "A" {\n  customer a "A" { duration 5') == "unit"
    assert what('step "A" {\n  customer a "A" { duration 5mi') == "unit"
    assert what('step "A" {\n  customer a "A" { fail "x" ') == "recover"
    assert what('blueprint "A" {\n  ') == "field"
    assert what('blueprint "A" {\n  locale ') == "locale"
    assert what('lane a "A" ') == "in"
    assert what('lane a "A" in ') == "zone"
    assert what('phase "P" {\n  ') == "phase-start"
    assert what('step "A" {\n  customer a "in a lab') is None  # inside a label
    assert what("# a comment ") is None
    assert what('步骤 "A" {\n  顾客 a "A" { 时长 5') == "unit"


def test_units_complete_with_the_number() -> None:
    text = 'blueprint "A" {\n  target 5'
    analysis = Analysis(text + "\n}\n", "/nowhere/a.bp")
    items = completion(analysis, analysis_position(text))
    labels = [item.label for item in items]
    assert "5min" in labels and "5h" in labels and "5分钟" not in labels


def analysis_position(text: str) -> Any:
    from lsprotocol import types as lsp

    line = text.count("\n")
    return lsp.Position(line, units(text[text.rfind("\n") + 1 :], UTF16))
