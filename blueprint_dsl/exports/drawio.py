"""draw.io (diagrams.net): an uncompressed `<mxfile>` laid out on bpc's own grid.

Every lane is a container rectangle across the whole width, in zone order, holding its
actions (rounded boxes), decisions (rhombi), evidence and markers (fail octagons, wait
ovals, moment stars, detail marks) at their places relative to the lane; the three lines
are label-carrying edges across the width; the title, phase bands and step headers are
shapes above the lanes; every flow is an edge with bpc's waypoints (solid `->`, dashed
`-->`, two heads for `<->`, bold for encounters) and fixed exit and entry points. Colours
are the default theme's. Labels are plain text (`html=0`); the XML serialiser escapes them.
"""

from __future__ import annotations

import html
import math
import textwrap
import xml.etree.ElementTree as ET
from itertools import pairwise

from ..model.blueprint import Blueprint
from ..render.geometry import Layout, Point, Rect
from ..render.layout import compute_layout
from ..render.themes import DEFAULT, Theme
from . import common as c
from . import drawio_style as s
from .bpmn_xml import drawn_lanes, header_comments, num, serialise, xml_ids, xml_label
from .common import ExportResult

# Labels are plain text (html=0), which draw.io does not wrap: every label carries bpc's
# own line breaks (the layout's wrapped lines); a lane's name is wrapped to its column.
LANE_CHARS = 28


class Cells:
    """The `<root>` of the model, and where each cell sits (for relative geometry)."""

    def __init__(self) -> None:
        self.root = ET.Element("root")
        ET.SubElement(self.root, "mxCell", {"id": "0"})
        ET.SubElement(self.root, "mxCell", {"id": "1", "parent": "0"})
        self.origin: dict[str, Point] = {"1": (0.0, 0.0)}

    def vertex(
        self,
        cell_id: str,
        value: str,
        style: str,
        rect: Rect,
        parent: str = "1",
        tooltip: str | None = None,
        container: bool = False,
    ) -> None:
        ox, oy = self.origin[parent]
        attrs = {"id": cell_id, "value": xml_label(value), "style": style, "vertex": "1"}
        cell = self._cell(attrs, parent, tooltip)
        ET.SubElement(
            cell,
            "mxGeometry",
            {
                "x": num(rect.x0 - ox),
                "y": num(rect.y0 - oy),
                "width": num(rect.w),
                "height": num(rect.h),
                "as": "geometry",
            },
        )
        if container:
            self.origin[cell_id] = (rect.x0, rect.y0)

    def edge(
        self,
        cell_id: str,
        value: str,
        style: str,
        ends: tuple[str, str] | tuple[Point, Point],
        points: list[Point],
        tooltip: str | None = None,
        label_at: tuple[float, Point] | None = None,
    ) -> None:
        """An edge; `label_at` = (position along it from -1 to 1, offset from there)."""
        attrs = {"id": cell_id, "value": xml_label(value), "style": style, "edge": "1"}
        source, target = ends
        if isinstance(source, str) and isinstance(target, str):
            attrs["source"], attrs["target"] = source, target
        cell = self._cell(attrs, "1", tooltip)
        geometry = ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
        if label_at is not None:
            geometry.set("x", num(label_at[0]))
        if not isinstance(source, str) and not isinstance(target, str):
            for point, role in ((source, "sourcePoint"), (target, "targetPoint")):
                ET.SubElement(
                    geometry, "mxPoint", {"x": num(point[0]), "y": num(point[1]), "as": role}
                )
        if points:
            array = ET.SubElement(geometry, "Array", {"as": "points"})
            for x, y in points:
                ET.SubElement(array, "mxPoint", {"x": num(x), "y": num(y)})
        if label_at is not None:
            dx, dy = label_at[1]
            ET.SubElement(geometry, "mxPoint", {"x": num(dx), "y": num(dy), "as": "offset"})

    def _cell(self, attrs: dict[str, str], parent: str, tooltip: str | None) -> ET.Element:
        if tooltip is None:
            return ET.SubElement(self.root, "mxCell", {**attrs, "parent": parent})
        # A tooltip needs a UserObject around the cell: it carries the id and the label.
        # draw.io shows a tooltip as (sanitised) HTML, so its text is HTML-escaped as well.
        tip = html.escape(xml_label(tooltip), quote=False)
        wrapper = ET.SubElement(
            self.root,
            "UserObject",
            {"id": attrs.pop("id"), "label": attrs.pop("value"), "tooltip": tip},
        )
        return ET.SubElement(wrapper, "mxCell", {**attrs, "parent": parent})


def _header(cells: Cells, layout: Layout, theme: Theme) -> None:
    title = layout.title
    cells.vertex("title", "\n".join(title.lines), s.text_style(theme, 14, bold=True), title.rect)
    if layout.subtitle is not None:
        sub = layout.subtitle
        cells.vertex("subtitle", "\n".join(sub.lines), s.text_style(theme, 10), sub.rect)
    for number, phase in enumerate(layout.phases, 1):
        style = s.box_style(theme.phase_fill, theme.phase_fill, theme.phase_text, phase.text.size)
        cells.vertex(f"phase_{number}", "\n".join(phase.text.lines), style, phase.text.rect)
    for step in layout.steps:
        style = s.box_style(theme.step_fill, theme.step_fill, theme.step_text, step.text.size)
        cells.vertex(f"step_{step.index}", "\n".join(step.text.lines), style, step.text.rect)


def _lines(cells: Cells, layout: Layout, theme: Theme) -> None:
    for mark in layout.lines:
        ends = ((mark.x0, mark.y), (mark.x1, mark.y))
        at = _label_at(list(ends), mark.labels[0].rect) if mark.labels else None
        style = s.line_style(theme, mark.line)
        cells.edge(f"line_{mark.line.value}", mark.name, style, ends, [], label_at=at)


def export_drawio(bp: Blueprint, theme: Theme = DEFAULT) -> ExportResult:
    layout = compute_layout(bp)
    names = xml_ids(bp)
    lanes = drawn_lanes(bp, layout)
    lane_ids = {lane.id: f"lane_{names[f'lane:{lane.id}']}" for lane in lanes}
    action_ids = {a.key: f"action_{names[f'action:{a.key}']}" for a in bp.actions}
    cells = Cells()
    _header(cells, layout, theme)
    bands = {band.lane_id: band for band in layout.bands}
    for lane in lanes:
        band = bands[lane.id]
        colors = theme.zone(band.zone)
        fill = colors.alt_fill if band.alternate else colors.fill
        style = s.lane_style(fill, colors.label)
        title = "\n".join(textwrap.wrap(c.lane_title(bp, lane), LANE_CHARS)) or lane.id
        cells.vertex(lane_ids[lane.id], title, style, band.rect, container=True)
    evidence_lane = lane_ids.get("evidence", "1")
    for item in layout.evidence:
        cells.vertex(
            f"evidence_{names[f'evidence:{item.index}']}",
            "\n".join(item.text.lines),
            s.evidence_style(theme),
            item.rect,
            evidence_lane,
        )
    lane_of = {a.key: lane_ids[a.lane] for a in bp.actions}
    for node in layout.actions:
        cells.vertex(
            action_ids[node.key],
            "\n".join(node.text.lines),
            s.action_style(theme, node.shape == "diamond"),
            node.rect,
            lane_of[node.key],
            tooltip=node.tooltip,
        )
    counts: dict[str, int] = {}
    for marker in layout.markers:
        counts[marker.owner] = counts.get(marker.owner, 0) + 1
        marker_id = f"{action_ids[marker.owner]}_{marker.kind}_{counts[marker.owner]}"
        cells.vertex(
            marker_id,
            marker.text,
            s.marker_style(theme, marker.kind, marker.size),
            marker.rect,
            lane_of[marker.owner],
            tooltip=marker.tooltip,
        )
    _lines(cells, layout, theme)
    for route in layout.routes:
        points = [p for part in route.parts for p in part]
        flow = bp.flows[route.index]
        source, target = bp.action(flow.source), bp.action(flow.target)
        boxes = {n.key: n.rect for n in layout.actions}
        style = s.flow_style(theme, route.kind, route.implicit, route.encounter)
        style += s.anchors(boxes[source.key], boxes[target.key], points)
        cells.edge(
            f"flow_{route.index + 1}",
            flow.label or "",
            style,
            (action_ids[source.key], action_ids[target.key]),
            _interior(points),
            tooltip=route.tooltip,
            label_at=_label_at(points, route.label.rect) if route.label and flow.label else None,
        )
    model = ET.Element("mxGraphModel", s.model_attrs(layout))
    model.append(cells.root)
    mxfile = ET.Element("mxfile", {"host": "bpc", "type": "device"})
    diagram = ET.SubElement(
        mxfile, "diagram", {"id": "blueprint", "name": xml_label(c.plain(bp.header.title))}
    )
    diagram.append(model)
    renamed = c.renamed(bp, names)
    text = serialise(mxfile, header_comments(bp, renamed))
    return ExportResult(text, tuple(_lost(bp, renamed)))


def _label_at(points: list[Point], label: Rect) -> tuple[float, Point]:
    """Where bpc put a label, as draw.io places edge labels: the relative position of the
    nearest point of the polyline (-1 at the source, 1 at the target) and the offset from
    that point to the label's centre."""
    best: tuple[float, float, Point] | None = None  # (distance², length so far, point)
    walked = 0.0
    for (x0, y0), (x1, y1) in pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        share = 0.0
        if length:
            along = (label.cx - x0) * (x1 - x0) + (label.cy - y0) * (y1 - y0)
            share = min(1.0, max(0.0, along / (length * length)))
        near = (x0 + share * (x1 - x0), y0 + share * (y1 - y0))
        distance = (label.cx - near[0]) ** 2 + (label.cy - near[1]) ** 2
        if best is None or distance < best[0]:
            best = (distance, walked + share * length, near)
        walked += length
    if best is None or not walked:
        return 0.0, (0.0, 0.0)
    _distance, at, near = best
    return 2 * at / walked - 1, (label.cx - near[0], label.cy - near[1])


def _interior(points: list[Point]) -> list[Point]:
    """The bends of a route: every point but the two ends, without repeats."""
    inner: list[Point] = []
    for point in points[1:-1]:
        if not inner or inner[-1] != point:
            inner.append(point)
    return inner


def _lost(bp: Blueprint, renamed: list[tuple[str, str]]) -> list[str]:
    from . import losses

    sentences = losses.lost_sentences(
        bp, "draw.io", [losses.EMOTIONS, losses.METRICS, losses.COSTS, losses.DETAILS]
    )
    sentences.append(
        "Durations, standards, waits, roles, notes, fail-point texts and recoveries are "
        "tooltips of the actions and markers, not text in the drawing; the legend is not drawn."
    )
    sentence = losses.renamed_sentence(renamed, "draw.io")
    if sentence:
        sentences.append(sentence)
    return [c.plain(sentence) for sentence in sentences]
