"""The look of a visual diff: one colour set per state (added, changed, removed), each with
a badge glyph so the states differ in more than colour, and the WCAG contrast ratio the
tests hold them to (every text colour at least 4.5:1 on what it is drawn on)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StateStyle:
    name: str
    word: str  # the legend's word
    badge: str  # the glyph in the badge
    stroke: str  # outlines, flows, the badge's disc
    fill: str  # the box's fill
    text: str  # text on `fill` or on white
    badge_text: str  # the glyph's colour on `stroke`


STATES: dict[str, StateStyle] = {
    "added": StateStyle("added", "added", "+", "#1a7f37", "#dafbe1", "#116329", "#ffffff"),
    "changed": StateStyle("changed", "changed", "~", "#9a6700", "#fff8c5", "#6e4a00", "#ffffff"),
    "removed": StateStyle(
        "removed", "removed (where it was)", "−", "#cf222e", "#ffebe9", "#82071e", "#ffffff"
    ),
}

INK = "#1f2933"  # body text of the list
MUTED = "#4b5563"
PANEL_FILL = "#f6f8fa"
PANEL_STROKE = "#d0d7de"
OUTLINE = 3.0  # the outline of a marked box
GHOST_DASH = "6,4"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two `#rrggbb` colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
