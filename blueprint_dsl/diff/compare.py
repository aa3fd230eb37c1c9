"""`bpc diff`: what changed between two versions of a blueprint, by ids and structure.

Elements are matched by id; steps without an id by label, actions without an id by
their step, lane and label. Only the compiled models are compared, never the text, so a
change of layout, comments or spelling (`10m` for `600s`) is no difference at all.
Output formats are in diff_output.py.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..analysis.figures import Analysis, analyse
from ..model.blueprint import Action, Blueprint, Duration, FailPoint, Flow, Metric, Quantity, Step
from ..model.values import format_seconds

SECTIONS: tuple[str, ...] = (
    "header",
    "phases",
    "steps",
    "lanes",
    "actions",
    "times",
    "fail points",
    "flows",
    "evidence",
)

SECTION_TITLES: dict[str, str] = {
    "header": "Header",
    "phases": "Phases",
    "steps": "Steps",
    "lanes": "Lanes",
    "actions": "Actions",
    "times": "Durations, waits and standards",
    "fail points": "Fail points and recoveries",
    "flows": "Flows",
    "evidence": "Physical evidence",
}


@dataclass(frozen=True)
class Change:
    """One difference. `what` and `ref` name the element (`action`, `greet`), `label` is its
    label, `field` the attribute that changed; `old`/`new` are human-readable values."""

    section: str
    kind: str  # added | removed | changed | moved | renamed
    what: str
    ref: str | None = None
    label: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    context: str | None = None  # e.g. "in step “Eat”, lane Waiter"
    parent_ref: str | None = None  # for fail points, recoveries, metrics, notes: the action
    parent_label: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "section": self.section,
            "kind": self.kind,
            "what": self.what,
            "ref": self.ref,
            "label": self.label,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "context": self.context,
            "parent_ref": self.parent_ref,
            "parent_label": self.parent_label,
        }


@dataclass(frozen=True)
class Figure:
    name: str  # the key in analysis.to_json()
    title: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class BlueprintDiff:
    old_path: str
    new_path: str
    old_title: str
    new_title: str
    changes: tuple[Change, ...]
    figures: tuple[Figure, ...]
    old_analysis: Analysis
    new_analysis: Analysis
    by_section: dict[str, list[Change]] = field(default_factory=dict, compare=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or any(f.changed for f in self.figures)


# ---------------------------------------------------------------------------- values


def _dur(value: Duration | None) -> str | None:
    return None if value is None else value.text


def _same_duration(a: Duration | None, b: Duration | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.min_seconds, a.max_seconds) == (b.min_seconds, b.max_seconds)


def _qty(value: Quantity | None) -> str | None:
    return None if value is None else value.text


def _same_quantity(a: Quantity | None, b: Quantity | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.kind, a.value) == (b.kind, b.value)


def _num(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


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


# -------------------------------------------------------------------------- matching


def _lis_keep(sequence: Sequence[int]) -> set[int]:
    """Positions (into `sequence`) of one longest increasing subsequence, in O(n log n)."""
    tails: list[int] = []  # tails[k]: the value ending the best run of length k + 1
    tail_at: list[int] = []  # ... and its position
    previous = [-1] * len(sequence)
    for i, value in enumerate(sequence):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
        previous[i] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        keep.add(position)
        position = previous[position]
    return keep


def _match_steps(old: Blueprint, new: Blueprint) -> dict[int, int]:
    """Old step index -> new step index."""
    mapping: dict[int, int] = {}
    used: set[int] = set()
    new_by_id = {s.id: s for s in new.steps if s.id is not None}
    for step in old.steps:
        if step.id is not None and step.id in new_by_id:
            mapping[step.index] = new_by_id[step.id].index
            used.add(new_by_id[step.id].index)
    new_by_label: dict[str, list[Step]] = {}
    for candidate in new.steps:
        new_by_label.setdefault(candidate.label, []).append(candidate)
    for step in old.steps:
        if step.index in mapping:
            continue
        for candidate in new_by_label.get(step.label, []):
            if candidate.index in used:
                continue
            if step.id is not None and candidate.id is not None:
                continue  # both have ids and they differ: different steps
            mapping[step.index] = candidate.index
            used.add(candidate.index)
            break
    # A renamed step without an id: it keeps at least one of its actions.
    new_ids = {a.id: a.step_index for a in new.actions if a.id is not None}
    old_ids: dict[int, list[str]] = {}
    for action in old.actions:
        if action.id is not None:
            old_ids.setdefault(action.step_index, []).append(action.id)
    for step in old.steps:
        if step.index in mapping:
            continue
        votes = [
            new_ids[name]
            for name in old_ids.get(step.index, [])
            if name in new_ids and new_ids[name] not in used
        ]
        if votes:
            target = max(sorted(set(votes)), key=votes.count)
            mapping[step.index] = target
            used.add(target)
    return mapping


def _match_actions(old: Blueprint, new: Blueprint, steps: dict[int, int]) -> dict[str, str]:
    """Old action key -> new action key."""
    mapping: dict[str, str] = {}
    new_by_id = {a.id: a for a in new.actions if a.id is not None}
    for action in old.actions:
        if action.id is not None and action.id in new_by_id:
            mapping[action.key] = new_by_id[action.id].key
    used = set(mapping.values())
    unnamed_new: dict[tuple[int, str], list[Action]] = {}
    for candidate in new.actions:
        if candidate.id is None:
            unnamed_new.setdefault((candidate.step_index, candidate.label), []).append(candidate)
    for strict in (True, False):
        for action in old.actions:
            if action.key in mapping or action.id is not None:
                continue
            step = steps.get(action.step_index, -1)
            for candidate in unnamed_new.get((step, action.label), []):
                if candidate.key in used:
                    continue
                if strict and candidate.lane != action.lane:
                    continue
                mapping[action.key] = candidate.key
                used.add(candidate.key)
                break
    return mapping


# ------------------------------------------------------------------------- comparing


class _Differ:
    def __init__(self, old: Blueprint, new: Blueprint) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.steps = _match_steps(old, new)
        self.actions = _match_actions(old, new, self.steps)
        self.phase_renames: dict[str, str] = {}

    def add(self, section: str, kind: str, what: str, **kwargs: str | None) -> None:
        self.changes.append(Change(section, kind, what, **kwargs))

    # -- naming
    def step_name(self, bp: Blueprint, index: int) -> str:
        return f"“{bp.steps[index - 1].label}”"

    def lane_name(self, bp: Blueprint, lane_id: str) -> str:
        return bp.lane(lane_id).label

    def where(self, bp: Blueprint, action: Action) -> str:
        step = self.step_name(bp, action.step_index)
        return f"in step {step}, lane {self.lane_name(bp, action.lane)}"

    def ref(self, bp: Blueprint, key: str) -> str:
        action = bp.action(key)
        return action.id if action.id is not None else f"“{action.label}”"

    # -- sections
    def header(self) -> None:
        old, new = self.old.header, self.new.header
        fields: list[tuple[str, str | None, str | None]] = [
            ("title", old.title, new.title),
            ("id", old.id, new.id),
            ("version", old.version, new.version),
            ("owner", old.owner, new.owner),
            ("persona", old.persona, new.persona),
            ("description", old.description, new.description),
            ("locale", old.locale, new.locale),
            ("currency", old.currency, new.currency),
        ]
        for name, a, b in fields:
            if a != b:
                self.add("header", "changed", "header", field=name, old=a, new=b)
        if not _same_duration(old.target, new.target):
            self.add(
                "header",
                "changed",
                "header",
                field="target",
                old=_dur(old.target),
                new=_dur(new.target),
            )

    def phases(self) -> None:
        old_labels = [p.label for p in self.old.phases]
        new_labels = [p.label for p in self.new.phases]
        removed = [p for p in self.old.phases if p.label not in new_labels]
        added = [p for p in self.new.phases if p.label not in old_labels]
        for phase in list(removed):
            steps = {self.steps.get(i) for i in range(phase.first_step, phase.last_step + 1)}
            for candidate in added:
                if steps & set(range(candidate.first_step, candidate.last_step + 1)):
                    self.phase_renames[phase.label] = candidate.label
                    self.add(
                        "phases",
                        "renamed",
                        "phase",
                        field="label",
                        old=phase.label,
                        new=candidate.label,
                    )
                    removed.remove(phase)
                    added.remove(candidate)
                    break
        for phase in removed:
            self.add("phases", "removed", "phase", label=phase.label)
        for phase in added:
            self.add("phases", "added", "phase", label=phase.label)

    def steps_(self) -> None:
        old, new = self.old, self.new
        matched_new = set(self.steps.values())
        for step in old.steps:
            if step.index not in self.steps:
                self.add(
                    "steps",
                    "removed",
                    "step",
                    ref=step.id,
                    label=step.label,
                    context=f"was step {step.index}",
                )
        for step in new.steps:
            if step.index not in matched_new:
                self.add(
                    "steps",
                    "added",
                    "step",
                    ref=step.id,
                    label=step.label,
                    context=_step_context(new, step),
                )
        pairs = sorted(self.steps.items())
        keep = _lis_keep([b for _, b in pairs])
        for position, (a, b) in enumerate(pairs):
            before, after = old.steps[a - 1], new.steps[b - 1]
            if position not in keep:
                self.add(
                    "steps",
                    "moved",
                    "step",
                    ref=after.id,
                    label=after.label,
                    field="position",
                    old=str(a),
                    new=str(b),
                )
            if before.label != after.label:
                self.add(
                    "steps",
                    "renamed",
                    "step",
                    ref=after.id,
                    field="label",
                    old=before.label,
                    new=after.label,
                )
            if before.id != after.id:
                self.add(
                    "steps",
                    "changed",
                    "step",
                    label=after.label,
                    field="id",
                    old=before.id,
                    new=after.id,
                )
            old_phase = self.phase_renames.get(before.phase or "", before.phase)
            if old_phase != after.phase:
                self.add(
                    "steps",
                    "moved",
                    "step",
                    ref=after.id,
                    label=after.label,
                    field="phase",
                    old=before.phase or "none",
                    new=after.phase or "none",
                )

    def lanes(self) -> None:
        old = {lane.id: lane for lane in self.old.lanes if lane.declared}
        new = {lane.id: lane for lane in self.new.lanes if lane.declared}
        for lane_id, lane in old.items():
            if lane_id not in new:
                self.add(
                    "lanes",
                    "removed",
                    "lane",
                    ref=lane_id,
                    label=lane.label,
                    context=f"in {lane.zone.value}",
                )
        for lane_id, lane in new.items():
            if lane_id not in old:
                self.add(
                    "lanes",
                    "added",
                    "lane",
                    ref=lane_id,
                    label=lane.label,
                    context=f"in {lane.zone.value}",
                )
                continue
            before = old[lane_id]
            if before.label != lane.label:
                self.add(
                    "lanes",
                    "renamed",
                    "lane",
                    ref=lane_id,
                    field="label",
                    old=before.label,
                    new=lane.label,
                )
            if before.zone is not lane.zone:
                self.add(
                    "lanes",
                    "moved",
                    "lane",
                    ref=lane_id,
                    label=lane.label,
                    field="zone",
                    old=before.zone.value,
                    new=lane.zone.value,
                )

    def actions_(self) -> None:
        old, new = self.old, self.new
        matched_new = set(self.actions.values())
        for action in old.actions:
            if action.key not in self.actions:
                self.add(
                    "actions",
                    "removed",
                    "action",
                    ref=action.id,
                    label=action.label,
                    context=self.where(old, action),
                )
                for fail in action.fails:
                    self._fail("removed", action, fail)
        for action in new.actions:
            if action.key not in matched_new:
                self.add(
                    "actions",
                    "added",
                    "action",
                    ref=action.id,
                    label=action.label,
                    context=self.where(new, action),
                )
                for fail in action.fails:
                    self._fail("added", action, fail)
        for old_key, new_key in self.actions.items():
            self._action(old.action(old_key), new.action(new_key))

    def _fail(self, kind: str, action: Action, fail: FailPoint) -> None:
        recovery = f"recovery “{fail.recover}”" if fail.recover else "no recovery"
        self.add(
            "fail points",
            kind,
            "fail point",
            label=fail.what,
            context=recovery,
            parent_ref=action.id,
            parent_label=action.label,
        )

    def _action(self, a: Action, b: Action) -> None:
        ref, label = b.id, b.label

        def changed(section: str, name: str, old: str | None, new: str | None) -> None:
            self.add(
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
            self.add(
                "actions", "renamed", "action", ref=ref, field="label", old=a.label, new=b.label
            )
        if a.lane != b.lane:
            self.add(
                "actions",
                "moved",
                "action",
                ref=ref,
                label=label,
                field="lane",
                old=self.lane_name(self.old, a.lane),
                new=self.lane_name(self.new, b.lane),
            )
        if self.steps.get(a.step_index) != b.step_index:
            self.add(
                "actions",
                "moved",
                "action",
                ref=ref,
                label=label,
                field="step",
                old=self.step_name(self.old, a.step_index),
                new=self.step_name(self.new, b.step_index),
            )
        for name in ("duration", "wait", "standard"):
            before, after = getattr(a, name), getattr(b, name)
            if not _same_duration(before, after):
                changed("times", name, _dur(before), _dur(after))
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
        self._metrics(a, b)
        for note in a.notes:
            if note not in b.notes:
                self.add(
                    "actions", "removed", "note", label=note, parent_ref=ref, parent_label=label
                )
        for note in b.notes:
            if note not in a.notes:
                self.add("actions", "added", "note", label=note, parent_ref=ref, parent_label=label)
        old_fails = {f.what: f for f in a.fails}
        new_fails = {f.what: f for f in b.fails}
        for what, fail in old_fails.items():
            if what not in new_fails:
                self._fail("removed", b, fail)
        for what, fail in new_fails.items():
            if what not in old_fails:
                self._fail("added", b, fail)
            elif old_fails[what].recover != fail.recover:
                before = old_fails[what].recover
                if before is not None and fail.recover is not None:
                    self.add(
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
                    self.add(
                        "fail points",
                        "added" if before is None else "removed",
                        "recovery",
                        label=fail.recover or before,
                        context=f"for fail point “{what}”",
                        parent_ref=ref,
                        parent_label=label,
                    )

    def _metrics(self, a: Action, b: Action) -> None:
        old: dict[str, Metric] = {m.name: m for m in a.metrics}
        new: dict[str, Metric] = {m.name: m for m in b.metrics}
        for name in old:
            if name not in new:
                self.add(
                    "actions",
                    "removed",
                    "metric",
                    label=name,
                    parent_ref=b.id,
                    parent_label=b.label,
                )
        for name, metric in new.items():
            if name not in old:
                self.add(
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
            if not _same_quantity(before.value, metric.value) or not _same_quantity(
                before.target, metric.target
            ):
                self.add(
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

    def flows(self) -> None:
        def key(bp: Blueprint, flow: Flow, translate: dict[str, str] | None) -> tuple[str, str]:
            if translate is None:
                return (flow.source, flow.target)
            return (
                translate.get(flow.source, "old:" + flow.source),
                translate.get(flow.target, "old:" + flow.target),
            )

        old_flows = [(key(self.old, f, self.actions), f) for f in self.old.flows if not f.implicit]
        new_flows = [(key(self.new, f, None), f) for f in self.new.flows if not f.implicit]
        # new flows by (source, target), in order; matched ones are taken out
        remaining: dict[tuple[str, str], list[Flow]] = {}
        for pair, flow in new_flows:
            remaining.setdefault(pair, []).append(flow)
        unmatched_old: list[tuple[tuple[str, str], Flow]] = []
        for pair, flow in old_flows:
            same = remaining.get(pair, [])
            found = next((i for i, f in enumerate(same) if f.kind is flow.kind), None)
            if found is None:
                unmatched_old.append((pair, flow))
                continue
            after = same.pop(found)
            if flow.label != after.label:
                self.add(
                    "flows",
                    "changed",
                    "flow",
                    ref=self._flow_ref(self.new, after),
                    field="label",
                    old=flow.label or "none",
                    new=after.label or "none",
                )
        for pair, flow in unmatched_old:
            if remaining.get(pair):
                after = remaining[pair].pop(0)
                self.add(
                    "flows",
                    "changed",
                    "flow",
                    ref=self._flow_ref(self.new, after),
                    field="arrow",
                    old=flow.kind.value,
                    new=after.kind.value,
                )
                continue
            self.add(
                "flows",
                "removed",
                "flow",
                ref=self._flow_ref(self.old, flow),
                context=_crossing(flow),
            )
        left = {id(f) for flows in remaining.values() for f in flows}
        for _, flow in new_flows:
            if id(flow) not in left:
                continue
            self.add(
                "flows",
                "added",
                "flow",
                ref=self._flow_ref(self.new, flow),
                context=_crossing(flow),
            )

    def _flow_ref(self, bp: Blueprint, flow: Flow) -> str:
        text = f"{self.ref(bp, flow.source)} {flow.kind.value} {self.ref(bp, flow.target)}"
        return text + (f" : “{flow.label}”" if flow.label else "")

    def evidence(self) -> None:
        old_at: dict[int, list[str]] = {}
        new_at: dict[int, list[str]] = {}
        for item in self.old.evidence:
            old_at.setdefault(item.step_index, []).append(item.label)
        for item in self.new.evidence:
            new_at.setdefault(item.step_index, []).append(item.label)
        for a, b in sorted(self.steps.items()):
            old_items, new_items = old_at.get(a, []), new_at.get(b, [])
            where = f"in step {self.step_name(self.new, b)}"
            for label in old_items:
                if label not in new_items:
                    self.add("evidence", "removed", "evidence", label=label, context=where)
            for label in new_items:
                if label not in old_items:
                    self.add("evidence", "added", "evidence", label=label, context=where)


def _step_context(bp: Blueprint, step: Step) -> str:
    parts = [f"step {step.index}"]
    if step.phase:
        parts.append(f"in phase “{step.phase}”")
    evidence = [f"“{e.label}”" for e in bp.evidence_in_step(step.index)]
    if evidence:
        parts.append("evidence " + ", ".join(evidence))
    return ", ".join(parts)


def _crossing(flow: Flow) -> str | None:
    from ..model.blueprint import Line

    if Line.INTERACTION in flow.crosses:
        return "a service encounter"
    if Line.INTERNAL in flow.crosses:
        return "an internal encounter"
    return None


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
    return text + (f" (target {metric.target.text})" if metric.target is not None else "")


def diff_blueprints(old: Blueprint, new: Blueprint) -> BlueprintDiff:
    """Every semantic difference between two compiled blueprints."""
    differ = _Differ(old, new)
    differ.header()
    differ.phases()
    differ.steps_()
    differ.lanes()
    differ.actions_()
    differ.flows()
    differ.evidence()
    order = {name: i for i, name in enumerate(SECTIONS)}
    changes = sorted(differ.changes, key=lambda c: order[c.section])
    old_analysis, new_analysis = analyse(old), analyse(new)
    by_section: dict[str, list[Change]] = {}
    for change in changes:
        by_section.setdefault(change.section, []).append(change)
    return BlueprintDiff(
        old.path,
        new.path,
        old.header.title,
        new.header.title,
        tuple(changes),
        figures(old_analysis, new_analysis),
        old_analysis,
        new_analysis,
        by_section,
    )


def sections(diff: BlueprintDiff) -> Iterable[tuple[str, list[Change]]]:
    for name in SECTIONS:
        if diff.by_section.get(name):
            yield name, diff.by_section[name]
