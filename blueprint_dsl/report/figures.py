"""The head of the report: the figure cards (steps, encounters, fail points, waits,
evidence coverage), the bar of customer time against the target, the bar of lead time
beside it and the critical path (0.2). Every figure keeps its key in the JSON `analysis`
and its JSON text beside the text shown, for machines reading `data-figure` /
`data-value`.

In a `scope internal` blueprint (no customer in it) customer time and evidence coverage
keep their JSON values but show "—" with a note, and the target is measured against the
lead time instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.values import format_seconds
from .builder import ActionRef, Builder
from .values import DASH, json_value, show_percent, show_seconds_range
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
    hint: str = ""  # a note without a figure of its own


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


def figures(analysis: Analysis, locale: str, internal: bool = False) -> tuple[Figure, ...]:
    w = words_for(locale)
    data = analysis.to_json()
    without = analysis.fail_points_without_recovery
    coverage = DASH if internal else show_percent(analysis.evidence_coverage)
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
            _value(data, "evidence_coverage", coverage),
            hint=w["internal_short"] if internal else "",
        ),
    )


def _state(low: float, high: float, target: float | None) -> str:
    if target is None:
        return "none"
    if high <= target:
        return "ok"
    return "risk" if low <= target else "over"


def _state_label(state: str, locale: str) -> str:
    w = words_for(locale)
    labels = {
        "none": w["no_target"],
        "ok": w["within_target"],
        "risk": w["may_exceed_target"],
        "over": w["over_target"],
    }
    return labels[state]


def _full(analysis: Analysis) -> float:
    """The seconds across the whole width of both time bars (one scale for the two)."""
    longest = max(analysis.customer_time_max, analysis.lead_time_max)
    return max(longest, analysis.target_seconds or 0.0) * 1.15 or 1.0


def _pct(value: float, full: float) -> float:
    return round(100 * value / full, 2)


def time_bar(analysis: Analysis, locale: str, internal: bool = False) -> TimeBar:
    """Customer time against the target; in an internal blueprint "—" and no bar."""
    w = words_for(locale)
    data = analysis.to_json()
    low, high = analysis.customer_time_min, analysis.customer_time_max
    target = analysis.target_seconds
    full = _full(analysis)
    state = "internal" if internal else _state(low, high, target)
    return TimeBar(
        label=w["fig_customer_time"],
        low=_value(data, "customer_time.min_seconds", DASH if internal else format_seconds(low)),
        high=_value(data, "customer_time.max_seconds", DASH if internal else format_seconds(high)),
        target=_value(data, "target_seconds", DASH if target is None else format_seconds(target)),
        target_label=w["fig_target"],
        min_pct=_pct(low, full),
        max_pct=_pct(high, full),
        target_pct=None if target is None else _pct(target, full),
        state=state,
        state_label=w["internal_short"] if internal else _state_label(state, locale),
    )


@dataclass(frozen=True)
class LeadBar:
    """Lead time (0.2, section 8.5), on the same scale as the customer time's bar; it is
    measured against the target only in an internal blueprint."""

    label: str
    note: str
    value: Value  # key "lead_time": the JSON object {min_seconds, max_seconds}
    min_pct: float
    max_pct: float
    target_pct: float | None
    state: str
    state_label: str


def lead_bar(analysis: Analysis, locale: str, internal: bool = False) -> LeadBar:
    w = words_for(locale)
    data = analysis.to_json()
    low, high = analysis.lead_time_min, analysis.lead_time_max
    target = analysis.target_seconds if internal else None
    full = _full(analysis)
    state = _state(low, high, target) if internal else "lead"
    return LeadBar(
        label=w["fig_lead_time"],
        note=w["lead_time_note"],
        value=_value(data, "lead_time", show_seconds_range(low, high)),
        min_pct=_pct(low, full),
        max_pct=_pct(high, full),
        target_pct=None if target is None else _pct(target, full),
        state=state,
        state_label=_state_label(state, locale) if internal else "",
    )


@dataclass(frozen=True)
class CriticalPath:
    """The actions on the longest path of the lead time, in order, linked to their cards."""

    label: str
    value: Value  # key "critical_path": the JSON list of action keys; shows its length
    actions: tuple[ActionRef, ...]


def critical_path(analysis: Analysis, builder: Builder) -> CriticalPath:
    w = builder.w
    keys = analysis.critical_path
    length = w["critical_path_length"].format(
        n=len(keys), time=format_seconds(analysis.lead_time_max)
    )
    return CriticalPath(
        label=w["critical_path"],
        value=_value(analysis.to_json(), "critical_path", length),
        actions=tuple(builder.ref(builder.bp.action(k)) for k in keys),
    )
