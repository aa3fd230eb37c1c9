"""The round trip `bpc export --to csv` -> `bpc import`: what is compared.

From the JSON export of both models (`to_json_data`) the comparison keeps what the CSV
carries: the header's locale; every step that has an action (label, phase), renumbered
1…n in order; every action (id, or None for one without; label, zone, lane, step, role,
duration, standard, wait, fail points with recoveries, decision, moment, emotion, cost,
metrics with their direction, the 0.2 `trigger`, and the labels of the other actions of
its `parallel` group) in step order, with the moment's reason and the notes as one list (the CSV
writes them into one cell); and the lanes that hold actions (id, label, zone, declared),
zone by zone, the zone's own lane first, declared lanes sorted by id (the CSV lists
lanes in order of first use, not of declaration, so their drawing order may differ).

Not compared, because the CSV has no place for them: the header's other fields, step
ids, evidence, flows (the imported model has only the customer journey the compiler
adds), spans, generated keys, `detail` links, phases as ranges (their labels are
compared per step), and the figures computed from flows.
"""

from __future__ import annotations

from typing import Any

from blueprint_dsl.exports.json_export import to_json_data
from blueprint_dsl.model.blueprint import Blueprint

# What the CSV carries of an action (`fails` and the notes are compared reshaped below).
ACTION_FIELDS: tuple[str, ...] = (
    "id", "label", "zone", "lane", "step_index", "role", "duration", "standard", "wait",
    "decision", "moment", "emotion", "cost", "metrics", "trigger",
)  # fmt: skip


def comparable(bp: Blueprint) -> dict[str, Any]:
    data = to_json_data(bp)
    used_steps = sorted({a["step_index"] for a in data["actions"]})
    renumber = {old: new for new, old in enumerate(used_steps, start=1)}
    steps = [
        {"label": s["label"], "phase": s["phase"]} for s in data["steps"] if s["index"] in renumber
    ]
    actions = []
    label = {a["key"]: a["label"] for a in data["actions"]}
    members = {g["index"]: g["actions"] for g in data["parallel_groups"]}
    for action in sorted(data["actions"], key=lambda a: a["step_index"]):
        kept = {k: action[k] for k in ACTION_FIELDS}
        group = members.get(action["parallel_group"], [])
        kept["parallel_with"] = sorted(label[k] for k in group if k != action["key"])
        kept["step_index"] = renumber[action["step_index"]]
        kept["fails"] = [(f["what"], f["recover"]) for f in action["fails"]]
        kept["notes"] = ([action["moment_note"]] if action["moment_note"] else []) + action["notes"]
        actions.append(kept)
    used_lanes = {a["lane"] for a in data["actions"]}
    order = {zone: n for n, zone in enumerate(("evidence", "customer", "onstage", "backstage"))}
    lanes = sorted(
        (lane for lane in data["lanes"] if lane["id"] in used_lanes),
        key=lambda lane: (order.get(lane["zone"], 4), lane["declared"], lane["id"]),
    )
    return {
        "locale": data["blueprint"]["locale"],
        "steps": steps,
        "actions": actions,
        "lanes": lanes,
    }
