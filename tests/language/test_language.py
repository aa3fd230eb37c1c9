"""The language as LANGUAGE.md defines it: lexical rules, statements and semantics."""

from __future__ import annotations

from blueprint_dsl.api import CompileResult, compile_bytes, compile_text
from blueprint_dsl.language.parser import parse
from blueprint_dsl.model.blueprint import FlowKind, Line, Zone

HEAD = 'blueprint "T" {\n  id "T-1"\n}\n'


def compile_(body: str) -> CompileResult:
    return compile_text(HEAD + body, "t.bp")


def codes(result: CompileResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_keywords_are_contextual() -> None:
    result = compile_(
        'step "S" {\n  evidence "E"\n'
        '  customer wait "Wait in line" -> step\n'
        '  onstage step "Serve" { wait 2m; standard 5m }\n}\n'
    )
    assert codes(result) == []
    assert result.blueprint is not None
    assert [a.id for a in result.blueprint.actions] == ["wait", "step"]


def test_semicolons_durations_ranges_percentages_numbers() -> None:
    result = compile_(
        'step "S" {\n  evidence "E"; customer c "C" -> o\n'
        '  onstage o "O" { duration 1.5h; wait 30s..5min; standard 2h; cost +12.5\n'
        '    metric "NPS" -2 target +1; metric "Rate" 97% target 99%; emotion -2 }\n}\n'
    )
    assert result.blueprint is not None
    action = result.blueprint.action("o")
    assert action.duration is not None and action.duration.max_seconds == 5400
    assert action.wait is not None and (action.wait.min_seconds, action.wait.max_seconds) == (
        30,
        300,
    )
    assert action.cost == 12.5
    assert [m.value.value for m in action.metrics] == [-2, 97]
    assert action.emotion == -2


def test_unicode_ids_strings_and_escapes() -> None:
    result = compile_(
        'lane 客服 "客服\\"中心\\\\" in onstage\n'
        'step 报修步骤 "报修" {\n  evidence 热线 "服务热线"\n'
        '  customer 报修 "发现\\n问题" -> 记录\n  客服 记录 "记录"\n}\n'
    )
    assert codes(result) == []
    assert result.blueprint is not None
    assert result.blueprint.lane("客服").label == '客服"中心\\'
    assert result.blueprint.action("报修").label == "发现\n问题"
    assert result.blueprint.steps[0].id == "报修步骤"


def test_three_arrow_kinds_chains_and_labels() -> None:
    result = compile_(
        'step "S" {\n  evidence "E"\n  customer a "A"\n  onstage b "B"\n'
        '  backstage c "C"\n  support d "D"\n  a -> b --> c <-> d\n}\n'
        'b -> c : "yes"\n'
    )
    assert result.blueprint is not None
    flows = {(f.source, f.target, f.kind): f.label for f in result.blueprint.flows}
    assert flows[("a", "b", FlowKind.FLOW)] is None
    assert flows[("b", "c", FlowKind.INFO)] is None  # `b --> c` differs from `b -> c`
    assert flows[("c", "d", FlowKind.TWO_WAY)] is None
    assert flows[("b", "c", FlowKind.FLOW)] == "yes"


def test_line_crossing_classification() -> None:
    result = compile_(
        'step "S" {\n  evidence "E"\n  customer a "A" -> b\n  onstage b "B" -> c\n'
        '  backstage c "C" -> d\n  support d "D"\n  onstage e "E2" --> d\n  a -> e\n}\n'
    )
    assert result.blueprint is not None
    crosses = {(f.source, f.target): f.crosses for f in result.blueprint.flows}
    assert crosses[("a", "b")] == (Line.INTERACTION,)
    assert crosses[("b", "c")] == (Line.VISIBILITY,)
    assert crosses[("c", "d")] == (Line.INTERNAL,)
    assert crosses[("e", "d")] == (Line.VISIBILITY, Line.INTERNAL)


def test_frontstage_alias_and_lane_order() -> None:
    result = compile_(
        'lane sys "System" in support\nlane host "Host" in frontstage\n'
        'step "S" {\n  evidence "E"\n  customer a "A" -> h\n  host h "H" --> s\n  sys s "S"\n}\n'
    )
    assert codes(result) == []
    assert result.blueprint is not None
    zones = [lane.zone for lane in result.blueprint.lanes]
    assert zones == sorted(zones, key=lambda z: z.level)
    assert result.blueprint.lane("host").zone is Zone.ONSTAGE


def test_implicit_journey_skipped_when_explicit_flow_to_later_customer() -> None:
    result = compile_(
        'step "1" {\n  evidence "E"\n  customer a "A" -> c\n}\n'
        'step "2" {\n  evidence "E"\n  customer b "B"\n}\n'
        'step "3" {\n  evidence "E"\n  customer c "C"\n}\n'
    )
    assert result.blueprint is not None
    implicit = [(f.source, f.target) for f in result.blueprint.flows if f.implicit]
    assert implicit == [("b", "c")]


def test_several_syntax_errors_in_one_run() -> None:
    result = compile_(
        'step "S" {\n  customer a -> b\n  onstage b "B" -> -> c\n  customer c "ok"\n}\n'
    )
    syntax = [d for d in result.diagnostics if d.code == "BP100"]
    assert [d.span.line for d in syntax] == [5, 6]
    assert "quoted label" in (syntax[0].help or "")
    assert result.blueprint is None


def test_brace_on_next_line_is_explained() -> None:
    result = compile_('step "S"\n{\n}\n')
    first = result.diagnostics[0]
    assert first.code == "BP100"
    assert first.span.line == 4
    assert first.help == "put the opening `{` on the same line as its statement"


def test_bad_values() -> None:
    result = compile_(
        'step "S" {\n  evidence "E"\n  customer a "A" { emotion 3; duration 5x; wait 9m..2m }\n}\n'
    )
    messages = [d.message for d in result.diagnostics if d.code == "BP101"]
    assert len(messages) == 3
    assert "out of range" in messages[0]
    assert "unknown unit `x`" in messages[1]
    assert "runs backwards" in messages[2]


def test_header_rules() -> None:
    assert codes(compile_text("", "e.bp")) == ["BP103"]
    assert codes(compile_text("# just a comment\n", "c.bp")) == ["BP103"]
    twice = compile_text(HEAD + HEAD, "t.bp")
    assert codes(twice) == ["BP103"]
    repeated = compile_text('blueprint "T" {\n  id "a"\n  id "b"\n  colour "x"\n}\n', "t.bp")
    assert codes(repeated) == ["BP102", "BP102"]


def test_bom_crlf_and_tabs() -> None:
    text = (HEAD + 'step "S" {\n\tevidence "E"\n\tcustomer a "A"\n}\n').replace("\n", "\r\n")
    result = compile_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "t.bp")
    assert codes(result) == []


def test_non_utf8_is_positioned() -> None:
    result = compile_bytes(HEAD.encode() + b'step "caf\xe9" {\n}\n', "t.bp")
    (diag,) = result.diagnostics
    assert diag.code == "BP100"
    assert (diag.span.line, diag.span.column) == (4, 10)
    assert "UTF-8" in diag.message


def test_lane_used_before_declaration_and_duplicates() -> None:
    result = compile_(
        'step "S" {\n  evidence "E"\n  customer a "A" -> h\n  host h "H"\n}\n'
        'lane host "Host" in onstage\nlane host "Host" in onstage\nlane x "X" in evidence\n'
    )
    assert codes(result) == ["BP202", "BP202", "BP202"]


def test_evidence_as_flow_end_and_step_as_target() -> None:
    result = compile_('step st "S" {\n  evidence ev "E"\n  customer a "A" -> ev, st\n}\n')
    assert codes(result) == ["BP300", "BP201"]


def test_a_last_comment_with_a_semicolon_and_no_line_end_is_a_comment() -> None:
    # `# ;0` at the very end of a file: the separator token took `# ;` and left `0`
    for text in ('lane a "A" in onstage\n# ;0', 'lane a "A" in onstage  # x; y'):
        document, problems = parse(text, "t.bp")
        assert problems == [] and document is not None
        assert [c.text for c in document.comments] == [text.split("\n")[-1].split("  ")[-1]]
