"""The head of the report: the figure cards (steps, encounters, fail points, waits,
evidence coverage) and the bar of customer time against the target. Every figure keeps
its key in the JSON `analysis` and its JSON text beside the text shown, for machines
reading `data-figure` / `data-value`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.values import format_seconds
from .values import DASH, json_value, show_percent
from .words import words_for

if TYPE_CHECKING:
    from ..analysis.figures import Analysis


@dataclass(frozen=True)
class Value:
    """A figure's value: `key` is its path in the JSON `analysis` ("customer_time.max_seconds"),
    `json` its JSON text; both go into `data-figure` / `data-value` for machines to read."""

    key: str
    display: str
    json: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: Value
    note: Value | None = None  # a second figure shown under the first
    note_label: str = ""
    note_bad: bool = False


@dataclass(frozen=True)
class TimeBar:
    """Customer time against target; widths are percentages of the bar."""

    label: str
    low: Value
    high: Value
    target: Value
    target_label: str
    min_pct: float
    max_pct: float
    target_pct: float | None
    state: str  # "ok" | "risk" | "over" | "none"
    state_label: str


def _value(data: Mapping[str, object], key: str, display: str | None = None) -> Value:
    value: object = data
    for part in key.split("."):
        assert isinstance(value, Mapping)
        value = value[part]
    return Value(key, str(value) if display is None else display, json_value(value))


def figures(analysis: Analysis, locale: str) -> tuple[Figure, ...]:
    w = words_for(locale)
    data = analysis.to_json()
    without = analysis.fail_points_without_recovery
    return (
        Figure(w["fig_steps"], _value(data, "steps")),
        Figure(w["fig_customer_actions"], _value(data, "customer_actions")),
        Figure(w["fig_encounters"], _value(data, "encounters")),
        Figure(w["fig_internal_encounters"], _value(data, "internal_encounters")),
        Figure(
            w["fig_fail_points"],
            _value(data, "fail_points"),
            _value(data, "fail_points_without_recovery"),
            w["fig_fail_points_without_recovery"],
            note_bad=without > 0,
        ),
        Figure(w["fig_wait_points"], _value(data, "wait_points")),
        Figure(
            w["fig_evidence_coverage"],
            _value(data, "evidence_coverage", show_percent(analysis.evidence_coverage)),
        ),
    )


def time_bar(analysis: Analysis, locale: str) -> TimeBar:
    w = words_for(locale)
    data = analysis.to_json()
    low, high = analysis.customer_time_min, analysis.customer_time_max
    target = analysis.target_seconds
    full = max(high, target or 0.0) * 1.15 or 1.0
    if target is None:
        state = "none"
    elif high <= target:
        state = "ok"
    elif low <= target:
        state = "risk"
    else:
        state = "over"
    labels = {
        "none": w["no_target"],
        "ok": w["within_target"],
        "risk": w["may_exceed_target"],
        "over": w["over_target"],
    }
    return TimeBar(
        label=w["fig_customer_time"],
        low=_value(data, "customer_time.min_seconds", format_seconds(low)),
        high=_value(data, "customer_time.max_seconds", format_seconds(high)),
        target=_value(data, "target_seconds", DASH if target is None else format_seconds(target)),
        target_label=w["fig_target"],
        min_pct=round(100 * low / full, 2),
        max_pct=round(100 * high / full, 2),
        target_pct=None if target is None else round(100 * target / full, 2),
        state=state,
        state_label=labels[state],
    )
