"""A misspelt keyword is one error that names the keyword, not a cascade about what the
parser made of it."""

from __future__ import annotations

import pytest

from blueprint_dsl.api import compile_text

HEAD = 'blueprint "T" {\n}\nlane waiter "Waiter" in onstage\n'
STEP = '  evidence "E"\n  customer a "A" -> b\n  waiter b "B"\n'


@pytest.mark.parametrize(
    ("text", "line", "column", "typo", "keyword"),
    [
        (HEAD + 'stpe "Order" {\n' + STEP + "}\n", 4, 1, "stpe", "step"),
        (
            HEAD.replace("lane waiter", "lan waiter") + 'step "S" {\n' + STEP + "}\n",
            3,
            1,
            "lan",
            "lane",
        ),
        (HEAD + 'phse "P" {\n  step "S" {\n' + STEP + "  }\n}\n", 4, 1, "phse", "phase"),
        (
            'bluprint "T" {\n  id "X"\n}\nstep "S" {\n' + STEP.replace("waiter", "onstage") + "}\n",
            1,
            1,
            "bluprint",
            "blueprint",
        ),
        (HEAD + 'includ "team.bp"\nstep "S" {\n' + STEP + "}\n", 4, 1, "includ", "include"),
    ],
)
def test_a_misspelt_statement_keyword_is_one_error(
    text: str, line: int, column: int, typo: str, keyword: str
) -> None:
    (diagnostic,) = compile_text(text, "x.bp").diagnostics
    assert diagnostic.code == "BP100"
    assert (diagnostic.span.line, diagnostic.span.column) == (line, column)
    assert diagnostic.span.end_column == column + len(typo)
    assert diagnostic.message == f"unknown keyword `{typo}`"
    assert diagnostic.help == f"did you mean `{keyword}`?"


def test_a_misspelt_evidence_line_is_one_error_naming_the_keyword() -> None:
    # It parses (as an action in a lane `evidnce`); the model pass says what it is.
    text = HEAD + 'step "S" {\n  evidnce "Lobby"\n  customer a "A" -> b\n  waiter b "B"\n}\n'
    (diagnostic,) = compile_text(text, "x.bp").diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("BP100", 5, 3)
    assert diagnostic.message == "unknown keyword `evidnce`"
    assert diagnostic.help == "did you mean `evidence`?"


def test_a_lane_named_like_a_keyword_is_not_a_typo() -> None:
    text = (
        'blueprint "T" {\n}\nlane steps "Steps" in onstage\nstep "S" {\n  evidence "E"\n'
        '  customer a "A" -> b\n  steps b "B" -> -> c\n}\n'
    )
    (diagnostic,) = compile_text(text, "x.bp").diagnostics
    assert diagnostic.code == "BP100"
    assert diagnostic.message.startswith("unexpected `->`")


def test_chinese_blueprints_get_the_words_in_chinese() -> None:
    text = '蓝图 "T" {\n  语言 中文\n}\nstpe "S" {\n  有形展示 "E"\n  顾客 a "A"\n}\n'
    (diagnostic,) = compile_text(text, "x.bp").diagnostics
    assert diagnostic.message == "未知的关键字 `stpe`"
    assert diagnostic.help == "是不是 `step`?"
