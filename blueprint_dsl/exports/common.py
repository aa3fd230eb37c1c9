"""What the exporters share: safe ids, lane titles, grouping, and how to quote and count."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model.blueprint import Action, Blueprint, Evidence, Lane
from ..model.locale import zone_name


@dataclass(frozen=True)
class ExportResult:
    """The exported text, and what the target cannot show of this blueprint."""

    text: str
    lost: tuple[str, ...]


ASCII_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def ascii_id(name: str) -> bool:
    """An id every diagram language accepts: an ASCII letter, then letters, digits, `_`."""
    return ASCII_ID.match(name) is not None


@dataclass(frozen=True)
class IdRequest:
    """One element that needs an id in the target language."""

    key: str  # unique within the export, e.g. "action:#7" or "lane:host"
    wanted: str | None  # the id from the .bp file, if any
    prefix: str  # for a generated id: "n" gives n1, n2, …


def safe_ids(
    requests: Sequence[IdRequest],
    allowed: Callable[[str], bool],
    reserved: Iterable[str] = (),
) -> dict[str, str]:
    """Keep every wanted id that the target accepts; number the rest (n1, n2, …).

    Stable: the same blueprint always gives the same ids, and a generated id never
    collides with a kept one (or with a reserved word, compared without case).
    """
    taken = {word.casefold() for word in reserved}
    result: dict[str, str] = {}
    for request in requests:
        wanted = request.wanted
        if wanted is not None and allowed(wanted) and wanted.casefold() not in taken:
            result[request.key] = wanted
            taken.add(wanted.casefold())
    counters: dict[str, int] = {}
    for request in requests:
        if request.key in result:
            continue
        number = counters.get(request.prefix, 0)
        while True:
            number += 1
            candidate = f"{request.prefix}{number}"
            if candidate.casefold() not in taken:
                break
        counters[request.prefix] = number
        result[request.key] = candidate
        taken.add(candidate.casefold())
    return result


def id_requests(bp: Blueprint) -> list[IdRequest]:
    """Lanes, then evidence, then actions, in drawing order."""
    requests = [IdRequest(f"lane:{lane.id}", lane.id, "lane") for lane in bp.lanes]
    requests += [
        IdRequest(f"evidence:{index}", item.id, "ev") for index, item in enumerate(bp.evidence)
    ]
    requests += [IdRequest(f"action:{a.key}", a.id, "n") for a in bp.actions]
    return requests


def renamed(bp: Blueprint, ids: dict[str, str]) -> list[tuple[str, str]]:
    """(id in the .bp file, id in the export) for every id the export had to change."""
    pairs: list[tuple[str, str]] = []
    for lane in bp.lanes:
        if ids[f"lane:{lane.id}"] != lane.id:
            pairs.append((lane.id, ids[f"lane:{lane.id}"]))
    for index, item in enumerate(bp.evidence):
        if item.id is not None and ids[f"evidence:{index}"] != item.id:
            pairs.append((item.id, ids[f"evidence:{index}"]))
    for action in bp.actions:
        if action.id is not None and ids[f"action:{action.key}"] != action.id:
            pairs.append((action.id, ids[f"action:{action.key}"]))
    return pairs


def lane_title(bp: Blueprint, lane: Lane) -> str:
    """A zone's own lane is called by its zone name; a declared lane also names its zone."""
    locale = bp.header.locale
    if not lane.declared:
        return zone_name(lane.zone, locale)
    zone = zone_name(lane.zone, locale)
    return f"{lane.label}({zone})" if locale == "zh" else f"{lane.label} ({zone})"


def by_lane_and_step(bp: Blueprint) -> dict[tuple[str, int], list[Action]]:
    """Actions grouped by (lane id, step index), in written order: one pass, not one per cell."""
    groups: dict[tuple[str, int], list[Action]] = {}
    for action in bp.actions:
        groups.setdefault((action.lane, action.step_index), []).append(action)
    return groups


def evidence_by_step(bp: Blueprint) -> dict[int, list[tuple[int, Evidence]]]:
    """(index in bp.evidence, evidence) per step index."""
    groups: dict[int, list[tuple[int, Evidence]]] = {}
    for index, item in enumerate(bp.evidence):
        groups.setdefault(item.step_index, []).append((index, item))
    return groups


def used_lanes(bp: Blueprint) -> list[Lane]:
    """Lanes that hold at least one action (or, for the evidence lane, evidence), in order."""
    used = {a.lane for a in bp.actions}
    if bp.evidence:
        used.add("evidence")
    return [lane for lane in bp.lanes if lane.id in used]


def empty_lanes(bp: Blueprint) -> list[Lane]:
    used = {lane.id for lane in used_lanes(bp)}
    return [lane for lane in bp.lanes if lane.id not in used and lane.declared]


# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: no
# target gets them raw (some readers end a line at \x85, \u2028 or \u2029, and a terminal
# runs escape sequences in the report of what an export loses).
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def is_control(char: str) -> bool:
    return CONTROLS.match(char) is not None


def plain(text: str) -> str:
    """A label on one line, for sentences and comments: every run of blanks, line breaks
    and control characters is one space."""
    return " ".join(CONTROLS.sub(" ", text).split())


def quoted(text: str) -> str:
    return f"“{plain(text)}”"


def some(items: Sequence[str], limit: int = 3) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 4 more'."""
    if len(items) <= limit:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


# The features an export may be unable to show; each exporter names the ones it loses.
