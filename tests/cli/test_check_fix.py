"""`bpc check --fix` and `--unsafe-fixes`: what they change, what they leave, what they say."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

CLEAN = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  evidence "Till"
  customer buy  "Buy" -> till
  onstage  till "Till"  # bpc: ignore[BP402]
}
"""  # in the canonical layout


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bpc.toml").write_text("")
    return tmp_path


def test_fix_removes_an_ignore_code_that_silences_nothing(project: Path) -> None:
    (project / "a.bp").write_text(CLEAN, encoding="utf-8")
    code, out, err = run("check", "a.bp")
    assert code == 0 and "BP106" in out
    code, out, err = run("check", "--fix", "a.bp")
    assert code == 0
    assert "BP106" not in out
    assert "bpc: fixed a.bp: BP106 ×1" in err
    assert (project / "a.bp").read_text("utf-8") == CLEAN.replace("  # bpc: ignore[BP402]", "")


def test_fix_keeps_the_codes_that_still_silence_something(project: Path) -> None:
    text = CLEAN.replace('  evidence "Till"\n', "").replace(
        '  customer buy  "Buy" -> till',
        '  customer buy  "Buy" -> till  # bpc: ignore[BP301, BP402]',
    )
    (project / "a.bp").write_text(text, encoding="utf-8")
    code, out, _ = run("check", "--fix", "a.bp")
    assert code == 0, out
    fixed = (project / "a.bp").read_text("utf-8")
    assert "# bpc: ignore[BP301]\n" in fixed


def test_fix_applies_the_layout_and_keeps_crlf_and_bom(project: Path) -> None:
    messy = CLEAN.replace("  # bpc: ignore[BP402]", "")
    messy = messy.replace("  onstage  till", "      onstage   till")
    (project / "a.bp").write_bytes(("\ufeff" + messy).replace("\n", "\r\n").encode("utf-8"))
    code, _, err = run("check", "--fix", "a.bp")
    assert code == 0
    assert "bpc: fixed a.bp: reformatted" in err
    data = (project / "a.bp").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") > 0
    assert b"\r\n  onstage  till" in data


def test_unsafe_fixes_take_the_suggested_id_and_add_evidence(project: Path) -> None:
    text = CLEAN.replace("  # bpc: ignore[BP402]", "").replace("-> till", "-> tll")
    text = text.replace('  evidence "Till"\n', "")
    (project / "a.bp").write_text(text, encoding="utf-8")
    code, out, err = run("check", "--fix", "a.bp")
    assert code == 1 and "BP201" in out  # safe fixes do not guess
    assert (project / "a.bp").read_text("utf-8") == text
    code, out, err = run("check", "--fix", "--unsafe-fixes", "a.bp")
    fixed = (project / "a.bp").read_text("utf-8")
    assert "-> till" in fixed and 'evidence "…"' in fixed
    assert code == 0, out
    assert "BP201 ×1" in err and "BP301 ×1" in err


def test_unsafe_fixes_need_fix_and_stdin_is_refused(project: Path) -> None:
    code, _, err = run("check", "--unsafe-fixes", "x.bp")
    assert code == 2 and "--unsafe-fixes goes with --fix" in err
    code, _, err = run("check", "--fix", "-")
    assert code == 2 and "stdin" in err


def test_a_file_with_syntax_errors_is_left_as_it_is(project: Path) -> None:
    text = CLEAN.replace('"Buy" {', '"Buy"\n{')
    (project / "a.bp").write_text(text, encoding="utf-8")
    code, out, err = run("check", "--fix", "a.bp")
    assert code == 1 and "BP100" in out
    assert "fixed" not in err
    assert (project / "a.bp").read_text("utf-8") == text
