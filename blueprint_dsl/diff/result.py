"""The result of `bpc diff`: one `Change` per difference, the summary `Figure`s, and the
`BlueprintDiff` that holds them with the changes grouped by section. The sections, their
order and their titles are here too, so the comparing modules and the formatters in
output.py agree on them; nothing here compares or formats anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.figures import Analysis

SECTIONS: tuple[str, ...] = (
    "header",
    "phases",
    "steps",
    "lanes",
    "actions",
    "times",
    "fail points",
    "flows",
    "evidence",
)

SECTION_TITLES: dict[str, str] = {
    "header": "Header",
    "phases": "Phases",
    "steps": "Steps",
    "lanes": "Lanes",
    "actions": "Actions",
    "times": "Durations, waits and standards",
    "fail points": "Fail points and recoveries",
    "flows": "Flows",
    "evidence": "Physical evidence",
}


@dataclass(frozen=True)
class Change:
    """One difference. `what` and `ref` name the element (`action`, `greet`), `label` is its
    label, `field` the attribute that changed; `old`/`new` are human-readable values."""

    section: str
    kind: str  # added | removed | changed | moved | renamed
    what: str
    ref: str | None = None
    label: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    context: str | None = None  # e.g. "in step “Eat”, lane Waiter"
    parent_ref: str | None = None  # for fail points, recoveries, metrics, notes: the action
    parent_label: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "section": self.section,
            "kind": self.kind,
            "what": self.what,
            "ref": self.ref,
            "label": self.label,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "context": self.context,
            "parent_ref": self.parent_ref,
            "parent_label": self.parent_label,
        }


@dataclass(frozen=True)
class Figure:
    name: str  # the key in analysis.to_json()
    title: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class BlueprintDiff:
    old_path: str
    new_path: str
    old_title: str
    new_title: str
    changes: tuple[Change, ...]
    figures: tuple[Figure, ...]
    old_analysis: Analysis
    new_analysis: Analysis
    by_section: dict[str, list[Change]] = field(default_factory=dict, compare=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or any(f.changed for f in self.figures)


def sections(diff: BlueprintDiff) -> Iterable[tuple[str, list[Change]]]:
    for name in SECTIONS:
        if diff.by_section.get(name):
            yield name, diff.by_section[name]
