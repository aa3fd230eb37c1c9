"""draw.io style strings (`key=value;…`) from a bpc theme, and the graph model's settings.

Every style has `html=0`, so a label is plain text in draw.io, never markup.
"""

from __future__ import annotations

from ..model.blueprint import FlowKind, Line
from ..render.geometry import Layout, Point, Rect
from ..render.themes import Theme
from .bpmn_xml import num

FONT = "Noto Sans CJK SC"


def _style(**pairs: str | float) -> str:
    return "".join(f"{key}={num(v) if isinstance(v, float) else v};" for key, v in pairs.items())


def text_style(theme: Theme, size: float, bold: bool = False) -> str:
    return "text;html=0;whiteSpace=wrap;" + _style(
        align="left",
        verticalAlign="middle",
        fontFamily=FONT,
        fontSize=float(size),
        fontStyle="1" if bold else "0",
        fontColor=theme.text,
        strokeColor="none",
        fillColor="none",
    )


def box_style(fill: str, stroke: str, text: str, size: float) -> str:
    return "rounded=0;html=0;whiteSpace=wrap;" + _style(
        fillColor=fill, strokeColor=stroke, fontColor=text, fontFamily=FONT, fontSize=float(size)
    )


def lane_style(fill: str, label: str) -> str:
    """A lane: a container (its cells move with it) with its name at the left."""
    return "rounded=0;html=0;whiteSpace=wrap;container=1;collapsible=0;recursiveResize=0;" + _style(
        fillColor=fill,
        strokeColor="#ffffff",
        fontColor=label,
        fontFamily=FONT,
        fontSize=11.0,
        fontStyle="1",
        align="left",
        verticalAlign="middle",
        spacingLeft=8.0,
    )


def evidence_style(theme: Theme) -> str:
    return "rounded=1;html=0;whiteSpace=wrap;" + _style(
        fillColor=theme.evidence_fill,
        strokeColor=theme.evidence_stroke,
        fontColor=theme.text,
        fontFamily=FONT,
        fontSize=10.0,
    )


def action_style(theme: Theme, decision: bool) -> str:
    shape = "shape=rhombus;perimeter=rhombusPerimeter;" if decision else "rounded=1;arcSize=12;"
    return (
        shape
        + "html=0;whiteSpace=wrap;"
        + _style(
            fillColor=theme.decision_fill if decision else theme.box_fill,
            strokeColor=theme.box_stroke,
            fontColor=theme.text,
            fontFamily=FONT,
            fontSize=11.0,
        )
    )


def marker_style(theme: Theme, kind: str, size: float) -> str:
    fills = {
        "fail": (
            "shape=mxgraph.basic.octagon2;dx=4;",
            theme.fail_fill,
            theme.fail_fill,
            theme.fail_text,
        ),
        "wait": (
            "shape=ellipse;perimeter=ellipsePerimeter;",
            theme.wait_fill,
            theme.wait_fill,
            theme.wait_text,
        ),
        "moment": (
            "shape=mxgraph.basic.star;",
            theme.moment_fill,
            theme.moment_stroke,
            theme.text,
        ),
        "detail": ("rounded=1;", theme.detail_fill, theme.detail_text, theme.detail_text),
    }
    # a kind of marker this export does not know yet (bpc adds some) is a small tag
    tag = ("rounded=1;", theme.label_fill, theme.muted, theme.text)
    shape, fill, stroke, text = fills.get(kind, tag)
    return (
        shape
        + "html=0;whiteSpace=wrap;"
        + _style(
            fillColor=fill,
            strokeColor=stroke,
            fontColor=text,
            fontFamily=FONT,
            fontSize=float(size),
            fontStyle="1",
        )
    )


def line_style(theme: Theme, line: Line) -> str:
    look = theme.line(line)
    dashed = {"solid": "0", "dashed": "1", "dotted": "1"}[look.style]
    extra = "dashPattern=2 3;" if look.style == "dotted" else ""
    return (
        "endArrow=none;html=0;"
        + extra
        + _style(
            strokeColor=look.color,
            strokeWidth=look.width,
            dashed=dashed,
            fontColor=look.color,
            fontFamily=FONT,
            fontSize=9.5,
            labelBackgroundColor="#ffffff",
            align="left",
        )
    )


def flow_style(theme: Theme, kind: FlowKind, implicit: bool, encounter: bool) -> str:
    color = theme.journey if implicit else (theme.info if kind is FlowKind.INFO else theme.flow)
    width = 1.2
    if encounter:
        color, width = theme.encounter, theme.encounter_width
    start = "classic" if kind is FlowKind.TWO_WAY else "none"
    return "edgeStyle=none;rounded=0;html=0;orthogonalLoop=1;" + _style(
        endArrow="classic",
        startArrow=start,
        dashed="1" if kind is FlowKind.INFO else "0",
        strokeColor=color,
        strokeWidth=width,
        fontColor=theme.text,
        fontFamily=FONT,
        fontSize=9.0,
        labelBackgroundColor=theme.label_fill,
    )


def _fraction(value: float, low: float, size: float) -> str:
    return num(min(1.0, max(0.0, (value - low) / size)) if size else 0.5)


def anchors(source: Rect, target: Rect, points: list[Point]) -> str:
    """Fixed exit and entry points: where bpc's route leaves and enters the boxes."""
    if not points:
        return ""
    (sx, sy), (tx, ty) = points[0], points[-1]
    return (
        f"exitX={_fraction(sx, source.x0, source.w)};exitY={_fraction(sy, source.y0, source.h)};"
        f"exitPerimeter=0;entryX={_fraction(tx, target.x0, target.w)};"
        f"entryY={_fraction(ty, target.y0, target.h)};entryPerimeter=0;"
    )


def model_attrs(layout: Layout) -> dict[str, str]:
    return {
        "dx": "0",
        "dy": "0",
        "grid": "0",
        "gridSize": "10",
        "guides": "1",
        "tooltips": "1",
        "connect": "1",
        "arrows": "1",
        "fold": "1",
        "page": "0",
        "pageScale": "1",
        "pageWidth": num(layout.width),
        "pageHeight": num(layout.height),
        "math": "0",
        "shadow": "0",
    }
