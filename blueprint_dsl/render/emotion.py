"""The emotion row: how the customer feels at each step, a line chart of −2…+2.

Drawn only when customer actions carry `emotion`, as a band between the evidence band
and the customer band: one point per step that has a rated customer action (the mean of
that step's ratings), joined left to right, over a dotted zero line, with +2, 0 and −2
marked in the label column.
"""

from __future__ import annotations

from ..model.blueprint import Blueprint, Zone
from .geometry import EmotionChart, EmotionPoint, Rect, Text
from .metrics import LABEL_FONT, LABEL_W, ZONE_COL_W
from .words import word

EMOTION_H = 84
PAD = 14.0
TICK_FONT = 9.0


def step_emotions(bp: Blueprint) -> dict[int, float]:
    """The mean emotion of the customer actions of each step that has any."""
    sums: dict[int, list[int]] = {}
    for a in bp.actions:
        if a.zone is Zone.CUSTOMER and a.emotion is not None:
            sums.setdefault(a.step_index, []).append(a.emotion)
    return {step: sum(v) / len(v) for step, v in sums.items()}


def emotion_height(bp: Blueprint) -> int:
    return EMOTION_H if step_emotions(bp) else 0


def emotion_chart(
    bp: Blueprint, top: float, width: float, columns: dict[int, float]
) -> EmotionChart | None:
    """The chart in the band from `top`; `columns` maps a step index to its column's x."""
    values = step_emotions(bp)
    if not values:
        return None
    rect = Rect(0, top, width, top + EMOTION_H)
    y_top, y_bottom = top + PAD, top + EMOTION_H - PAD
    zero = (y_top + y_bottom) / 2

    def y_of(value: float) -> float:
        return zero - value / 2 * (zero - y_top)

    points = tuple(
        EmotionPoint(step, columns[step], y_of(value), value)
        for step, value in sorted(values.items())
        if step in columns
    )
    label = Text(
        (word("emotion", bp.header.locale),), Rect(0, top, ZONE_COL_W, top + EMOTION_H), LABEL_FONT
    )
    ticks = tuple(
        Text((text,), Rect(LABEL_W - 34, y_of(v) - 7, LABEL_W - 6, y_of(v) + 7), TICK_FONT)
        for text, v in (("+2", 2), ("0", 0), ("−2", -2))
    )
    return EmotionChart(rect, zero, label, ticks, points)
