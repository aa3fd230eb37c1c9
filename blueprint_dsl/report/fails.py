"""The fail point and wait tables of the report: every fail point with its recovery (or
none), and every action with a wait or a standard, with whether its duration or wait
breaches the standard, keeps within it, or has no standard to keep.
"""

from __future__ import annotations

from dataclasses import dataclass

from .builder import ActionRef, Builder
from .values import show_duration


@dataclass(frozen=True)
class FailRow:
    step: int
    action: ActionRef
    what: str
    recover: str | None


@dataclass(frozen=True)
class WaitRow:
    step: int
    action: ActionRef
    duration: str
    wait: str
    standard: str
    result: str
    state: str  # "breached" | "within" | "none"


def fail_rows(builder: Builder) -> tuple[FailRow, ...]:
    return tuple(
        FailRow(a.step_index, builder.ref(a), f.what, f.recover)
        for a in builder.bp.actions
        for f in a.fails
    )


def wait_rows(builder: Builder) -> tuple[WaitRow, ...]:
    rows = []
    w = builder.w
    for a in builder.bp.actions:
        if a.wait is None and a.standard is None:
            continue
        if a.standard is None:
            state, result = "none", w["no_standard"]
        elif any(
            v is not None and v.max_seconds > a.standard.max_seconds for v in (a.duration, a.wait)
        ):
            state, result = "breached", w["breached"]
        else:
            state, result = "within", w["within"]
        rows.append(
            WaitRow(
                a.step_index,
                builder.ref(a),
                show_duration(a.duration),
                show_duration(a.wait),
                show_duration(a.standard),
                result,
                state,
            )
        )
    return tuple(rows)
