"""What every table and card of the report needs from one blueprint: its locale and
words, the detail links of this run, and how lanes, steps and actions are named, as a
`Builder` the section modules (cards, journey, fails, lanes) take; its `find` (a
`lookup.Lookup`) answers which flows, actions and evidence belong to what without a
scan. `Field` (a label and its value) and `ActionRef` (an action as a link into the
diagram) are shared by them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model.blueprint import Action, Blueprint
from ..model.locale import zone_name
from . import targets
from .lookup import Lookup
from .words import words_for


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class ActionRef:
    key: str
    label: str
    lane: str

    @property
    def ref(self) -> str:
        return targets.action_ref(self.key)


class Builder:
    def __init__(self, bp: Blueprint, detail_links: Mapping[str, str]) -> None:
        self.bp = bp
        self.locale = bp.header.locale
        self.w = words_for(self.locale)
        self.detail_links = detail_links
        self.find = Lookup(bp)  # flows by action, actions by step and lane, steps by index

    def lane_label(self, lane_id: str) -> str:
        """A declared lane's label; a zone's own lane is named after the zone."""
        lane = self.bp.lane(lane_id)
        return lane.label if lane.declared else zone_name(lane.zone, self.locale)

    def ref(self, action: Action) -> ActionRef:
        return ActionRef(action.key, action.label, self.lane_label(action.lane))

    def step_label(self, index: int) -> str:
        step = self.find.steps.get(index)
        return f"{index} · {step.label}" if step is not None else str(index)
