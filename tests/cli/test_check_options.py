"""`bpc check` options as ruff, black and sqlfluff users expect them: colour through a pipe,
the order of a file's diagnostics, --select/--ignore, --exit-zero, --statistics,
--output-file and `-` (stdin) with --stdin-filename."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

BAD = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  customer buy "Buy" -> till
  onstage  till "Till"
}
"""  # BP301: no evidence (warning)

# BP301 and BP500 (warnings) around a BP400 (error); BP305 (info) last.
MIXED = """blueprint "Coffee to go" {
  id "BP-CAFE-01"
  version "A/0"
}

step "Order" {
  customer order "Order a coffee" -> take, brew
  onstage  take  "Take the order" -> brew { fail "Order misheard" }
  backstage brew "Brew the coffee"
}

step "Empty" {
  evidence "Sign"
}
"""


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.output


def headers(out: str) -> list[str]:
    """`file:line:col: severity[CODE]` of each diagnostic printed, in order."""
    found = []
    for line in out.splitlines():
        if "[BP" in line and line[:1] not in " |" and not line[:1].isdigit():
            where, what = line.split(": ")[:2]
            found.append(f"{where} {what}")
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "warn.bp").write_text(BAD, encoding="utf-8")
    (tmp_path / "mixed.bp").write_text(MIXED, encoding="utf-8")
    return tmp_path


# ---- item 3: --color always through a pipe --------------------------------------------------


def bpc_piped(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real entry point, its stdout a pipe (not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    command = [sys.executable, "-m", "blueprint_dsl", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env)


def test_color_always_paints_through_a_pipe(project: Path) -> None:
    proc = bpc_piped("check", "--color", "always", "warn.bp", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[1;33mwarning[BP301]\x1b[0m" in proc.stdout
    assert "\x1b[" not in bpc_piped("check", "--color", "never", "warn.bp", cwd=project).stdout
    assert "\x1b[" not in bpc_piped("check", "warn.bp", cwd=project).stdout  # auto: a pipe


# ---- item 4: errors, then warnings, then info, per file ---------------------------------------


def test_a_files_errors_come_first_then_its_warnings_then_info(project: Path) -> None:
    code, out = run("check", "mixed.bp", "warn.bp")
    assert code == 1
    assert headers(out) == [
        "mixed.bp:7:35 error[BP400]",
        "mixed.bp:7:12 warning[BP301]",
        "mixed.bp:8:45 warning[BP500]",
        "mixed.bp:12:6 info[BP305]",
        "warn.bp:6:12 warning[BP301]",
    ]
    assert out.splitlines()[-1] == "checked 2 files: 1 error, 3 warnings, 1 info"


def test_quiet_prints_only_the_errors(project: Path) -> None:
    code, out = run("check", "-q", "mixed.bp", "warn.bp")
    assert code == 1
    assert headers(out) == ["mixed.bp:7:35 error[BP400]"]
    assert "checked" not in out


# ---- item 5: --select and --ignore ----------------------------------------------------------


def test_select_and_ignore_take_codes_and_prefixes(project: Path) -> None:
    code, out = run("check", "--select", "BP5", "mixed.bp")
    assert code == 0  # BP400, the only error, is not selected
    assert headers(out) == ["mixed.bp:8:45 warning[BP500]"]
    code, out = run("check", "--ignore", "bp3,BP400", "mixed.bp")
    assert code == 0
    assert headers(out) == ["mixed.bp:8:45 warning[BP500]"]
    code, out = run("check", "--select", "BP3,BP400", "--ignore", "BP305", "mixed.bp")
    assert code == 1
    assert headers(out) == ["mixed.bp:7:35 error[BP400]", "mixed.bp:7:12 warning[BP301]"]
    # The more specific code wins, as in ruff: BP500 stays though BP5 is ignored.
    _code, out = run("check", "--select", "BP500,BP301", "--ignore", "BP5", "mixed.bp")
    assert headers(out) == ["mixed.bp:7:12 warning[BP301]", "mixed.bp:8:45 warning[BP500]"]
    assert out.splitlines()[-1] == "checked 1 file: 0 errors, 2 warnings, 0 info"


def test_select_applies_after_the_settings(project: Path) -> None:
    (project / "bpc.toml").write_text('severity = { BP301 = "error", BP500 = "off" }\n')
    code, out = run("check", "--select", "BP301,BP500", "mixed.bp")
    assert code == 1
    assert headers(out) == ["mixed.bp:7:12 error[BP301]"]


def test_select_or_ignore_of_an_unknown_code_is_a_usage_error(project: Path) -> None:
    code, out = run("check", "--select", "BP9", "warn.bp")
    assert code == 2
    assert "unknown rule or prefix `BP9` in --select" in out
    assert run("check", "--ignore", "BP301,,XX1", "warn.bp")[0] == 2


# ---- item 5: --exit-zero ------------------------------------------------------------------


def test_exit_zero_even_with_errors_but_not_on_usage_errors(project: Path) -> None:
    code, out = run("check", "--exit-zero", "mixed.bp")
    assert code == 0
    assert "error[BP400]" in out
    assert run("check", "--exit-zero", "--strict", "warn.bp")[0] == 0
    assert run("check", "--exit-zero", "--format", "json", "mixed.bp")[0] == 0
    assert run("check", "--exit-zero", "missing.bp")[0] == 2


# ---- item 5: --statistics -----------------------------------------------------------------


def test_statistics_count_each_code_by_count_then_code(project: Path) -> None:
    (project / "more.bp").write_text(BAD.replace('"Till"', '"Till" { fail "x" }'), encoding="utf-8")
    code, out = run("check", "--statistics", "mixed.bp", "warn.bp", "more.bp")
    assert code == 1
    lines = out.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [
        ["3", "BP301"],
        ["2", "BP500"],
        ["1", "BP305"],
        ["1", "BP400"],
    ]
    assert lines[0] == "3  BP301  warning  customer action whose step has no physical evidence"
    assert lines[-1] == "checked 3 files: 1 error, 5 warnings, 1 info"
    assert "|" not in out  # no excerpts


def test_statistics_as_json(project: Path) -> None:
    code, out = run("check", "--statistics", "--format", "json", "mixed.bp", "warn.bp")
    assert code == 1
    data = json.loads(out)
    assert data["statistics"][0] == {
        "code": "BP301",
        "name": "customer action whose step has no physical evidence",
        "count": 2,
    }
    assert [s["code"] for s in data["statistics"]] == ["BP301", "BP305", "BP400", "BP500"]
    assert len(data["diagnostics"]) == 5


def test_statistics_with_a_format_that_cannot_show_them_is_a_usage_error(project: Path) -> None:
    assert run("check", "--statistics", "--format", "sarif", "warn.bp")[0] == 2


# ---- item 5: --output-file ----------------------------------------------------------------


def test_output_file_gets_the_report_written_atomically(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blueprint_dsl.core import fsutil

    written: list[str] = []
    real = fsutil.atomic_write

    def spy(path: str, data: bytes | str) -> None:
        written.append(str(path))
        real(path, data)

    monkeypatch.setattr(fsutil, "atomic_write", spy)
    target = project / "reports" / "bpc.json"
    code, out = run("check", "--format", "json", "--output-file", str(target), "mixed.bp")
    assert code == 1
    assert out == ""
    assert written == [str(target)]
    assert json.loads(target.read_text("utf-8"))["summary"]["error"] == 1
    # Text, as it would be printed, without colour unless asked for.
    code, out = run("check", "--output-file", "report.txt", "warn.bp")
    assert (code, out) == (0, "")
    assert (project / "report.txt").read_text("utf-8") == run("check", "warn.bp")[1]
    run("check", "--color", "always", "--output-file", "report.txt", "warn.bp")
    assert "\x1b[1;33m" in (project / "report.txt").read_text("utf-8")


def test_an_output_file_that_cannot_be_written_is_a_usage_error(project: Path) -> None:
    (project / "plain.txt").write_text("a file, not a folder\n")
    code, out = run("check", "--output-file", "plain.txt/report.txt", "warn.bp")
    assert code == 2
    assert "bpc: error: cannot write plain.txt/report.txt: " in out
    assert "internal error" not in out


def test_output_file_is_not_touched_on_a_usage_error(project: Path) -> None:
    (project / "report.txt").write_text("previous\n")
    assert run("check", "--output-file", "report.txt", "nope.bp")[0] == 2
    assert (project / "report.txt").read_text() == "previous\n"


# ---- item 5: `-` reads stdin ----------------------------------------------------------------


def test_dash_checks_stdin(project: Path) -> None:
    code, out = run("check", "-", stdin=BAD.encode())
    assert code == 0
    assert "<stdin>:6:12: warning[BP301]" in out
    assert "6 |   customer buy" in out
    assert out.splitlines()[-1] == "checked 1 file: 0 errors, 1 warning, 0 info"


def test_stdin_filename_names_the_file_and_finds_its_settings(project: Path) -> None:
    (project / "team").mkdir()
    (project / "team" / "bpc.toml").write_text('severity = { BP301 = "error" }\n')
    code, out = run("check", "--stdin-filename", "team/shop.bp", "-", stdin=BAD.encode())
    assert code == 1
    assert "team/shop.bp:6:12: error[BP301]" in out
    code, out = run(
        "check", "--format", "json", "--stdin-filename", "team/shop.bp", "-", "warn.bp",
        stdin=BAD.replace("-> till", "-> tll").encode(),
    )  # fmt: skip
    data = json.loads(out)
    assert data["files"] == ["team/shop.bp", "warn.bp"]  # in the order given
    assert [d["code"] for d in data["diagnostics"]] == ["BP201", "BP301"]


def test_stdin_is_decoded_like_a_file(project: Path) -> None:
    code, out = run("check", "-", stdin=b"\xef\xbb\xbf" + BAD.encode())
    assert code == 0
    code, out = run("check", "-", stdin=b"\xff\xfe garbage")
    assert code == 1
    assert "<stdin>:1:1: error[BP100]" in out


def test_stdin_misuse_is_a_usage_error(project: Path) -> None:
    code, out = run("check", "--stdin-filename", "x.bp", "warn.bp")
    assert code == 2
    assert "--stdin-filename" in out
    assert run("check", "-", "-", stdin=BAD.encode())[0] == 2


def test_the_real_entry_point_reads_stdin(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "check", "-", "--stdin-filename", "s.bp"],
        input=BAD,
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert proc.returncode == 0, proc.stderr
    assert "s.bp:6:12: warning[BP301]" in proc.stdout
