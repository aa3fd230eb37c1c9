"""The action details of the report: one card per action with its zone, lane, step, id
and whichever attributes it has (role, times, emotion, cost, decision, moment of truth;
0.2: what starts it by itself, the actions it runs in parallel with), its fail points,
metrics (with their direction) and notes, its `detail` link, a decision's branches with
their shares, and the flows out of and into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.blueprint import Action
from ..model.locale import zone_name
from .builder import ActionRef, Builder, Field
from .lanes import metric_target
from .links import detail_href
from .values import ARROWS, show_duration


@dataclass(frozen=True)
class DetailLink:
    text: str
    href: str | None


@dataclass(frozen=True)
class ActionCard:
    action: ActionRef
    fields: tuple[Field, ...]
    fails: tuple[tuple[str, str | None], ...]
    metrics: tuple[Field, ...]
    notes: tuple[str, ...]
    detail: DetailLink | None
    flows_out: tuple[str, ...]
    flows_in: tuple[str, ...]
    branches: tuple[str, ...] = ()  # a decision's labelled ways out, with their shares
    branches_note: str = ""
    observed: tuple[Field, ...] = ()  # written against observed (set by `observed`)


def action_card(builder: Builder, a: Action) -> ActionCard:
    w, find = builder.w, builder.find
    fields = [
        Field(w["col_zone"], zone_name(a.zone, builder.locale)),
        Field(w["col_lane"], builder.lane_label(a.lane)),
        Field(w["col_step"], builder.step_label(a.step_index)),
    ]
    if a.id is not None:
        fields.append(Field(w["key"], a.id))
    optional: list[tuple[str, str | None]] = [
        (w["col_role"], a.role),
        (w["col_duration"], show_duration(a.duration) if a.duration else None),
        (w["col_wait"], show_duration(a.wait) if a.wait else None),
        (w["col_standard"], show_duration(a.standard) if a.standard else None),
        (w["col_emotion"], None if a.emotion is None else f"{a.emotion:+d}"),
        (w["cost"], None if a.cost is None else _cost(builder, a.cost)),
        (w["decision"], w["yes"] if a.decision else None),
        (w["moment"], (a.moment_note or w["yes"]) if a.moment else None),
        (w["starts_itself"], (a.trigger or w["yes"]) if a.trigger is not None else None),
        (w["parallel_with"], _parallel_with(builder, a)),
    ]
    fields.extend(Field(label, value) for label, value in optional if value is not None)
    metrics = tuple(
        Field(m.name, m.value.text + (f" / {metric_target(builder, m)}" if m.target else ""))
        for m in a.metrics
    )
    branches, branches_note = _branches(builder, a)
    bp = builder.bp
    flows_out = tuple(
        f"{ARROWS[f.kind]} {bp.action(f.target).label}" + (f" : {f.label}" if f.label else "")
        for f in find.out_of(a.key)
    )
    flows_in = tuple(
        f"{bp.action(f.source).label} {ARROWS[f.kind]}" + (f" : {f.label}" if f.label else "")
        for f in find.into(a.key)
    )
    detail = None
    if a.detail is not None:
        detail = DetailLink(a.detail, detail_href(a.detail, builder.detail_links))
    return ActionCard(
        builder.ref(a),
        tuple(fields),
        tuple((f.what, f.recover) for f in a.fails),
        metrics,
        tuple(a.notes),
        detail,
        flows_out,
        flows_in,
        branches,
        branches_note,
    )


def _parallel_with(builder: Builder, a: Action) -> str | None:
    """The labels of the other actions of its `parallel` group ("X, Y")."""
    if a.parallel_group is None:
        return None
    bp = builder.bp
    group = builder.find.groups.get(a.parallel_group)
    if group is None:
        return None
    others = [bp.action(k).label for k in group.keys if k != a.key]
    return ("、" if builder.locale == "zh" else ", ").join(others) or None


def _branches(builder: Builder, a: Action) -> tuple[tuple[str, ...], str]:
    """A decision's branches, "label → target · 90%", and a note when no share is written."""
    if not a.decision:
        return (), ""
    bp = builder.bp
    out = [f for f in builder.find.out_of(a.key) if not f.implicit]
    rows = []
    for f in out:
        share = "" if f.share is None else f" · {f.share * 100:.3g}%"
        rows.append(f"{f.label or '—'} → {bp.action(f.target).label}{share}")
    shared = any(f.share is not None for f in out)
    return tuple(rows), "" if shared or not out else builder.w["equal_shares"]


def _cost(builder: Builder, value: float) -> str:
    amount = f"{value:g}"
    currency = builder.bp.header.currency
    return f"{amount} {currency}" if currency else amount
