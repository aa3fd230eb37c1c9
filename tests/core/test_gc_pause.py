"""The collector is paused around big work; in a one-shot process what the work left
alive is frozen when the pause ends, so later collections do not go through it again.
Freezing is safe only because the work leaves no cycles behind: that is tested here."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.core import gc_pause
from blueprint_dsl.render.pipeline import render_blueprint
from blueprint_dsl.report import build_report_html
from blueprint_dsl.report.context import report_title
from blueprint_dsl.report.svg import inline_for

from ..conftest import ROOT, SAMPLES
from ..report_helpers import HOSTILE


@pytest.fixture
def freezing() -> Iterator[None]:
    gc_pause.freeze_after_pauses()
    try:
        yield
    finally:
        gc_pause.freeze_after_pauses(False)
        gc.unfreeze()


class _Node:
    def __init__(self) -> None:
        self.children: list[_Node] = []


def _paused_work() -> list[_Node]:
    with gc_pause.collector_paused():
        assert not gc.isenabled()
        return [_Node() for _ in range(1000)]


def test_a_pause_freezes_what_it_leaves_alive_only_in_a_one_shot_process() -> None:
    gc.unfreeze()
    kept = _paused_work()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the library default
    gc_pause.freeze_after_pauses()
    try:
        kept += _paused_work()
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    finally:
        gc_pause.freeze_after_pauses(False)
        gc.unfreeze()


def test_a_pause_inside_a_paused_collector_leaves_it_paused(freezing: None) -> None:
    gc.disable()
    try:
        _paused_work()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("path", [*SAMPLES, HOSTILE], ids=lambda p: p.name)
def test_compiling_drawing_and_reporting_leave_no_cycles(path: Path, tmp_path: Path) -> None:
    """What frozen cycles would keep till the end of the process: none."""
    gc.collect()
    result = compile_file(path)
    if result.blueprint is not None:
        inline = inline_for(result.blueprint, report_title(result))
        render_blueprint(result.blueprint, ["svg", "dot"], tmp_path, inline=inline)
        build_report_html(result, None, inlined=inline.written)
    build_report_html(result, None)
    del result
    assert gc.collect() == 0


@pytest.mark.parametrize(("command", "frozen"), [("check", True), ("lsp", False), ("watch", False)])
def test_only_the_commands_that_end_freeze(command: str, frozen: bool) -> None:
    """The language server and `watch` keep running: the collector works as usual."""
    probe = (
        "import sys; from blueprint_dsl.cli import entry; from blueprint_dsl.core import gc_pause\n"
        f"sys.argv = ['bpc', {command!r}, '--help']\n"
        "try:\n    entry.run()\nexcept SystemExit:\n    pass\n"
        "print(gc_pause._freezing)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip().splitlines()[-1] == str(frozen)
