"""BPMN diagram interchange: every shape and edge where bpc's own layout puts it.

The pool spans the lane bands of `compute_layout` (its name in the 30-point strip at the
left, as BPMN tools draw it); each lane keeps its band's y and height; actions, decisions
and evidence keep their rectangles, so step columns keep their x; every flow keeps the
waypoints of its orthogonal route; branch labels and decision labels keep their places.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

from ..model.blueprint import Blueprint, FlowKind
from ..render.geometry import Layout, Point, Rect
from .bpmn_ids import Ids
from .bpmn_text import fail_text
from .bpmn_xml import num

POOL_HEADER = 30.0  # the strip where BPMN tools write the pool's name
EVENT = 36.0  # the standard size of a start or end event
ICON_W = 20.0  # a data object drawn beside its label, to fit two in a row of evidence
NOTE_W = 150.0
NOTE_LINE = 14.0
NOTE_CHARS = 24  # characters per line of a fail-point annotation, roughly


def _bounds(parent: ET.Element, rect: Rect) -> None:
    ET.SubElement(
        parent,
        "dc:Bounds",
        {"x": num(rect.x0), "y": num(rect.y0), "width": num(rect.w), "height": num(rect.h)},
    )


def _shape(
    plane: ET.Element, element: str, rect: Rect, label: Rect | None = None, **extra: str
) -> None:
    shape = ET.SubElement(
        plane, "bpmndi:BPMNShape", {"id": f"DI_{element}", "bpmnElement": element, **extra}
    )
    _bounds(shape, rect)
    if label is not None:
        _bounds(ET.SubElement(shape, "bpmndi:BPMNLabel"), label)


def _edge(plane: ET.Element, element: str, points: list[Point], label: Rect | None) -> None:
    edge = ET.SubElement(plane, "bpmndi:BPMNEdge", {"id": f"DI_{element}", "bpmnElement": element})
    for x, y in points:
        ET.SubElement(edge, "di:waypoint", {"x": num(x), "y": num(y)})
    if label is not None:
        _bounds(ET.SubElement(edge, "bpmndi:BPMNLabel"), label)


def _joined(parts: tuple[tuple[Point, ...], ...]) -> list[Point]:
    """The parts of a route (split around its label) as one polyline."""
    points: list[Point] = []
    for part in parts:
        for point in part:
            if not points or points[-1] != point:
                points.append(point)
    return points


def _note_rect(anchor: Rect, box: Rect, band: Rect, text: str, taken: list[Rect]) -> Rect:
    """Where a fail point's annotation goes: right of its F marker, else below, left of or
    above its action, then higher or lower beside it: the first place that stays in the
    lane and clear of every other shape (the first one if none does)."""
    h = max(1, -(-len(text) // NOTE_CHARS)) * NOTE_LINE + 4
    candidates = [
        Rect(anchor.x1 + 6, anchor.y0, anchor.x1 + 6 + NOTE_W, anchor.y0 + h),
        Rect(box.x0, box.y1 + 4, box.x0 + NOTE_W, box.y1 + 4 + h),
        Rect(box.x0 - 8 - NOTE_W, box.y0, box.x0 - 8, box.y0 + h),
        Rect(box.x0, box.y0 - 4 - h, box.x0 + NOTE_W, box.y0 - 4),
    ]
    # then beside the action higher or lower in the lane, in steps of 8 points
    for base in (candidates[0], candidates[2]):
        y = band.y0 + 2
        while y + h <= band.y1:
            candidates.append(Rect(base.x0, y, base.x1, y + h))
            y += 8
    left = band.x0 + 2 * POOL_HEADER + 4  # clear of the pool's and the lane's name strips
    for rect in candidates:
        inside = band.y0 <= rect.y0 and rect.y1 <= band.y1 and left <= rect.x0
        if inside and not any(rect.overlaps(other) for other in taken):
            return rect
    return candidates[0]


def _segment(a: Point, b: Point) -> Rect:
    """A run of a route as a thin rectangle, so that annotations keep off it."""
    return Rect(min(a[0], b[0]) - 2, min(a[1], b[1]) - 2, max(a[0], b[0]) + 2, max(a[1], b[1]) + 2)


def _link(anchor: Rect, box: Rect, note: Rect) -> list[Point]:
    """The association from an action to its fail note: from the F marker to a note on the
    right, otherwise from the side of the box that faces the note."""
    if note.x0 >= anchor.x1:
        return [(anchor.x1, anchor.cy), (note.x0, note.cy)]
    if note.x1 <= box.x0:
        y = min(max(note.cy, box.y0 + 4), box.y1 - 4)
        return [(box.x0, y), (note.x1, y)]
    x = min(max(box.cx, note.x0 + 4), note.x1 - 4)
    if note.y0 >= box.y1:
        return [(x, box.y1), (x, note.y0)]
    return [(x, box.y0), (x, note.y1)]


def diagram(bp: Blueprint, layout: Layout, ids: Ids) -> ET.Element:
    root = ET.Element("bpmndi:BPMNDiagram", {"id": "BPMNDiagram_1"})
    plane = ET.SubElement(
        root, "bpmndi:BPMNPlane", {"id": "BPMNPlane_1", "bpmnElement": "Collaboration_1"}
    )
    bands = {band.lane_id: band.rect for band in layout.bands}
    top = min((r.y0 for r in bands.values()), default=0.0)
    bottom = max((r.y1 for r in bands.values()), default=top + 80.0)
    _shape(plane, "Participant_1", Rect(0, top, layout.width, bottom), isHorizontal="true")
    # Lanes tile the pool: a lane reaches down to the next one, over any row bpc draws
    # between bands (such as an emotion curve), which BPMN has no place for.
    order = [bands[lane.id] for lane in ids.drawn]
    for lane, band, below in zip(ids.drawn, order, [*order[1:], None], strict=True):
        rect = Rect(POOL_HEADER, band.y0, layout.width, below.y0 if below else band.y1)
        _shape(plane, ids.lanes[lane.id], rect, isHorizontal="true")
    for phase_id, phase in zip(ids.phases, layout.phases, strict=True):
        rect = phase.text.rect
        _shape(plane, phase_id, Rect(rect.x0, top + 2, rect.x1, bottom - 2), rect)
    boxes = {node.key: node for node in layout.actions}
    for action in bp.actions:
        node = boxes[action.key]
        if action.decision:
            _shape(
                plane, ids.actions[action.key], node.rect, node.text.rect, isMarkerVisible="false"
            )
        else:
            _shape(plane, ids.actions[action.key], node.rect)
    for item in layout.evidence:
        r = item.rect
        icon = Rect(r.x0, r.y0, r.x0 + ICON_W, r.y1)
        _shape(plane, ids.evidence[item.index], icon, Rect(r.x0 + ICON_W + 4, r.y0, r.x1, r.y1))
    events: list[tuple[str, str, list[Point]]] = []
    if ids.start is not None:
        event, flow_id, key = ids.start
        box = boxes[key].rect
        rect = Rect.around(box.x0 - EVENT, box.cy, EVENT, EVENT)
        _shape(plane, event, rect, Rect(rect.x0 - 12, rect.y1 + 2, rect.x1 + 12, rect.y1 + 16))
        events.append((flow_id, "start", [(rect.x1, box.cy), (box.x0, box.cy)]))
    if ids.end is not None:
        event, flow_id, key = ids.end
        box = boxes[key].rect
        right = max((s.text.rect.x1 for s in layout.steps), default=box.x1)
        rect = Rect.around(right + EVENT, box.cy, EVENT, EVENT)
        _shape(plane, event, rect, Rect(rect.x0 - 12, rect.y1 + 2, rect.x1 + 12, rect.y1 + 16))
        events.append((flow_id, "end", [(box.x1, box.cy), (rect.x0, box.cy)]))
    fails = [(action, fail) for action in bp.actions for fail in action.fails]
    fail_marks = {m.owner: m.rect for m in layout.markers if m.kind == "fail"}
    taken = [node.rect for node in layout.actions] + [item.rect for item in layout.evidence]
    taken += [_segment(a, b) for route in layout.routes for a, b in pairwise(_joined(route.parts))]
    links: list[tuple[str, list[Point]]] = []
    for (note, link, key), (action, fail) in zip(ids.fails, fails, strict=True):
        box = boxes[key].rect
        anchor = fail_marks.get(key, box)
        band = bands[action.lane]
        rect = _note_rect(anchor, box, band, fail_text(bp, fail), taken)
        taken.append(rect)
        _shape(plane, note, rect)
        links.append((link, _link(anchor, box, rect)))
    # Edges after every shape, so tools draw them on top.
    routes = {route.index: route for route in layout.routes}
    for index, flow in enumerate(bp.flows):
        route = routes.get(index)
        if route is not None and route.parts:
            points = _joined(route.parts)
            label = route.label.rect if route.label is not None and flow.label else None
        else:
            a, b = boxes[flow.source].rect, boxes[flow.target].rect
            points, label = [(a.cx, a.cy), (b.cx, b.cy)], None
        if flow.kind is FlowKind.INFO:
            label = None
        _edge(plane, ids.flows[index], points, label)
    for flow_id, _kind, points in events:
        _edge(plane, flow_id, points, None)
    for link, points in links:
        _edge(plane, link, points, None)
    return root
