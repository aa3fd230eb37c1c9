"""Flows in `bpc diff`: the explicit arrows between actions, matched by their (matched)
source and target and then by kind. A matched flow with another label, or a pair of
actions joined by another kind of arrow, is a change; the rest were removed or added.
Implicit flows follow from the actions and are never compared.
"""

from __future__ import annotations

from ..model.blueprint import Blueprint, Flow
from .differ import Differ


def diff_flows(differ: Differ) -> None:
    def key(bp: Blueprint, flow: Flow, translate: dict[str, str] | None) -> tuple[str, str]:
        if translate is None:
            return (flow.source, flow.target)
        return (
            translate.get(flow.source, "old:" + flow.source),
            translate.get(flow.target, "old:" + flow.target),
        )

    old_flows = [
        (key(differ.old, f, differ.actions), f) for f in differ.old.flows if not f.implicit
    ]
    new_flows = [(key(differ.new, f, None), f) for f in differ.new.flows if not f.implicit]
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
            differ.add(
                "flows",
                "changed",
                "flow",
                ref=_flow_ref(differ, differ.new, after),
                field="label",
                old=flow.label or "none",
                new=after.label or "none",
            )
        if flow.share != after.share:
            differ.add(
                "flows",
                "changed",
                "flow",
                ref=_flow_ref(differ, differ.new, after),
                field="share",
                old=_share(flow.share),
                new=_share(after.share),
            )
    for pair, flow in unmatched_old:
        if remaining.get(pair):
            after = remaining[pair].pop(0)
            differ.add(
                "flows",
                "changed",
                "flow",
                ref=_flow_ref(differ, differ.new, after),
                field="arrow",
                old=flow.kind.value,
                new=after.kind.value,
            )
            continue
        differ.add(
            "flows",
            "removed",
            "flow",
            ref=_flow_ref(differ, differ.old, flow),
            context=_crossing(flow),
        )
    left = {id(f) for flows in remaining.values() for f in flows}
    for _, flow in new_flows:
        if id(flow) not in left:
            continue
        differ.add(
            "flows",
            "added",
            "flow",
            ref=_flow_ref(differ, differ.new, flow),
            context=_crossing(flow),
        )


def _share(share: float | None) -> str:
    return "none" if share is None else f"{share * 100:.3g}%"


def _flow_ref(differ: Differ, bp: Blueprint, flow: Flow) -> str:
    text = f"{differ.ref(bp, flow.source)} {flow.kind.value} {differ.ref(bp, flow.target)}"
    return text + (f" : “{flow.label}”" if flow.label else "")


def _crossing(flow: Flow) -> str | None:
    from ..model.blueprint import Line

    if Line.INTERACTION in flow.crosses:
        return "a service encounter"
    if Line.INTERNAL in flow.crosses:
        return "an internal encounter"
    return None
