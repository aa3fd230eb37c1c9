"""`bpc fmt`: canonical, idempotent, meaning-preserving, keeps comments and keyword forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli import main
from blueprint_dsl.exports.json_export import to_json_data
from blueprint_dsl.language.formatter import format_source
from blueprint_dsl.language.parser import find_comments

from ..conftest import ROOT, SAMPLES


def meaning(text: str) -> Any:
    """The JSON export without source positions."""
    result = compile_text(text, "x.bp")
    assert result.blueprint is not None
    return _strip(to_json_data(result.blueprint))


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "span"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def fmt(text: str) -> str:
    out, errors = format_source(text)
    assert out is not None, errors
    return out


STARTERS = sorted((ROOT / "blueprint_dsl" / "cli" / "starters").glob("*.bp"))


@pytest.mark.parametrize("sample", SAMPLES + STARTERS, ids=lambda p: p.name)
def test_samples_are_formatted_and_stable(sample: Path) -> None:
    text = sample.read_text("utf-8")
    assert fmt(text) == text, f"run `bpc fmt samples/`: {sample.name} is not formatted"


def test_restaurant_layout() -> None:
    messy = (
        'blueprint "R" {  id "R-1";version "A/0"\n  target 2h }\n'
        'lane waiter "Waiter" in onstage\nlane kitchen "Kitchen staff" in backstage\n'
        'step "Order" { evidence "Menu";customer order "Order"->take_order\n'
        '  waiter take_order "Take order"->cook { duration 3m ; standard 5m }\n'
        '  kitchen cook "Cook" }\n'
    )
    assert fmt(messy) == (
        'blueprint "R" {\n  id      "R-1"\n  version "A/0"\n  target  2h\n}\n\n'
        'lane waiter  "Waiter"        in onstage\n'
        'lane kitchen "Kitchen staff" in backstage\n\n'
        'step "Order" {\n  evidence "Menu"\n'
        '  customer order      "Order" -> take_order\n'
        '  waiter   take_order "Take order" -> cook { duration 3m; standard 5m }\n'
        '  kitchen  cook       "Cook"\n}\n'
    )


def test_long_attribute_blocks_go_one_per_line() -> None:
    text = (
        'blueprint "R" {\n}\nstep "S" {\n  customer a "A" { wait 1m; standard 2m; emotion 1;'
        ' note "a long note that will not fit on the line with the rest of it" }\n}\n'
    )
    assert '  customer a "A" {\n    wait 1m\n    standard 2m\n' in fmt(text)


def test_comments_stay_and_chinese_keywords_keep_their_form() -> None:
    text = (
        '# 标题\n\n蓝图 "维修" { 编号 "PM-01"  # 编号\n}\n'
        '泳道 客服 "客服中心" 属于 前台\n'
        '步骤 "报修" {\n  # 先有展示\n  有形展示 "热线"; 顾客 报修 "报修" -> 记录 # 尾注\n'
        '  客服 记录 "记录" { 时长 3分钟 }\n  # 步骤末尾\n}\n'
    )
    out = fmt(text)
    assert [c.text for c in find_comments(out, "x")] == [c.text for c in find_comments(text, "x")]
    assert '  顾客 报修 "报修" -> 记录  # 尾注' in out
    assert out.startswith('# 标题\n\n蓝图 "维修" {\n  编号 "PM-01"  # 编号\n}\n')
    assert "泳道 客服" in out and "属于 前台" in out and "有形展示" in out
    assert "  # 步骤末尾\n}" in out
    assert meaning(out) == meaning(text)


def test_crlf_is_kept() -> None:
    assert fmt('blueprint "X" {\r\n}\r\n') == 'blueprint "X" {\r\n}\r\n'


def test_escapes_are_kept() -> None:
    text = 'blueprint "say \\"hi\\" \\\\ \\n" {\n}\n'
    assert fmt(text) == text


def test_cli_check_diff_stdin_and_broken_files(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.bp"
    messy = tmp_path / "messy.bp"
    broken = tmp_path / "broken.bp"
    good.write_text('blueprint "G" {\n}\n', encoding="utf-8")
    messy.write_text('blueprint "M" { id "x" }\n', encoding="utf-8")
    broken.write_text('blueprint "B" {\n', encoding="utf-8")
    result = runner.invoke(main, ["fmt", "--check", str(good), str(messy)])
    assert result.exit_code == 1
    assert f"would reformat {messy}" in result.output
    result = runner.invoke(main, ["fmt", "--diff", str(messy)])
    assert result.exit_code == 1
    assert '+  id "x"' in result.output
    assert messy.read_text() == 'blueprint "M" { id "x" }\n'  # --diff writes nothing
    result = runner.invoke(main, ["fmt", str(messy), str(broken)])
    assert result.exit_code == 1
    assert messy.read_text() == 'blueprint "M" {\n  id "x"\n}\n'
    assert broken.read_text() == 'blueprint "B" {\n'  # left untouched
    assert "error[BP100]" in result.output
    result = runner.invoke(main, ["fmt", "-"], input='blueprint "S" { id "s" }')
    assert result.exit_code == 0
    assert result.stdout == 'blueprint "S" {\n  id "s"\n}\n'


# ---- property: for generated blueprints, fmt is idempotent and keeps the meaning ----------

label = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('"\\#;{}'),
    max_size=12,
)
ident = st.from_regex(r"[a-z][a-z0-9_]{0,6}|[报修客服等待]{1,3}", fullmatch=True)
space = st.sampled_from([" ", "  ", "\t"])
sep = st.sampled_from(["\n", "\n\n", "; ", "  # note\n"])


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def blueprints(draw: st.DrawFn) -> str:
    ids = draw(st.lists(ident, min_size=2, max_size=8, unique=True))
    lanes = ["customer", "onstage", "backstage", "support", "顾客", "前台"]
    attrs = ["duration 2m", "wait 1m..3m", "standard 5m", 'fail "x" recover "y"', "decision"]
    parts = ['blueprint "T" {' + draw(sep) + 'id "T-1"' + draw(sep) + "}\n"]
    for number, action_id in enumerate(ids):
        body = f"evidence {_q(draw(label))}{draw(sep)}"
        body += f"{draw(st.sampled_from(lanes))}{draw(space)}{action_id} {_q(draw(label))}"
        if number + 1 < len(ids) and draw(st.booleans()):
            body += f" {draw(st.sampled_from(['->', '-->', '<->']))} {ids[number + 1]}"
        chosen = draw(st.lists(st.sampled_from(attrs), max_size=3, unique=True))
        if chosen:
            body += " { " + "; ".join(chosen) + " }"
        parts.append(f"step {_q(draw(label))} {{{draw(sep)}{body}\n}}\n")
    if len(ids) > 2:
        parts.append(f"{ids[0]} -> {ids[2]} : {_q(draw(label))}\n")
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(blueprints())
def test_fmt_is_idempotent_and_preserves_meaning(text: str) -> None:
    out = fmt(text)
    assert fmt(out) == out
    assert meaning(out) == meaning(text)
    assert len(find_comments(out, "x")) == len(find_comments(text, "x"))


def test_the_spec_samples_format_close_to_their_original() -> None:
    for name in ("restaurant.bp", "property-repair.zh.bp"):
        original = ROOT.parent / "shared/spec/samples" / name
        if original.exists():
            assert meaning(fmt(original.read_text("utf-8"))) == meaning(original.read_text("utf-8"))
