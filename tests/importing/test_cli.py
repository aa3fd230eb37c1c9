"""`bpc import` on the command line: output, the no-overwrite rule, exit codes, messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli.app import main

from ..conftest import ROOT
from .helpers import write_csv

GRID_XLSX = ROOT / "samples" / "restaurant-grid.xlsx"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_import_writes_a_checked_blueprint(folder: Path) -> None:
    code, out, err = run(str(GRID_XLSX), "-o", "dinner.bp")
    assert (code, err) == (0, "")
    assert out == (
        f"imported {GRID_XLSX} (grid layout): 5 steps, 15 actions, 3 lanes -> dinner.bp\n"
        "bpc check: 0 errors, 0 warnings (run `bpc check dinner.bp` for the details)\n"
    )
    assert (
        (folder / "dinner.bp").read_text(encoding="utf-8").startswith('blueprint "Restaurant grid"')
    )


def test_default_output_is_beside_the_input(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Customer", "Ask"]])
    code, _, _ = run("plan.csv")
    assert code == 0
    assert (folder / "plan.bp").is_file()


def test_dash_writes_to_stdout_and_reports_on_stderr(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Customer", "Ask"]])
    code, out, err = run("plan.csv", "-o", "-")
    assert code == 0
    assert out == 'blueprint "Plan" {\n}\n\nstep "Step 1" {\n  customer ask "Ask"\n}\n'
    assert err.splitlines()[-1] == "bpc check: 0 errors, 1 warning"
    assert list(folder.glob("*.bp")) == []


def test_never_overwrites_without_force(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Customer", "Ask"]])
    (folder / "plan.bp").write_text("keep me", encoding="utf-8")
    code, out, err = run("plan.csv", "-o", "plan.bp")
    assert (code, out) == (2, "")
    assert err == (
        "bpc: error: plan.bp already exists; bpc import never overwrites a file (pick another "
        "name, or --force to replace it)\n"
    )
    assert (folder / "plan.bp").read_text(encoding="utf-8") == "keep me"
    code, _, _ = run("plan.csv", "-o", "plan.bp", "--force")
    assert code == 0
    assert (folder / "plan.bp").read_text(encoding="utf-8").startswith("blueprint")


def test_output_must_be_a_bp_file(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Customer", "Ask"]])
    code, _, err = run("plan.csv", "-o", "plan.txt")
    assert (code, err) == (2, "bpc: error: plan.txt: a blueprint file name ends in .bp\n")


def test_bad_input_is_one_line_exit_2(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Custmer", "Ask"]])
    code, out, err = run("plan.csv")
    assert (code, out) == (2, "")
    assert err.startswith("bpc: error: plan.csv, row 1, column A: unknown zone row 'Custmer'")
    assert err.count("\n") == 1
    assert not (folder / "plan.bp").exists()


def test_warnings_are_printed_and_the_import_goes_on(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Customer", "Ask → Nobody"]])
    code, _, err = run("plan.csv", "-q")
    assert code == 0
    assert err == (
        "bpc: plan.csv, row 1, column B: warning: flow to 'Nobody' dropped: "
        "no cell is called that\n"
    )


def test_layout_and_sheet_options(folder: Path) -> None:
    code, _, err = run(str(GRID_XLSX), "--layout", "rows", "-o", "x.bp")
    assert code == 2
    assert err == (
        f"bpc: error: {GRID_XLSX}, sheet 'Blueprint', row 1: the first row is not bpc's CSV "
        "header (step_index, step, zone, label …)\n"
    )
    code, _, err = run(str(GRID_XLSX), "--sheet", "Nope", "-o", "x.bp")
    assert (code, err) == (
        2,
        f"bpc: error: {GRID_XLSX}: no sheet 'Nope'; the workbook has 'Blueprint'\n",
    )


def test_command_is_listed() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "import" in result.stdout


def test_summary_counts_errors_the_data_deserves(folder: Path) -> None:
    write_csv(folder / "bad.csv", [["Customer", "Ask -> Cook"], ["Backstage", "Cook"]])
    code, out, _ = run("bad.csv")
    assert code == 0  # the file is written; bpc check bad.bp tells the BP400 error
    assert out.splitlines() == [
        "imported bad.csv (grid layout): 1 step, 2 actions, 0 lanes -> bad.bp",
        "bpc check: 1 error, 2 warnings (run `bpc check bad.bp` for the details)",
    ]


def test_no_check_skips_the_summary_check(folder: Path) -> None:
    write_csv(folder / "plan.csv", [["Customer", "Ask"]])
    code, out, _ = run("plan.csv", "--no-check")
    assert (code, out) == (
        0,
        "imported plan.csv (grid layout): 1 step, 1 action, 0 lanes -> plan.bp\n",
    )
