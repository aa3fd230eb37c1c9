"""Which element of the old blueprint is which of the new one, before anything is compared.

Steps are matched by id, then by label, then (a renamed step without an id) by the ids
of the actions it keeps; actions by id, then those without an id by their matched step
and label, preferring the same lane. What is left unmatched was removed or added.
"""

from __future__ import annotations

from ..model.blueprint import Action, Blueprint, Step


def match_steps(old: Blueprint, new: Blueprint) -> dict[int, int]:
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


def match_actions(old: Blueprint, new: Blueprint, steps: dict[int, int]) -> dict[str, str]:
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
