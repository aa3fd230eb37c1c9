"""What a folder walk skips, as the commands run it: tool folders, .gitignore, the
`exclude` / `extend-exclude` settings and `--exclude`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

GOOD = 'blueprint "A" {\n}\nstep "S" {\n  evidence "E"\n  customer a "A"\n}\n'
BROKEN = 'blueprint "B" {\n}\nstep "S" {\n  customer a "A" -> nowhere\n}\n'


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bpc.toml").write_text("")
    (tmp_path / "good.bp").write_text(GOOD, encoding="utf-8")
    for folder in ("node_modules/pkg", ".venv", "build", "drafts", "old"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "broken.bp").write_text(BROKEN, encoding="utf-8")
    return tmp_path


def test_check_skips_tool_folders_and_takes_exclude(project: Path) -> None:
    code, out = run("check", ".")
    assert "node_modules" not in out and ".venv" not in out and "build" not in out
    assert "drafts/broken.bp" in out and "old/broken.bp" in out
    code, out = run("check", ".", "--exclude", "drafts", "--exclude", "old/")
    assert code == 0, out
    assert "checked 1 file" in out


def test_the_settings_extend_and_replace_the_skip_list(project: Path) -> None:
    (project / "bpc.toml").write_text('extend-exclude = ["drafts", "old"]\n')
    code, out = run("check", ".")
    assert (code, out.splitlines()[-1]) == (0, "checked 1 file: 0 errors, 0 warnings, 0 info")
    (project / "bpc.toml").write_text('exclude = ["drafts", "old"]\n')  # build is walked now
    code, out = run("check", ".")
    assert code == 1 and "build/broken.bp" in out and "node_modules" in out
    assert ".venv" not in out  # hidden folders are always skipped


def test_render_and_fmt_take_exclude(project: Path) -> None:
    code, out = run("render", ".", "--exclude", "drafts", "--exclude", "old", "-o", "out")
    assert code == 0, out
    assert (project / "out" / "good.svg").is_file()
    assert not (project / "out" / "drafts").exists()
    (project / "drafts" / "broken.bp").write_text(GOOD.replace("  evidence", "evidence"))
    run("fmt", ".", "--exclude", "drafts", "--exclude", "old")  # good.bp in the layout
    code, out = run("fmt", ".", "--check", "--exclude", "drafts", "--exclude", "old")
    assert code == 0, out
    code, out = run("fmt", ".", "--check", "--exclude", "old")
    assert code == 1 and "drafts/broken.bp" in out


@pytest.mark.parametrize("command", ["fmt", "render"])
def test_color_always_colours_diagnostics_through_a_pipe(project: Path, command: str) -> None:
    import subprocess
    import sys

    (project / "bad.bp").write_text('blueprint "B" {\n}\nstep "S" {\n  customer a "A\n}\n')
    run_ = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", command, "bad.bp", "--color", "always"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "\x1b[" in run_.stderr, run_.stderr


def test_export_quiet_leaves_out_what_the_target_cannot_show(project: Path) -> None:
    code, out = run("export", "good.bp", "--to", "mermaid")
    assert code == 0 and "cannot show" in out
    code, out = run("export", "good.bp", "--to", "mermaid", "-q")
    assert code == 0 and "cannot show" not in out and "flowchart" in out


def test_an_unchanged_file_does_not_print_its_diagnostics_again(project: Path) -> None:
    warn = GOOD.replace('  evidence "E"\n', "")  # BP301
    (project / "good.bp").write_text(warn, encoding="utf-8")
    code, out = run("render", "good.bp", "-o", "out")
    assert code == 0 and "BP301" in out
    code, out = run("render", "good.bp", "-o", "out")
    assert code == 0 and "BP301" not in out
    assert "1 unchanged" in out
