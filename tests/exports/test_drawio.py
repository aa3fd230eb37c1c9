"""The draw.io export, checked structurally (there is no draw.io app here): a well-formed
uncompressed mxfile; unique ids; every edge between existing cells; every cell inside its
lane; lanes in zone order; bpc's waypoints and colours; hostile labels as plain text;
determinism; every sample.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.exports import EXPORTERS
from blueprint_dsl.exports.bpmn_xml import drawn_lanes, xml_ids, xml_label
from blueprint_dsl.exports.common import lane_title
from blueprint_dsl.exports.drawio import export_drawio
from blueprint_dsl.model.blueprint import Blueprint, FlowKind
from blueprint_dsl.render.layout import compute_layout
from blueprint_dsl.render.themes import DEFAULT

from ..conftest import ROOT, SAMPLES

HOSTILE = ROOT / "tests" / "data" / "hostile.bp"
PATHS = [*SAMPLES, HOSTILE]
NAMES = [p.name for p in PATHS]


def bp_of(path: Path) -> Blueprint:
    result = compile_file(path)
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    return result.blueprint


def cells(text: str) -> dict[str, tuple[ET.Element, ET.Element]]:
    """id -> (the element carrying id and label, the mxCell with geometry)."""
    root = ET.fromstring(text)
    model = root.find("diagram/mxGraphModel/root")
    assert root.tag == "mxfile" and model is not None
    found: dict[str, tuple[ET.Element, ET.Element]] = {}
    for element in model:
        cell = element if element.tag == "mxCell" else element.find("mxCell")
        assert cell is not None, element.tag
        cell_id = str(element.get("id"))
        assert cell_id not in found, f"duplicate id {cell_id}"
        found[cell_id] = (element, cell)
    return found


def bare(text: str) -> str:
    """A label without its whitespace: the export keeps bpc's line breaks."""
    return re.sub(r"\s", "", text)


def label(element: ET.Element) -> str:
    return str(element.get("value") if element.tag == "mxCell" else element.get("label"))


def box(cell: ET.Element) -> tuple[float, float, float, float]:
    geometry = cell.find("mxGeometry")
    assert geometry is not None
    return tuple(float(geometry.get(k, "0")) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


@pytest.fixture(scope="module", params=PATHS, ids=NAMES)
def exported(request: pytest.FixtureRequest) -> tuple[Blueprint, str]:
    bp = bp_of(request.param)
    return bp, export_drawio(bp).text


def test_every_edge_joins_existing_cells(exported: tuple[Blueprint, str]) -> None:
    bp, text = exported
    found = cells(text)
    edges = [(e, c) for e, c in found.values() if c.get("edge") == "1"]
    flows = [c for _e, c in edges if c.get("source") is not None]
    assert len(flows) == len(bp.flows)
    for _element, cell in edges:
        assert cell.get("parent") == "1"
        for end in ("source", "target"):
            if cell.get(end) is not None:
                assert cell.get(end) in found
                assert found[str(cell.get(end))][1].get("vertex") == "1"
    for _id, (_element, cell) in found.items():
        if cell.get("parent") is not None:
            assert cell.get("parent") in found


def test_every_vertex_lies_inside_its_lane(exported: tuple[Blueprint, str]) -> None:
    _bp, text = exported
    found = cells(text)
    for cell_id, (_element, cell) in found.items():
        parent = cell.get("parent")
        if cell.get("vertex") != "1" or parent in (None, "1"):
            continue
        assert parent is not None and parent.startswith("lane_"), cell_id
        x, y, w, h = box(cell)  # relative to the lane
        _lx, _ly, lw, lh = box(found[parent][1])
        assert x >= 0 and x + w <= lw and y >= 0 and y + h <= lh, cell_id


def test_lanes_are_stacked_in_zone_order(exported: tuple[Blueprint, str]) -> None:
    bp, text = exported
    found = cells(text)
    names = xml_ids(bp)
    drawn = drawn_lanes(bp, compute_layout(bp))
    lanes = [found[f"lane_{names[f'lane:{lane.id}']}"] for lane in drawn]
    assert [bare(label(e)) for e, _c in lanes] == [
        bare(xml_label(lane_title(bp, ln))) for ln in drawn
    ]
    ys = [box(c)[1] for _e, c in lanes]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    assert all("container=1" in str(c.get("style")) for _e, c in lanes)


def test_shapes_lines_and_flows_follow_the_layout(exported: tuple[Blueprint, str]) -> None:
    bp, text = exported
    found = cells(text)
    layout = compute_layout(bp)
    names = xml_ids(bp)
    for node in layout.actions:
        element, cell = found[f"action_{names[f'action:{node.key}']}"]
        assert label(element) == xml_label("\n".join(node.text.lines))  # bpc's wrapping
        assert bare(label(element)) == bare(xml_label(bp.action(node.key).label))
        style = str(cell.get("style"))
        assert ("shape=rhombus;" in style) == (node.shape == "diamond")
        assert f"strokeColor={DEFAULT.box_stroke}" in style
    for mark in layout.lines:
        element, cell = found[f"line_{mark.line.value}"]
        assert label(element) == mark.name and "endArrow=none" in str(cell.get("style"))
    assert len([i for i in found if i.startswith("step_")]) == len(layout.steps)
    assert len([i for i in found if i.startswith("phase_")]) == len(layout.phases)
    kinds = {marker.kind for marker in layout.markers}
    assert all(any(f"_{kind}_" in i for i in found) for kind in kinds)
    for route in layout.routes:
        element, cell = found[f"flow_{route.index + 1}"]
        style = str(cell.get("style"))
        assert ("dashed=1" in style) == (route.kind is FlowKind.INFO)
        assert ("startArrow=classic" in style) == (route.kind is FlowKind.TWO_WAY)
        array = cell.find("mxGeometry/Array[@as='points']")
        bends = (
            [] if array is None else [(float(p.get("x", "")), float(p.get("y", ""))) for p in array]
        )
        route_points = [p for part in route.parts for p in part]
        assert {(round(x, 2), round(y, 2)) for x, y in route_points[1:-1]} == set(bends)
        geometry = cell.find("mxGeometry")
        assert geometry is not None
        offset = geometry.find("mxPoint[@as='offset']")
        if route.label is not None and bp.flows[route.index].label:
            # the label where bpc put it: a point along the edge plus an offset
            assert offset is not None and -1 <= float(geometry.get("x", "")) <= 1
        else:
            assert offset is None


def test_hostile_labels_are_plain_text() -> None:
    bp = bp_of(HOSTILE)
    text = export_drawio(bp).text
    found = cells(text)
    styles = [str(c.get("style")) for _e, c in found.values() if c.get("style")]
    assert all("html=0" in style for style in styles)
    labels = {bare(label(e)) for e, _c in found.values()}
    assert {bare(a.label) for a in bp.actions} <= labels
    assert {bare(e.label) for e in bp.evidence} <= labels
    lanes = [bare(label(e)) for cell_id, (e, _c) in found.items() if cell_id.startswith("lane_")]
    for lane in bp.lanes:
        if lane.declared:
            assert any(name.startswith(bare(lane.label)) for name in lanes), lane.label
    tips = [str(e.get("tooltip")) for e, _c in found.values() if e.get("tooltip")]
    assert tips and all("<" not in tip for tip in tips)  # HTML-escaped for draw.io
    assert any("<script>document.title='pwned'</script>" in html.unescape(t) for t in tips)


def test_a_label_with_every_special_character_round_trips() -> None:
    from blueprint_dsl.api import compile_text

    text_label = "<&>\\\"' 订餐 “引号” a--b\u0007"
    source = f'blueprint "t" {{ }}\nstep "s" {{\n  customer a "{text_label}"\n}}\n'
    result = compile_text(source, "x.bp")
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    exported = export_drawio(result.blueprint).text
    found = cells(exported)
    assert bare(label(found["action_a"][0])) == bare("<&>\"' 订餐 “引号” a--b")
    assert "&lt;&amp;&gt;&quot;'" in exported


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_drawio_is_deterministic_and_registered(path: Path) -> None:
    first, second = export_drawio(bp_of(path)), EXPORTERS["drawio"](bp_of(path))
    assert first == second and first.lost
    assert all("\n" not in sentence for sentence in first.lost)
