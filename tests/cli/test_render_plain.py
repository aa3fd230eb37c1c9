"""`bpc render` in which nothing changed runs without click (`cli.render_plain`): what it
prints, its exit code and the folder it leaves must be exactly those of the click
command, which runs when an option the quick path does not read is given (here
`--color auto`, the default) or when anything is not unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from blueprint_dsl.cli import render_cache
from blueprint_dsl.cli.render import render_command
from blueprint_dsl.cli.render_plain import plain_render, render_arguments

from ..conftest import ROOT
from .bpc_process import bpc, isolated_env

RESTAURANT = ROOT / "samples" / "restaurant.bp"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "bp"
    folder.mkdir()
    text = RESTAURANT.read_text("utf-8")
    for n in range(3):
        (folder / f"r{n}.bp").write_text(text.replace("Restaurant dinner", f"R {n}"), "utf-8")
    shutil.copy(ROOT / "samples" / "hospital-outpatient.zh.bp", folder / "zh.bp")
    env = isolated_env(tmp_path)
    return tmp_path, env


def _new_run() -> None:
    """In this process, as in a new one: nothing an earlier test left in the caches."""
    render_cache.engine_fingerprint.cache_clear()
    render_cache.renderer_fingerprint.cache_clear()


CASES = [
    ["bp", "-o", "out"],
    ["bp", "-o", "out", "-q"],
    ["bp/r0.bp", "--output", "out", "-f", "svg"],
    ["bp", "-f", "svg", "--format", "html", "-o", "out", "--engine", "embedded", "-j", "2"],
    ["bp/r1.bp", "bp/zh.bp", "-o", "out", "--theme", "print", "--quiet"],
    ["bp"],  # the default output folder, ./out
]


@pytest.mark.parametrize("args", CASES, ids=lambda args: " ".join(args))
def test_an_unchanged_render_prints_what_the_click_command_prints(
    project: tuple[Path, dict[str, str]], args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd, env = project
    first = bpc(["render", *args, "--color", "auto"], cwd, env)  # draws
    assert first[0] == 0, first
    bpc(["render", *args, "--color", "auto"], cwd, env)  # records the outputs' stamps
    before = snapshot(cwd / "out")
    monkeypatch.chdir(cwd)
    _new_run()
    assert plain_render(["render", *args]) == 0  # the quick path takes it
    plain = bpc(["render", *args], cwd, env)
    assert plain == bpc(["render", *args, "--color", "auto"], cwd, env)
    quiet = "-q" in args or "--quiet" in args
    assert plain[0] == 0 and ("unchanged" in plain[2]) is not quiet, plain
    assert snapshot(cwd / "out") == before  # nothing written


def test_anything_not_unchanged_goes_to_the_click_command(
    project: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd, env = project
    monkeypatch.chdir(cwd)
    _new_run()
    args = ["render", "bp", "-o", "out"]
    assert plain_render(args) is None  # never drawn
    assert bpc(args, cwd, env)[0] == 0
    assert bpc(args, cwd, env)[0] == 0  # stamps recorded
    assert plain_render(args) == 0
    (cwd / "bp" / "r2.bp").write_text(RESTAURANT.read_text("utf-8").replace("Order", "Ask"))
    assert plain_render(args) is None  # a changed source
    code, _, err = bpc(args, cwd, env)
    assert code == 0 and "rendered 1 blueprint, 3 unchanged" in err, err
    bpc(args, cwd, env)
    assert plain_render(args) == 0
    (cwd / "out" / "index.html").write_text("<p>by hand</p>", encoding="utf-8")
    assert plain_render(args) is None  # an index page to write again
    bpc(args, cwd, env)
    (cwd / "out" / "r0.svg").write_text("<svg/>", encoding="utf-8")
    assert plain_render(args) is None  # an output to draw again
    assert plain_render(["render", "missing.bp", "-o", "out"]) is None  # click says it


def test_what_the_quick_path_reads() -> None:
    read = render_arguments(["render", "a.bp", "-o", "o", "-f", "svg", "-f", "html", "-q"])
    assert read is not None and (read.paths, read.output, read.formats, read.quiet) == (
        ["a.bp"],
        "o",
        ["svg", "html"],
        True,
    )
    assert render_arguments(["render", "a", "--engine", "system", "--theme", "print", "-j", "3"])
    for args in (
        ["render"],  # click says the path is missing
        ["check", "a.bp"],
        ["render", "a.bp", "--force"],
        ["render", "a.bp", "-v"],
        ["render", "a.bp", "--wrap", "3"],
        ["render", "a.bp", "--output=o"],
        ["render", "a.bp", "-oo"],
        ["render", "a.bp", "-qv"],
        ["render", "a.bp", "-o"],
        ["render", "a.bp", "-o", "-q"],
        ["render", "-", "-o", "o"],
        ["render", "a.bp", "--", "b.bp"],
        ["render", "a.bp", "-f", "svg,gif"],
        ["render", "a.bp", "--engine", "dot"],
        ["render", "a.bp", "--theme", "Print"],
        ["render", "a.bp", "-j", "0"],
        ["render", "a.bp", "-j", "65"],
        ["render", "a.bp", "-j", "two"],
        ["render", ""],
    ):
        assert render_arguments(args) is None, args


def test_the_quick_path_uses_the_commands_defaults() -> None:
    given = dict(render_command.make_context("render", ["a.bp"]).params)
    read = render_arguments(["render", "a.bp"])
    assert read is not None
    assert (given["output"], given["formats"], given["engine"]) == (None, (), read.engine)
    assert (given["theme"], given["jobs"], given["quiet"]) == (read.theme, int(read.jobs), False)
    assert (given["force"], given["verbose"], given["exclude"]) == (False, False, ())
    assert (given["config_file"], given["color"]) == (None, "auto")
