"""bpc's CSV layout: one row per action, these columns in this order.

`bpc export --to csv` writes it and `bpc import` reads it back; both take the column
names from here, so the two cannot drift apart. The names are English and stable
whatever the blueprint's locale, so scripts can rely on them.
"""

from __future__ import annotations

CSV_COLUMNS: tuple[str, ...] = (
    "step_index",
    "step",
    "phase",
    "zone",
    "lane_id",
    "lane",
    "id",
    "label",
    "role",
    "duration",
    "wait",
    "standard",
    "fail_points",
    "recoveries",
    "decision",
    "moment",
    "emotion",
    "cost",
    "metrics",
    "notes",
    "trigger",
    "parallel_group",
)
