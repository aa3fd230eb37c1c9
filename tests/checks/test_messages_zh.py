"""Diagnostics of `locale zh` blueprints are worded in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file, compile_text
from blueprint_dsl.checks.config import Config
from blueprint_dsl.checks.rules import all_rules
from blueprint_dsl.core.messages import msg

from .test_rules import compiled

EXAMPLES = Path("blueprint_dsl/checks/rules/examples")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_every_rule_example_reads_in_chinese(code: str, in_root: Path) -> None:
    result = compiled(code, "bad", Config(locale="zh"))
    assert result.diagnostics
    for diagnostic in result.diagnostics:
        assert CJK.search(diagnostic.message), diagnostic.message
        if diagnostic.help is not None:
            assert CJK.search(diagnostic.help), diagnostic.help


def test_english_blueprints_keep_english_messages(in_root: Path) -> None:
    result = compile_file(EXAMPLES / "BP301.bad.bp")
    assert result.diagnostics[0].message.startswith("customer action `order` is in step")


def test_a_file_with_syntax_errors_uses_its_written_locale() -> None:
    text = '蓝图 "维修" {\n  语言 中文\n}\n步骤 "报修" {\n  顾客 报修 -> 记录\n}\n'
    (diagnostic,) = compile_text(text, "x.bp").diagnostics
    assert diagnostic.code == "BP100"
    assert diagnostic.message.startswith("意外的 `->`:应为 带引号的标签")


def test_names_and_labels_are_carried_over_untouched() -> None:
    message = msg("evidence.missing", action="`报修`", step="报修 {x}")
    assert message.render("zh") == '顾客行为 `报修` 所在的步骤"报修 {x}"没有有形展示'
    assert message.render() == (
        'customer action `报修` is in step "报修 {x}", which has no physical evidence'
    )
