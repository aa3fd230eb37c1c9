"""The SVG file says what it shows: title, description, whole labels, readable ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render.engines import resolve_engine
from blueprint_dsl.render.pipeline import blueprint_dot, render_blueprint
from blueprint_dsl.render.svg_post import END, element_ids
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


def _linked(html: str) -> dict[str, list[str]]:
    """The ids of the groups that carry each ref, in document order."""
    root = ET.fromstring(html)
    out: dict[str, list[str]] = {}
    for g in root.iter(f"{SVG}g"):
        for ref in g.get("data-bp-ref", "").split():
            out.setdefault(ref, []).append(g.get("id", ""))
    return out


@pytest.fixture(scope="module")
def drawings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Blueprint, bytes]]:
    """Two samples as `bpc render` draws them: the hotel has flows drawn in two halves."""
    out = tmp_path_factory.mktemp("drawings")
    found = []
    for name in ("restaurant.bp", "hotel-room-service.bp"):
        bp = compile_file(ROOT / "samples" / name).blueprint
        assert bp is not None
        (path,) = render_blueprint(bp, ["svg"], out, stem=name)
        found.append((bp, path.read_bytes()))
    return found


def test_the_report_links_flows_and_evidence_by_their_readable_ids(
    drawings: list[tuple[Blueprint, bytes]],
) -> None:
    """Each flow is linked on the group with its readable id (and its second half's),
    each piece of evidence on its own group: once, never on the link group inside."""
    halves = 0
    for bp, svg in drawings:
        flows, evidence = element_ids(bp)
        linked = _linked(prepare_svg(svg.decode(), bp, bp.header.title))
        for i, ident in enumerate(flows):
            ids = linked[f"flow:{i}"]
            assert ids in ([f"bp-svg-{ident}"], [f"bp-svg-{ident}", f"bp-svg-{ident}{END}"])
            halves += len(ids) - 1
        for i, ident in enumerate(evidence):
            assert linked[f"evidence:{i}"] == [f"bp-svg-{ident}"]
        assert len(set(flows + evidence)) == len(flows) + len(evidence)
    assert halves > 0


def test_the_drawing_straight_from_graphviz_links_the_same(
    drawings: list[tuple[Blueprint, bytes]],
) -> None:
    """`bpc render -f html` alone inlines the drawing before render.svg_post: its
    index-based ids link every element to the same refs, as many times."""
    for bp, svg in drawings:
        raw = resolve_engine("auto", ["svg"]).render(blueprint_dot(bp), "svg").decode()
        processed = _linked(prepare_svg(svg.decode(), bp, bp.header.title))
        straight = _linked(prepare_svg(raw, bp, bp.header.title))
        assert {ref: len(ids) for ref, ids in straight.items()} == {
            ref: len(ids) for ref, ids in processed.items()
        }
        for i in range(len(bp.flows)):
            assert straight[f"flow:{i}"][0] == f"bp-svg-flow-{i}"


def test_every_id_is_used_once(drawings: list[tuple[Blueprint, bytes]]) -> None:
    for _, svg in drawings:
        ids = [e.get("id") for e in ET.fromstring(svg).iter() if e.get("id")]
        assert len(ids) == len(set(ids))


def test_readable_ids_follow_the_written_order() -> None:
    """Two flows between the same actions: `-2` for the one written second; the ids
    come from the model alone, whatever order Graphviz draws in."""
    steps = [
        S("s1", [A("customer", "greet", "Greet", flows=[("->", "seat"), ("-->", "seat", "asks")])]),
        S("s2", [A("customer", "seat", "Seat")]),
    ]
    bp = build("Ids", steps)
    flows, _ = element_ids(bp)
    same = [i for i, f in enumerate(bp.flows) if (f.source, f.target) == ("greet", "seat")]
    assert len(same) >= 2
    assert [flows[i] for i in same] == ["flow-greet-seat"] + [
        f"flow-greet-seat-{n}" for n in range(2, len(same) + 1)
    ]
    assert element_ids(bp) == element_ids(build("Ids", steps))
    assert all(re.fullmatch(r"flow-[\w-]+", ident) for ident in flows)


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
