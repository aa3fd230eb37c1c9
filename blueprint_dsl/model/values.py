"""Interpreting literal values: durations, ranges, percentages, numbers.

Every value is bounded, so that nothing infinite (a literal of 309 digits is infinity as
a float) or absurd reaches the model: durations up to `MAX_SECONDS` (10 years), plain
numbers and percentages (costs, metric values) up to `MAX_NUMBER` in absolute value.
Beyond that a reader raises `BadValue` with `value.too-large` (BP101 at the value).
"""

from __future__ import annotations

import math
import re

from ..core.messages import Message, msg
from .blueprint import Duration, Quantity

UNITS: dict[str, float] = {
    "s": 1,
    "sec": 1,
    "秒": 1,
    "m": 60,
    "min": 60,
    "分": 60,
    "分钟": 60,
    "h": 3600,
    "hr": 3600,
    "小时": 3600,
    "时": 3600,
    "d": 86400,
    "天": 86400,
    "日": 86400,
}

MAX_SECONDS = 3650 * 86400  # 10 years (3650 days): no service step takes longer
MAX_NUMBER = 1e12  # costs, metric values and percentages, in absolute value
NUMBER_LIMIT = "±1e12"

_QUANTITY = re.compile(r"^([+-]?\d+(?:\.\d+)?)(%|[^\W\d_]+)?$")


class BadValue(Exception):
    """A literal that does not mean what its place needs; the message says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


def split_quantity(text: str) -> tuple[float, str]:
    """The number and the unit of `text`; the number may be as large as the text says
    (even infinite): every reader below bounds it before it goes anywhere."""
    match = _QUANTITY.match(text)
    if not match:
        raise BadValue(msg("value.not-a-number", text=text))
    return float(match.group(1)), match.group(2) or ""


def too_large(text: str, limit: str | Message) -> BadValue:
    return BadValue(msg("value.too-large", text=text, limit=limit))


def bounded(value: float, text: str) -> float:
    """`value`, when it is finite and within ±MAX_NUMBER; else `value.too-large`."""
    if not (math.isfinite(value) and abs(value) <= MAX_NUMBER):
        raise too_large(text, NUMBER_LIMIT)
    return value


def seconds(text: str) -> float:
    number, unit = split_quantity(text)
    if unit == "":
        raise BadValue(msg("value.no-unit", text=text, example=f"{text}m"))
    if unit not in UNITS:
        raise BadValue(msg("value.unknown-unit", text=text, unit=unit))
    if number < 0:
        raise BadValue(msg("value.negative-duration", text=text))
    value = number * UNITS[unit]
    if not value <= MAX_SECONDS:  # also catches infinity (and NaN)
        raise too_large(text, msg("value.duration-limit"))
    return value


def duration(text: str, low: str | None = None, high: str | None = None) -> Duration:
    """A duration `5m` or a range `5m..20m` (low and high given for ranges)."""
    if low is None or high is None:
        value = seconds(text)
        return Duration(value, value, text)
    lo, hi = seconds(low), seconds(high)
    if lo > hi:
        raise BadValue(msg("value.backwards-range", text=text, fixed=f"{high}..{low}"))
    return Duration(lo, hi, text)


def quantity(text: str) -> Quantity:
    number, unit = split_quantity(text)
    if unit == "%":
        return Quantity("percent", bounded(number, text), text)
    if unit == "":
        return Quantity("number", bounded(number, text), text)
    return Quantity("duration", seconds(text), text)


def integer(text: str) -> int:
    number, unit = split_quantity(text)
    if unit:
        raise BadValue(msg("value.not-whole", text=text))
    if not bounded(number, text).is_integer():
        raise BadValue(msg("value.not-whole", text=text))
    return int(number)


def number(text: str) -> float:
    value, unit = split_quantity(text)
    if unit:
        raise BadValue(msg("value.not-plain-number", text=text))
    return bounded(value, text)


def format_seconds(value: float) -> str:
    """A short human form: 90 -> 1.5m, 7200 -> 2h, 129600 -> 1.5d."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if value >= size:
            amount = value / size
            return f"{amount:g}{unit}" if amount * 10 == int(amount * 10) else f"{amount:.1f}{unit}"
    return f"{value:g}s"
