"""Messages by id: every id has an English and a Chinese template, every call site gives
the arguments its templates name, and only the catalogue of the locale in use loads."""

from __future__ import annotations

import ast
import string
import subprocess
import sys

import pytest

from blueprint_dsl.core.messages import Message, msg, templates

from ..conftest import ROOT

PACKAGE = ROOT / "blueprint_dsl"
EN, ZH = templates("en"), templates("zh")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def calls() -> list[tuple[str, int, ast.Call]]:
    """Every `msg(...)` call in the package: (file, line, call)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg":
                found.append((str(path.relative_to(ROOT)), node.lineno, node))
    return found


def test_every_id_has_a_chinese_template_and_no_other() -> None:
    assert sorted(set(EN) - set(ZH)) == [], "ids without a Chinese template"
    assert sorted(set(ZH) - set(EN)) == [], "Chinese templates for ids English does not have"


@pytest.mark.parametrize("message_id", sorted(EN))
def test_chinese_names_only_arguments_english_gives(message_id: str) -> None:
    assert fields(ZH[message_id]) <= fields(EN[message_id])


def test_every_call_names_a_known_id_with_the_arguments_it_needs() -> None:
    problems = []
    used = set()
    for file, line, call in calls():
        first = call.args[0] if call.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{file}:{line}: the id is not a string literal")
            continue
        message_id = first.value
        used.add(message_id)
        if message_id not in EN:
            problems.append(f"{file}:{line}: unknown id {message_id!r}")
            continue
        given = {k.arg for k in call.keywords if k.arg is not None}
        missing = fields(EN[message_id]) - given
        extra = given - fields(EN[message_id]) - fields(ZH[message_id])
        if missing or extra:
            problems.append(f"{file}:{line}: {message_id} missing {missing}, unused {extra}")
    assert problems == []
    assert sorted(set(EN) - used) == [], "ids no code uses"


def test_a_message_is_worded_late_in_the_locale_asked_for() -> None:
    message = msg("flow.undefined-id", id="tll")
    assert message.render() == str(message) == "flow refers to an undefined id `tll`"
    assert message.render("zh") == "流程指向未定义的编号 `tll`"
    assert message.render("fr") == message.render("en")  # a locale bpc does not have
    nested = msg("syntax.expected", got=msg("token.end-of-file"), expected=("`{`", "`}`"))
    assert nested.render() == "unexpected end of file: expected `{`, `}`"
    assert nested.render("zh") == "意外的 文件结尾:应为 `{`, `}`"
    assert msg("hint.did-you-mean", name="take_order").arg("name") == "take_order"
    assert isinstance(nested.arg("got"), Message)


def test_english_files_never_load_the_chinese_catalogue() -> None:
    code = (
        "import sys; from blueprint_dsl import compile_file; "
        f"r = compile_file({str(ROOT / 'tests' / 'data' / 'hostile.bp')!r}); "
        "assert r.diagnostics, 'the file has diagnostics'; "
        "print('blueprint_dsl.core.messages.zh' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_chinese_files_get_chinese_notes_too() -> None:
    from blueprint_dsl import compile_text

    text = '蓝图 "维修" {\n  语言 中文\n}\n泳道 a "甲" 属于 前台\n泳道 a "乙" 属于 前台\n'
    (diagnostic,) = [d for d in compile_text(text, "x.bp").diagnostics if d.code == "BP202"]
    assert diagnostic.message == "泳道 `a` 声明了两次"
    assert [note for note, _ in diagnostic.notes] == ["第一次声明在这里"]
