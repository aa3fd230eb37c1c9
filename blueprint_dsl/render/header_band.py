"""The header band across the top of the drawing: what the blueprint is, and its verdict.

Left: the title, then the header's facts (id, version, owner, persona). Right: the
customer's time against the target ("Customer time 35m–55m · target 45m") and, when the
target is breached, a pill that says so in the fail badge's colours ("over target" when
even the shortest customer time is over it, "may exceed target" when the longest is).
The text wraps to the width the drawing will at least have; nothing is cut off.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.paths import customer_path
from ..model.blueprint import Blueprint
from ..model.values import format_seconds
from .geometry import HeaderBand, Rect, Text
from .metrics import SUBTITLE_FONT, TITLE_FONT, TITLE_LINE_H, even
from .text import text_width, units_for, wrap
from .words import word

FACTS_LINE_H = 12.0
TIME_FONT = 10.0
TIME_LINE_H = 13.0
PILL_H = 16
PAD = 10


@dataclass(frozen=True)
class BandText:
    """The band's wrapped text and its height, fixed before the columns are placed."""

    title: list[str]
    facts: list[str]
    time: list[str]
    status: str
    status_text: str
    left_w: float
    height: int


def _range(low: float, high: float) -> str:
    lo, hi = format_seconds(low), format_seconds(high)
    return lo if lo == hi else f"{lo}–{hi}"


def band_text(bp: Blueprint, min_width: float) -> BandText:
    """Wrap the band's text for a drawing at least `min_width` points wide."""
    loc = bp.header.locale
    h = bp.header
    left_w = max(200.0, min_width * 0.6 - 2 * PAD)
    right_w = max(160.0, min_width - left_w - 4 * PAD)
    facts_parts = [
        p
        for p in (
            h.id,
            f"{word('version', loc)} {h.version}" if h.version else None,
            h.owner,
            f"{word('persona', loc)}: {h.persona}" if h.persona else None,
        )
        if p
    ]
    title = wrap(h.title, units_for(left_w, TITLE_FONT), 6)
    facts = (
        wrap(" · ".join(facts_parts), units_for(left_w, SUBTITLE_FONT), 6) if facts_parts else []
    )
    low, high = customer_path(bp)  # the figure of the analysis, without the rest of it
    target = None if h.target is None else h.target.max_seconds
    time_parts: list[str] = []
    if high > 0 or target is not None:
        time_parts.append(f"{word('customer_time', loc)} {_range(low, high)}")
    if target is not None:
        time_parts.append(f"{word('target', loc)} {format_seconds(target)}")
    time = wrap(" · ".join(time_parts), units_for(right_w, TIME_FONT), 4) if time_parts else []
    status, status_text = "", ""
    if target is not None and high > 0:
        if low > target:
            status, status_text = "over", word("over_target", loc)
        elif high > target:
            status, status_text = "may", word("may_exceed_target", loc)
        else:
            status = "ok"
    left_h = len(title) * TITLE_LINE_H + len(facts) * FACTS_LINE_H
    right_h = len(time) * TIME_LINE_H + (PILL_H + 4 if status_text else 0)
    height = even(max(left_h, right_h) + 2 * PAD)
    return BandText(title, facts, time, status, status_text, left_w, height)


def _block_w(lines: list[str], size: float) -> int:
    return even(max(text_width(line, size) for line in lines) + 4)


def header_band(text: BandText, width: float) -> HeaderBand:
    """Place the band's text in a drawing `width` points wide."""
    rect = Rect(0, 0, width, text.height)
    title_h = len(text.title) * TITLE_LINE_H
    # Text is centred in its rect: a rect as wide as the text puts it at the left edge.
    title_w = _block_w(text.title, TITLE_FONT)
    title = Text(tuple(text.title), Rect(PAD, PAD, PAD + title_w, PAD + title_h), TITLE_FONT)
    facts = None
    if text.facts:
        y = PAD + title_h
        facts = Text(
            tuple(text.facts),
            Rect(
                PAD,
                y,
                PAD + _block_w(text.facts, SUBTITLE_FONT),
                y + len(text.facts) * FACTS_LINE_H,
            ),
            SUBTITLE_FONT,
        )
    time = status_text = None
    if text.time:
        tw = _block_w(text.time, TIME_FONT)
        th = len(text.time) * TIME_LINE_H
        time = Text(tuple(text.time), Rect(width - PAD - tw, PAD, width - PAD, PAD + th), TIME_FONT)
        if text.status_text:
            pw = even(text_width(text.status_text, 9.0) + 16)
            y = PAD + th + 4
            status_text = Text(
                (text.status_text,), Rect(width - PAD - pw, y, width - PAD, y + PILL_H), 9.0
            )
    return HeaderBand(rect, title, facts, time, text.status, status_text)
