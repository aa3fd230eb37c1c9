"""Which parts of the drawings a visual diff marks: what was added, changed or removed.

Actions and steps are matched as the text diff matches them (matching.py, through a
`Differ`): an unmatched new action was added, an unmatched old one removed. A matched
action is *changed* when the text diff names it in a change (its label, lane, step,
times, fail points, metrics, notes ...), so the drawing marks exactly the actions the
change list talks about. Flows are found by the reference the text diff gives them
(`greet -> seat`), evidence by its step and label. Nothing here draws anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model.blueprint import Blueprint, Flow
from .differ import Differ
from .result import BlueprintDiff, Change

ACTION_SECTIONS = frozenset({"actions", "times", "fail points"})
CHANGE_KINDS = frozenset({"changed", "moved", "renamed"})


@dataclass(frozen=True)
class Marks:
    """Keys and indexes of what changed. New-side: `added_*`/`changed_*` (action keys of
    the new blueprint, flow and evidence indexes in its lists, step indexes); old-side:
    `removed_*` (action keys and flow indexes of the old blueprint). All sorted."""

    added_actions: tuple[str, ...]
    changed_actions: tuple[str, ...]
    removed_actions: tuple[str, ...]
    added_flows: tuple[int, ...]
    changed_flows: tuple[int, ...]
    removed_flows: tuple[int, ...]
    added_steps: tuple[int, ...]
    changed_steps: tuple[int, ...]
    added_evidence: tuple[int, ...]
    steps: dict[int, int]  # old step index -> new step index
    actions: dict[str, str]  # old action key -> new action key

    @property
    def empty(self) -> bool:
        return not (
            self.added_actions
            or self.changed_actions
            or self.removed_actions
            or self.added_flows
            or self.changed_flows
            or self.removed_flows
            or self.added_steps
            or self.changed_steps
            or self.added_evidence
        )


def flow_ref(differ: Differ, bp: Blueprint, flow: Flow) -> str:
    """A flow as the text diff names it: `source -> target : “label”`."""
    text = f"{differ.ref(bp, flow.source)} {flow.kind.value} {differ.ref(bp, flow.target)}"
    return text + (f" : “{flow.label}”" if flow.label else "")


def _take(refs: Iterable[str], pool: dict[str, list[int]]) -> set[int]:
    """For each ref, the last unused flow index with that ref (the text diff reports the
    flows left over after matching, which are the later ones of a repeated pair)."""
    taken: set[int] = set()
    for ref in refs:
        left = [i for i in pool.get(ref, []) if i not in taken]
        if left:
            taken.add(left[-1])
    return taken


def _changed_actions(new: Blueprint, changes: Iterable[Change], matched_new: set[str]) -> set[str]:
    by_id = {a.id: a.key for a in new.actions if a.id is not None}
    by_label: dict[str, list[str]] = {}
    for a in new.actions:
        if a.id is None:
            by_label.setdefault(a.label, []).append(a.key)
    found: set[str] = set()
    for c in changes:
        if c.section not in ACTION_SECTIONS:
            continue
        if c.what == "action":
            if c.kind not in CHANGE_KINDS:
                continue
            ident, label = c.ref, (c.new if c.field == "label" else c.label)
        else:  # a fail point, recovery, metric or note of an action
            ident, label = c.parent_ref, c.parent_label
        if ident is not None and ident in by_id:
            keys = [by_id[ident]]
        else:
            keys = by_label.get(label or "", []) if ident is None else []
        found.update(k for k in keys if k in matched_new)
    return found


def _flows(differ: Differ, changes: Iterable[Change]) -> tuple[set[int], set[int], set[int]]:
    old, new = differ.old, differ.new
    new_pool: dict[str, list[int]] = {}
    old_pool: dict[str, list[int]] = {}
    for i, f in enumerate(new.flows):
        if not f.implicit:
            new_pool.setdefault(flow_ref(differ, new, f), []).append(i)
    for i, f in enumerate(old.flows):
        if not f.implicit:
            old_pool.setdefault(flow_ref(differ, old, f), []).append(i)
    flows = [c for c in changes if c.section == "flows" and c.what == "flow" and c.ref]
    added = _take((c.ref or "" for c in flows if c.kind == "added"), new_pool)
    changed = _take((c.ref or "" for c in flows if c.kind == "changed"), new_pool)
    removed = _take((c.ref or "" for c in flows if c.kind == "removed"), old_pool)
    return added, changed - added, removed


def _evidence(differ: Differ, added_steps: set[int]) -> set[int]:
    old_at: dict[int, list[str]] = {}
    for item in differ.old.evidence:
        old_at.setdefault(item.step_index, []).append(item.label)
    back = {b: a for a, b in differ.steps.items()}
    found: set[int] = set()
    for i, item in enumerate(differ.new.evidence):
        if item.step_index in added_steps or (
            item.step_index in back and item.label not in old_at.get(back[item.step_index], [])
        ):
            found.add(i)
    return found


def marks_for(old: Blueprint, new: Blueprint, diff: BlueprintDiff) -> Marks:
    """What to mark on the drawing of `new` (and the ghosts from `old`) for `diff`."""
    differ = Differ(old, new)
    matched_new = set(differ.actions.values())
    added = {a.key for a in new.actions if a.key not in matched_new}
    removed = {a.key for a in old.actions if a.key not in differ.actions}
    changed = _changed_actions(new, diff.changes, matched_new)
    added_flows, changed_flows, removed_flows = _flows(differ, diff.changes)
    matched_steps = set(differ.steps.values())
    added_steps = {s.index for s in new.steps if s.index not in matched_steps}
    step_labels = {c.label for c in diff.changes if c.what == "step" and c.kind in CHANGE_KINDS}
    step_labels |= {c.new for c in diff.changes if c.what == "step" and c.field == "label"}
    changed_steps = {
        s.index for s in new.steps if s.index in matched_steps and s.label in step_labels
    }
    order = {a.key: i for i, a in enumerate(new.actions)}
    old_order = {a.key: i for i, a in enumerate(old.actions)}
    return Marks(
        added_actions=tuple(sorted(added, key=order.__getitem__)),
        changed_actions=tuple(sorted(changed, key=order.__getitem__)),
        removed_actions=tuple(sorted(removed, key=old_order.__getitem__)),
        added_flows=tuple(sorted(added_flows)),
        changed_flows=tuple(sorted(changed_flows)),
        removed_flows=tuple(sorted(removed_flows)),
        added_steps=tuple(sorted(added_steps)),
        changed_steps=tuple(sorted(changed_steps)),
        added_evidence=tuple(sorted(_evidence(differ, added_steps))),
        steps=dict(differ.steps),
        actions=dict(differ.actions),
    )
