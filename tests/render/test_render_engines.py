"""Real output from Graphviz: the system `neato -n2` and the embedded WebAssembly build."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint_dsl.render import engines
from blueprint_dsl.render.engines import Engine, EngineError, resolve_engine
from blueprint_dsl.render.pipeline import blueprint_dot, render_blueprint

from ..render_fixtures import A, S, build, property_repair, restaurant
from .test_render_dot import NASTY

needs_system = pytest.mark.skipif(shutil.which("neato") is None, reason="no system Graphviz")
needs_pdfinfo = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="no pdfinfo (poppler)")
SVG = "{http://www.w3.org/2000/svg}"


def _no_system_graphviz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Take `dot`/`neato` off PATH for this test."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("neato") is None and shutil.which("dot") is None


def _shapes(svg: bytes) -> dict[str, list[tuple[float, ...]]]:
    """Node id -> the coordinates of its outline (polygon points or path numbers)."""
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        if "node" not in g.get("class", "").split() or not g.get("id", "").startswith("action-"):
            continue
        shape = next(e for e in g.iter() if e.tag in (f"{SVG}polygon", f"{SVG}path"))
        text = shape.get("points") or shape.get("d") or ""
        out[g.get("id", "")] = [round(float(v)) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]
    return out


def _texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@needs_system
def test_system_engine_writes_svg_png_pdf(tmp_path: Path) -> None:
    written = render_blueprint(restaurant(), ["svg", "png", "pdf", "dot"], tmp_path, stem="r")
    assert [p.name for p in written] == ["r.svg", "r.png", "r.pdf", "r.dot"]
    assert (tmp_path / "r.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    svg = (tmp_path / "r.svg").read_bytes()
    texts = _texts(svg)
    assert "Line of interaction" in texts and "Customer actions" in texts
    assert (tmp_path / "r.dot").read_text("utf-8") == blueprint_dot(restaurant())


@needs_system
@needs_pdfinfo
def test_a_pdf_is_the_same_bytes_whenever_it_is_drawn(tmp_path: Path) -> None:
    """Cairo dates each PDF (to the second, and before 1.17 whatever SOURCE_DATE_EPOCH
    says): the date is left out, so a redrawn PDF is the same file and CI sees no
    change."""
    first = render_blueprint(restaurant(), ["pdf"], tmp_path / "a", stem="r")[0].read_bytes()
    time.sleep(1.1)
    again = render_blueprint(restaurant(), ["pdf"], tmp_path / "b", stem="r")[0].read_bytes()
    assert first == again
    assert b"/CreationDate" not in first
    info = subprocess.run(["pdfinfo", "-"], input=first, capture_output=True, check=False)
    assert info.returncode == 0 and re.search(rb"Pages:\s+1\n", info.stdout), info.stderr
    assert not info.stderr  # no complaint about the document's structure


def test_embedded_engine_without_system_graphviz(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_system_graphviz(monkeypatch, tmp_path)
    assert resolve_engine("auto", ["svg"]).name == "embedded"
    written = render_blueprint(property_repair(), ["svg"], tmp_path / "out", stem="zh")
    svg = written[0].read_bytes()
    texts = _texts(svg)
    assert "互动分界线" in texts and "顾客行为" in texts and "验收" in texts
    assert len(_shapes(svg)) == len(property_repair().actions)


def test_an_instance_grown_by_a_big_drawing_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """WebAssembly memory only grows: past KEEP_MEMORY, the drawing after gets a fresh
    instance (the memory is let go) and draws the same bytes; below it, one is kept."""
    dot = blueprint_dot(restaurant())
    embedded = Engine("embedded")
    first = embedded.render(dot, "svg")
    session = engines._BACKEND._session
    assert engines._memory_of(engines._BACKEND) > 0
    assert embedded.render(dot, "svg") == first and engines._BACKEND._session is session
    monkeypatch.setattr(engines, "KEEP_MEMORY", 1)
    assert embedded.render(dot, "svg") == first
    fresh = engines._BACKEND._session
    assert fresh is not session
    monkeypatch.undo()
    assert embedded.render(dot, "svg") == first and engines._BACKEND._session is fresh


def test_png_without_system_graphviz_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_system_graphviz(monkeypatch, tmp_path)
    for choice in ("auto", "system", "embedded"):
        with pytest.raises(EngineError, match=r"apt-get install graphviz.*brew install graphviz"):
            resolve_engine(choice, ["svg", "png"])
    with pytest.raises(EngineError, match="PDF output needs the system Graphviz"):
        Engine("embedded").render("digraph{}", "pdf")


@needs_system
def test_both_engines_draw_the_same_layout() -> None:
    dot = blueprint_dot(property_repair())
    system = Engine("system", shutil.which("neato")).render(dot, "svg")
    embedded = Engine("embedded").render(dot, "svg")
    a, b = _shapes(system), _shapes(embedded)
    assert a.keys() == b.keys() and len(a) == len(property_repair().actions)
    for key in a:
        assert a[key] == pytest.approx(b[key], abs=1), key


@needs_system
def test_labels_reach_the_svg_literally_with_both_engines() -> None:
    steps = [S("s", [A("customer", "a", NASTY), A("onstage", "b", "x")])]
    dot = blueprint_dot(build("t", steps))
    wanted = NASTY.split("\n")[0]
    for engine in (Engine("system", shutil.which("neato")), Engine("embedded")):
        texts = [t.strip() for t in _texts(engine.render(dot, "svg"))]
        joined = " ".join(texts)
        for piece in (
            '"hi"',
            "\\ back\\slash",
            "{braces}",
            "<b>tag</b>",
            "& &amp; \\N",
            "new line",
        ):
            assert piece in joined, (engine.name, piece, texts)
        assert wanted.split()[0] in joined


def test_engine_failure_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineError, match="embedded Graphviz failed"):
        Engine("embedded").render("digraph { a -> }", "svg")
    monkeypatch.setattr(engines, "SYSTEM_TIMEOUT", 5.0)
    if shutil.which("neato"):
        with pytest.raises(EngineError, match=r"Graphviz .* failed"):
            Engine("system", shutil.which("neato")).render("digraph { a -> }", "svg")
