"""The XML ids of the BPMN export: a prefix per kind and the bpc id (or n1, n2, …), so
they are unique, deterministic ASCII NCNames that still name the blueprint's ids."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.blueprint import Blueprint, FlowKind, Lane, Zone
from .bpmn_xml import xml_ids


@dataclass
class Ids:
    """The XML id of every element, by what it stands for in the blueprint."""

    drawn: list[Lane] = field(default_factory=list)  # the lanes bpc draws, in order
    lanes: dict[str, str] = field(default_factory=dict)  # lane id -> Lane_…
    actions: dict[str, str] = field(default_factory=dict)  # action key -> Action_…
    evidence: dict[int, str] = field(default_factory=dict)  # index -> Evidence_…
    flows: dict[int, str] = field(default_factory=dict)  # flow index -> Flow_… / Info_…
    fails: list[tuple[str, str, str]] = field(default_factory=list)  # (note, link, action key)
    phases: list[str] = field(default_factory=list)  # Phase_1, …
    start: tuple[str, str, str] | None = None  # (event id, flow id, first action key)
    end: tuple[str, str, str] | None = None  # (event id, flow id, last action key)


def make_ids(bp: Blueprint, lanes: list[Lane]) -> tuple[Ids, list[tuple[str, str]]]:
    names = xml_ids(bp)
    ids = Ids()
    ids.drawn = lanes
    ids.lanes = {lane.id: f"Lane_{names[f'lane:{lane.id}']}" for lane in lanes}
    ids.actions = {a.key: f"Action_{names[f'action:{a.key}']}" for a in bp.actions}
    ids.evidence = {i: f"Evidence_{names[f'evidence:{i}']}" for i in range(len(bp.evidence))}
    for index, flow in enumerate(bp.flows):
        ids.flows[index] = (
            f"Info_{index + 1}" if flow.kind is FlowKind.INFO else f"Flow_{index + 1}"
        )
    number = 0
    for action in bp.actions:
        for _ in action.fails:
            number += 1
            ids.fails.append((f"Fail_{number}", f"FailLink_{number}", action.key))
    ids.phases = [f"Phase_{n}" for n in range(1, len(bp.phases) + 1)]
    journey = [a for a in bp.actions if a.zone is Zone.CUSTOMER] or bp.actions
    if journey:
        first = min(journey, key=lambda a: a.step_index)
        last = max(reversed(journey), key=lambda a: a.step_index)
        ids.start = ("Start_1", "Flow_start", first.key)
        ids.end = ("End_1", "Flow_end", last.key)
    renamed = [
        (lane.id, ids.lanes[lane.id]) for lane in lanes if names[f"lane:{lane.id}"] != lane.id
    ]
    renamed += [
        (item.id, ids.evidence[index])
        for index, item in enumerate(bp.evidence)
        if item.id is not None and names[f"evidence:{index}"] != item.id
    ]
    renamed += [
        (a.id, ids.actions[a.key])
        for a in bp.actions
        if a.id is not None and names[f"action:{a.key}"] != a.id
    ]
    return ids, renamed
