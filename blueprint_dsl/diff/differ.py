"""What every section of the comparison shares: the two blueprints, how their steps and
actions were matched (matching.py), the phase renames found so far, the list the
changes are added to, how steps, lanes and actions are named in a change, and how a
duration is shown and compared. The sections themselves are in header.py, steps.py,
lanes.py, actions.py and flows.py; compare.py runs them in order.
"""

from __future__ import annotations

from ..model.blueprint import Action, Blueprint, Duration
from .matching import match_actions, match_steps
from .result import Change


def duration_text(value: Duration | None) -> str | None:
    return None if value is None else value.text


def same_duration(a: Duration | None, b: Duration | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.min_seconds, a.max_seconds) == (b.min_seconds, b.max_seconds)


class Differ:
    def __init__(self, old: Blueprint, new: Blueprint) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.steps = match_steps(old, new)
        self.actions = match_actions(old, new, self.steps)
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
