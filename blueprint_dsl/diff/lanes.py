"""The rows of the blueprint in `bpc diff`: declared lanes, matched by id, added, removed,
renamed or moved to another zone. A zone's own undeclared lane is never compared; the
actions in the lanes are compared in actions.py.
"""

from __future__ import annotations

from .differ import Differ


def diff_lanes(differ: Differ) -> None:
    old = {lane.id: lane for lane in differ.old.lanes if lane.declared}
    new = {lane.id: lane for lane in differ.new.lanes if lane.declared}
    for lane_id, lane in old.items():
        if lane_id not in new:
            differ.add(
                "lanes",
                "removed",
                "lane",
                ref=lane_id,
                label=lane.label,
                context=f"in {lane.zone.value}",
            )
    for lane_id, lane in new.items():
        if lane_id not in old:
            differ.add(
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
            differ.add(
                "lanes",
                "renamed",
                "lane",
                ref=lane_id,
                field="label",
                old=before.label,
                new=lane.label,
            )
        if before.zone is not lane.zone:
            differ.add(
                "lanes",
                "moved",
                "lane",
                ref=lane_id,
                label=lane.label,
                field="zone",
                old=before.zone.value,
                new=lane.zone.value,
            )
