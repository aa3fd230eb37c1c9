"""DOT text from a computed layout, for `neato -n2` (embedded engine: `nop2`).

Every node is pinned at its position and every edge carries its own spline points, so
Graphviz neither places nor routes anything: it only draws. Nodes are drawn first, in
the order written (bands, then labels and lines, then boxes and badges), edges on top.
The text is deterministic: fixed attribute order, fixed number formatting, no hashing.
"""

from __future__ import annotations

from ..model.blueprint import FlowKind
from .geometry import Layout, LineMark, Point, Rect, Route, Text
from .layout import LABEL_W
from .quoting import dot_string
from .themes import Theme

ARROW = 7.0  # arrowsize 0.7 × 10 points
CORNER = 6.0

Attrs = list[tuple[str, str]]


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _inches(points: float) -> str:
    return f"{points / 72:.4f}"


def _id(prefix: str, key: str) -> str:
    """An SVG id for a model element (`action-<key>`, `fail-<key>`, ...), as the report
    expects them; keys are identifiers, escaped like any other text all the same."""
    return dot_string(f"{prefix}-{key}", "tooltip")


def _unit(a: Point, b: Point) -> Point:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = abs(dx) + abs(dy)  # segments are axis-parallel
    return (dx / length, dy / length) if length else (0.0, 0.0)


class _Writer:
    def __init__(self, layout: Layout, theme: Theme) -> None:
        self.layout = layout
        self.theme = theme
        self.lines: list[str] = []
        self.count = 0
        self.action_ids: dict[str, str] = {}

    # -- primitives ----------------------------------------------------------------------
    def y(self, y: float) -> float:
        return self.layout.height - y

    def pt(self, p: Point) -> str:
        return f"{num(p[0])},{num(self.y(p[1]))}"

    def node(self, rect: Rect, attrs: Attrs, prefix: str = "n") -> str:
        ident = f"{prefix}{self.count}"
        self.count += 1
        head: Attrs = [
            ("pos", f'"{num(rect.cx)},{num(self.y(rect.cy))}!"'),
            ("width", _inches(rect.w)),
            ("height", _inches(rect.h)),
        ]
        body = ", ".join(f"{k}={v}" for k, v in head + attrs)
        self.lines.append(f"  {ident} [{body}];")
        return ident

    def text(self, text: Text, color: str, extra: Attrs | None = None) -> str:
        attrs: Attrs = [
            ("shape", "plaintext"),
            ("label", dot_string("\n".join(text.lines))),
            ("fontsize", num(text.size)),
            ("fontcolor", f'"{color}"'),
        ]
        return self.node(text.rect, attrs + (extra or []))

    def box(
        self, rect: Rect, fill: str, stroke: str | None = None, extra: Attrs | None = None
    ) -> str:
        attrs: Attrs = [("shape", "box"), ("style", "filled"), ("fillcolor", f'"{fill}"')]
        attrs += [("color", f'"{stroke or fill}"'), ("penwidth", "1" if stroke else "0")]
        return self.node(rect, attrs + (extra or []))

    def spline(self, pts: list[Point], head: bool, tail: bool) -> str:
        """Edge `pos`: arrow ends, then cubic Bézier points with rounded corners."""
        pts = list(pts)
        prefix = ""
        if tail and len(pts) >= 2:
            d = _unit(pts[0], pts[1])
            prefix += f"s,{self.pt(pts[0])} "
            pts[0] = (pts[0][0] + d[0] * ARROW, pts[0][1] + d[1] * ARROW)
        if head and len(pts) >= 2:
            d = _unit(pts[-2], pts[-1])
            prefix += f"e,{self.pt(pts[-1])} "
            pts[-1] = (pts[-1][0] - d[0] * ARROW, pts[-1][1] - d[1] * ARROW)
        out = [pts[0]]
        for i in range(1, len(pts)):
            q = pts[i]
            if i == len(pts) - 1:
                out += [out[-1], q, q]
                continue
            d_in = _unit(pts[i - 1], q)
            d_out = _unit(q, pts[i + 1])
            len_in = abs(q[0] - pts[i - 1][0]) + abs(q[1] - pts[i - 1][1])
            len_out = abs(pts[i + 1][0] - q[0]) + abs(pts[i + 1][1] - q[1])
            r = min(CORNER, len_in / 2, len_out / 2)
            a = (q[0] - d_in[0] * r, q[1] - d_in[1] * r)
            b = (q[0] + d_out[0] * r, q[1] + d_out[1] * r)
            out += [out[-1], a, a, q, q, b]
        return '"' + prefix + " ".join(self.pt(p) for p in out) + '"'

    def edge(
        self, tail_id: str, head_id: str, pts: list[Point], attrs: Attrs, head: bool, tail: bool
    ) -> None:
        if head and tail:
            direction = "both"
        elif head:
            direction = "forward"
        elif tail:
            direction = "back"
        else:
            direction = "none"
        body: Attrs = [("pos", self.spline(pts, head, tail)), ("dir", direction)]
        text = ", ".join(f"{k}={v}" for k, v in body + attrs)
        self.lines.append(f"  {tail_id} -> {head_id} [{text}];")

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
                [*attrs, *tip, *link, ("id", _id("action", a.key)), ("class", f'"{cls}"')],
                prefix="a",
            )
            self.action_ids[a.key] = ident
            if a.meta is not None:
                self.text(
                    a.text,
                    th.text,
                    [*tip, *link, ("id", _id("bp-action", a.key)), ("class", '"bp-action-text"')],
                )
                self.text(a.meta, th.muted, [*tip, *link, ("class", '"bp-action-meta"')])

    def markers(self) -> None:
        th = self.theme
        for m in self.layout.markers:
            tip: Attrs = [("tooltip", dot_string(m.tooltip, "tooltip"))]
            if m.kind == "fail":
                shape, style, fill, stroke, color = (
                    "ellipse",
                    "filled",
                    th.fail_fill,
                    th.fail_fill,
                    th.fail_text,
                )
            elif m.kind == "wait":
                shape, style, fill, stroke, color = (
                    "box",
                    '"rounded,filled"',
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
                [*attrs, *tip, ("id", _id(m.kind, m.owner)), ("class", f'"bp-marker bp-{m.kind}"')],
                prefix="m",
            )

    def _edge_style(self, kind: FlowKind, implicit: bool, encounter: bool) -> tuple[Attrs, str]:
        th = self.theme
        if encounter:
            color, width = th.encounter, th.encounter_width
        elif implicit:
            color, width = th.journey, 1.8
        elif kind is FlowKind.INFO:
            color, width = th.info, 1.3
        else:
            color, width = th.flow, 1.3
        classes = ["bp-flow", f"bp-kind-{kind.name_}"]
        if encounter:
            classes.append("bp-encounter")
        if implicit:
            classes.append("bp-journey")
        attrs: Attrs = [("color", f'"{color}"'), ("penwidth", num(width))]
        if kind is FlowKind.INFO:
            attrs.append(("style", "dashed"))
        return attrs, " ".join(classes)

    def route(self, r: Route) -> None:
        tail_id = self.action_ids.get(r.source)
        head_id = self.action_ids.get(r.target)
        if tail_id is None or head_id is None:
            return
        style, classes = self._edge_style(r.kind, r.implicit, r.encounter)
        tip: Attrs = [("tooltip", dot_string(r.tooltip, "tooltip")), ("class", f'"{classes}"')]
        first: Attrs = [*style, ("id", f'"flow-{r.index}"'), *tip]
        two_way = r.kind is FlowKind.TWO_WAY
        if r.label is None or len(r.parts) == 1:
            self.edge(tail_id, head_id, list(r.parts[0]), first, head=True, tail=two_way)
            if r.label is not None:
                self.edge_label(r.label)
            return
        # A labelled flow is two edges with the label node between them.
        second: Attrs = [*style, ("id", f'"bp-flow-{r.index}"'), *tip]
        label_id = self.edge_label(r.label)
        self.edge(tail_id, label_id, list(r.parts[0]), first, head=False, tail=two_way)
        self.edge(label_id, head_id, list(r.parts[1]), second, head=True, tail=False)

    def edge_label(self, text: Text) -> str:
        th = self.theme
        return self.node(
            text.rect,
            [
                ("shape", "box"),
                ("style", '"rounded,filled"'),
                ("fillcolor", f'"{th.label_fill}"'),
                ("color", f'"{th.box_stroke}"'),
                ("penwidth", "0.6"),
                ("label", dot_string("\n".join(text.lines))),
                ("fontsize", num(text.size)),
                ("fontcolor", f'"{th.text}"'),
                ("class", '"bp-flow-label"'),
            ],
            prefix="l",
        )

    def legend(self) -> None:
        th = self.theme
        for item in self.layout.legend:
            s = item.sample
            if item.kind in ("flow", "info", "two-way", "encounter"):
                ends = []
                for x in (s.x0, s.x1):
                    ends.append(
                        self.node(
                            Rect.around(x, s.cy, 2, 2),
                            [("shape", "point"), ("style", "invis")],
                            prefix="p",
                        )
                    )
                kind = {"info": FlowKind.INFO, "two-way": FlowKind.TWO_WAY}.get(
                    item.kind, FlowKind.FLOW
                )
                style, classes = self._edge_style(kind, False, item.kind == "encounter")
                self.edge(
                    ends[0],
                    ends[1],
                    [(s.x0, s.cy), (s.x1, s.cy)],
                    [*style, ("class", f'"{classes} bp-legend"')],
                    head=True,
                    tail=kind is FlowKind.TWO_WAY,
                )
            else:
                self._legend_badge(item.kind, s)
            self.text(item.text, th.muted, [("class", '"bp-legend"')])

    def _legend_badge(self, kind: str, s: Rect) -> None:
        th = self.theme
        if kind == "fail":
            attrs: Attrs = [
                ("shape", "ellipse"),
                ("style", "filled"),
                ("fillcolor", f'"{th.fail_fill}"'),
            ]
            attrs += [
                ("color", f'"{th.fail_fill}"'),
                ("label", '"F"'),
                ("fontcolor", f'"{th.fail_text}"'),
            ]
            rect = Rect.around(s.cx, s.cy, 18, 18)
        elif kind == "wait":
            attrs = [
                ("shape", "box"),
                ("style", '"rounded,filled"'),
                ("fillcolor", f'"{th.wait_fill}"'),
            ]
            attrs += [
                ("color", f'"{th.wait_text}"'),
                ("label", '"W"'),
                ("fontcolor", f'"{th.wait_text}"'),
            ]
            rect = Rect.around(s.cx, s.cy, 20, 16)
        elif kind == "moment":
            attrs = [("shape", "star"), ("style", "filled"), ("fillcolor", f'"{th.moment_fill}"')]
            attrs += [("color", f'"{th.moment_stroke}"')]
            rect = Rect.around(s.cx, s.cy, 22, 22)
        else:
            attrs = [
                ("shape", "box"),
                ("style", '"rounded,filled"'),
                ("fillcolor", f'"{th.detail_fill}"'),
            ]
            attrs += [
                ("color", f'"{th.detail_text}"'),
                ("label", '"↗"'),
                ("fontcolor", f'"{th.detail_text}"'),
            ]
            rect = Rect.around(s.cx, s.cy, 20, 16)
        self.node(
            rect,
            [*attrs, ("penwidth", "1"), ("fontsize", "9"), ("class", '"bp-legend"')],
            prefix="m",
        )


def to_dot(layout: Layout, theme: Theme) -> str:
    """The DOT text of `layout` drawn in `theme`."""
    return _Writer(layout, theme).write()
