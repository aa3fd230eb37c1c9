"""Numbers too large for bpc: every duration, cost, metric value, emotion and the header
target is bounded (BP101 at the value), so nothing infinite ever reaches the model."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli import main
from blueprint_dsl.model import values

HUGE = "9" * 309  # float() of this is infinity

HEADER = 'blueprint "Big" {\n  id "B-1"\n  target 1h\n}\n'


def action(attributes: str) -> str:
    """A small valid blueprint whose one customer action carries `attributes` (line 7)."""
    return HEADER + f'step "S" {{\n  evidence "E"\n  customer a "A" {{ {attributes} }}\n}}\n'


def bp101(text: str) -> list[tuple[int, int, str]]:
    result = compile_text(text, "big.bp")  # must never raise
    return [
        (d.span.line, d.span.column, d.message) for d in result.diagnostics if d.code == "BP101"
    ]


COLUMN = len('  customer a "A" { ') + 1  # where the attribute starts on line 7

CASES = {
    "duration": (f"duration {HUGE}m", "duration "),
    "duration-range": (f"duration 1m..{HUGE}m", "duration "),
    "wait": (f"wait 0m..{HUGE}h", "wait "),
    "standard": (f"standard {HUGE}s", "standard "),
    "cost": (f"cost {HUGE}", "cost "),
    "negative-cost": (f"cost -{HUGE}", "cost "),
    "metric-number": (f'metric "m" {HUGE}', 'metric "m" '),
    "metric-percent": (f'metric "m" {HUGE}%', 'metric "m" '),
    "metric-duration": (f'metric "m" {HUGE}m', 'metric "m" '),
    "metric-target": (f'metric "m" 1 target {HUGE}', 'metric "m" 1 target '),
    "emotion": (f"emotion {HUGE}", "emotion "),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_309_digit_value_is_bp101_at_the_value(name: str) -> None:
    attribute, before = CASES[name]
    [(line, column, message)] = bp101(action(attribute))
    assert (line, column) == (7, COLUMN + len(before))
    assert "is too large: bpc takes values up to" in message


def test_a_309_digit_target_is_bp101_at_the_value() -> None:
    text = HEADER.replace("target 1h", f"target {HUGE}m") + 'step "S" {\n  evidence "E"\n}\n'
    [(line, column, message)] = bp101(text)
    assert (line, column) == (3, len("  target ") + 1)
    assert message == f"`{HUGE}m` is too large: bpc takes values up to 3650d (10 years)"


@pytest.mark.parametrize(
    ("attribute", "limit"),
    [
        ("duration 3651d", "3650d (10 years)"),
        ("wait 0m..87601h", "3650d (10 years)"),
        ("cost 1000000000001", "±1e12"),
        ("cost -1000000000000.5", "±1e12"),
        ('metric "m" 1000000000001%', "±1e12"),
        ('metric "m" 2 target -1000000000001', "±1e12"),
        ("emotion 99999999999999999999", "±2"),
    ],
)
def test_just_over_the_bound_is_too_large(attribute: str, limit: str) -> None:
    [(_, _, message)] = bp101(action(attribute))
    assert message.endswith(f"is too large: bpc takes values up to {limit}")


def test_the_bound_is_worded_in_chinese_too() -> None:
    text = action(f"cost {HUGE}").replace('"B-1"', '"B-1"\n  locale zh')
    result = compile_text(text, "big.bp")
    [message] = [d.message for d in result.diagnostics if d.code == "BP101"]
    assert message == f"`{HUGE}` 太大:bpc 接受的值最大为 ±1e12"


LARGEST = HEADER.replace("target 1h", "target 3650d") + (
    'step "S" {\n  evidence "E"\n'
    '  customer a "A" {\n'
    "    duration 3650d\n    wait 0s..87600h\n    standard 5256000m\n"
    "    cost 1000000000000\n"
    '    metric "n" -1000000000000 target 1000000000000\n'
    '    metric "p" 1000000000000% target -1000000000000%\n'
    '    metric "t" 315360000s target 3650d\n'
    "    emotion -2\n  }\n"
    '  customer b "B" { duration 3650d; wait 3650d; cost -1000000000000 }\n'
    "}\n"
)


def _no_constants(name: str) -> float:
    raise ValueError(f"not JSON: {name}")


def test_the_largest_allowed_values_compile_and_export_as_valid_json(tmp_path: Path) -> None:
    result = compile_text(LARGEST, "largest.bp")
    assert not result.has_errors, [d.message for d in result.diagnostics]
    path = tmp_path / "largest.bp"
    path.write_text(LARGEST, encoding="utf-8")
    run = CliRunner().invoke(main, ["export", str(path), "--to", "json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout, parse_constant=_no_constants)
    [a, b] = data["actions"]
    assert a["duration"]["max_seconds"] == 315_360_000
    assert a["cost"] == 10**12 and b["cost"] == -(10**12)
    assert data["blueprint"]["target"]["max_seconds"] == 315_360_000
    assert data["analysis"]["customer_time"]["max_seconds"] == 4 * 315_360_000


def test_a_309_digit_cost_is_not_exported_as_infinity(tmp_path: Path) -> None:
    path = tmp_path / "huge.bp"
    path.write_text(action(f"cost {HUGE}"), encoding="utf-8")
    run = CliRunner().invoke(main, ["export", str(path), "--to", "json"])
    assert run.exit_code == 1
    assert "Infinity" not in run.stdout
    assert "error[BP101]" in run.output


@pytest.mark.parametrize(
    "read",
    [values.seconds, values.number, values.integer, lambda t: values.quantity(t).value],
)
@pytest.mark.parametrize("text", [HUGE, f"-{HUGE}", f"{HUGE}m", f"{HUGE}%", f"1{'0' * 400}d"])
def test_no_reader_ever_returns_a_non_finite_number(read: object, text: str) -> None:
    assert callable(read)
    try:
        value = read(text)
    except values.BadValue:
        return
    assert math.isfinite(value)


@pytest.mark.parametrize("attribute", [f"duration {HUGE}m", f"wait 0m..{HUGE}h"])
def test_check_reports_a_309_digit_duration_instead_of_an_internal_error(
    attribute: str, tmp_path: Path
) -> None:
    path = tmp_path / "huge.bp"
    path.write_text(action(attribute), encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(path)])
    assert "internal error" not in run.output
    assert run.exit_code == 1 and f"{path}:7:" in run.output and "error[BP101]" in run.output
