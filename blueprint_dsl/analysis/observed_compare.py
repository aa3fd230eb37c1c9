"""Observed against written (section 8.9): BP510 when the 90th percentile of an action's
observed durations or waits exceeds its `standard`, BP511 when the mean of its observed
values of a metric misses the metric's target (in the direction of 8.4)."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import msg
from ..model.blueprint import Action, Blueprint, Metric
from ..model.values import format_seconds
from .observed import Observations


def percentile(values: Sequence[float], q: float) -> float:
    """The `q` quantile, interpolated between the two nearest ranks (as `numpy` and
    `statistics.quantiles(method="inclusive")` do); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    where = q * (len(ordered) - 1)
    low = int(where)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (where - low)


def compare(bp: Blueprint, found: Observations) -> list[Diagnostic]:
    """BP510 and BP511 findings of `found` against `bp` (BP512s are `found.problems`)."""
    out: list[Diagnostic] = []
    for action in bp.actions:
        out += _over_standard(action, found)
        for metric in action.metrics:
            values = found.metrics.get((action.key, metric.name))
            if values:
                out += _misses_target(action, metric, values)
    return out


def _name(action: Action) -> str:
    return f"`{action.id}`" if action.id else f'"{action.label}"'


def _over_standard(action: Action, found: Observations) -> list[Diagnostic]:
    if action.standard is None:
        return []
    limit = action.standard.max_seconds
    out = []
    for kind, values in (
        (msg("observed.kind-duration"), found.durations.get(action.key)),
        (msg("observed.kind-wait"), found.waits.get(action.key)),
    ):
        if not values:
            continue
        p90 = percentile(values, 0.9)
        if p90 > limit:
            message = msg(
                "observed.over-standard",
                what=kind,
                action=_name(action),
                p90=format_seconds(p90),
                count=len(values),
                standard=action.standard.text,
            )
            help = msg("observed.over-standard.help")
            out.append(Diagnostic.of("BP510", Severity.WARNING, message, action.span, help))
    return out


def _misses_target(action: Action, metric: Metric, values: Sequence[float]) -> list[Diagnostic]:
    mean = sum(values) / len(values)
    if metric.target is None or not metric.misses_target(mean):
        return []
    shown = f"{mean:.4g}%" if metric.value.kind == "percent" else f"{mean:.4g}"
    if metric.value.kind == "duration":
        shown = format_seconds(mean)
    name, target, count = _name(action), metric.target.text, len(values)
    if metric.lower_is_better:
        message = msg(
            "observed.above-ceiling",
            metric=metric.name,
            action=name,
            value=shown,
            count=count,
            target=target,
        )
    else:
        message = msg(
            "observed.below-target",
            metric=metric.name,
            action=name,
            value=shown,
            count=count,
            target=target,
        )
    help = msg("observed.misses-target.help")
    return [Diagnostic.of("BP511", Severity.INFO, message, metric.span, help)]
