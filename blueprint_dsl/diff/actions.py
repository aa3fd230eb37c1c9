"""Actions in `bpc diff`: added and removed actions (with their fail points), and for each
matched pair every attribute that changed: label, lane, step, duration, wait and
standard (the "times" section), role, decision, moment of truth, emotion, cost, detail,
trigger, parallel group (0.2), metrics (with their direction), notes, and fail points
with their recoveries (the "fail points" section).
"""

from __future__ import annotations

from ..model.blueprint import Action, FailPoint, Metric, Quantity
from .differ import Differ, duration_text, same_duration

# ---------------------------------------------------------------------------- values


def _same_quantity(a: Quantity | None, b: Quantity | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.kind, a.value) == (b.kind, b.value)


def _num(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _moment(action: Action) -> str:
    if not action.moment:
        return "no"
    return f"yes (“{action.moment_note}”)" if action.moment_note else "yes"


def _signed(value: int | None) -> str | None:
    return None if value is None else f"{value:+d}" if value else "0"


def _metric_value(metric: Metric) -> str:
    text = metric.value.text
    if metric.target is None:
        return text
    direction = "<= " if metric.lower_is_better else ""
    return text + f" (target {direction}{metric.target.text})"


def _trigger(action: Action) -> str:
    if action.trigger is None:
        return "no"
    return f"yes (“{action.trigger}”)" if action.trigger else "yes"


def _parallel(differ: Differ, bp_side: str, action: Action) -> str:
    """`with X, Y` for an action in a parallel group, `no` otherwise."""
    if action.parallel_group is None:
        return "no"
    bp = differ.old if bp_side == "old" else differ.new
    group = next(g for g in bp.parallel_groups if g.index == action.parallel_group)
    others = [k for k in group.keys if k != action.key]
    return "with " + ", ".join(others) if others else "yes"


# ------------------------------------------------------------------------- comparing


def diff_actions(differ: Differ) -> None:
    old, new = differ.old, differ.new
    matched_new = set(differ.actions.values())
    for action in old.actions:
        if action.key not in differ.actions:
            differ.add(
                "actions",
                "removed",
                "action",
                ref=action.id,
                label=action.label,
                context=differ.where(old, action),
            )
            for fail in action.fails:
                _fail(differ, "removed", action, fail)
    for action in new.actions:
        if action.key not in matched_new:
            differ.add(
                "actions",
                "added",
                "action",
                ref=action.id,
                label=action.label,
                context=differ.where(new, action),
            )
            for fail in action.fails:
                _fail(differ, "added", action, fail)
    for old_key, new_key in differ.actions.items():
        _action(differ, old.action(old_key), new.action(new_key))


def _fail(differ: Differ, kind: str, action: Action, fail: FailPoint) -> None:
    recovery = f"recovery “{fail.recover}”" if fail.recover else "no recovery"
    differ.add(
        "fail points",
        kind,
        "fail point",
        label=fail.what,
        context=recovery,
        parent_ref=action.id,
        parent_label=action.label,
    )


def _action(differ: Differ, a: Action, b: Action) -> None:
    ref, label = b.id, b.label

    def changed(section: str, name: str, old: str | None, new: str | None) -> None:
        differ.add(
            section,
            "changed",
            "action",
            ref=ref,
            label=label,
            field=name,
            old=old or "none",
            new=new or "none",
        )

    if a.label != b.label:
        differ.add("actions", "renamed", "action", ref=ref, field="label", old=a.label, new=b.label)
    if a.lane != b.lane:
        differ.add(
            "actions",
            "moved",
            "action",
            ref=ref,
            label=label,
            field="lane",
            old=differ.lane_name(differ.old, a.lane),
            new=differ.lane_name(differ.new, b.lane),
        )
    if differ.steps.get(a.step_index) != b.step_index:
        differ.add(
            "actions",
            "moved",
            "action",
            ref=ref,
            label=label,
            field="step",
            old=differ.step_name(differ.old, a.step_index),
            new=differ.step_name(differ.new, b.step_index),
        )
    for name in ("duration", "wait", "standard"):
        before, after = getattr(a, name), getattr(b, name)
        if not same_duration(before, after):
            changed("times", name, duration_text(before), duration_text(after))
    if a.role != b.role:
        changed("actions", "role", a.role, b.role)
    if a.decision != b.decision:
        changed("actions", "decision", _yes(a.decision), _yes(b.decision))
    if a.moment != b.moment or a.moment_note != b.moment_note:
        changed("actions", "moment of truth", _moment(a), _moment(b))
    if a.emotion != b.emotion:
        changed("actions", "emotion", _signed(a.emotion), _signed(b.emotion))
    if a.cost != b.cost:
        changed("actions", "cost", _num(a.cost), _num(b.cost))
    if a.detail != b.detail:
        changed("actions", "detail", a.detail, b.detail)
    if a.trigger != b.trigger:
        changed("actions", "trigger", _trigger(a), _trigger(b))
    before, after = _parallel(differ, "old", a), _parallel(differ, "new", b)
    if (a.parallel_group is None) != (b.parallel_group is None) or (
        a.parallel_group is not None and before != after
    ):
        changed("actions", "parallel", before, after)
    _metrics(differ, a, b)
    for note in a.notes:
        if note not in b.notes:
            differ.add("actions", "removed", "note", label=note, parent_ref=ref, parent_label=label)
    for note in b.notes:
        if note not in a.notes:
            differ.add("actions", "added", "note", label=note, parent_ref=ref, parent_label=label)
    old_fails = {f.what: f for f in a.fails}
    new_fails = {f.what: f for f in b.fails}
    for what, fail in old_fails.items():
        if what not in new_fails:
            _fail(differ, "removed", b, fail)
    for what, fail in new_fails.items():
        if what not in old_fails:
            _fail(differ, "added", b, fail)
        elif old_fails[what].recover != fail.recover:
            before = old_fails[what].recover
            if before is not None and fail.recover is not None:
                differ.add(
                    "fail points",
                    "changed",
                    "fail point",
                    label=what,
                    field="recovery",
                    old=before,
                    new=fail.recover,
                    parent_ref=ref,
                    parent_label=label,
                )
            else:
                differ.add(
                    "fail points",
                    "added" if before is None else "removed",
                    "recovery",
                    label=fail.recover or before,
                    context=f"for fail point “{what}”",
                    parent_ref=ref,
                    parent_label=label,
                )


def _metrics(differ: Differ, a: Action, b: Action) -> None:
    old: dict[str, Metric] = {m.name: m for m in a.metrics}
    new: dict[str, Metric] = {m.name: m for m in b.metrics}
    for name in old:
        if name not in new:
            differ.add(
                "actions",
                "removed",
                "metric",
                label=name,
                parent_ref=b.id,
                parent_label=b.label,
            )
    for name, metric in new.items():
        if name not in old:
            differ.add(
                "actions",
                "added",
                "metric",
                label=name,
                context=_metric_value(metric),
                parent_ref=b.id,
                parent_label=b.label,
            )
            continue
        before = old[name]
        if (
            not _same_quantity(before.value, metric.value)
            or not _same_quantity(before.target, metric.target)
            or before.lower_is_better != metric.lower_is_better
        ):
            differ.add(
                "actions",
                "changed",
                "metric",
                label=name,
                field="value",
                old=_metric_value(before),
                new=_metric_value(metric),
                parent_ref=b.id,
                parent_label=b.label,
            )
