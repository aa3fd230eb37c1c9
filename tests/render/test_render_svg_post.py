"""The SVG file says what it shows: title, description, whole labels, readable ids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render.pipeline import render_blueprint
from blueprint_dsl.report.svg import prepare_svg

from ..conftest import ROOT
from ..render_fixtures import A, S, build

SVG = "{http://www.w3.org/2000/svg}"


def _restaurant() -> Blueprint:
    result = compile_file(ROOT / "samples" / "restaurant.bp")
    assert result.blueprint is not None
    return result.blueprint


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Blueprint, bytes]:
    bp = _restaurant()
    out = tmp_path_factory.mktemp("svg")
    (path,) = render_blueprint(bp, ["svg"], out, stem="r")
    return bp, path.read_bytes()


def test_root_title_and_description(drawn: tuple[Blueprint, bytes]) -> None:
    bp, svg = drawn
    root = ET.fromstring(svg)
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title" and first.text == bp.header.title
    assert second.tag == f"{SVG}desc"
    desc = second.text or ""
    assert bp.header.persona and bp.header.persona in desc
    assert f"Steps: {len(bp.steps)}" in desc and "target: 2h" in desc
    assert all(t.text != "blueprint" for t in root.iter(f"{SVG}title"))


def test_action_titles_are_labels(drawn: tuple[Blueprint, bytes]) -> None:
    bp, svg = drawn
    root = ET.fromstring(svg)
    seen = 0
    for g in root.iter(f"{SVG}g"):
        if "bp-action" in g.get("class", "").split():
            key = g.get("id", "").removeprefix("action-")
            title = g.find(f"{SVG}title")
            assert title is not None and title.text == bp.action(key).label
            seen += 1
    assert seen == len(bp.actions)
    # No internal node names left anywhere.
    names = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert not [n for n in names if n[:1] in "anlmp" and n[1:].isdigit()]


def test_wrapped_label_is_one_text(drawn: tuple[Blueprint, bytes]) -> None:
    _, svg = drawn
    root = ET.fromstring(svg)
    joined = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Confirm booking by SMS" in joined
    texts = [t for t in root.iter(f"{SVG}text") if "Confirm booking" in "".join(t.itertext())]
    (text,) = texts
    assert len(text.findall(f"{SVG}tspan")) == 2


def test_readable_flow_and_evidence_ids(tmp_path: Path) -> None:
    steps = [
        S("s1", [A("customer", "greet", "Greet", flows=[("->", "seat"), ("-->", "seat", "asks")])]),
        S("s2", [A("customer", "seat", "Seat")]),
    ]
    bp = build("Ids", steps)
    (path,) = render_blueprint(bp, ["svg"], tmp_path, stem="r")
    root = ET.fromstring(path.read_bytes())
    edges = [g for g in root.iter(f"{SVG}g") if "bp-flow" in g.get("class", "").split()]
    ids = [g.get("id", "") for g in edges if "bp-legend" not in g.get("class", "")]
    assert "flow-greet-seat" in ids and "flow-greet-seat-2" in ids
    assert len(set(ids)) == len(ids)


def test_scales_to_container_or_fixed(tmp_path: Path) -> None:
    bp = build("T", [S("s", [A("customer", "a", "A")])])
    (path,) = render_blueprint(bp, ["svg"], tmp_path, stem="fluid")
    root = ET.fromstring(path.read_bytes())
    assert root.get("width") == "100%" and root.get("height") is None and root.get("viewBox")
    (path,) = render_blueprint(bp, ["svg"], tmp_path, stem="fixed", fixed_size=True)
    root = ET.fromstring(path.read_bytes())
    assert (root.get("width") or "").endswith("pt") and (root.get("height") or "").endswith("pt")


def test_report_still_links_the_processed_svg(drawn: tuple[Blueprint, bytes]) -> None:
    bp, svg = drawn
    html = prepare_svg(svg.decode(), bp, bp.header.title)
    for i in range(len(bp.flows)):
        assert f'data-bp-ref="flow:{i}"' in html
    for i in range(len(bp.evidence)):
        assert f'data-bp-ref="evidence:{i}"' in html
    for a in bp.actions:
        assert f'data-bp-ref="action:{a.key}"' in html


def test_escaped_and_deterministic(tmp_path: Path) -> None:
    nasty = 'Say "hi" & <b>tag</b> ]]> a long label that wraps onto a second line'
    bp = build('T & "<x>"', [S("s", [A("customer", "a", nasty)])])
    (one,) = render_blueprint(bp, ["svg"], tmp_path / "1", stem="r")
    (two,) = render_blueprint(bp, ["svg"], tmp_path / "2", stem="r")
    assert one.read_bytes() == two.read_bytes()
    root = ET.fromstring(one.read_bytes())
    assert next(iter(root)).text == 'T & "<x>"'
    labels = [t.text for g in root.iter(f"{SVG}g") for t in g.findall(f"{SVG}title")]
    assert nasty in labels


def test_evidence_ids_come_from_the_source(tmp_path: Path) -> None:
    result = compile_file(ROOT / "samples" / "bank-account.bp")
    bp = result.blueprint
    assert bp is not None
    (path,) = render_blueprint(bp, ["svg"], tmp_path, stem="b")
    svg = path.read_bytes()
    root = ET.fromstring(svg)
    ids = [g.get("id") for g in root.iter(f"{SVG}g") if "bp-evidence" in g.get("class", "")]
    assert "evidence-passport" in ids and "evidence-proof" in ids
    assert len(ids) == len(bp.evidence) and len(set(ids)) == len(ids)
    html = prepare_svg(svg.decode(), bp, bp.header.title)
    for i in range(len(bp.evidence)):
        assert f'data-bp-ref="evidence:{i}"' in html
