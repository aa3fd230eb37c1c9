"""BPMN 2.0: one pool for the service, one lane per bpc lane in zone order, laid out on
bpc's own grid (the diagram interchange, `bpmn_di`, takes every position from
`compute_layout`), so a BPMN tool opens it as bpc draws it.

The mapping (docs/interop-bpmn-drawio.md):
- actions are `task`s, decisions `exclusiveGateway`s, actions with a `detail` link
  `callActivity`s;
- `->`, `<->` and the customer journey are `sequenceFlow`s (branch labels as `name`);
  `-->` information flows are directed `association`s (BPMN has no data flow between
  activities of one pool but through data objects, and message flows need two pools);
- physical evidence is a `dataObjectReference` in the evidence lane, above its step;
- each fail point is a `textAnnotation` "Fail: X → recover: Y" associated with its action;
- phases are `group`s over their steps' columns;
- times, waits, moments, roles, metrics, notes, … are the action's `documentation`;
- one start event leads into the customer's first action and one end event follows the
  customer's last, so the journey reads as a process.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..core.version import __version__
from ..model.blueprint import Action, Blueprint, FlowKind, Zone
from ..render.layout import compute_layout
from . import bpmn_di, bpmn_text
from . import common as c
from .bpmn_ids import Ids, make_ids
from .bpmn_xml import drawn_lanes, header_comments, serialise, xml_label, xml_line
from .common import ExportResult

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NAMESPACES = {
    "xmlns:bpmn": MODEL,
    "xmlns:bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "xmlns:dc": "http://www.omg.org/spec/DD/20100524/DC",
    "xmlns:di": "http://www.omg.org/spec/DD/20100524/DI",
}
TARGET_NAMESPACE = "urn:bpc:blueprint"


def _sub(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, f"bpmn:{tag}", attrs or {})


def _named(attrs: dict[str, str], label: str | None) -> dict[str, str]:
    if label is not None and label.strip():
        attrs["name"] = xml_label(label)
    return attrs


def _documentation(parent: ET.Element, lines: list[str]) -> None:
    if lines:
        _sub(parent, "documentation").text = xml_label("\n".join(lines))


def _tag(action: Action) -> str:
    if action.decision:
        return "exclusiveGateway"
    if action.detail is not None:
        return "callActivity"
    # Plain tasks: a userTask's person icon would cover the first letters of a label
    # wrapped to bpc's box width, and the lane already says who acts.
    return "task"


def _connections(bp: Blueprint, ids: Ids) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The sequence flows into and out of each element id."""
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for index, flow in enumerate(bp.flows):
        if flow.kind is FlowKind.INFO:
            continue
        outgoing.setdefault(ids.actions[flow.source], []).append(ids.flows[index])
        incoming.setdefault(ids.actions[flow.target], []).append(ids.flows[index])
    if ids.start is not None:
        event, flow_id, key = ids.start
        outgoing.setdefault(event, []).append(flow_id)
        incoming.setdefault(ids.actions[key], []).insert(0, flow_id)
    if ids.end is not None:
        event, flow_id, key = ids.end
        outgoing.setdefault(ids.actions[key], []).append(flow_id)
        incoming.setdefault(event, []).append(flow_id)
    return incoming, outgoing


def _node(
    process: ET.Element,
    tag: str,
    attrs: dict[str, str],
    links: tuple[dict[str, list[str]], dict[str, list[str]]],
    docs: list[str] | None = None,
) -> ET.Element:
    element = _sub(process, tag, attrs)
    _documentation(element, docs or [])
    for direction, table in zip(("incoming", "outgoing"), links, strict=True):
        for flow_id in table.get(attrs["id"], []):
            _sub(element, direction).text = flow_id
    return element


def _process(bp: Blueprint, ids: Ids) -> ET.Element:
    process = ET.Element(
        "bpmn:process",
        _named({"id": "Process_1", "isExecutable": "false"}, bp.header.title),
    )
    lane_set = _sub(process, "laneSet", {"id": "LaneSet_1"})
    members: dict[str, list[str]] = {lane.id: [] for lane in ids.drawn}
    for action in bp.actions:
        members[action.lane].append(ids.actions[action.key])
    customer = next((lane.id for lane in ids.drawn if lane.zone is Zone.CUSTOMER), None)
    for events in (ids.start, ids.end):
        if events is not None:
            lane_id = bp.action(events[2]).lane
            members[customer if customer is not None else lane_id].append(events[0])
    for lane in ids.drawn:
        element = _sub(lane_set, "lane", _named({"id": ids.lanes[lane.id]}, c.lane_title(bp, lane)))
        for member in members[lane.id]:
            _sub(element, "flowNodeRef").text = member
    links = _connections(bp, ids)
    words = bpmn_text.words(bp)
    if ids.start is not None:
        _node(process, "startEvent", {"id": ids.start[0], "name": words.start}, links)
    for action in bp.actions:
        attrs = _named({"id": ids.actions[action.key]}, action.label)
        tag = _tag(action)
        if tag == "callActivity" and action.detail is not None:
            attrs["calledElement"] = bpmn_text.called_element(action.detail)
        _node(process, tag, attrs, links, bpmn_text.action_documentation(action))
    if ids.end is not None:
        _node(process, "endEvent", {"id": ids.end[0], "name": words.end}, links)
    for index, flow in enumerate(bp.flows):
        if flow.kind is FlowKind.INFO:
            continue
        attrs = {
            "id": ids.flows[index],
            "sourceRef": ids.actions[flow.source],
            "targetRef": ids.actions[flow.target],
        }
        _sub(process, "sequenceFlow", _named(attrs, flow.label))
    for events, forward in ((ids.start, True), (ids.end, False)):
        if events is not None:
            event, flow_id, key = events
            ends = (event, ids.actions[key]) if forward else (ids.actions[key], event)
            _sub(
                process, "sequenceFlow", {"id": flow_id, "sourceRef": ends[0], "targetRef": ends[1]}
            )
    for index, item in enumerate(bp.evidence):
        data = f"{ids.evidence[index]}_object"
        _sub(process, "dataObject", {"id": data})
        attrs = {"id": ids.evidence[index], "dataObjectRef": data}
        _sub(process, "dataObjectReference", _named(attrs, item.label))
    _artifacts(bp, ids, process)
    return process


def _artifacts(bp: Blueprint, ids: Ids, process: ET.Element) -> None:
    fails = [(action, fail) for action in bp.actions for fail in action.fails]
    for (note, link, key), (_action, fail) in zip(ids.fails, fails, strict=True):
        annotation = _sub(process, "textAnnotation", {"id": note})
        _sub(annotation, "text").text = xml_label(bpmn_text.fail_text(bp, fail))
        attrs = {"id": link, "sourceRef": ids.actions[key], "targetRef": note}
        _sub(process, "association", attrs)
    for index, flow in enumerate(bp.flows):
        if flow.kind is FlowKind.INFO:
            attrs = {
                "id": ids.flows[index],
                "sourceRef": ids.actions[flow.source],
                "targetRef": ids.actions[flow.target],
                "associationDirection": "One",
            }
            _sub(process, "association", attrs)
    for phase_id in ids.phases:
        _sub(process, "group", {"id": phase_id, "categoryValueRef": f"{phase_id}_value"})


def _definitions(bp: Blueprint, ids: Ids) -> ET.Element:
    root = ET.Element(
        "bpmn:definitions",
        {
            **NAMESPACES,
            "id": "Definitions_1",
            "targetNamespace": TARGET_NAMESPACE,
            "exporter": "bpc",
            "exporterVersion": __version__,
        },
    )
    if bp.phases:
        category = _sub(root, "category", {"id": "Phases"})
        for phase_id, phase in zip(ids.phases, bp.phases, strict=True):
            attrs = {"id": f"{phase_id}_value", "value": xml_line(phase.label)}
            _sub(category, "categoryValue", attrs)
    collaboration = _sub(root, "collaboration", {"id": "Collaboration_1"})
    _documentation(collaboration, bpmn_text.header_documentation(bp))
    participant = {"id": "Participant_1", "processRef": "Process_1"}
    _sub(collaboration, "participant", _named(participant, bp.header.title))
    root.append(_process(bp, ids))
    return root


def export_bpmn(bp: Blueprint) -> ExportResult:
    layout = compute_layout(bp)
    ids, renamed = make_ids(bp, drawn_lanes(bp, layout))
    root = _definitions(bp, ids)
    root.append(bpmn_di.diagram(bp, layout, ids))
    text = serialise(root, header_comments(bp, renamed))
    return ExportResult(text, tuple(bpmn_text.lost(bp, renamed)))
