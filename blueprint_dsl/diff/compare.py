"""`bpc diff`: what changed between two versions of a blueprint, by ids and structure.

Elements are matched by id; steps without an id by label, actions without an id by
their step, lane and label. Only the compiled models are compared, never the text, so a
change of layout, comments or spelling (`10m` for `600s`) is no difference at all.
This module runs the sections in order and joins their changes into a `BlueprintDiff`
(result.py): matching in matching.py, the sections in header.py, steps.py, lanes.py,
actions.py and flows.py, the summary figures in figures.py. Output formats are in
output.py.
"""

from __future__ import annotations

from ..analysis.figures import analyse
from ..model.blueprint import Blueprint
from .actions import diff_actions
from .differ import Differ
from .figures import figures
from .flows import diff_flows
from .header import diff_header
from .lanes import diff_lanes
from .result import SECTION_TITLES, SECTIONS, BlueprintDiff, Change, Figure, sections
from .steps import diff_evidence, diff_phases, diff_steps

__all__ = [
    "SECTIONS",
    "SECTION_TITLES",
    "BlueprintDiff",
    "Change",
    "Figure",
    "diff_blueprints",
    "figures",
    "sections",
]


def diff_blueprints(old: Blueprint, new: Blueprint) -> BlueprintDiff:
    """Every semantic difference between two compiled blueprints."""
    differ = Differ(old, new)
    diff_header(differ)
    diff_phases(differ)
    diff_steps(differ)
    diff_lanes(differ)
    diff_actions(differ)
    diff_flows(differ)
    diff_evidence(differ)
    order = {name: i for i, name in enumerate(SECTIONS)}
    changes = sorted(differ.changes, key=lambda c: order[c.section])
    old_analysis, new_analysis = analyse(old), analyse(new)
    by_section: dict[str, list[Change]] = {}
    for change in changes:
        by_section.setdefault(change.section, []).append(change)
    return BlueprintDiff(
        old.path,
        new.path,
        old.header.title,
        new.header.title,
        tuple(changes),
        figures(old_analysis, new_analysis),
        old_analysis,
        new_analysis,
        by_section,
    )
