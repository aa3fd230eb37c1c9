"""Interpreting literal values: durations, ranges, percentages, numbers."""

from __future__ import annotations

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

_QUANTITY = re.compile(r"^([+-]?\d+(?:\.\d+)?)(%|[^\W\d_]+)?$")


class BadValue(Exception):
    """A literal that does not mean what its place needs; the message says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


def split_quantity(text: str) -> tuple[float, str]:
    match = _QUANTITY.match(text)
    if not match:
        raise BadValue(msg("value.not-a-number", text=text))
    return float(match.group(1)), match.group(2) or ""


def seconds(text: str) -> float:
    number, unit = split_quantity(text)
    if unit == "":
        raise BadValue(msg("value.no-unit", text=text, example=f"{text}m"))
    if unit not in UNITS:
        raise BadValue(msg("value.unknown-unit", text=text, unit=unit))
    if number < 0:
        raise BadValue(msg("value.negative-duration", text=text))
    return number * UNITS[unit]


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
        return Quantity("percent", number, text)
    if unit == "":
        return Quantity("number", number, text)
    return Quantity("duration", seconds(text), text)


def integer(text: str) -> int:
    number, unit = split_quantity(text)
    if unit or not number.is_integer():
        raise BadValue(msg("value.not-whole", text=text))
    return int(number)


def number(text: str) -> float:
    value, unit = split_quantity(text)
    if unit:
        raise BadValue(msg("value.not-plain-number", text=text))
    return value


def format_seconds(value: float) -> str:
    """A short human form: 90 -> 1.5m, 7200 -> 2h, 129600 -> 1.5d."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if value >= size:
            amount = value / size
            return f"{amount:g}{unit}" if amount * 10 == int(amount * 10) else f"{amount:.1f}{unit}"
    return f"{value:g}s"
