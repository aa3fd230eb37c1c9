"""The command line as a user runs it: exit codes, output formats, settings, ignores."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

from ..conftest import ROOT

BAD = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  customer buy "Buy" -> till
  onstage  till "Till"
}
"""  # BP301: no evidence (warning)

ERROR = BAD.replace("-> till", "-> tll")


def run(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "warn.bp").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_check_clean_samples_exit_0(in_root: Path) -> None:
    code, out = run("check", "samples/")
    assert code == 0
    assert "0 errors" in out


def test_warning_exits_0_but_1_under_strict(project: Path) -> None:
    code, out = run("check", "warn.bp")
    assert code == 0
    assert "warn.bp:6:12: warning[BP301]" in out
    assert "help: add an `evidence" in out
    assert run("check", "--strict", "warn.bp")[0] == 1


def test_error_exit_1_with_suggestion(project: Path) -> None:
    (project / "err.bp").write_text(ERROR, encoding="utf-8")
    code, out = run("check", "err.bp")
    assert code == 1
    assert "error[BP201]: flow refers to an undefined id `tll`" in out
    assert "help: did you mean `till`?" in out
    assert "^^^" in out


def test_missing_path_is_a_usage_error(project: Path) -> None:
    code, out = run("check", "nope.bp")
    assert code == 2
    assert "no such file or folder" in out


def test_folder_without_blueprints_is_a_usage_error(project: Path) -> None:
    (project / "empty").mkdir()
    assert run("check", "empty")[0] == 2


def test_json_format_schema(project: Path) -> None:
    code, out = run("check", "--format", "json", "warn.bp")
    data = json.loads(out)
    assert code == 0
    assert data["schema_version"] == 1
    assert data["summary"] == {"files": 1, "error": 0, "warning": 1, "info": 0}
    (diag,) = data["diagnostics"]
    assert diag == {
        "file": "warn.bp",
        "line": 6,
        "column": 12,
        "end_line": 6,
        "end_column": 15,
        "severity": "warning",
        "code": "BP301",
        "message": diag["message"],
        "help": diag["help"],
    }


def test_github_format(project: Path) -> None:
    _code, out = run("check", "--format", "github", "warn.bp")
    assert out.startswith("::warning file=warn.bp,line=6,col=12,endLine=6,endColumn=15,")
    assert "title=BP301 warning::" in out
    assert "%0Ahelp: " in out  # newlines are escaped, one annotation per line
    assert len(out.strip().splitlines()) == 1


def test_sarif_format(project: Path) -> None:
    _code, out = run("check", "--format", "sarif", "warn.bp")
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    assert run_["tool"]["driver"]["name"] == "bpc"
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} >= {"BP100", "BP507"}
    (result,) = run_["results"]
    assert result["ruleId"] == "BP301"
    assert result["level"] == "warning"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 12, "endLine": 6, "endColumn": 15}


def test_ignore_comment_silences_that_code_on_that_line(project: Path) -> None:
    text = BAD.replace('"Buy" -> till', '"Buy" -> till  # bpc: ignore[BP301]')
    (project / "warn.bp").write_text(text, encoding="utf-8")
    code, out = run("check", "--strict", "warn.bp")
    assert code == 0, out
    assert "BP301" not in out


def test_pyproject_severity_off_and_upgrade(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.bpc]\nseverity = { BP301 = "off" }\n')
    assert "BP301" not in run("check", "warn.bp")[1]
    (project / "pyproject.toml").write_text('[tool.bpc]\nseverity = { BP301 = "error" }\n')
    code, out = run("check", "warn.bp")
    assert code == 1
    assert "error[BP301]" in out


def test_bpc_toml_and_bad_settings(project: Path) -> None:
    (project / "bpc.toml").write_text('severity = { BP999 = "off" }\n')
    code, out = run("check", "warn.bp")
    assert code == 2
    assert "unknown rule `BP999`" in out
    (project / "bpc.toml").write_text('locale = "zh"\n')
    code, out = run("export", "warn.bp")
    assert json.loads(out)["blueprint"]["locale"] == "zh"


def test_rules_and_explain(in_root: Path) -> None:
    code, out = run("rules")
    assert code == 0
    assert "BP400  error" in out
    code, out = run("explain", "bp400")
    assert code == 0
    assert "line of visibility" in out
    assert "Example that triggers it:" in out and "Fixed:" in out
    code, out = run("explain", "BP40")
    assert code == 2
    assert "did you mean" in out


def test_export_json_to_file_and_stdout(in_root: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "model.json"
    assert run("export", "samples/restaurant.bp", "--to", "json", "-o", str(target))[0] == 0
    data = json.loads(target.read_text("utf-8"))
    assert data["blueprint"]["id"] == "BP-REST-01"
    _code, out = run("export", "samples/restaurant.bp")
    assert json.loads(out) == data


def test_export_refuses_a_file_with_errors(project: Path) -> None:
    (project / "err.bp").write_text(ERROR, encoding="utf-8")
    code, out = run("export", "err.bp")
    assert code == 1
    assert "nothing exported" in out


def test_real_entry_point_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bp"
    bad.write_bytes(b"\xff\xfe garbage \x00\x01 {{{{")
    proc = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "check", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "error[BP100]: the file is not valid UTF-8 text" in proc.stdout


def test_max_warnings(project: Path) -> None:
    assert run("check", "--max-warnings", "1", "warn.bp")[0] == 0
    code, out = run("check", "--max-warnings", "0", "warn.bp")
    assert code == 1
    assert "more than --max-warnings 0" in out


def test_unused_and_unknown_ignore_comments_warn(project: Path) -> None:
    text = BAD.replace('"Till"', '"Till"  # bpc: ignore[BP301, BP999]')
    (project / "warn.bp").write_text(text, encoding="utf-8")
    code, out = run("check", "warn.bp")
    assert code == 0
    assert "warning[BP106]: `# bpc: ignore[BP301]` silences nothing on this line" in out
    assert "warning[BP106]: `# bpc: ignore[BP999]` names an unknown rule" in out


def test_a_pyproject_is_read_only_when_it_can_hold_bpc_settings(project: Path) -> None:
    # A project's own pyproject.toml that never says "bpc" is not parsed (tomllib costs a
    # check 5 ms to import), even when it is not valid TOML: it is not bpc's file.
    (project / "pyproject.toml").write_text('[project\nname = "shop"\n')
    assert run("check", "warn.bp")[0] == 0
    # Every spelling of [tool.bpc] says "bpc": dotted keys as well as tables.
    (project / "pyproject.toml").write_text('tool.bpc.severity = { BP301 = "off" }\n')
    assert "BP301" not in run("check", "warn.bp")[1]
    (project / "pyproject.toml").write_text('[tool.bpc\nseverity = { BP301 = "off" }\n')
    code, out = run("check", "warn.bp")
    assert code == 2
    assert "cannot read settings" in out


def test_explicit_config_file(project: Path) -> None:
    (project / "team.toml").write_text('[tool.bpc]\nseverity = { BP301 = "error" }\n')
    code, out = run("check", "--config", "team.toml", "warn.bp")
    assert code == 1
    assert "error[BP301]" in out
    (project / "plain.toml").write_text('severity = { BP301 = "off" }\n')
    assert "BP301" not in run("check", "--config", "plain.toml", "warn.bp")[1]
    assert run("check", "--config", "missing.toml", "warn.bp")[0] == 2


def test_the_summary_line_speaks_the_files_language(in_root: Path) -> None:
    code, out = run("check", "samples/property-repair.zh.bp")
    assert code == 0
    assert out.splitlines()[-1] == "检查了 1 个文件:0 个错误,0 个警告,1 条提示"
    assert "低于目标 95%" in out
    # Files in different languages share English.
    code, out = run("check", "samples/property-repair.zh.bp", "samples/restaurant.bp")
    assert out.splitlines()[-1] == "checked 2 files: 0 errors, 0 warnings, 1 info"
