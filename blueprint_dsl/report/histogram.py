"""The simulation's histogram of customer time as inline SVG, drawn here in Python: no
chart library, no script. Bars of equal bins from 0, the target as a labelled vertical
line, axes in minutes, a `<title>` tooltip on every bar, and `role="img"` with a
`<title>` and a `<desc>` that carries the figures. Colours come from the report's CSS
variables (light, dark and print themes), with presentation attributes as a fallback.

    histogram_svg(bin_seconds, counts, target_seconds, text) -> Markup
    bins_of(samples, bins=40) -> (bin_seconds, counts)   # from raw samples
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640.0, 280.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 24.0, 30.0, 52.0
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
_MINUTE_STEPS = (0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440)


@dataclass(frozen=True)
class HistogramText:
    """The histogram's words, already in the report's locale."""

    title: str
    desc: str
    axis_x: str
    axis_y: str
    target: str  # the target line's label, e.g. "Target 10m"
    bar: str  # a bar's tooltip template: {low} {high} {count} {share}


def bins_of(samples: Sequence[float], bins: int = 40) -> tuple[float, list[int]]:
    """(bin width in seconds, counts) of `bins` equal bins from 0 to the largest sample."""
    if not samples:
        return (0.0, [0] * bins)
    top = max(samples)
    width = top / bins if top > 0 else 1.0
    counts = [0] * bins
    for value in samples:
        counts[min(int(value / width), bins - 1)] += 1
    return (width, counts)


def _num(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros (stable bytes)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def minutes(seconds: float) -> str:
    """Seconds as minutes for an axis or a tooltip: 90 -> "1.5", 600 -> "10"."""
    return f"{seconds / 60:.1f}".removesuffix(".0")


def _nice(value: float) -> float:
    """The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k at least `value`."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= value)


OFF_SCALE = 2.0  # a target beyond this many times the data's range is not drawn to scale


def on_scale(bin_seconds: float, bins: int, target: float | None) -> bool:
    """Whether the target is drawn as a line (else a label at the right edge says where it
    is: a far target would squeeze every bar into the left of the chart)."""
    data = bin_seconds * bins
    return target is not None and (data <= 0 or target <= data * OFF_SCALE)


def domain_seconds(bin_seconds: float, bins: int, target: float | None) -> float:
    """The seconds across the x axis: every bin, and the target (when on scale) with room."""
    data = bin_seconds * bins
    shown = target if target is not None and on_scale(bin_seconds, bins, target) else 0.0
    full = max(data, shown * 1.08)
    return full if full > 0 else 60.0


def x_of(seconds: float, domain: float) -> float:
    return LEFT + seconds / domain * PLOT_W


def histogram_svg(
    bin_seconds: float,
    counts: Sequence[int],
    target_seconds: float | None,
    text: HistogramText,
    *,
    ident: str = "r-hist",
) -> Markup:
    """The histogram as an `<svg>` element, safe to inline (every text is escaped)."""
    bins = len(counts)
    domain = domain_seconds(bin_seconds, bins, target_seconds)
    top = _nice(max(counts, default=0))
    total = sum(counts)
    base = TOP + PLOT_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="histogram" id="{ident}" '
        f'viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" data-runs="{total}" '
        f'data-bin-seconds="{_num(bin_seconds)}" data-domain-seconds="{_num(domain)}">',
        f'<title id="{ident}-title">{escape(text.title)}</title>',
        f'<desc id="{ident}-desc">{escape(text.desc)}</desc>',
    ]
    out += _y_axis(top, base, text)
    out += _x_axis(domain, base, text)
    out.append('<g class="hist-bars">')
    for index, count in enumerate(counts):
        if not count:
            continue
        low, high = index * bin_seconds, (index + 1) * bin_seconds
        x0, x1 = x_of(low, domain), x_of(high, domain)
        height = count / top * PLOT_H
        over = target_seconds is not None and low >= target_seconds
        share = f"{count / total * 100:.1f}%" if total else "0%"
        tip = text.bar.format(low=minutes(low), high=minutes(high), count=count, share=share)
        out.append(
            f'<rect class="hist-bar{" over" if over else ""}" x="{_num(x0)}" '
            f'y="{_num(base - height)}" width="{_num(max(x1 - x0 - 1, 0.5))}" '
            f'height="{_num(height)}" fill="{"#c62828" if over else "#2457c5"}" '
            f'data-count="{count}" data-low="{_num(low)}" data-high="{_num(high)}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    out.append("</g>")
    if target_seconds is not None and on_scale(bin_seconds, bins, target_seconds):
        out += _target(target_seconds, domain, base, text.target)
    elif target_seconds is not None:
        out.append(
            f'<g class="hist-target off-scale" data-seconds="{_num(target_seconds)}">'
            f'<text x="{_num(WIDTH - RIGHT)}" y="{_num(TOP - 12)}" text-anchor="end">'
            f"{escape(text.target)} →</text></g>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def _y_axis(top: float, base: float, text: HistogramText) -> list[str]:
    out = [
        f'<g class="hist-axis"><line x1="{_num(LEFT)}" y1="{_num(TOP)}" x2="{_num(LEFT)}" '
        f'y2="{_num(base)}" stroke="#5b6577"/>'
    ]
    for tick in (0.0, top / 2, top):
        y = base - tick / top * PLOT_H
        out.append(
            f'<line class="hist-grid" x1="{_num(LEFT)}" y1="{_num(y)}" '
            f'x2="{_num(WIDTH - RIGHT)}" y2="{_num(y)}" stroke="#d9dee7"/>'
            f'<text x="{_num(LEFT - 6)}" y="{_num(y + 4)}" text-anchor="end">{tick:g}</text>'
        )
    middle = TOP + PLOT_H / 2
    out.append(
        f'<text class="hist-label" x="14" y="{_num(middle)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_num(middle)})">{escape(text.axis_y)}</text></g>'
    )
    return out


def _x_axis(domain: float, base: float, text: HistogramText) -> list[str]:
    span = domain / 60
    step = next((s for s in _MINUTE_STEPS if span / s <= 8), _nice(span / 8))
    out = [
        f'<g class="hist-axis"><line x1="{_num(LEFT)}" y1="{_num(base)}" '
        f'x2="{_num(WIDTH - RIGHT)}" y2="{_num(base)}" stroke="#5b6577"/>'
    ]
    tick = 0.0
    while tick <= span + 1e-9:
        x = x_of(tick * 60, domain)
        out.append(
            f'<line x1="{_num(x)}" y1="{_num(base)}" x2="{_num(x)}" y2="{_num(base + 5)}" '
            f'stroke="#5b6577"/><text x="{_num(x)}" y="{_num(base + 18)}" '
            f'text-anchor="middle">{tick:g}</text>'
        )
        tick += step
    out.append(
        f'<text class="hist-label" x="{_num(LEFT + PLOT_W / 2)}" y="{_num(HEIGHT - 8)}" '
        f'text-anchor="middle">{escape(text.axis_x)}</text></g>'
    )
    return out


def _target(target: float, domain: float, base: float, label: str) -> list[str]:
    x = x_of(target, domain)
    right = x > LEFT + PLOT_W * 0.7  # near the right edge: the label goes to the left
    anchor, dx = ("end", -5) if right else ("start", 5)
    return [
        f'<g class="hist-target"><line x1="{_num(x)}" y1="{_num(TOP - 8)}" x2="{_num(x)}" '
        f'y2="{_num(base)}" stroke="#1d2330" stroke-width="2" stroke-dasharray="5 3" '
        f'data-seconds="{_num(target)}"/>'
        f'<text x="{_num(x + dx)}" y="{_num(TOP - 12)}" text-anchor="{anchor}">'
        f"{escape(label)}</text></g>"
    ]
