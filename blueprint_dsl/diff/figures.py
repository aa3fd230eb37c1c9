"""The summary figures of `bpc diff`: the headline numbers of both analyses side by side
(steps, encounters, fail points, customer time, target, evidence coverage), each as the
text the formatters show, so that a figure "changed" exactly when its text did.
"""

from __future__ import annotations

from collections.abc import Callable

from ..analysis.figures import Analysis
from ..model.values import format_seconds
from .result import Figure


def _time_range(low: float, high: float) -> str:
    """600 -> '10m'; 0..600 -> '0–10m'; 300..1200 -> '5–20m'; 1800..5400 -> '30m–1.5h'."""
    high_text = format_seconds(high)
    if low == high:
        return high_text
    low_text = "0" if low == 0 else format_seconds(low)
    if low_text[-1:] == high_text[-1:] and not low_text[-1:].isdigit():
        low_text = low_text[:-1]
    return f"{low_text}–{high_text}"


def figures(old: Analysis, new: Analysis) -> tuple[Figure, ...]:
    def row(name: str, title: str, get: Callable[[Analysis], str]) -> Figure:
        return Figure(name, title, get(old), get(new))

    return (
        row("steps", "Steps", lambda a: str(a.steps)),
        row("customer_actions", "Customer actions", lambda a: str(a.customer_actions)),
        row("encounters", "Service encounters", lambda a: str(a.encounters)),
        row("internal_encounters", "Internal encounters", lambda a: str(a.internal_encounters)),
        row("fail_points", "Fail points", lambda a: str(a.fail_points)),
        row(
            "fail_points_without_recovery",
            "Fail points without recovery",
            lambda a: str(a.fail_points_without_recovery),
        ),
        row("wait_points", "Wait points", lambda a: str(a.wait_points)),
        row(
            "customer_time",
            "Customer time",
            lambda a: _time_range(a.customer_time_min, a.customer_time_max),
        ),
        row(
            "target_seconds",
            "Target",
            lambda a: "none" if a.target_seconds is None else format_seconds(a.target_seconds),
        ),
        row(
            "evidence_coverage",
            "Evidence coverage",
            lambda a: f"{round(a.evidence_coverage * 100)}%",
        ),
    )
