"""DOT primitives: pinned nodes, text, filled boxes and edges with their own splines.

`DotCanvas` collects the DOT lines of one layout: every node gets its `pos` (with `!`:
pinned), width and height from a rect, every edge its `pos` spline from a polyline
(arrow ends, then cubic Bézier points with rounded corners). Coordinates are flipped
from the layout's y-down points to Graphviz's y-up; numbers are formatted by `num` so
the same layout always gives the same text.
"""

from __future__ import annotations

from functools import lru_cache

from .geometry import Layout, Point, Rect, Text
from .quoting import dot_lines, dot_string
from .themes import Theme

ARROW = 7.0  # arrowsize 0.7 × 10 points
CORNER = 6.0

Attrs = list[tuple[str, str]]


@lru_cache(maxsize=1 << 16)  # a drawing repeats its coordinates and sizes many times
def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    whole = int(value)
    if value == whole:
        return str(whole)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@lru_cache(maxsize=1 << 12)
def _inches(points: float) -> str:
    return f"{points / 72:.4f}"


def join_attrs(attrs: Attrs) -> str:
    """(name, value) pairs as DOT: `name=value, name=value`."""
    return ", ".join([f"{k}={v}" for k, v in attrs])


def element_id(prefix: str, key: str) -> str:
    """An SVG id for a model element (`action-<key>`, `fail-<key>`, ...), as the report
    expects them; keys are identifiers, escaped like any other text all the same."""
    return dot_string(f"{prefix}-{key}", "tooltip")


def _unit(a: Point, b: Point) -> Point:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = abs(dx) + abs(dy)  # segments are axis-parallel
    return (dx / length, dy / length) if length else (0.0, 0.0)


class DotCanvas:
    """The DOT lines written so far, and the primitives that write nodes and edges."""

    def __init__(self, layout: Layout, theme: Theme) -> None:
        self.layout = layout
        self.theme = theme
        self.lines: list[str] = []
        self.count = 0
        self.action_ids: dict[str, str] = {}  # action key -> node id, for edges

    # -- primitives ----------------------------------------------------------------------
    def y(self, y: float) -> float:
        return self.layout.height - y

    def pt(self, p: Point) -> str:
        return f"{num(p[0])},{num(self.layout.height - p[1])}"

    def node(self, rect: Rect, attrs: Attrs | str, prefix: str = "n") -> str:
        """A pinned node at `rect`; `attrs` as (name, value) pairs, or already written
        as DOT (`name=value, name=value`)."""
        ident = f"{prefix}{self.count}"
        self.count += 1
        x0, y0, x1, y1 = rect.x0, rect.y0, rect.x1, rect.y1
        head = (
            f'  {ident} [pos="{num((x0 + x1) / 2)},{num(self.layout.height - (y0 + y1) / 2)}!",'
            f" width={_inches(x1 - x0)}, height={_inches(y1 - y0)}"
        )
        body = attrs if isinstance(attrs, str) else join_attrs(attrs)
        self.lines.append(f"{head}, {body}];" if body else f"{head}];")
        return ident

    def text(
        self, text: Text, color: str, extra: Attrs | str | None = None, justify: str = "c"
    ) -> str:
        """`text` centred in its rect, or each line at its left ("l") or right ("r") edge;
        `extra` attributes after the text's own (pairs, or written as DOT)."""
        label = (
            dot_string("\n".join(text.lines)) if justify == "c" else dot_lines(text.lines, justify)
        )
        body = f'shape=plaintext, label={label}, fontsize={num(text.size)}, fontcolor="{color}"'
        if extra:
            body += ", " + (extra if isinstance(extra, str) else join_attrs(extra))
        return self.node(text.rect, body)

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
        last = len(pts) - 1
        for i in range(1, last + 1):
            q = pts[i]
            if i == last:
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
        height = self.layout.height
        text = " ".join([f"{num(x)},{num(height - y)}" for x, y in out])
        return f'"{prefix}{text}"'

    def edge(
        self,
        tail_id: str,
        head_id: str,
        pts: list[Point],
        attrs: Attrs | str,
        head: bool,
        tail: bool,
    ) -> None:
        if head and tail:
            direction = "both"
        elif head:
            direction = "forward"
        elif tail:
            direction = "back"
        else:
            direction = "none"
        pos = self.spline(pts, head, tail)
        rest = attrs if isinstance(attrs, str) else join_attrs(attrs)
        text = f"pos={pos}, dir={direction}, {rest}" if rest else f"pos={pos}, dir={direction}"
        self.lines.append(f"  {tail_id} -> {head_id} [{text}];")
