"""The lane, system and metric tables of the report: who works in each lane (its roles
and actions), which actions use each support system, and every metric against its
target in its direction (0.2): met, below its target, above its ceiling, or no target.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.blueprint import Action, Metric, Zone
from ..model.locale import zone_name
from .builder import ActionRef, Builder
from .values import DASH


@dataclass(frozen=True)
class LaneRow:
    zone: str
    lane: str
    roles: tuple[str, ...]
    actions: tuple[ActionRef, ...]


@dataclass(frozen=True)
class SupportRow:
    system: ActionRef
    used_by: tuple[ActionRef, ...]


@dataclass(frozen=True)
class MetricRow:
    action: ActionRef
    name: str
    value: str
    target: str
    result: str
    state: str  # "met" | "below" | "above" | "none"


def lane_rows(builder: Builder) -> tuple[LaneRow, ...]:
    bp = builder.bp
    rows = []
    declared_zones = {other.zone for other in bp.lanes if other.declared}
    for lane in bp.lanes:
        if lane.zone is Zone.EVIDENCE:
            continue
        actions = builder.find.in_lane(lane.id)
        if not actions and not lane.declared:
            continue
        roles = tuple(dict.fromkeys(a.role for a in actions if a.role))
        # The zone's own lane is "General" beside declared lanes, as in the diagram.
        shared = not lane.declared and lane.zone in declared_zones
        rows.append(
            LaneRow(
                zone_name(lane.zone, builder.locale),
                builder.w["general"] if shared else builder.lane_label(lane.id),
                roles,
                tuple(builder.ref(a) for a in actions),
            )
        )
    return tuple(rows)


def support_rows(builder: Builder) -> tuple[SupportRow, ...]:
    bp = builder.bp
    rows = []
    for system in bp.actions:
        if system.zone is not Zone.SUPPORT:
            continue
        users: dict[str, Action] = {}
        for flow in builder.find.at(system.key):
            other = flow.target if flow.source == system.key else flow.source
            users.setdefault(other, bp.action(other))
        rows.append(SupportRow(builder.ref(system), tuple(builder.ref(a) for a in users.values())))
    return tuple(rows)


def metric_rows(builder: Builder) -> tuple[MetricRow, ...]:
    rows = []
    w = builder.w
    for a in builder.bp.actions:
        for m in a.metrics:
            if m.target is None:
                state, result, target = "none", w["no_metric_target"], DASH
            else:
                missed = "above" if m.lower_is_better else "below"
                state = missed if m.misses_target() else "met"
                result, target = w[state], metric_target(builder, m)
            rows.append(MetricRow(builder.ref(a), m.name, m.value.text, target, result, state))
    return tuple(rows)


def metric_target(builder: Builder, m: Metric) -> str:
    """A metric's target with its direction: "≥ 80%", or "≤ 5% (ceiling)"."""
    if m.target is None:
        return DASH
    if m.lower_is_better:
        return f"≤ {m.target.text} ({builder.w['ceiling']})"
    return f"≥ {m.target.text}"
