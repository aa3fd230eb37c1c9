"""DOT text from a computed layout, for `neato -n2` (embedded engine: `nop2`).

Every node is pinned at its position and every edge carries its own spline points, so
Graphviz neither places nor routes anything: it only draws. Nodes are drawn first, in
the order written (bands, then labels and lines, then boxes and badges), edges on top.
The text is deterministic: fixed attribute order, fixed number formatting, no hashing.

The primitives (pinned nodes, splines) are in `dot_canvas`, the flows and the legend in
`dot_flows`; this module writes the graph header, the frame and the nodes.
"""

from __future__ import annotations

import itertools

from ..model.blueprint import Zone
from .dot_canvas import Attrs, element_id, join_attrs, num
from .dot_flows import FlowWriter
from .geometry import EmotionChart, Layout, LineMark, Rect
from .metrics import LABEL_W
from .quoting import dot_lines, dot_string
from .themes import Theme
from .words import word


class _Writer(FlowWriter):
    """Writes the whole graph: the frame and the nodes here, the flows in `FlowWriter`."""

    def __init__(self, layout: Layout, theme: Theme) -> None:
        super().__init__(layout, theme)
        self._badges: dict[str, str] = {}  # badge kind -> its style, written as DOT

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
        self.emotion()
        self.parallel_outlines()
        self.actions()
        self.markers()
        for route in lay.routes:
            self.route(route)
        self.legend()
        self.key()
        self.lines.append("}")
        return "\n".join(self.lines) + "\n"

    def bands(self) -> None:
        for band in self.layout.bands:
            colors = self.theme.zone(band.zone)
            fill = colors.alt_fill if band.alternate else colors.fill
            self.box(band.rect, fill, extra=[("class", '"bp-band"')])
        if not self.layout.bands:  # a page of the key alone
            return
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
        if lay.header is not None:
            self.header_band()
        else:
            if lay.title.lines:
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
        step_head = (
            f'shape=box, style="rounded,filled", fillcolor="{th.step_fill}",'
            f' color="{th.box_stroke if th.name == "print" else th.step_fill}"'
        )
        for step in lay.steps:
            t = step.text
            self.node(
                t.rect,
                f"{step_head}, label={dot_string(chr(10).join(t.lines))},"
                f' fontsize={num(t.size)}, fontcolor="{th.step_text}",'
                f' id="step-{step.index}", class="bp-step"',
            )

    def header_band(self) -> None:
        band, th = self.layout.header, self.theme
        assert band is not None
        r = band.rect
        self.box(Rect(r.x0, r.y1 - 1, r.x1, r.y1), th.muted, extra=[("class", '"bp-rule"')])
        bold = ("fontname", f'"{th.font} Bold"')
        self.text(band.title, th.text, [bold, ("class", '"bp-title"')], justify="l")
        if band.facts is not None:
            self.text(band.facts, th.muted, [("class", '"bp-subtitle"')], justify="l")
        if band.time is not None:
            cls = ("class", f'"bp-customer-time bp-{band.status}"')
            self.text(band.time, th.text, [cls], justify="r")
        if band.status_text is not None:
            fill, color = (
                (th.fail_fill, th.fail_text)
                if band.status == "over"
                else (th.wait_fill, th.wait_text)
            )
            self.node(
                band.status_text.rect,
                [
                    ("shape", "box"),
                    ("style", '"rounded,filled"'),
                    ("fillcolor", f'"{fill}"'),
                    ("color", f'"{color if band.status != "over" else fill}"'),
                    ("penwidth", "1"),
                    ("label", dot_string(band.status_text.lines[0])),
                    ("fontsize", num(band.status_text.size)),
                    ("fontcolor", f'"{color}"'),
                    ("class", f'"bp-target-status bp-{band.status}"'),
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
        head = (
            f'shape=note, style=filled, fillcolor="{th.evidence_fill}",'
            f' color="{th.evidence_stroke}", penwidth=1'
        )
        color = f'fontcolor="{th.text}"'
        for ev in self.layout.evidence:
            self.node(
                ev.rect,
                f"{head}, label={dot_string(chr(10).join(ev.text.lines))},"
                f" fontsize={num(ev.text.size)}, {color},"
                f' tooltip={dot_string(ev.tooltip, "tooltip")}, id="evidence-{ev.index}",'
                ' class="bp-evidence"',
            )

    def emotion(self) -> None:
        """The emotion row: a zero line, ticks, and the steps' points joined in order."""
        for chart in self.layout.emotion:
            self._emotion(chart)

    def _emotion(self, chart: EmotionChart) -> None:
        th = self.theme
        self.box(chart.rect, th.background, extra=[("class", '"bp-band bp-emotion-band"')])
        rule = Rect(LABEL_W - 1, chart.rect.y0, LABEL_W + 1, chart.rect.y1)
        self.box(rule, th.muted, extra=[("class", '"bp-rule"')])
        self.text(chart.label, th.zone(Zone.CUSTOMER).label, [("class", '"bp-zone-label"')])
        for tick in chart.ticks:
            self.text(tick, th.muted, [("class", '"bp-emotion-tick"')], justify="r")
        zero = Rect(LABEL_W, chart.zero_y - 3, chart.rect.x1, chart.zero_y)
        self.node(
            zero,
            [("shape", "underline"), ("style", "dotted"), ("color", f'"{th.muted}"')],
        )
        ids = []
        for p in chart.points:
            fill = th.fail_fill if p.value < 0 else th.journey if p.value > 0 else th.muted
            tip = f"{word('step', self.layout.locale)} {p.step_index}: {p.value:+.1f}"
            ids.append(
                self.node(
                    Rect.around(p.x, p.y, 8, 8),
                    [
                        ("shape", "circle"),
                        ("style", "filled"),
                        ("fillcolor", f'"{fill}"'),
                        ("color", f'"{fill}"'),
                        ("tooltip", dot_string(tip, "tooltip")),
                        ("class", '"bp-emotion-point"'),
                    ],
                    prefix="e",
                )
            )
        for (a, ia), (b, ib) in itertools.pairwise(zip(chart.points, ids, strict=True)):
            attrs: Attrs = [("color", f'"{th.journey}"'), ("penwidth", "1.6")]
            attrs.append(("class", '"bp-emotion-line"'))
            self.edge(ia, ib, [(a.x, a.y), (b.x, b.y)], attrs, head=False, tail=False)

    def parallel_outlines(self) -> None:
        """A dashed outline around each `parallel` group's boxes, behind them."""
        for outline in self.layout.parallel:
            self.node(
                outline.rect,
                [
                    ("shape", "box"),
                    ("style", '"rounded,dashed"'),
                    ("color", f'"{self.theme.muted}"'),
                    ("penwidth", "1.2"),
                    ("tooltip", dot_string(outline.tooltip, "tooltip")),
                    ("class", f'"bp-parallel bp-parallel-{outline.group}"'),
                ],
            )

    def actions(self) -> None:
        th = self.theme
        critical = set(self.layout.critical)
        # The attributes every box (or diamond) shares, written once.
        box = f'shape=box, style="rounded,filled", fillcolor="{th.box_fill}"'
        diamond = f'shape=diamond, style=filled, fillcolor="{th.decision_fill}"'
        plain = f'color="{th.box_stroke}", penwidth=1.2'
        marked = f'color="{th.critical}", penwidth=2.8'
        text_color = f'fontcolor="{th.text}"'
        for a in self.layout.actions:
            link = ""
            if a.url is not None:
                link = f', URL={dot_string(a.url, "url")}, target="_top"'
            tip = f"tooltip={dot_string(a.tooltip, 'tooltip')}"
            is_diamond = a.shape == "diamond"
            label = "" if a.meta is not None else "\n".join(a.text.lines)
            cls = "bp-action bp-decision" if is_diamond else "bp-action"
            on_path = a.key in critical
            cls += " bp-critical" if on_path else ""
            ident = self.node(
                a.rect,
                f"{diamond if is_diamond else box}, {marked if on_path else plain},"
                f" label={dot_string(label)}, fontsize={num(a.text.size)}, {text_color},"
                f' {tip}{link}, id={element_id("action", a.key)}, class="{cls}"',
                prefix="a",
            )
            self.action_ids[a.key] = ident
            if a.meta is not None:
                self.text(
                    a.text,
                    th.text,
                    f'{tip}{link}, id={element_id("bp-action", a.key)}, class="bp-action-text"',
                )
                self.text(a.meta, th.muted, f'{tip}{link}, class="bp-action-meta"')

    def badge_style(self, kind: str) -> Attrs:
        """Badges differ in shape as well as colour: a fail point is an octagon (a stop
        sign), a wait an oval, a moment of truth a star, a detail link a rounded box."""
        th = self.theme
        shape, style, fill, stroke, color = {
            "fail": ("octagon", "filled", th.fail_fill, th.fail_fill, th.fail_text),
            "wait": ("ellipse", "filled", th.wait_fill, th.wait_text, th.wait_text),
            "moment": ("star", "filled", th.moment_fill, th.moment_stroke, th.text),
            "trigger": ("cds", "filled", th.step_fill, th.box_stroke, th.step_text),
        }.get(kind, ("box", '"rounded,filled"', th.detail_fill, th.detail_text, th.detail_text))
        return [
            ("shape", shape),
            ("style", style),
            ("fillcolor", f'"{fill}"'),
            ("color", f'"{stroke}"'),
            ("penwidth", "1"),
            ("fontcolor", f'"{color}"'),
        ]

    def badge_attrs(self, kind: str) -> str:
        """`badge_style` written as DOT, once per kind."""
        cache = self._badges
        if kind not in cache:
            cache[kind] = join_attrs(self.badge_style(kind))
        return cache[kind]

    def markers(self) -> None:
        for m in self.layout.markers:
            link = ""
            if m.url is not None:
                link = f', URL={dot_string(m.url, "url")}, target="_top"'
            self.node(
                m.rect,
                f"{self.badge_attrs(m.kind)}, label={dot_string(m.text)},"
                f" fontsize={num(m.size)}{link}, tooltip={dot_string(m.tooltip, 'tooltip')},"
                f' id={element_id(m.kind, m.owner)}, class="bp-marker bp-{m.kind}"',
                prefix="m",
            )

    def key(self) -> None:
        """The key: one text per entry, its badge's number first. What every entry shares
        is said once, as the defaults of a subgraph (Graphviz reads fewer attributes)."""
        if not self.layout.key:
            return
        size = num(self.layout.key[0].text.size)
        self.lines.append(
            f"  subgraph key {{ node [shape=plaintext, fontsize={size},"
            f' fontcolor="{self.theme.text}"];'
        )
        for entry in self.layout.key:
            label = dot_lines(entry.text.lines, "l")
            self.node(entry.text.rect, f'label={label}, class="bp-key bp-key-{entry.kind}"')
        self.lines.append("  }")


def to_dot(layout: Layout, theme: Theme) -> str:
    """The DOT text of `layout` drawn in `theme`."""
    return _Writer(layout, theme).write()


__all__ = ["num", "to_dot"]
