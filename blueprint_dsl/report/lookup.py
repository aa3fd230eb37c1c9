"""The lookups the report's sections share, built once per blueprint.

Every table and card of the report asks the same questions of the model: the flows out
of and into an action, the actions and evidence of a step, the actions of a lane, a step
or a parallel group by its index. Asked of `Blueprint`'s lists, each question is a scan,
and asked once per action the report grew with the square of the blueprint's size. Here
each list is read once into dicts; every list keeps the model's written order, and where
the model could hold two entries for one index the first wins, as a scan would find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from ..model.blueprint import Action, Blueprint, Evidence, Flow, ParallelGroup, Step

_K = TypeVar("_K")
_V = TypeVar("_V")


def group_by(items: Iterable[tuple[_K, _V]]) -> dict[_K, list[_V]]:
    """`(key, value)` pairs as lists by key, each in the order given."""
    out: dict[_K, list[_V]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return out


def first_by(items: Iterable[tuple[_K, _V]]) -> dict[_K, _V]:
    """`(key, value)` pairs by key, the first value of each key."""
    out: dict[_K, _V] = {}
    for key, value in items:
        out.setdefault(key, value)
    return out


class Lookup:
    """One blueprint's lists as dicts, read once: the report's sections ask these."""

    def __init__(self, bp: Blueprint) -> None:
        self.flows_out: dict[str, list[Flow]] = group_by((f.source, f) for f in bp.flows)
        self.flows_in: dict[str, list[Flow]] = group_by((f.target, f) for f in bp.flows)
        self.flows_at: dict[str, list[Flow]] = group_by(
            (key, f) for f in bp.flows for key in dict.fromkeys((f.source, f.target))
        )
        self.actions_in_step: dict[int, list[Action]] = group_by(
            (a.step_index, a) for a in bp.actions
        )
        self.evidence_in_step: dict[int, list[Evidence]] = group_by(
            (e.step_index, e) for e in bp.evidence
        )
        self.actions_in_lane: dict[str, list[Action]] = group_by((a.lane, a) for a in bp.actions)
        self.steps: dict[int, Step] = first_by((s.index, s) for s in bp.steps)
        self.groups: dict[int, ParallelGroup] = first_by((g.index, g) for g in bp.parallel_groups)

    def out_of(self, key: str) -> Sequence[Flow]:
        """The flows out of action `key`, in written order."""
        return self.flows_out.get(key, ())

    def into(self, key: str) -> Sequence[Flow]:
        """The flows into action `key`, in written order."""
        return self.flows_in.get(key, ())

    def at(self, key: str) -> Sequence[Flow]:
        """The flows out of or into action `key`, in written order, each once."""
        return self.flows_at.get(key, ())

    def in_step(self, index: int) -> Sequence[Action]:
        """The actions of step `index`, in written order (as `Blueprint.actions_in_step`)."""
        return self.actions_in_step.get(index, ())

    def evidence_of(self, index: int) -> Sequence[Evidence]:
        """The evidence of step `index`, in written order (as `Blueprint.evidence_in_step`)."""
        return self.evidence_in_step.get(index, ())

    def in_lane(self, lane_id: str) -> Sequence[Action]:
        """The actions of lane `lane_id`, in written order."""
        return self.actions_in_lane.get(lane_id, ())
