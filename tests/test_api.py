"""The library façade: compile, draw and export from Python in a few lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import blueprint_dsl
from blueprint_dsl.api import compile_file, export, render_blueprint

from .conftest import ROOT

SAMPLE = ROOT / "samples" / "restaurant.bp"


def test_the_package_keeps_its_public_names() -> None:
    assert blueprint_dsl.compile_file is compile_file
    assert blueprint_dsl.__version__ == "0.1.0"
    assert (Path(blueprint_dsl.__file__).parent / "py.typed").is_file()


def test_render_and_export_in_memory() -> None:
    result = compile_file(SAMPLE)
    assert result.blueprint is not None and not result.has_errors
    dot = render_blueprint(result.blueprint, "dot").decode()
    assert "\ndigraph blueprint {" in dot
    svg = render_blueprint(result.blueprint, "svg", engine="embedded").decode()
    assert "<svg" in svg and "Greet and seat" in svg
    model = json.loads(export(result.blueprint, "json"))
    assert model["blueprint"]["id"] == "BP-REST-01"
    assert "\nflowchart LR\n" in export(result.blueprint, "mermaid")


@pytest.mark.parametrize(("call", "word"), [("render", "format"), ("export", "target")])
def test_unknown_formats_are_value_errors(call: str, word: str) -> None:
    result = compile_file(SAMPLE)
    assert result.blueprint is not None
    with pytest.raises(ValueError, match=word):
        if call == "render":
            render_blueprint(result.blueprint, "gif")
        else:
            export(result.blueprint, "visio")


def test_python_dash_m_runs_the_cli() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "check", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "checked 1 file: 0 errors" in run.stdout


def test_every_install_recipe_names_our_distribution() -> None:
    # `pip install bpc` fetches an unrelated project that owns that name on PyPI.
    import re
    import tomllib

    name = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["name"]
    assert name == "bpc-blueprints"
    docs = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "editors").rglob("*.md")]
    for doc in docs:
        for match in re.finditer(r"pip install ([^\s&|;`]+)", doc.read_text("utf-8")):
            allowed = (name, f"'{name}[markdown]'", ".", "'.[test]'", "-e")
            assert match.group(1) in allowed, (doc, match.group(0))
