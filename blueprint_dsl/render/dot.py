"""DOT text from a computed layout, for `neato -n2` (embedded engine: `nop2`).

Every node is pinned at its position and every edge carries its own spline points, so
Graphviz neither places nor routes anything: it only draws. Nodes are drawn first, in
the order written (bands, then labels and lines, then boxes and badges), edges on top.
The text is deterministic: fixed attribute order, fixed number formatting, no hashing.

The primitives (pinned nodes, splines) are in `dot_canvas`, the flows and the legend in
`dot_flows`; this module writes the graph header, the frame and the nodes.
"""

from __future__ import annotations

from .dot_canvas import Attrs, element_id, num
from .dot_flows import FlowWriter
from .geometry import Layout, LineMark, Rect
from .metrics import LABEL_W
from .quoting import dot_string
from .themes import Theme


class _Writer(FlowWriter):
    """Writes the whole graph: the frame and the nodes here, the flows in `FlowWriter`."""

    # -- the drawing --------------------------------------------------------------------
    def write(self) -> str:
        lay, th = self.layout, self.theme
        title = dot_string(" ".join(lay.title.lines), "tooltip")
        self.lines += [
            "// bpc service blueprint: render with `neato -n2 -Tsvg` (positions are fixed)",
            "digraph blueprint {",
            f'  graph [splines=true, outputorder=nodesfirst, bgcolor="{th.background}",'
            f' pad="0.2", fontname="{th.font}", tooltip={title}];',
            f'  node [fixedsize=true, pin=true, margin=0, fontname="{th.font}",'
            f' fontsize=11, label=""];',
            f'  edge [arrowsize=0.7, arrowhead=normal, arrowtail=normal, fontname="{th.font}"];',
        ]
        self.bands()
        self.headers()
        self.labels()
        for mark in lay.lines:
            self.line(mark)
        self.evidence()
        self.actions()
        self.markers()
        for route in lay.routes:
            self.route(route)
        self.legend()
        self.lines.append("}")
        return "\n".join(self.lines) + "\n"

    def bands(self) -> None:
        for band in self.layout.bands:
            colors = self.theme.zone(band.zone)
            fill = colors.alt_fill if band.alternate else colors.fill
            self.box(band.rect, fill, extra=[("class", '"bp-band"')])
        # A rule between the label column and the grid.
        top = self.layout.bands[0].rect.y0
        bottom = self.layout.bands[-1].rect.y1
        self.box(
            Rect(LABEL_W - 1, top, LABEL_W + 1, bottom),
            self.theme.muted,
            extra=[("class", '"bp-rule"')],
        )

    def headers(self) -> None:
        lay, th = self.layout, self.theme
        self.text(lay.title, th.text, [("class", '"bp-title"')])
        if lay.subtitle is not None:
            self.text(lay.subtitle, th.muted, [("class", '"bp-subtitle"')])
        for phase in lay.phases:
            t = phase.text
            self.node(
                t.rect,
                [
                    ("shape", "box"),
                    ("style", '"rounded,filled"'),
                    ("fillcolor", f'"{th.phase_fill}"'),
                    ("color", f'"{th.phase_text if th.name == "print" else th.phase_fill}"'),
                    ("label", dot_string("\n".join(t.lines))),
                    ("fontsize", num(t.size)),
                    ("fontcolor", f'"{th.phase_text}"'),
                    ("class", '"bp-phase"'),
                ],
            )
        for step in lay.steps:
            t = step.text
            self.node(
                t.rect,
                [
                    ("shape", "box"),
                    ("style", '"rounded,filled"'),
                    ("fillcolor", f'"{th.step_fill}"'),
                    ("color", f'"{th.box_stroke if th.name == "print" else th.step_fill}"'),
                    ("label", dot_string("\n".join(t.lines))),
                    ("fontsize", num(t.size)),
                    ("fontcolor", f'"{th.step_text}"'),
                    ("id", f'"step-{step.index}"'),
                    ("class", '"bp-step"'),
                ],
            )

    def labels(self) -> None:
        th = self.theme
        for zl in self.layout.zone_labels:
            self.text(zl.text, th.zone(zl.zone).label, [("class", '"bp-zone-label"')])
        for ll in self.layout.lane_labels:
            self.text(ll.text, th.zone(ll.zone).label, [("class", '"bp-lane-label"')])

    def line(self, mark: LineMark) -> None:
        style = self.theme.line(mark.line)
        rect = Rect(mark.x0, mark.y - 4, mark.x1, mark.y)  # `underline` draws the bottom edge
        self.node(
            rect,
            [
                ("shape", "underline"),
                ("style", style.style),
                ("color", f'"{style.color}"'),
                ("penwidth", num(style.width)),
                ("class", f'"bp-line bp-line-{mark.line.value}"'),
            ],
        )
        for label in mark.labels:
            self.node(
                label.rect,
                [
                    ("shape", "box"),
                    ("style", '"rounded,filled"'),
                    ("fillcolor", f'"{self.theme.background}"'),
                    ("color", f'"{style.color}"'),
                    ("penwidth", "1"),
                    ("label", dot_string(mark.name)),
                    ("fontsize", num(label.size)),
                    ("fontcolor", f'"{style.color}"'),
                    ("class", '"bp-line-label"'),
                ],
            )

    def evidence(self) -> None:
        th = self.theme
        for ev in self.layout.evidence:
            self.node(
                ev.rect,
                [
                    ("shape", "note"),
                    ("style", "filled"),
                    ("fillcolor", f'"{th.evidence_fill}"'),
                    ("color", f'"{th.evidence_stroke}"'),
                    ("penwidth", "1"),
                    ("label", dot_string("\n".join(ev.text.lines))),
                    ("fontsize", num(ev.text.size)),
                    ("fontcolor", f'"{th.text}"'),
                    ("tooltip", dot_string(ev.tooltip, "tooltip")),
                    ("id", f'"evidence-{ev.index}"'),
                    ("class", '"bp-evidence"'),
                ],
            )

    def actions(self) -> None:
        th = self.theme
        for a in self.layout.actions:
            link: Attrs = []
            if a.url is not None:
                link = [("URL", dot_string(a.url, "url")), ("target", '"_top"')]
            tip: Attrs = [("tooltip", dot_string(a.tooltip, "tooltip"))]
            diamond = a.shape == "diamond"
            label = "" if a.meta is not None else "\n".join(a.text.lines)
            cls = "bp-action bp-decision" if diamond else "bp-action"
            attrs: Attrs = [
                ("shape", "diamond" if diamond else "box"),
                ("style", "filled" if diamond else '"rounded,filled"'),
                ("fillcolor", f'"{th.decision_fill if diamond else th.box_fill}"'),
                ("color", f'"{th.box_stroke}"'),
                ("penwidth", "1.2"),
                ("label", dot_string(label)),
                ("fontsize", num(a.text.size)),
                ("fontcolor", f'"{th.text}"'),
            ]
            ident = self.node(
                a.rect,
                [*attrs, *tip, *link, ("id", element_id("action", a.key)), ("class", f'"{cls}"')],
                prefix="a",
            )
            self.action_ids[a.key] = ident
            if a.meta is not None:
                self.text(
                    a.text,
                    th.text,
                    [
                        *tip,
                        *link,
                        ("id", element_id("bp-action", a.key)),
                        ("class", '"bp-action-text"'),
                    ],
                )
                self.text(a.meta, th.muted, [*tip, *link, ("class", '"bp-action-meta"')])

    def markers(self) -> None:
        """Badges differ in shape as well as colour: a fail point is an octagon (a stop
        sign), a wait an oval, a moment of truth a star, a detail link a rounded box."""
        th = self.theme
        for m in self.layout.markers:
            tip: Attrs = [("tooltip", dot_string(m.tooltip, "tooltip"))]
            if m.kind == "fail":
                shape, style, fill, stroke, color = (
                    "octagon",
                    "filled",
                    th.fail_fill,
                    th.fail_fill,
                    th.fail_text,
                )
            elif m.kind == "wait":
                shape, style, fill, stroke, color = (
                    "ellipse",
                    "filled",
                    th.wait_fill,
                    th.wait_text,
                    th.wait_text,
                )
            elif m.kind == "moment":
                shape, style, fill, stroke, color = (
                    "star",
                    "filled",
                    th.moment_fill,
                    th.moment_stroke,
                    th.text,
                )
            else:
                shape, style, fill, stroke = (
                    "box",
                    '"rounded,filled"',
                    th.detail_fill,
                    th.detail_text,
                )
                color = th.detail_text
            attrs: Attrs = [
                ("shape", shape),
                ("style", style),
                ("fillcolor", f'"{fill}"'),
                ("color", f'"{stroke}"'),
                ("penwidth", "1"),
                ("label", dot_string(m.text)),
                ("fontsize", num(m.size)),
                ("fontcolor", f'"{color}"'),
            ]
            if m.url is not None:
                attrs += [("URL", dot_string(m.url, "url")), ("target", '"_top"')]
            self.node(
                m.rect,
                [
                    *attrs,
                    *tip,
                    ("id", element_id(m.kind, m.owner)),
                    ("class", f'"bp-marker bp-{m.kind}"'),
                ],
                prefix="m",
            )


def to_dot(layout: Layout, theme: Theme) -> str:
    """The DOT text of `layout` drawn in `theme`."""
    return _Writer(layout, theme).write()


__all__ = ["num", "to_dot"]
