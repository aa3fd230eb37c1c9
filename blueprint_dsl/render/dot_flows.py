"""Flows in DOT: routes as edges, their labels, and the legend row.

Each route becomes one edge between its action nodes, or two around its label node
when the label cuts the route in two parts; its colour, width and dash follow the
flow's kind (journey, encounter, information). The legend row shows those edge styles
and the four badges on sample nodes.
"""

from __future__ import annotations

from ..model.blueprint import FlowKind
from .critical import critical_pairs
from .dot_canvas import Attrs, DotCanvas, join_attrs, num
from .geometry import Layout, Rect, Route, Text
from .quoting import dot_string
from .themes import Theme


class FlowWriter(DotCanvas):
    """Writes the routes (after the action nodes they join) and the legend."""

    def __init__(self, layout: Layout, theme: Theme) -> None:
        super().__init__(layout, theme)
        self._critical: frozenset[tuple[str, str]] | None = None  # the highlighted pairs
        self._route_styles: dict[tuple[FlowKind, bool, bool, bool], tuple[str, str]] = {}

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

    def _route_style(self, r: Route) -> tuple[str, str]:
        """A route's colour, width and dash written as DOT, and its classes; the same
        for every route of one kind (kept per writer)."""
        pairs = self._critical
        if pairs is None:
            pairs = self._critical = critical_pairs(self.layout)
        critical = (r.source, r.target) in pairs or (
            r.kind is FlowKind.TWO_WAY and (r.target, r.source) in pairs
        )
        key = (r.kind, r.implicit, r.encounter, critical)
        styles = self._route_styles
        if key not in styles:
            style, classes = self._edge_style(r.kind, r.implicit, r.encounter)
            if critical:
                style = [
                    ("color", f'"{self.theme.critical}"'),
                    ("penwidth", "3.2"),
                    *[(k, v) for k, v in style if k == "style"],
                ]
                classes += " bp-critical"
            styles[key] = (join_attrs(style), classes)
        return styles[key]

    def route(self, r: Route) -> None:
        tail_id = self.action_ids.get(r.source)
        head_id = self.action_ids.get(r.target)
        if tail_id is None or head_id is None:
            return
        style, classes = self._route_style(r)
        tip = f'tooltip={dot_string(r.tooltip, "tooltip")}, class="{classes}"'
        first = f'{style}, id="flow-{r.index}", {tip}'
        two_way = r.kind is FlowKind.TWO_WAY
        if r.label is None or len(r.parts) == 1:
            self.edge(tail_id, head_id, list(r.parts[0]), first, head=True, tail=two_way)
            if r.label is not None:
                self.edge_label(r.label)
            return
        # A labelled flow is two edges with the label node between them.
        second = f'{style}, id="bp-flow-{r.index}", {tip}'
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
            if item.kind in ("flow", "info", "two-way", "encounter", "journey", "critical"):
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
                journey, encounter = item.kind == "journey", item.kind == "encounter"
                style, classes = self._edge_style(kind, journey, encounter)
                if item.kind == "critical":
                    style = [("color", f'"{th.critical}"'), ("penwidth", "3.2")]
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
        if kind == "parallel":
            self.node(
                Rect.around(s.cx, s.cy, 28, 18),
                [
                    ("shape", "box"),
                    ("style", '"rounded,dashed"'),
                    ("color", f'"{th.muted}"'),
                    ("penwidth", "1.2"),
                    ("class", '"bp-legend"'),
                ],
                prefix="m",
            )
            return
        if kind == "trigger":
            self.node(
                Rect.around(s.cx, s.cy, 24, 16),
                [
                    ("shape", "cds"),
                    ("style", "filled"),
                    ("fillcolor", f'"{th.step_fill}"'),
                    ("color", f'"{th.box_stroke}"'),
                    ("label", '"↯"'),
                    ("fontsize", "9"),
                    ("fontcolor", f'"{th.step_text}"'),
                    ("penwidth", "1"),
                    ("class", '"bp-legend"'),
                ],
                prefix="m",
            )
            return
        if kind in ("decision", "evidence"):
            decision = kind == "decision"
            fill = th.decision_fill if decision else th.evidence_fill
            stroke = th.box_stroke if decision else th.evidence_stroke
            self.node(
                Rect.around(s.cx, s.cy, 28, 18 if decision else 16),
                [
                    ("shape", "diamond" if decision else "note"),
                    ("style", "filled"),
                    ("fillcolor", f'"{fill}"'),
                    ("color", f'"{stroke}"'),
                    ("penwidth", "1"),
                    ("class", '"bp-legend"'),
                ],
                prefix="m",
            )
            return
        if kind == "fail":
            attrs: Attrs = [
                ("shape", "octagon"),
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
                ("shape", "ellipse"),
                ("style", "filled"),
                ("fillcolor", f'"{th.wait_fill}"'),
            ]
            attrs += [
                ("color", f'"{th.wait_text}"'),
                ("label", '"W"'),
                ("fontcolor", f'"{th.wait_text}"'),
            ]
            rect = Rect.around(s.cx, s.cy, 24, 16)
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
