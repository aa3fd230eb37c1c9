"""The BPMN 2.0 export: valid against the OMG XSD (tests/data/bpmn20/), one pool with the
lanes in zone order, shapes and edges where bpc's layout puts them, safe ids, escaped
labels, determinism; and `bpmnlint` with its recommended rules when BPC_BPMN=1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from blueprint_dsl.api import compile_file
from blueprint_dsl.exports import EXPORTERS
from blueprint_dsl.exports.bpmn import export_bpmn
from blueprint_dsl.exports.bpmn_text import called_element
from blueprint_dsl.exports.bpmn_xml import drawn_lanes, xml_ids, xml_label
from blueprint_dsl.exports.common import lane_title
from blueprint_dsl.model.blueprint import Blueprint, FlowKind
from blueprint_dsl.render.layout import compute_layout

from ..conftest import ROOT, SAMPLES

HOSTILE = ROOT / "tests" / "data" / "hostile.bp"
PATHS = [*SAMPLES, HOSTILE]
NAMES = [p.name for p in PATHS]
XSD = ROOT / "tests" / "data" / "bpmn20" / "BPMN20.xsd"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")

# Recommended rules that cannot hold for a service blueprint, with the reason. A blueprint
# is not a token-flow process: it shows who does what, side by side, in each step.
DISABLED_RULES = {
    # the customer journey and a hand-off to staff leave one action together, and bpc
    # states no synchronisation; parallel gateways would invent semantics and shapes
    "no-implicit-split": "journey and hand-off leave one action together",
    "fake-join": "a hand-off back to the customer joins the journey without a gateway",
    # backstage and support work is triggered by information flows (associations here)
    # or by no stated trigger; one blank start event only is allowed
    "no-implicit-start": "work triggered by information flows or by nothing stated",
    # support systems receive work and end there; an end event after each would be noise
    "no-implicit-end": "support systems receive work and end there",
    # a support system reached only by `-->` has no sequence flow at all
    "no-disconnected": "a system reached only by an information flow",
    # in bpc any flow may say what is handed over, not only a decision's branches
    "superfluous-label": "flow labels say what is handed over",
}


def bp_of(path: Path) -> Blueprint:
    result = compile_file(path)
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    return result.blueprint


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


@pytest.fixture(scope="module", params=PATHS, ids=NAMES)
def exported(request: pytest.FixtureRequest) -> tuple[Blueprint, str]:
    bp = bp_of(request.param)
    return bp, export_bpmn(bp).text


def test_every_export_validates_against_the_bpmn_xsd(
    exported: tuple[Blueprint, str], schema: xmlschema.XMLSchema
) -> None:
    _bp, text = exported
    errors = [str(e.reason) for e in schema.iter_errors(text)]
    assert errors == []


def test_one_pool_and_the_lanes_in_zone_order(exported: tuple[Blueprint, str]) -> None:
    bp, text = exported
    root = ET.fromstring(text)
    assert len(root.findall("bpmn:collaboration/bpmn:participant", NS)) == 1
    lanes = root.findall("bpmn:process/bpmn:laneSet/bpmn:lane", NS)
    drawn = drawn_lanes(bp, compute_layout(bp))
    assert [lane.get("name") for lane in lanes] == [
        xml_label(lane_title(bp, lane)) for lane in drawn
    ]
    ys = [float(shape_bounds(root, str(lane.get("id")))["y"]) for lane in lanes]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    # lanes tile the pool: each starts where the one above ends
    pool = shape_bounds(root, "Participant_1")
    heights = [float(shape_bounds(root, str(lane.get("id")))["height"]) for lane in lanes]
    assert ys[0] == float(pool["y"])
    assert ys[-1] + heights[-1] == pytest.approx(float(pool["y"]) + float(pool["height"]))
    for y, h, below in zip(ys, heights, ys[1:], strict=False):
        assert y + h == pytest.approx(below)
    # every action is a node of its own lane, and lies inside the lane's shape
    process = root.find("bpmn:process", NS)
    assert process is not None
    for lane, element in zip(drawn, lanes, strict=True):
        refs = {ref.text for ref in element.findall("bpmn:flowNodeRef", NS)}
        box = shape_bounds(root, str(element.get("id")))
        top, bottom = float(box["y"]), float(box["y"]) + float(box["height"])
        for action in bp.actions:
            if action.lane != lane.id:
                continue
            node = node_id(bp, action.key, process)
            assert node in refs
            shape = shape_bounds(root, node)
            assert top <= float(shape["y"]) and float(shape["y"]) + float(shape["height"]) <= bottom


def shape_bounds(root: ET.Element, element: str) -> dict[str, str]:
    shapes = root.findall(f".//bpmndi:BPMNShape[@bpmnElement='{element}']/dc:Bounds", NS)
    assert len(shapes) == 1, element
    return dict(shapes[0].attrib)


def test_elements_map_as_documented(exported: tuple[Blueprint, str]) -> None:
    bp, text = exported
    process = ET.fromstring(text).find("bpmn:process", NS)
    assert process is not None
    tags = {el.get("id"): el.tag.split("}")[1] for el in process}
    for action in bp.actions:
        tag = tags[node_id(bp, action.key, process)]
        if action.decision:
            assert tag == "exclusiveGateway"
        elif action.detail is not None:
            assert tag == "callActivity"
        else:
            assert tag == "task"
    sequence = [f for f in bp.flows if f.kind is not FlowKind.INFO]
    info = [f for f in bp.flows if f.kind is FlowKind.INFO]
    flows = process.findall("bpmn:sequenceFlow", NS)
    assert len(flows) == len(sequence) + 2  # and the start and end of the journey
    directed = process.findall("bpmn:association[@associationDirection='One']", NS)
    assert len(directed) == len(info)
    notes = process.findall("bpmn:textAnnotation", NS)
    assert len(notes) == sum(len(a.fails) for a in bp.actions)
    assert len(process.findall("bpmn:dataObjectReference", NS)) == len(bp.evidence)
    assert len(process.findall("bpmn:startEvent", NS)) == 1
    for flow in flows:
        assert flow.get("sourceRef") in tags and flow.get("targetRef") in tags


def node_id(bp: Blueprint, key: str, process: ET.Element) -> str:
    """The BPMN id of an action: its bpc id (or n1, n2, …) after `Action_`."""
    node = f"Action_{xml_ids(bp)[f'action:{key}']}"
    element = process.find(f"*[@id='{node}']")
    assert element is not None and element.get("name") == xml_label(bp.action(key).label)
    return node


def test_shapes_and_edges_come_from_the_layout(exported: tuple[Blueprint, str]) -> None:
    bp, text = exported
    root = ET.fromstring(text)
    layout = compute_layout(bp)
    process = root.find("bpmn:process", NS)
    assert process is not None
    for node in layout.actions:
        bounds = shape_bounds(root, node_id(bp, node.key, process))
        assert float(bounds["x"]) == pytest.approx(node.rect.x0, abs=0.01)
        assert float(bounds["y"]) == pytest.approx(node.rect.y0, abs=0.01)
        assert float(bounds["width"]) == pytest.approx(node.rect.w, abs=0.01)
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    for route in layout.routes:
        kind = "Info" if route.kind is FlowKind.INFO else "Flow"
        edge = edges[f"{kind}_{route.index + 1}"]
        points = [
            (float(p.get("x", "")), float(p.get("y", ""))) for p in edge.iterfind("di:waypoint", NS)
        ]
        route_points = [p for part in route.parts for p in part]
        assert len(points) >= 2
        assert points[0] == pytest.approx(route_points[0], abs=0.01)
        assert points[-1] == pytest.approx(route_points[-1], abs=0.01)
        assert {(round(x, 2), round(y, 2)) for x, y in route_points} == set(points)
    # every element that a tool draws has exactly one shape or edge
    drawn = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:*", NS)}
    for element in process.iter():
        tag = element.tag.split("}")[1]
        if tag in (
            "laneSet",
            "dataObject",
            "documentation",
            "text",
            "incoming",
            "outgoing",
            "flowNodeRef",
            "process",
        ):
            continue
        assert element.get("id") in drawn, element.get("id")


def test_ids_are_unique_ascii_names_and_keep_bpc_ids() -> None:
    bp = bp_of(ROOT / "samples" / "restaurant.bp")
    root = ET.fromstring(export_bpmn(bp).text)
    ids = [el.get("id") for el in root.iter() if el.get("id") is not None]
    assert len(ids) == len(set(ids))
    assert all(NCNAME.match(str(i)) for i in ids)
    assert {"Action_greet", "Lane_host", "Flow_1", "Participant_1"} <= set(ids)


def test_cjk_ids_are_numbered_and_the_mapping_is_in_a_comment() -> None:
    bp = bp_of(ROOT / "samples" / "property-repair.zh.bp")
    result = export_bpmn(bp)
    root = ET.fromstring(result.text)
    ids = [str(el.get("id")) for el in root.iter() if el.get("id") is not None]
    assert all(NCNAME.match(i) for i in ids) and len(ids) == len(set(ids))
    assert "<!-- ids: " in result.text
    names = {el.get("name") for el in root.iter()}
    assert {a.label for a in bp.actions} <= names  # CJK labels kept as they are


def test_hostile_labels_are_text() -> None:
    bp = bp_of(HOSTILE)
    text = export_bpmn(bp).text
    comments = re.findall(r"<!--(.*?)-->", text, re.S)
    assert all("--" not in body for body in comments)  # a label cannot end a comment
    markup = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    assert "<script" not in markup and "<img" not in markup and "<svg" not in markup
    root = ET.fromstring(text)
    names = {el.get("name") for el in root.iter()}
    assert {a.label for a in bp.actions} <= names
    assert {lane.label for lane in bp.lanes if lane.declared} <= {
        n.split(" (")[0] for n in names if n
    }
    notes = [el.text or "" for el in root.iterfind(".//bpmn:textAnnotation/bpmn:text", NS)]
    assert "Fail: <img src=x onerror=alert('fail')> → recover: {{ ''.__class__.__mro__ }}" in notes
    assert root.find(".//bpmn:callActivity", NS) is not None


def test_a_label_with_every_special_character_round_trips() -> None:
    label = "<&>\"' 订餐 “引号” a--b\u0007\u2028"
    source = f'blueprint "{label.replace(chr(34), chr(92) + chr(34))}" {{ }}\nstep "s" {{\n'
    source += f'  customer a "{label.replace(chr(34), chr(92) + chr(34))}"\n}}\n'
    from blueprint_dsl.api import compile_text

    result = compile_text(source, "x.bp")
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    text = export_bpmn(result.blueprint).text
    root = ET.fromstring(text)  # well-formed, control characters gone
    task = root.find(".//bpmn:task", NS)
    assert task is not None and task.get("name") == "<&>\"' 订餐 “引号” a--b  "
    assert "&lt;&amp;&gt;&quot;'" in text


def test_called_element_is_an_xml_name() -> None:
    assert called_element("repair-detail.bp") == "repair-detail.bp"
    assert called_element("javascript:alert('detail')") == "javascript_alert_detail"
    assert called_element("//evil.example/x.bp") == "evil.example_x.bp"
    assert called_element("3.bp") == "_3.bp"
    assert called_element("详情.bp") == "_.bp"


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_bpmn_is_deterministic_and_registered(path: Path) -> None:
    first, second = export_bpmn(bp_of(path)), EXPORTERS["bpmn"](bp_of(path))
    assert first == second
    assert all("\n" not in sentence for sentence in first.lost)


def test_lost_sentences_name_what_bpmn_cannot_draw() -> None:
    lost = " ".join(export_bpmn(bp_of(ROOT / "samples" / "restaurant.bp")).lost)
    assert "line of visibility" in lost and "documentation" in lost
    assert "associations" in lost and "<->" in lost


# ----------------------------------------------------------------------------- bpmnlint


def bpmnlint() -> Path:
    modules = os.environ.get("BPC_BPMN_MODULES", "")
    return Path(modules) / ".bin" / "bpmnlint"


@pytest.mark.skipif(
    os.environ.get("BPC_BPMN") != "1",
    reason="set BPC_BPMN=1 and BPC_BPMN_MODULES=…/node_modules (bpmnlint, bpmn-js) to lint",
)
def test_bpmnlint_recommended_rules_pass(tmp_path: Path) -> None:
    rules = dict.fromkeys(DISABLED_RULES, "off")
    config = {"extends": "bpmnlint:recommended", "rules": rules}
    (tmp_path / ".bpmnlintrc").write_text(json.dumps(config), encoding="utf-8")
    files = []
    for path in PATHS:
        target = tmp_path / (path.name.removesuffix(".bp") + ".bpmn")
        target.write_text(export_bpmn(bp_of(path)).text, encoding="utf-8")
        files.append(target.name)
    completed = subprocess.run(
        [str(bpmnlint()), *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    assert "warning" not in completed.stdout, completed.stdout[-3000:]
