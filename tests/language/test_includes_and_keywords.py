"""`include` of shared lanes and support processes, and the Chinese keywords."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file, compile_text
from blueprint_dsl.language.keywords import ATTRIBUTES, HEADER_FIELDS, STATEMENTS, ZONES, canonical
from blueprint_dsl.language.parser import grammar_text

from ..conftest import ROOT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bpc.toml").write_text("")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "lanes.bp").write_text(
        '# shared\nlane desk "Front desk" in onstage\nsupport pms "PMS"\n', encoding="utf-8"
    )
    return tmp_path


HOTEL = """blueprint "Check-in" {
  id "H-1"
}
include "team/lanes.bp"
step "Arrive" {
  evidence "Lobby"
  customer arrive "Arrive" -> greet
  desk greet "Greet" --> pms
}
"""


def test_include_brings_lanes_and_support(project: Path) -> None:
    (project / "a.bp").write_text(HOTEL, encoding="utf-8")
    result = compile_file("a.bp")
    assert result.diagnostics == []
    assert result.blueprint is not None
    assert result.blueprint.lane("desk").label == "Front desk"
    pms = result.blueprint.action("pms")
    assert (pms.lane, pms.step_index) == ("support", 1)


def test_library_file_alone_is_clean_and_not_drawn(project: Path) -> None:
    result = compile_file("team/lanes.bp")
    assert result.diagnostics == []
    assert result.blueprint is None


def test_missing_escaping_and_cyclic_includes(project: Path) -> None:
    (project / "team" / "lanes.bp").write_text('include "../a.bp"\n', encoding="utf-8")
    text = HOTEL.replace(
        'include "team/lanes.bp"',
        'include "team/lanes.bp"\ninclude "nope.bp"\ninclude "../../outside.bp"',
    )
    (project / "a.bp").write_text(text, encoding="utf-8")
    messages = [d.message for d in compile_file("a.bp").diagnostics if d.code == "BP105"]
    assert any(m.startswith("include cycle: a.bp → lanes.bp → a.bp") for m in messages)
    assert any("no such file nope.bp" in m for m in messages)
    assert any("leaves the project root" in m for m in messages)


def test_errors_in_an_included_file_say_where_it_was_included(project: Path) -> None:
    (project / "team" / "lanes.bp").write_text('lane desk "Desk" in upstairs\n', encoding="utf-8")
    (project / "a.bp").write_text(HOTEL, encoding="utf-8")
    found = [d for d in compile_file("a.bp").diagnostics if d.code == "BP202"]
    diagnostic = next(d for d in found if d.span.file.endswith("lanes.bp"))
    assert "unknown zone `upstairs`" in diagnostic.message
    assert diagnostic.notes[0][0] == "included from"
    assert diagnostic.notes[0][1].file == "a.bp"


def test_only_support_processes_stand_outside_steps() -> None:
    text = 'blueprint "T" {\n}\nonstage x "X"\nsupport y "Y"\nstep "S" {\n}\n'
    result = compile_text(text, "t.bp")
    # The error, and the local rules' findings beside it (the empty step).
    assert [d.code for d in result.diagnostics] == ["BP104", "BP305"]


def test_every_statement_keyword_has_its_chinese_form_in_the_grammar() -> None:
    grammar = grammar_text()
    for english, chinese in STATEMENTS.items():
        assert re.search(rf'"{english}"', grammar), english
        assert f'"{chinese}"' in grammar, chinese


def test_chinese_forms_are_unique_and_map_back() -> None:
    for table in (STATEMENTS, ZONES, HEADER_FIELDS, ATTRIBUTES):
        for english, chinese in table.items():
            assert canonical(chinese) == english


def test_both_forms_mix_in_one_file() -> None:
    text = (
        '蓝图 "混合" {\n  id "M-1"\n  语言 zh\n}\n'
        'lane 客服 "客服" 属于 onstage\n'
        'step "报修" {\n  有形展示 "热线"\n'
        '  顾客 报修 "报修" -> 记录 { 时长 2分钟; wait 1m; 标准 5分钟 }\n'
        '  客服 记录 "记录" { fail "漏记" 补救 "回拨确认"; 指标 "接通率" 90% target 85% }\n}\n'
    )
    result = compile_text(text, "m.bp")
    assert result.diagnostics == []
    assert result.blueprint is not None
    action = result.blueprint.action("报修")
    assert action.duration is not None and action.duration.max_seconds == 120
    assert result.blueprint.action("记录").fails[0].recover == "回拨确认"
    assert result.blueprint.header.locale == "zh"


def test_unknown_chinese_attribute_suggests_a_chinese_name() -> None:
    text = '蓝图 "T" {\n}\n步骤 "S" {\n  有形展示 "E"\n  顾客 a "A" { 时常 2分钟 }\n}\n'
    (diagnostic,) = compile_text(text, "t.bp").diagnostics
    assert diagnostic.code == "BP102"
    assert diagnostic.help == "did you mean `时长`?"


def test_the_all_chinese_sample_uses_no_english_keyword() -> None:
    text = (ROOT / "samples/hospital-outpatient.zh.bp").read_text("utf-8")
    words = set(re.findall(r"^\s*([A-Za-z]+)\b", text, re.M))
    assert words == {"HIS"} or not words - {"HIS"}
    assert not compile_file(ROOT / "samples/hospital-outpatient.zh.bp").has_errors
