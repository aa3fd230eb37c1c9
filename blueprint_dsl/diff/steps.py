"""The columns of the blueprint in `bpc diff`: phases (renamed when a removed and an added
phase share a matched step), steps (added, removed, renamed, given another id, moved to
another phase, or moved in order, where only the steps off one longest run kept in
order count as moved) and the physical evidence of each matched step.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from ..model.blueprint import Blueprint, Step
from .differ import Differ


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


def diff_phases(differ: Differ) -> None:
    old_labels = [p.label for p in differ.old.phases]
    new_labels = [p.label for p in differ.new.phases]
    removed = [p for p in differ.old.phases if p.label not in new_labels]
    added = [p for p in differ.new.phases if p.label not in old_labels]
    for phase in list(removed):
        steps = {differ.steps.get(i) for i in range(phase.first_step, phase.last_step + 1)}
        for candidate in added:
            if steps & set(range(candidate.first_step, candidate.last_step + 1)):
                differ.phase_renames[phase.label] = candidate.label
                differ.add(
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
        differ.add("phases", "removed", "phase", label=phase.label)
    for phase in added:
        differ.add("phases", "added", "phase", label=phase.label)


def diff_steps(differ: Differ) -> None:
    old, new = differ.old, differ.new
    matched_new = set(differ.steps.values())
    for step in old.steps:
        if step.index not in differ.steps:
            differ.add(
                "steps",
                "removed",
                "step",
                ref=step.id,
                label=step.label,
                context=f"was step {step.index}",
            )
    for step in new.steps:
        if step.index not in matched_new:
            differ.add(
                "steps",
                "added",
                "step",
                ref=step.id,
                label=step.label,
                context=_step_context(new, step),
            )
    pairs = sorted(differ.steps.items())
    keep = _lis_keep([b for _, b in pairs])
    for position, (a, b) in enumerate(pairs):
        before, after = old.steps[a - 1], new.steps[b - 1]
        if position not in keep:
            differ.add(
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
            differ.add(
                "steps",
                "renamed",
                "step",
                ref=after.id,
                field="label",
                old=before.label,
                new=after.label,
            )
        if before.id != after.id:
            differ.add(
                "steps",
                "changed",
                "step",
                label=after.label,
                field="id",
                old=before.id,
                new=after.id,
            )
        old_phase = differ.phase_renames.get(before.phase or "", before.phase)
        if old_phase != after.phase:
            differ.add(
                "steps",
                "moved",
                "step",
                ref=after.id,
                label=after.label,
                field="phase",
                old=before.phase or "none",
                new=after.phase or "none",
            )


def diff_evidence(differ: Differ) -> None:
    old_at: dict[int, list[str]] = {}
    new_at: dict[int, list[str]] = {}
    for item in differ.old.evidence:
        old_at.setdefault(item.step_index, []).append(item.label)
    for item in differ.new.evidence:
        new_at.setdefault(item.step_index, []).append(item.label)
    for a, b in sorted(differ.steps.items()):
        old_items, new_items = old_at.get(a, []), new_at.get(b, [])
        where = f"in step {differ.step_name(differ.new, b)}"
        for label in old_items:
            if label not in new_items:
                differ.add("evidence", "removed", "evidence", label=label, context=where)
        for label in new_items:
            if label not in old_items:
                differ.add("evidence", "added", "evidence", label=label, context=where)


def _step_context(bp: Blueprint, step: Step) -> str:
    parts = [f"step {step.index}"]
    if step.phase:
        parts.append(f"in phase “{step.phase}”")
    evidence = [f"“{e.label}”" for e in bp.evidence_in_step(step.index)]
    if evidence:
        parts.append("evidence " + ", ".join(evidence))
    return ", ".join(parts)
