"""How the report shows values that need no blueprint: the dash for "nothing", the arrows
of each kind of flow, durations and ranges of seconds with an en dash, shares as whole
percentages, and JSON text for `data-value` attributes. The index page uses these too.
"""

from __future__ import annotations

import json

from ..model.blueprint import Duration, FlowKind
from ..model.values import format_seconds

DASH = "—"
ARROWS = {FlowKind.FLOW: "→", FlowKind.INFO: "⇢", FlowKind.TWO_WAY: "↔"}
BACK_ARROWS = {FlowKind.FLOW: "←", FlowKind.INFO: "⇠", FlowKind.TWO_WAY: "↔"}


def show_duration(value: Duration | None) -> str:
    """A duration as written, with an en dash for ranges: `5m..20m` -> `5m–20m`."""
    if value is None:
        return DASH
    return value.text.replace("..", "–")


def show_seconds_range(low: float, high: float) -> str:
    low_text, high_text = format_seconds(low), format_seconds(high)
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def show_percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def json_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
