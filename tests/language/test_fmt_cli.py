"""`bpc fmt` on the command line: symlinks and byte-order marks survive, `--check` and
`--diff` work on stdin, and a folder without .bp files is a usage error (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

MESSY = 'blueprint "M" { id "x" }\n'
TIDY = 'blueprint "M" {\n  id "x"\n}\n'
BOM = b"\xef\xbb\xbf"


def fmt(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fmt", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


# ---- symlinks: write through the link ------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_fmt_writes_through_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    target = elsewhere / "real.bp"
    target.write_text(MESSY, encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.bp"
    link.symlink_to(target)
    code, _, err = fmt(str(link))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8") == TIDY
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in elsewhere.iterdir()) == ["real.bp"]  # no temporary left
    assert f"reformatted {link}" in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_fmt_of_a_folder_writes_through_symlinks_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "blueprints"
    (folder / "shared").mkdir(parents=True)
    target = folder / "shared" / "real.txt"  # not a .bp name: read only through the link
    target.write_text(MESSY, encoding="utf-8")
    (folder / "a.bp").symlink_to(Path("shared") / "real.txt")  # a relative link
    code, _, err = fmt(str(folder))
    assert code == 0, err
    assert (folder / "a.bp").is_symlink()
    assert target.read_text(encoding="utf-8") == TIDY


# ---- byte-order marks: kept -------------------------------------------------------------


def test_fmt_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.bp"
    path.write_bytes(BOM + MESSY.encode("utf-8"))
    code, _, err = fmt(str(path))
    assert code == 0, err
    assert path.read_bytes() == BOM + TIDY.encode("utf-8")
    code, _, err = fmt("--check", str(path))  # formatted, BOM and all
    assert code == 0, err
    assert "0 files would be reformatted" in err


def test_fmt_does_not_add_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "plain.bp"
    path.write_bytes(MESSY.encode("utf-8"))
    assert fmt(str(path))[0] == 0
    assert path.read_bytes() == TIDY.encode("utf-8")


def test_fmt_of_stdin_keeps_a_byte_order_mark() -> None:
    code, out, _ = fmt("-", input=BOM + MESSY.encode("utf-8"))
    assert code == 0
    assert out == "\ufeff" + TIDY


# ---- --check and --diff on stdin --------------------------------------------------------------


def test_check_of_stdin_that_would_change() -> None:
    code, out, err = fmt("--check", "-", input=MESSY)
    assert (code, out) == (1, "")
    assert err == "would reformat <stdin>\n"


def test_check_of_stdin_already_formatted() -> None:
    assert fmt("--check", "-", input=TIDY) == (0, "", "")


def test_diff_of_stdin_that_would_change() -> None:
    code, out, _ = fmt("--diff", "-", input=MESSY)
    assert code == 1
    assert out.startswith("--- <stdin>\n+++ <stdin> (formatted)\n")
    assert '-blueprint "M" { id "x" }\n' in out and '+  id "x"\n' in out


def test_diff_of_stdin_already_formatted() -> None:
    assert fmt("--diff", "-", input=TIDY) == (0, "", "")


def test_check_of_stdin_with_syntax_errors() -> None:
    code, out, err = fmt("--check", "-", input='blueprint "B" {\n')
    assert (code, out) == (1, "")
    assert "error[BP100]" in err


def test_plain_fmt_of_stdin_still_prints_the_formatted_text() -> None:
    assert fmt("-", input=MESSY) == (0, TIDY, "")


# ---- a folder without .bp files ------------------------------------------------------------


@pytest.mark.parametrize("flags", [[], ["--check"], ["--diff"]])
def test_a_folder_without_blueprints_is_a_usage_error(flags: list[str], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a blueprint\n", encoding="utf-8")
    code, out, err = fmt(*flags, str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"bpc: error: no .bp files found in {tmp_path}\n"
    check = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert check.exit_code == 2 and check.stderr == err  # the same words as check
