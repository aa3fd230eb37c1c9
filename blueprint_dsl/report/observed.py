"""Written against observed (language 0.2, section 8.9): for every action with observed
durations or waits, what the blueprint writes beside the 90th percentile of what was
measured ("written 5m–10m · observed p90 12m (n=34)"), and whether that p90 exceeds the
action's standard (BP510's test).

    observed_summaries(observations) -> {action key: ObservedSummary}
    observed_rows(builder, summaries) -> rows of the "Written and observed" table
    with_observed(card, builder, summary) -> the action's card with the comparison added

`observed_summaries` is the one place that reads `analysis.observed.Observations`; the
rest takes a plain mapping, so observations from elsewhere can be shown the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..analysis.observed import Observations
from ..analysis.observed_compare import percentile
from ..model.blueprint import Action, Duration
from ..model.values import format_seconds
from .builder import ActionRef, Builder, Field
from .cards import ActionCard
from .values import DASH, show_duration


@dataclass(frozen=True)
class Observed:
    """The observations of one duration or wait: how many, and their 90th percentile."""

    n: int
    p90: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Observed:
        return cls(len(values), percentile(values, 0.9))


@dataclass(frozen=True)
class ObservedSummary:
    duration: Observed | None = None
    wait: Observed | None = None


def observed_summaries(found: Observations) -> dict[str, ObservedSummary]:
    """What an `--observed` CSV says of each action, by action key."""
    keys = dict.fromkeys([*found.durations, *found.waits])
    out = {}
    for key in keys:
        durations, waits = found.durations.get(key), found.waits.get(key)
        out[key] = ObservedSummary(
            Observed.of(durations) if durations else None, Observed.of(waits) if waits else None
        )
    return out


@dataclass(frozen=True)
class ObservedRow:
    step: int
    action: ActionRef
    kind: str  # the column's word: "Duration" / "Wait"
    written: str
    observed: str
    standard: str
    result: str
    state: str  # "breached" | "within" | "none"


def _text(builder: Builder, written: Duration | None, seen: Observed) -> str:
    w = builder.w
    observed = w["observed_p90"].format(p90=format_seconds(seen.p90), n=seen.n)
    return f"{w['written']} {show_duration(written)} · {observed}"


def _pairs(a: Action, summary: ObservedSummary) -> list[tuple[str, Duration | None, Observed]]:
    pairs: list[tuple[str, Duration | None, Observed]] = []
    if summary.duration is not None:
        pairs.append(("col_duration", a.duration, summary.duration))
    if summary.wait is not None:
        pairs.append(("col_wait", a.wait, summary.wait))
    return pairs


def observed_rows(
    builder: Builder, summaries: Mapping[str, ObservedSummary]
) -> tuple[ObservedRow, ...]:
    w, rows = builder.w, []
    for a in builder.bp.actions:
        summary = summaries.get(a.key)
        if summary is None:
            continue
        for word, written, seen in _pairs(a, summary):
            if a.standard is None:
                state, result = "none", w["no_standard"]
            elif seen.p90 > a.standard.max_seconds:
                state, result = "breached", w["over_standard"]
            else:
                state, result = "within", w["within"]
            rows.append(
                ObservedRow(
                    a.step_index,
                    builder.ref(a),
                    w[word],
                    show_duration(written),
                    w["observed_p90"].format(p90=format_seconds(seen.p90), n=seen.n),
                    show_duration(a.standard) if a.standard else DASH,
                    result,
                    state,
                )
            )
    return tuple(rows)


def with_observed(
    card: ActionCard, builder: Builder, summary: ObservedSummary | None
) -> ActionCard:
    """`card` with a line per observed duration or wait, written and observed side by side."""
    if summary is None:
        return card
    a = builder.bp.action(card.action.key)
    lines = tuple(
        Field(builder.w[word], _text(builder, written, seen))
        for word, written, seen in _pairs(a, summary)
    )
    return replace(card, observed=lines)
