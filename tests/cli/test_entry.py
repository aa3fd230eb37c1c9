"""`bpc check FILE…` without options runs without click (`cli.entry`): what it prints and
its exit code must be exactly those of the click command line, which runs when any option
is given (here `--color auto`, the default, forces it)."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blueprint_dsl.cli.check import check_command
from blueprint_dsl.cli.checking import run_check
from blueprint_dsl.cli.entry import is_plain_check

from ..conftest import ROOT
from .bpc_process import bpc, isolated_env

SHOP = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  customer buy "Buy" -> till
  onstage  till "Till"
}
"""  # BP301: no evidence (a warning)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    for name in ("restaurant.bp", "hospital-outpatient.zh.bp", "bank-account.bp"):
        shutil.copy(ROOT / "samples" / name, tmp_path / name)
    (tmp_path / "warn.bp").write_text(SHOP, encoding="utf-8")
    (tmp_path / "error.bp").write_text(SHOP.replace("-> till", "-> tll"), encoding="utf-8")
    (tmp_path / "syntax.bp").write_text('step "Buy" {\n  customer buy "Buy" ->\n}\n')
    (tmp_path / "latin1.bp").write_bytes('blueprint "Café" {\n}\n'.encode("latin-1"))
    # a label with an escape sequence: click strips it when stdout is not a terminal
    (tmp_path / "escape.bp").write_text(SHOP.replace('"Till"', '"Till \x1b[31mred"'))
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "a.bp").write_text(SHOP, encoding="utf-8")
    bad_settings = tmp_path / "badsettings"
    bad_settings.mkdir()
    (bad_settings / "bpc.toml").write_text("locale = 3\n[[[", encoding="utf-8")
    (bad_settings / "a.bp").write_text(SHOP, encoding="utf-8")
    env = isolated_env(tmp_path)
    return tmp_path, env


CASES = [
    ["restaurant.bp"],
    ["warn.bp"],
    ["error.bp"],
    ["syntax.bp"],
    ["hospital-outpatient.zh.bp"],
    ["restaurant.bp", "warn.bp", "bank-account.bp"],
    ["team"],
    ["."],
    ["missing.bp"],
    ["latin1.bp"],
    ["escape.bp"],
    ["badsettings/a.bp"],
    ["warn.bp", "missing.bp"],
]


@pytest.mark.parametrize("paths", CASES, ids=lambda paths: "+".join(paths))
def test_a_plain_check_prints_what_the_click_command_prints(
    project: tuple[Path, dict[str, str]], paths: list[str]
) -> None:
    cwd, env = project
    assert is_plain_check(["check", *paths], env)
    plain = bpc(["check", *paths], cwd, env)
    with_click = bpc(["check", "--color", "auto", *paths], cwd, env)
    assert plain == with_click
    assert "Traceback" not in plain[2]


@pytest.mark.parametrize(
    "extra_env",
    [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"}, {"NO_COLOR": "1"}],
    ids=["ascii", "latin-1", "no-color"],
)
def test_a_plain_check_writes_to_any_stdout_as_click_does(
    project: tuple[Path, dict[str, str]], extra_env: dict[str, str]
) -> None:
    cwd, env = project
    env = {**env, **extra_env}
    for paths in (["hospital-outpatient.zh.bp"], ["escape.bp", "error.bp"]):
        plain = bpc(["check", *paths], cwd, env)
        assert plain == bpc(["check", "--color", "auto", *paths], cwd, env)
        assert plain[0] == (1 if "error.bp" in paths else 0), plain
        assert "\x1b" not in plain[1]


def test_characters_a_terminal_cannot_show_are_question_marks(
    project: tuple[Path, dict[str, str]],
) -> None:
    """Chinese diagnostics on a Latin-1 terminal were an "internal error" (exit 3)."""
    cwd, env = project
    (cwd / "zh.bp").write_text(SHOP.replace('buy "Buy"', 'buy "收银台"'), encoding="utf-8")
    for args in (["check", "zh.bp"], ["check", "--strict", "zh.bp"]):
        code, out, err = bpc(args, cwd, {**env, "PYTHONIOENCODING": "latin-1"})
        assert (code, err) == (0 if "--strict" not in args else 1, "")
        assert "BP301" in out and "???" in out and "收" not in out


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_every_command_writes_question_marks_for_what_a_terminal_cannot_show(
    project: tuple[Path, dict[str, str]], encoding: str
) -> None:
    """`bpc simulate` of a Chinese blueprint on a Latin-1 terminal was an "internal error"
    (exit 3); `render` wrote its diagnostics as `\\u6536` escapes."""
    cwd, env = project
    (cwd / "zh.bp").write_text(SHOP.replace('buy "Buy"', 'buy "收银台"'), encoding="utf-8")
    env = {**env, "PYTHONIOENCODING": encoding}

    def run(*args: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-m", "blueprint_dsl", *args], cwd=cwd, env=env, capture_output=True
        )
        return done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding)

    commands = [
        ("simulate", "zh.bp", "-n", "50"),
        ("render", "zh.bp", "-o", "out", "-f", "svg", "--force"),
        ("check", "--format", "text", "zh.bp"),
        ("export", "zh.bp", "--to", "mermaid"),
    ]
    for args in commands:
        code, out, err = run(*args)
        assert code == 0, (args, err)
        assert "internal error" not in err and "\\u" not in out + err, args
        assert "???" in out + err, args
    code, out, err = run("render", "zh.bp", "-o", "out", "-f", "svg", "--force")
    assert "BP301" in err and "???" in err


def test_what_counts_as_a_plain_check() -> None:
    assert is_plain_check(["check", "a.bp", "folder"], {})
    assert not is_plain_check(["check"], {})  # click says the path is missing
    assert not is_plain_check(["render", "a.bp"], {})
    assert not is_plain_check(["check", "a.bp", "--strict"], {})
    assert not is_plain_check(["check", "-"], {})  # stdin
    assert not is_plain_check(["check", "-q", "a.bp"], {})
    assert not is_plain_check(["check", ""], {})
    assert not is_plain_check(["check", "a.bp"], {"_BPC_COMPLETE": "bash_complete"})


def test_the_plain_check_uses_the_commands_defaults() -> None:
    """`run_check`'s defaults are what click passes when no option is given."""
    ours = {
        name: parameter.default
        for name, parameter in inspect.signature(run_check).parameters.items()
        if name != "paths"
    }
    given = dict(check_command.make_context("check", ["a.bp"]).params)
    assert given.pop("paths") == ("a.bp",)
    assert given == ours
