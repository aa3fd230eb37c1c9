"""The journey tables of the report: one row per step (phase, evidence, customer and
onstage actions, customer time, lowest emotion), and one row per touchpoint, a flow
across the line of interaction, shown from the customer's side whichever way it points;
and (0.2) the company-initiated contacts: every action that starts by itself (`trigger`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.blueprint import Line, Zone
from .builder import ActionRef, Builder
from .values import ARROWS, BACK_ARROWS, DASH, show_seconds_range


@dataclass(frozen=True)
class JourneyRow:
    index: int
    label: str
    phase: str | None
    evidence: tuple[str, ...]
    customer: tuple[ActionRef, ...]
    onstage: tuple[ActionRef, ...]
    time: str
    emotion: str
    emotion_value: int | None


@dataclass(frozen=True)
class TouchpointRow:
    step: int
    customer: ActionRef
    arrow: str
    staff: ActionRef
    role: str
    label: str | None


def journey_rows(builder: Builder) -> tuple[JourneyRow, ...]:
    bp = builder.bp
    rows = []
    for step in bp.steps:
        actions = builder.find.in_step(step.index)
        customer = [a for a in actions if a.zone is Zone.CUSTOMER]
        low = high = 0.0
        timed = False
        for a in actions:
            for value in (a.duration if a.zone is Zone.CUSTOMER else None, a.wait):
                if value is not None:
                    low, high, timed = low + value.min_seconds, high + value.max_seconds, True
        emotions = [a.emotion for a in customer if a.emotion is not None]
        emotion = min(emotions) if emotions else None
        rows.append(
            JourneyRow(
                index=step.index,
                label=step.label,
                phase=step.phase,
                evidence=tuple(e.label for e in builder.find.evidence_of(step.index)),
                customer=tuple(builder.ref(a) for a in customer),
                onstage=tuple(builder.ref(a) for a in actions if a.zone is Zone.ONSTAGE),
                time=show_seconds_range(low, high) if timed else DASH,
                emotion=DASH if emotion is None else f"{emotion:+d}",
                emotion_value=emotion,
            )
        )
    return tuple(rows)


def touchpoint_rows(builder: Builder) -> tuple[TouchpointRow, ...]:
    bp = builder.bp
    rows = []
    for flow in bp.flows:
        if Line.INTERACTION not in flow.crosses:
            continue
        source, target = bp.action(flow.source), bp.action(flow.target)
        forward = source.zone.level < target.zone.level
        customer, staff = (source, target) if forward else (target, source)
        arrow = ARROWS[flow.kind] if forward else BACK_ARROWS[flow.kind]
        rows.append(
            TouchpointRow(
                step=customer.step_index,
                customer=builder.ref(customer),
                arrow=arrow,
                staff=builder.ref(staff),
                role=staff.role or DASH,
                label=flow.label,
            )
        )
    return tuple(sorted(rows, key=lambda r: r.step))


@dataclass(frozen=True)
class TriggerRow:
    step: int
    action: ActionRef
    trigger: str  # what starts it, or the words for "no reason written"
    reason: bool  # False when no reason is written
    leads_to: tuple[ActionRef, ...]


def trigger_rows(builder: Builder) -> tuple[TriggerRow, ...]:
    """Every action with a `trigger`, in written order, with where its flows lead."""
    bp = builder.bp
    rows = []
    for a in bp.actions:
        if a.trigger is None:
            continue
        targets = dict.fromkeys(f.target for f in builder.find.out_of(a.key))
        rows.append(
            TriggerRow(
                step=a.step_index,
                action=builder.ref(a),
                trigger=a.trigger or builder.w["no_trigger_reason"],
                reason=bool(a.trigger),
                leads_to=tuple(builder.ref(bp.action(k)) for k in targets),
            )
        )
    return tuple(rows)
