"""`bpc simulate` and `bpc check --observed` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from blueprint_dsl.cli import main

from ..conftest import ROOT

SCHEMA = json.loads((ROOT / "blueprint_dsl/schemas/simulate.schema.json").read_text("utf-8"))
SAMPLES = sorted((ROOT / "samples").glob("*.bp"))
EXAMPLES = ROOT / "blueprint_dsl/checks/rules/examples"

ONE = """blueprint "One" {
  target 7m
}
step "S" {
  evidence "E"
  customer a "A" { duration 0m..10m }
}
"""
DESK = """blueprint "Desk" {
}
lane desk "Desk" in onstage
step "Ask" {
  evidence "Sign"
  customer ask "Ask" -> serve
  desk serve "Serve" { duration 2m..4m; wait 0m..10m; standard 10m }
}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "one.bp").write_text(ONE, encoding="utf-8")
    (tmp_path / "desk.bp").write_text(DESK, encoding="utf-8")
    (tmp_path / "broken.bp").write_text(ONE.replace('"A" {', '"A" -> nowhere {'), "utf-8")
    return tmp_path


def test_json_follows_the_published_schema_for_every_sample() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for sample in SAMPLES:
        result = run("simulate", str(sample), "-n", "500", "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        jsonschema.validate(data, SCHEMA)
        assert data["runs"] == 500 and data["seed"] == 1 and data["observed"] is None


def test_the_figures_of_one_uniform_action(files: Path) -> None:
    result = run("simulate", str(files / "one.bp"), "--format", "json", "-n", "40000")
    data = json.loads(result.stdout)
    assert abs(data["customer_time"]["mean_seconds"] - 300) < 3
    assert abs(data["customer_time"]["p90_seconds"] - 540) < 5.4
    assert abs(data["p_over_target"] - 0.3) <= 0.01
    assert data["target_seconds"] == 420


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others(files: Path) -> None:
    path = str(files / "one.bp")
    for output_format in ("text", "json", "md"):
        first = run("simulate", path, "--format", output_format, "--seed", "5")
        again = run("simulate", path, "--format", output_format, "--seed", "5")
        other = run("simulate", path, "--format", output_format, "--seed", "6")
        assert first.stdout == again.stdout
        assert first.stdout != other.stdout
    default = run("simulate", path, "--format", "json").stdout
    assert json.loads(default)["runs"] == 10_000
    assert default == run("simulate", path, "--format", "json", "--seed", "1").stdout


def test_text_and_markdown_are_labelled_in_the_blueprints_language() -> None:
    english = run("simulate", str(ROOT / "samples/restaurant.bp"), "-n", "200").stdout
    assert english.startswith('Simulation of "Restaurant dinner"')
    assert "customer time" in english and "lead time" in english
    assert "P(customer time > target 2.00h)" in english
    chinese = run("simulate", str(ROOT / "samples/property-repair.zh.bp"), "-n", "200")
    assert "顾客时间" in chinese.stdout and "前置时间" in chinese.stdout
    markdown = run("simulate", str(ROOT / "samples/restaurant.bp"), "-n", "200", "--format", "md")
    assert markdown.stdout.startswith("## ") and "|---|" in markdown.stdout


def test_output_to_a_file(files: Path) -> None:
    target = files / "out.json"
    result = run(
        "simulate", str(files / "one.bp"), "-n", "100", "--format", "json", "-o", str(target)
    )
    assert result.exit_code == 0 and result.stdout == ""
    jsonschema.validate(json.loads(target.read_text("utf-8")), SCHEMA)


def test_a_blueprint_with_errors_is_not_simulated(files: Path) -> None:
    result = run("simulate", str(files / "broken.bp"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error[BP201]" in result.stderr
    assert result.stderr.rstrip().endswith("has errors; nothing simulated")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("-n", "0"), "Invalid value"),
        (("--format", "xml"), "Invalid value"),
        (("--seed", "x"), "Invalid value"),
    ],
)
def test_usage_errors_exit_2(files: Path, args: tuple[str, ...], words: str) -> None:
    result = run("simulate", str(files / "one.bp"), *args)
    assert result.exit_code == 2 and words in result.output


def test_a_folder_or_a_missing_file_is_a_one_line_usage_error(files: Path) -> None:
    for path in (str(files), str(files / "missing.bp")):
        result = run("simulate", path)
        assert result.exit_code == 2
        assert result.stderr.startswith("bpc: error: ") and result.stderr.count("\n") == 1


# ---- --observed -------------------------------------------------------------------------
def test_simulate_observed_draws_from_the_data_and_says_so(files: Path) -> None:
    csv = files / "data.csv"
    csv.write_text("action,duration,wait\n" + "serve,30m,0\n" * 5, encoding="utf-8")
    result = run("simulate", str(files / "desk.bp"), "--observed", str(csv), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["observed"] == str(csv)
    assert data["lead_time"]["mean_seconds"] == 1800
    serve = next(a for a in data["actions"] if a["action"] == "serve")
    assert serve["observed"] == {"durations": 5, "waits": 5}
    assert "over its standard" in result.stderr  # BP510: a 30m duration, a 10m standard


def test_simulate_observed_with_bad_rows_reports_them_and_exits_1(files: Path) -> None:
    csv = files / "data.csv"
    csv.write_text("action,duration\nsrve,3m\n", encoding="utf-8")
    result = run("simulate", str(files / "desk.bp"), "--observed", str(csv), "-n", "100")
    assert result.exit_code == 1
    assert f"{csv}:2:1: error[BP512]" in result.stderr
    assert result.stdout.startswith("Simulation of")


def test_check_observed_adds_bp510_to_bp512(files: Path) -> None:
    csv = files / "data.csv"
    csv.write_text("action;wait\nserve;4m\nserve;12m\nserve;15m\nserve;14m\nsrve;1m\n", "utf-8")
    result = run("check", str(files / "desk.bp"), "--observed", str(csv))
    assert result.exit_code == 1
    assert f"{csv}:6:1: error[BP512]: unknown action `srve`" in result.stdout
    assert "warning[BP510]: observed wait of `serve`" in result.stdout
    assert "checked 1 file: 1 error, 1 warning, 0 info" in result.stdout
    selected = run("check", str(files / "desk.bp"), "--observed", str(csv), "--select", "BP510")
    assert selected.exit_code == 0 and "BP512" not in selected.stdout


def test_check_observed_json_and_usage_errors(files: Path) -> None:
    csv = files / "data.csv"
    csv.write_text("action,duration\nserve,11m\n", "utf-8")
    result = run("check", str(files / "desk.bp"), "--observed", str(csv), "--format", "json")
    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"]]
    assert codes == ["BP510"]
    two = run("check", str(files / "desk.bp"), str(files / "one.bp"), "--observed", str(csv))
    assert two.exit_code == 2 and "give one file" in two.stderr
    missing = run("check", str(files / "desk.bp"), "--observed", str(files / "none.csv"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_check_without_observed_is_unchanged(files: Path) -> None:
    plain = run("check", str(files / "desk.bp"))
    assert plain.exit_code == 0
    assert plain.stdout == "checked 1 file: 0 errors, 0 warnings, 0 info\n"


@pytest.mark.parametrize("code", ["BP510", "BP511", "BP512"])
def test_the_observed_rules_explain_themselves_with_their_data(code: str) -> None:
    result = run("explain", code)
    assert result.exit_code == 0
    assert "DATA.csv" in result.stdout and "    action" in result.stdout
    assert code in run("rules").stdout


@pytest.mark.parametrize("code", ["BP510", "BP511", "BP512"])
def test_the_observed_rules_examples_fail_and_pass(code: str) -> None:
    bad_csv = EXAMPLES / (f"{code}.bad.csv" if code == "BP512" else f"{code}.csv")
    good_csv = EXAMPLES / (f"{code}.good.csv" if code == "BP512" else f"{code}.csv")
    bad = run("check", str(EXAMPLES / f"{code}.bad.bp"), "--observed", str(bad_csv))
    assert f"[{code}]" in bad.stdout
    good = run("check", str(EXAMPLES / f"{code}.good.bp"), "--observed", str(good_csv))
    assert good.exit_code == 0 and "[BP51" not in good.stdout
