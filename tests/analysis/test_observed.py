"""Observed data (section 8.9): reading the CSV, BP512 for bad rows, BP510 and BP511."""

from __future__ import annotations

import time

import pytest

from blueprint_dsl.analysis.observed import Observations, read_observed
from blueprint_dsl.analysis.observed_compare import compare, percentile
from blueprint_dsl.analysis.simulate import simulate
from blueprint_dsl.api import compile_text
from blueprint_dsl.model.blueprint import Blueprint

BLUEPRINT = """
blueprint "Desk" {
}
lane desk "Desk" in onstage
step "Ask" {
  evidence "Sign"
  customer ask "Ask" -> serve
  desk serve "Serve" {
    duration 2m..4m; wait 0m..10m; standard 10m
    metric "Satisfaction" 90% target 85%
    metric "Complaints" 2% target <= 5%
    metric "Calls" 3 target 2
  }
}
"""


@pytest.fixture(scope="module")
def bp() -> Blueprint:
    result = compile_text(BLUEPRINT, "desk.bp")
    assert result.blueprint is not None and not result.has_errors
    return result.blueprint


def read(bp: Blueprint, text: str, *, bom: bool = False) -> Observations:
    data = text.encode("utf-8")
    return read_observed(b"\xef\xbb\xbf" + data if bom else data, "data.csv", bp)


def problems(found: Observations) -> list[tuple[int, int, str]]:
    assert all(d.code == "BP512" and d.severity.value == "error" for d in found.problems)
    return [(d.span.line, d.span.column, d.message) for d in found.problems]


# ---- reading ------------------------------------------------------------------------------
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("separator", [",", ";"])
def test_bom_or_not_comma_or_semicolon(bp: Blueprint, bom: bool, separator: str) -> None:
    text = "action,duration,wait\nserve,7m,30\nserve,1.5h,\n".replace(",", separator)
    found = read(bp, text, bom=bom)
    assert found.problems == []
    assert found.durations == {"serve": [420.0, 5400.0]}
    assert found.waits == {"serve": [30.0]}  # a blank cell is no observation
    assert found.rows == 2


def test_seconds_as_plain_numbers_and_durations_with_units(bp: Blueprint) -> None:
    found = read(bp, "action,duration\nserve,420\nserve,7m\nserve,420.5\nserve,30s\nserve,7分钟\n")
    assert found.durations["serve"] == [420.0, 420.0, 420.5, 30.0, 420.0]


def test_columns_in_any_order_and_case_with_others_ignored(bp: Blueprint) -> None:
    found = read(bp, "Ticket;WAIT;Action\n17;3m;serve\n18;4m;serve\n")
    assert found.problems == [] and found.waits == {"serve": [180.0, 240.0]}


def test_crlf_line_ends_and_quoted_cells(bp: Blueprint) -> None:
    found = read(bp, 'action,metric,value\r\n"serve","Satisfaction","80%"\r\nserve,"Calls",4.5\r\n')
    assert found.problems == []
    assert found.metrics == {("serve", "Satisfaction"): [80.0], ("serve", "Calls"): [4.5]}


# ---- every bad row, at its line and column; the rest is still used ------------------------
def test_every_bad_row_is_reported_where_it_is_and_the_rest_used(bp: Blueprint) -> None:
    text = (
        "action,duration,wait,metric,value\n"  # 1
        "serve,3m,1m,,\n"  # 2 good
        "srve,3m,,,\n"  # 3 unknown action
        "serve,soon,,,\n"  # 4 unreadable duration
        "serve,3m,-2m,,\n"  # 5 unreadable wait
        "serve,,,Satisfaction,lots\n"  # 6 unreadable value
        "serve,,,Joy,50%\n"  # 7 unknown metric
        "serve,,,Satisfaction,\n"  # 8 metric without a value
        "serve,,,Satisfaction,0.8\n"  # 9 a number where the metric is a percentage
        "serve,3m\n"  # 10 missing cells
        ",3m,,,\n"  # 11 no action
        "serve,,,,50%\n"  # 12 a value without a metric
        "serve,4m,2m,Calls,2\n"  # 13 good
    )
    found = read(bp, text)
    assert [(line, column) for line, column, _ in problems(found)] == [
        (3, 1), (4, 7), (5, 10), (6, 22), (7, 9), (8, 22), (9, 22), (10, 9), (11, 1), (12, 9),
    ]  # fmt: skip
    messages = [m for _, _, m in problems(found)]
    assert messages[0] == "unknown action `srve`: the blueprint has no action with this id"
    assert found.problems[0].help == "did you mean `serve`?"
    assert messages[1].startswith("unreadable duration `soon`")
    assert messages[2].startswith("unreadable duration `-2m`")
    assert messages[3].startswith("unreadable value `lots`")
    assert messages[4] == 'action `serve` has no metric "Joy"'
    assert "no value" in messages[5]
    assert "not written like" in messages[6]
    assert messages[7] == "this row has no `wait` cell"
    assert messages[8] == "this row names no action"
    assert "names no metric" in messages[9]
    assert all(d.span.file == "data.csv" for d in found.problems)
    # the good rows are used
    assert found.durations == {"serve": [180.0, 240.0]}
    assert found.waits == {"serve": [60.0, 120.0]}
    assert found.metrics == {("serve", "Calls"): [2.0]}
    assert found.rows == 2


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        ("duration,wait", 1, "no `action` column"),
        ("action,ticket", 1, "none of the columns"),
        ("action,metric", 8, "no `value` column"),
    ],
)
def test_a_bad_header_is_reported_and_nothing_read(
    bp: Blueprint, header: str, column: int, words: str
) -> None:
    found = read(bp, f"{header}\nserve,3m\n")
    ((line, at, message),) = problems(found)
    assert (line, at) == (1, column) and words in message
    assert found.rows == 0


def test_an_empty_file_and_one_that_is_not_utf8(bp: Blueprint) -> None:
    assert "empty" in problems(read(bp, ""))[0][2]
    found = read_observed(b"action,duration\nserve,3m\n\xff\xfe,3m\n", "data.csv", bp)
    assert problems(found)[0][:2] == (3, 1)


def test_messages_follow_the_blueprints_locale(bp: Blueprint) -> None:
    found = read(bp, "action,duration\nsrve,3m\n")
    assert found.problems[0].localised("zh").message.startswith("未知的行为 `srve`")


# ---- BP510 and BP511 ----------------------------------------------------------------------
def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([4, 11, 12, 14, 15], 0.9) == pytest.approx(14.6)
    assert percentile([7], 0.9) == 7 and percentile([], 0.9) == 0


def codes(bp: Blueprint, text: str) -> list[str]:
    return [d.code for d in compare(bp, read(bp, text))]


def test_bp510_when_the_90th_percentile_exceeds_the_standard(bp: Blueprint) -> None:
    waits = "".join(f"serve,,{m}m\n" for m in (4, 12, 15, 14, 11))
    (finding,) = compare(bp, read(bp, "action,duration,wait\n" + waits))
    assert finding.code == "BP510" and finding.severity.value == "warning"
    assert finding.span == bp.action("serve").span
    assert "90th percentile of 5 observations is 14.6m" in finding.message
    assert "wait" in finding.message


def test_bp510_passes_when_nine_in_ten_keep_the_standard(bp: Blueprint) -> None:
    waits = "".join(f"serve,,{m}m\n" for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 15))
    assert codes(bp, "action,duration,wait\n" + waits) == []  # p90 = 9m + 0.1 * 6m = 9.6m
    assert percentile([float(m) for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 15)], 0.9) == pytest.approx(
        9.6
    )


def test_bp510_judges_durations_too(bp: Blueprint) -> None:
    assert codes(bp, "action,duration\nserve,11m\nserve,12m\n") == ["BP510"]
    assert codes(bp, "action,duration\nserve,9m\nserve,10m\n") == []


@pytest.mark.parametrize(
    ("metric", "values", "expected"),
    [
        ("Satisfaction", ("80%", "84%"), ["BP511"]),  # higher is better: 82% < 85%
        ("Satisfaction", ("80%", "95%"), []),  # 87.5% >= 85%
        ("Complaints", ("6%", "7%"), ["BP511"]),  # lower is better: 6.5% > 5%
        ("Complaints", ("1%", "7%"), []),  # 4% <= 5%
        ("Calls", ("1", "2"), ["BP511"]),  # plain numbers: 1.5 < 2
    ],
)
def test_bp511_in_the_metrics_direction(
    bp: Blueprint, metric: str, values: tuple[str, ...], expected: list[str]
) -> None:
    rows = "".join(f"serve,{metric},{v}\n" for v in values)
    found = compare(bp, read(bp, "action,metric,value\n" + rows))
    assert [d.code for d in found] == expected
    for d in found:
        assert d.severity.value == "info"
        assert d.span == next(m.span for m in bp.action("serve").metrics if m.name == metric)
    if metric == "Complaints" and expected:
        assert "above its ceiling 5%" in found[0].message


# ---- simulate draws from observations -------------------------------------------------------
def test_simulate_draws_from_observed_values_where_there_are_enough(bp: Blueprint) -> None:
    found = read(bp, "action,duration,wait\n" + "serve,30m,0\n" * 5)
    durations, waits = found.enough(5)
    sim = simulate(bp, runs=500, observed_durations=durations, observed_waits=waits)
    assert sim.lead_time.mean == pytest.approx(30 * 60)
    assert {a.key: a for a in sim.actions}["serve"].observed_durations == 5
    few = read(bp, "action,duration\n" + "serve,30m\n" * 4).enough(5)
    assert few == ({}, {})


# ---- size -----------------------------------------------------------------------------------
def test_a_100k_row_file_is_read_quickly(bp: Blueprint) -> None:
    rows = "".join(
        f"serve,{60 + n % 300},{n % 600},Satisfaction,{80 + n % 20}%\n" for n in range(100_000)
    )
    data = ("action,duration,wait,metric,value\n" + rows).encode()
    started = time.perf_counter()
    found = read_observed(data, "big.csv", bp)
    elapsed = time.perf_counter() - started
    assert found.problems == [] and found.rows == 100_000
    assert len(found.durations["serve"]) == 100_000
    assert elapsed < 10  # generous: bench/bench_simulate.py measures it (target 2 s)
