"""Mark a visual diff on the new blueprint's SVG: recolour, badges and ghosts.

The drawing is the one `bpc render` makes (render.pipeline and render.svg_post); this
pass finds its parts by their ids only — actions `action-<key>`, flows by the group that
holds `flow-<n>` / `bp-flow-<n>` (the readable `flow-<source>-<target>` wraps it),
evidence `bp-evidence-<n>`, steps `step-<n>` — never by their order, and:

- gives added parts a green outline and a "+" badge, changed ones amber and "~";
- draws the removed actions and flows as dashed red ghosts with a "−" badge (visual_ghosts
  says where), on top of the drawing in an overlay group `vd-overlay`.

Graphviz writes a layout point (x, y) at (x + dx, y + dy) inside the graph group; the
offset is measured on the drawing itself (an action's box against its layout rect).
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

from ..model.blueprint import FlowKind
from ..render.dot_canvas import num
from ..render.geometry import Layout, Point, Rect
from ..render.svg_post import END, SVG_NS
from .visual_ghosts import Ghost, GhostFlow
from .visual_marks import Marks
from .visual_style import GHOST_DASH, OUTLINE, STATES, StateStyle

S = f"{{{SVG_NS}}}"
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_SHAPES = ("path", "polygon", "ellipse", "polyline", "rect")
_TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+)[\s,]+(-?[\d.]+)\s*\)")
_SLUG = re.compile(r"[^\w-]+")
BADGE_R = 8.0


def middle(segments: list[tuple[Point, Point]]) -> Point:
    """The middle of the longest of `segments` (axis-parallel)."""
    a, b = max(segments, key=lambda s: abs(s[0][0] - s[1][0]) + abs(s[0][1] - s[1][1]))
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


def el(parent: ET.Element, tag: str, attrs: dict[str, str], text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, S + tag, attrs)
    if text is not None:
        node.text = text
    return node


def _bbox(g: ET.Element) -> Rect | None:
    xs: list[float] = []
    ys: list[float] = []
    for shape in g.iter():
        tag = shape.tag.removeprefix(S)
        data = (
            shape.get("d") if tag == "path" else shape.get("points") if tag == "polygon" else None
        )
        if data:
            values = [float(v) for v in _NUM.findall(data)]
            xs += values[0::2]
            ys += values[1::2]
    if not xs or not ys:
        return None
    return Rect(min(xs), min(ys), max(xs), max(ys))


class Marker:
    """The drawing's groups by id, the layout-to-SVG offset, and the overlay group."""

    def __init__(
        self,
        root: ET.Element,
        layout: Layout,
        font: str,
        ids: tuple[list[str], list[str]] = ([], []),
    ) -> None:
        self.root, self.layout, self.font = root, layout, font
        # the drawing's readable ids of the flows and evidence, by index (svg_post.element_ids)
        self.flow_ids, self.evidence_ids = ids
        self.groups: dict[str, ET.Element] = {}
        self.parent: dict[str, ET.Element] = {}  # inner group id -> the group around it
        for g in root.iter(S + "g"):
            for child in g:
                if child.tag == S + "g" and child.get("id"):
                    self.parent[child.get("id", "")] = g
            if g.get("id"):
                self.groups[g.get("id", "")] = g
        self.used = {e.get("id", "") for e in root.iter() if e.get("id")}
        graph = next((g for g in root.iter(S + "g") if "graph" in g.get("class", "").split()), root)
        self.graph = graph
        self.dx, self.dy = self._offset()
        shift = _TRANSLATE.search(graph.get("transform", ""))
        self.tx, self.ty = (float(shift[1]), float(shift[2])) if shift else (0.0, 0.0)
        self.bottom = 0.0  # the lowest layout y the overlay draws at
        self.overlay = el(graph, "g", {"id": self.take("vd-overlay"), "class": "vd-overlay"})
        self.badges: list[Rect] = []
        self.nodes = {a.key: a for a in layout.actions}
        self.routes = {r.index: r for r in layout.routes}
        self.ends = [p for r in layout.routes for part in r.parts for p in (part[0], part[-1])]
        self.markers = [m.rect for m in layout.markers]
        self.labels: list[tuple[Rect, ET.Element]] = []  # flow labels by their box
        for g in root.iter(S + "g"):
            box = _bbox(g) if "bp-flow-label" in g.get("class", "").split() else None
            if box is not None:
                self.labels.append((box, g))

    def _offset(self) -> tuple[float, float]:
        lay = self.layout
        pairs = [(f"action-{a.key}", a.rect) for a in lay.actions]
        pairs += [(f"step-{s.index}", s.text.rect) for s in lay.steps]
        for ident, rect in pairs:
            g = self.groups.get(ident)
            box = _bbox(g) if g is not None else None
            if box is not None and abs(box.w - rect.w) < 1 and abs(box.h - rect.h) < 1:
                return box.x0 - rect.x0, box.y0 - rect.y0
        return 0.0, -lay.height

    def take(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.used:
            ident, n = f"{base}-{n}", n + 1
        self.used.add(ident)
        return ident

    def pt(self, p: Point) -> tuple[str, str]:
        return num(round(p[0] + self.dx, 2)), num(round(p[1] + self.dy, 2))

    # -- restyling ------------------------------------------------------------------------
    def restyle(self, g: ET.Element, state: StateStyle, fill: bool, width: float) -> None:
        g.set("class", f"{g.get('class', '')} vd-{state.name}".strip())
        for shape in g.iter():
            if shape.tag.removeprefix(S) not in _SHAPES:
                continue
            if shape.get("stroke") not in (None, "none", "transparent"):
                shape.set("stroke", state.stroke)
                shape.set("stroke-width", num(width))
            if shape.get("fill") not in (None, "none", "transparent"):
                shape.set("fill", state.fill if fill else state.stroke)

    def action(self, key: str, state: StateStyle) -> None:
        g = self.groups.get(f"action-{key}")
        node = self.nodes.get(key)
        if g is None or node is None:
            return
        self.restyle(g, state, True, OUTLINE)
        self.badge(self._badge_spot(node.rect), state)

    def flow(self, index: int, state: StateStyle) -> None:
        route = self.routes.get(index)
        found = False
        ident = self.flow_ids[index] if index < len(self.flow_ids) else None
        for gid in (ident, f"{ident}{END}") if ident is not None else ():
            g = self.groups.get(gid)
            if g is not None and "edge" in g.get("class", "").split():
                self.restyle(g, state, False, 3.0)
                found = True
        if not found or route is None:
            return
        if route.label is not None:  # its label box, found by where it is drawn
            r = route.label.rect
            for box, g in self.labels:
                if abs(box.x0 - r.x0 - self.dx) < 1.5 and abs(box.y0 - r.y0 - self.dy) < 1.5:
                    self.restyle(g, state, True, 1.5)
        segs = [(p[i], p[i + 1]) for p in route.parts for i in range(len(p) - 1)]
        spot = self._free_middle(segs, fallback=False) if segs else None
        if spot is None and route.label is not None:  # on the corner of its label
            spot = (route.label.rect.x1, route.label.rect.y0)
        if spot is not None or segs:
            self.badge(spot or middle(segs), state)

    def step(self, index: int, state: StateStyle) -> None:
        g = self.groups.get(f"step-{index}")
        header = next((s for s in self.layout.steps if s.index == index), None)
        if g is None or header is None:
            return
        self.restyle(g, state, True, 2.5)
        for text in g.iter(S + "text"):
            text.set("fill", state.text)
        r = header.text.rect
        self.badge((r.x0 + BADGE_R + 4, r.cy), state)

    def evidence(self, index: int, state: StateStyle) -> None:
        ident = self.evidence_ids[index] if index < len(self.evidence_ids) else None
        g = self.groups.get(ident) if ident is not None else None
        node = next((e for e in self.layout.evidence if e.index == index), None)
        if g is None or node is None:
            return
        self.restyle(g, state, True, 2.5)
        self.badge((node.rect.x0, node.rect.y0), state)

    # -- badges and ghosts ----------------------------------------------------------------
    def _badge_spot(self, r: Rect) -> Point:
        """A corner or side of box `r` free of its badges (markers) and flow ends."""
        taken = self.markers + self.badges
        ends = self.ends
        spots = [(r.x0, r.y0), (r.x1, r.y1), (r.x1, r.y0), (r.x0, r.y1), (r.x0, r.cy), (r.x1, r.cy)]
        for spot in spots:
            disc = Rect.around(spot[0], spot[1], 2 * BADGE_R + 2, 2 * BADGE_R + 2)
            if any(disc.overlaps(t) for t in taken):
                continue
            if any(disc.x0 <= x <= disc.x1 and disc.y0 <= y <= disc.y1 for x, y in ends):
                continue
            return spot
        return (r.x0 + BADGE_R + 3, r.y0 + BADGE_R + 3)

    def badge(
        self, at: Point, state: StateStyle, parent: ET.Element | None = None, glyph: str = ""
    ) -> None:
        self.badges.append(Rect.around(at[0], at[1], 2 * BADGE_R, 2 * BADGE_R))
        g = el(
            parent if parent is not None else self.overlay,
            "g",
            {"class": f"vd-badge vd-{state.name}"},
        )
        x, y = self.pt(at)
        disc = {"fill": state.stroke, "stroke": "#ffffff", "stroke-width": "1.5"}
        if state.name == "changed":  # a diamond: the states differ in shape too
            r = BADGE_R + 1.5
            corners = [
                (at[0], at[1] - r),
                (at[0] + r, at[1]),
                (at[0], at[1] + r),
                (at[0] - r, at[1]),
            ]
            el(g, "polygon", {"points": " ".join(",".join(self.pt(p)) for p in corners), **disc})
        else:
            el(g, "circle", {"cx": x, "cy": y, "r": num(BADGE_R), **disc})
        _, base = self.pt((at[0], at[1] + 4.3))
        el(
            g,
            "text",
            {
                "x": x,
                "y": base,
                "text-anchor": "middle",
                "font-family": self.font,
                "font-size": "13",
                "font-weight": "bold",
                "fill": state.badge_text,
            },
            glyph or state.badge,
        )

    def ghost(self, ghost: Ghost) -> None:
        state = STATES["removed"]
        ident = self.take("ghost-action-" + (_SLUG.sub("", ghost.key) or "x"))
        g = el(self.overlay, "g", {"id": ident, "class": "vd-ghost vd-ghost-action vd-removed"})
        el(g, "title", {}, f"removed: {ghost.label}")
        r = ghost.rect
        style = {
            "fill": state.fill,
            "fill-opacity": "0.94",
            "stroke": state.stroke,
            "stroke-width": "2",
            "stroke-dasharray": GHOST_DASH,
        }
        if ghost.diamond:
            corners = [(r.cx, r.y0), (r.x1, r.cy), (r.cx, r.y1), (r.x0, r.cy)]
            el(g, "polygon", {"points": " ".join(",".join(self.pt(p)) for p in corners), **style})
        else:
            x, y = self.pt((r.x0, r.y0))
            el(
                g,
                "rect",
                {"x": x, "y": y, "width": num(r.w), "height": num(r.h), "rx": "6", **style},
            )
        step = ghost.size * 1.25
        first = r.cy - step * (len(ghost.lines) - 1) / 2 + ghost.size * 0.35
        text = el(
            g,
            "text",
            {
                "text-anchor": "middle",
                "font-family": self.font,
                "font-size": num(ghost.size),
                "fill": state.text,
            },
        )
        for n, line in enumerate(ghost.lines):
            x, y = self.pt((r.cx, first + n * step))
            el(text, "tspan", {"x": x, "y": y}, line + (" " if n + 1 < len(ghost.lines) else ""))
        if ghost.pin is None:
            self.badge((r.x0, r.y0), state, g)
            return
        self.badge((r.x0, r.y0), state, g, str(ghost.number))
        pin = el(self.overlay, "g", {"class": "vd-ghost vd-ghost-pin vd-removed"})
        el(pin, "title", {}, f"removed: {ghost.label} (drawn below the blueprint, {ghost.number})")
        self.badge((ghost.pin.cx, ghost.pin.cy), state, pin, str(ghost.number))
        self.bottom = max(self.bottom, r.y1 + 12)

    def strip_label(self, ghosts: list[Ghost]) -> None:
        """The caption of the row of set-aside ghosts, and room for it in the viewBox."""
        aside = [g for g in ghosts if g.pin is not None]
        if not aside:
            return
        x, y = self.pt((aside[0].rect.x0, aside[0].rect.y0 - 8))
        el(
            self.overlay,
            "text",
            {
                "x": x,
                "y": y,
                "font-family": self.font,
                "font-size": "11",
                "fill": STATES["removed"].text,
                "class": "vd-strip-label",
            },
            "Removed where there is no room now (numbered pins show where they were):",
        )
        bottom = self.bottom + self.dy + self.ty
        vb = [float(v) for v in self.root.get("viewBox", "0 0 0 0").split()]
        if len(vb) == 4 and bottom > vb[1] + vb[3]:
            vb[3] = bottom - vb[1]
            self.root.set("viewBox", " ".join(num(round(v, 2)) for v in vb))

    def ghost_flow(self, flow: GhostFlow) -> None:
        state = STATES["removed"]
        base = f"ghost-flow-{_SLUG.sub('', flow.source) or 'x'}-{_SLUG.sub('', flow.target) or 'x'}"
        g = el(
            self.overlay, "g", {"id": self.take(base), "class": "vd-ghost vd-ghost-flow vd-removed"}
        )
        el(g, "title", {}, f"removed: {flow.title}")
        pts = list(flow.points)
        d = "M" + " L".join(",".join(self.pt(p)) for p in pts)
        el(
            g,
            "path",
            {
                "d": d,
                "fill": "none",
                "stroke": state.stroke,
                "stroke-width": "2.2",
                "stroke-dasharray": GHOST_DASH,
            },
        )
        self._arrow(g, pts[-2], pts[-1], state)
        if flow.kind is FlowKind.TWO_WAY:
            self._arrow(g, pts[1], pts[0], state)
        self.badge(self._free_middle(list(itertools.pairwise(pts))) or pts[0], state, g)

    def _free_middle(
        self, segments: list[tuple[Point, Point]], fallback: bool = True
    ) -> Point | None:
        """The middle of the longest segment whose middle is clear of every box (else,
        with `fallback`, the middle of the longest)."""
        boxes = [a.rect for a in self.layout.actions] + self.badges + self.markers
        boxes += [r.label.rect for r in self.layout.routes if r.label is not None]
        for seg in sorted(segments, key=lambda s: -abs(s[0][0] - s[1][0]) - abs(s[0][1] - s[1][1])):
            at = middle([seg])
            disc = Rect.around(at[0], at[1], 2 * BADGE_R, 2 * BADGE_R)
            if not any(disc.overlaps(b) for b in boxes):
                return at
        return middle(segments) if fallback else None

    def _arrow(self, g: ET.Element, a: Point, b: Point, state: StateStyle) -> None:
        length = abs(b[0] - a[0]) + abs(b[1] - a[1]) or 1.0
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        back = (b[0] - ux * 8, b[1] - uy * 8)
        left = (back[0] - uy * 3.5, back[1] + ux * 3.5)
        right = (back[0] + uy * 3.5, back[1] - ux * 3.5)
        points = " ".join(",".join(self.pt(p)) for p in (b, left, right))
        el(g, "polygon", {"points": points, "fill": state.stroke, "stroke": state.stroke})


def mark_drawing(
    root: ET.Element,
    layout: Layout,
    marks: Marks,
    ghosts: list[Ghost],
    ghost_flows: list[GhostFlow],
    font: str,
    ids: tuple[list[str], list[str]] = ([], []),
) -> None:
    """Mark `marks` on the drawing `root` (the new blueprint's SVG), in place; `ids` are
    the drawing's flow and evidence ids (`svg_post.element_ids` of the new blueprint)."""
    m = Marker(root, layout, font, ids)
    for index in marks.added_steps:
        m.step(index, STATES["added"])
    for index in marks.changed_steps:
        m.step(index, STATES["changed"])
    for index in marks.added_evidence:
        m.evidence(index, STATES["added"])
    for index in marks.added_flows:
        m.flow(index, STATES["added"])
    for index in marks.changed_flows:
        m.flow(index, STATES["changed"])
    for key in marks.added_actions:
        m.action(key, STATES["added"])
    for key in marks.changed_actions:
        m.action(key, STATES["changed"])
    for flow in ghost_flows:
        m.ghost_flow(flow)
    for ghost in ghosts:
        m.ghost(ghost)
    m.strip_label(ghosts)
