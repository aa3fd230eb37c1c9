"""What each export target cannot show of one blueprint, in sentences that name this
blueprint's own lines, steps, markers and figures (`bpc export` prints them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ..analysis.figures import analyse
from ..model.blueprint import LINE_ORDER, Action, Blueprint, FlowKind, Line
from ..model.locale import line_name
from .common import empty_lanes, plural, quoted, some, used_lanes

LINES = "lines"
COLUMNS = "columns"
PHASES = "phases"
EVIDENCE_PLACEMENT = "evidence placement"
EVIDENCE = "evidence"
FLOWS = "flows"
LANE_ORDER = "lane order"
FAILS = "fails"
WAITS = "waits"
MOMENTS = "moments"
TIMES = "times"
EMOTIONS = "emotions"
METRICS = "metrics"
COSTS = "costs"
NOTES = "notes"
ROLES = "roles"
DETAILS = "details"
HEADER = "header"
HEADER_FIELDS = "header fields"
DECISIONS = "decisions"
TWO_WAY = "two-way"
EMPTY_LANES = "empty lanes"


def lost_sentences(bp: Blueprint, target: str, lost: Sequence[str]) -> list[str]:
    """Sentences for each lost feature that this blueprint actually uses, in `lost` order."""
    sentences: list[str] = []
    for feature in lost:
        sentence = _SENTENCES[feature](bp, target)
        if sentence:
            sentences.append(sentence)
    return sentences


def _label(action: Action) -> str:
    return quoted(action.label)


def _lines(bp: Blueprint, target: str) -> str | None:
    levels = {a.zone.level for a in bp.actions}
    if not levels:
        return None
    top, bottom = min(levels), max(levels)
    lines = [line for line in LINE_ORDER if top < line.below.level <= bottom]
    if not lines:
        return None
    names = some([line_name(line, "en").lower() for line in lines])
    analysis = analyse(bp)
    counts = []
    if Line.INTERACTION in lines:
        counts.append(plural(analysis.encounters, "service encounter"))
    if Line.INTERNAL in lines:
        counts.append(plural(analysis.internal_encounters, "internal encounter"))
    tail = f", so the {some(counts)} do not stand out" if counts else ""
    verb = "is" if len(lines) == 1 else "are"
    return f"The {names} {verb} not drawn ({target} has no lines across the diagram){tail}."


def _columns(bp: Blueprint, target: str) -> str | None:
    if len(bp.steps) < 2:
        return None
    counts = Counter(a.step_index for a in bp.actions)
    busiest = max(bp.steps, key=lambda s: counts[s.index])
    return (
        f"The {len(bp.steps)} steps are not aligned columns: {target} places the actions "
        f"itself, so the actions of one step (e.g. {quoted(busiest.label)}) may not line up."
    )


def _phases(bp: Blueprint, target: str) -> str | None:
    if not bp.phases:
        return None
    names = some([quoted(p.label) for p in bp.phases])
    return f"The phase bands ({names}) are not drawn."


def _evidence_placement(bp: Blueprint, target: str) -> str | None:
    if not bp.evidence:
        return None
    return (
        f"Physical evidence ({plural(len(bp.evidence), 'item')}) is drawn in its own lane, "
        "not above the customer action of its step."
    )


def _evidence(bp: Blueprint, target: str) -> str | None:
    if not bp.evidence:
        return None
    return (
        f"Physical evidence ({plural(len(bp.evidence), 'item')}) is not included "
        "(use --to json for everything)."
    )


def _flows(bp: Blueprint, target: str) -> str | None:
    explicit = [f for f in bp.flows if not f.implicit]
    if not bp.flows:
        return None
    analysis = analyse(bp)
    return (
        f"Flows ({plural(len(explicit), 'explicit flow')} and the customer journey, "
        f"{plural(analysis.encounters, 'service encounter')}) are not included "
        "(use --to json, or a diagram export)."
    )


def _lane_order(bp: Blueprint, target: str) -> str | None:
    if len(used_lanes(bp)) < 2:
        return None
    return (
        f"Lanes are not stacked in zone order: {target} places each lane's box itself "
        "(each lane's title names its zone)."
    )


def _fails(bp: Blueprint, target: str) -> str | None:
    items = [f"{quoted(f.what)} on {_label(a)}" for a in bp.actions for f in a.fails]
    if not items:
        return None
    recoveries = sum(1 for a in bp.actions for f in a.fails if f.recover)
    tail = f", nor their {plural(recoveries, 'recovery', 'recoveries')}" if recoveries else ""
    return f"Fail points (F markers) are not shown: {some(items)}{tail}."


def _waits(bp: Blueprint, target: str) -> str | None:
    items = [f"{a.wait.text} at {_label(a)}" for a in bp.actions if a.wait is not None]
    if not items:
        return None
    return f"Wait points (W markers) are not shown: {some(items)}."


def _moments(bp: Blueprint, target: str) -> str | None:
    items = [_label(a) for a in bp.actions if a.moment]
    if not items:
        return None
    return f"Moments of truth are not marked: {some(items)}."


def _times(bp: Blueprint, target: str) -> str | None:
    timed = [a for a in bp.actions if a.duration is not None or a.standard is not None]
    if not timed:
        return None
    return (
        f"Durations and execution standards are not shown "
        f"({plural(len(timed), 'action')} have them, e.g. {_label(timed[0])})."
    )


def _emotions(bp: Blueprint, target: str) -> str | None:
    count = sum(1 for a in bp.actions if a.emotion is not None)
    if not count:
        return None
    return f"Customer emotions ({plural(count, 'action')}) are not shown."


def _metrics(bp: Blueprint, target: str) -> str | None:
    names = [quoted(m.name) for a in bp.actions for m in a.metrics]
    if not names:
        return None
    return f"Metrics are not shown: {some(names)}."


def _costs(bp: Blueprint, target: str) -> str | None:
    count = sum(1 for a in bp.actions if a.cost is not None)
    if not count:
        return None
    return f"Costs ({plural(count, 'action')}) are not shown."


def _notes(bp: Blueprint, target: str) -> str | None:
    count = sum(len(a.notes) for a in bp.actions) + sum(
        1 for a in bp.actions if a.moment_note is not None
    )
    if not count:
        return None
    return f"Notes ({count}, including the reasons given for moments of truth) are not shown."


def _roles(bp: Blueprint, target: str) -> str | None:
    items = [f"{quoted(a.role)} for {_label(a)}" for a in bp.actions if a.role is not None]
    if not items:
        return None
    return f"Roles are not shown: {some(items)}."


def _details(bp: Blueprint, target: str) -> str | None:
    items = [_label(a) for a in bp.actions if a.detail is not None]
    if not items:
        return None
    return f"Links to detail blueprints are not kept: {some(items)}."


def _header_fields(bp: Blueprint) -> list[str]:
    header = bp.header
    fields = [
        f"{name} {quoted(value)}"
        for name, value in (
            ("id", header.id),
            ("version", header.version),
            ("owner", header.owner),
            ("persona", header.persona),
        )
        if value is not None
    ]
    if header.target is not None:
        fields.append(f"target {header.target.text}")
    return fields


def _header(bp: Blueprint, target: str) -> str | None:
    fields = _header_fields(bp)
    if not fields:
        return "The title is only in a comment, not in the drawing."
    listed = some(fields, 5)
    return f"The title and header fields ({listed}) are only in a comment, not in the drawing."


def _header_only_fields(bp: Blueprint, target: str) -> str | None:
    fields = _header_fields(bp)
    if not fields:
        return None
    return f"The header fields ({some(fields, 5)}) are only in a comment, not in the drawing."


def _decisions(bp: Blueprint, target: str) -> str | None:
    items = [_label(a) for a in bp.actions if a.decision]
    if not items:
        return None
    return f"Decisions are drawn as ordinary activities, with labelled arrows: {some(items)}."


def _two_way(bp: Blueprint, target: str) -> str | None:
    count = sum(1 for f in bp.flows if f.kind is FlowKind.TWO_WAY)
    if not count:
        return None
    return (
        f"Two-way interactions ({plural(count, 'flow')} written <->) are drawn as one-way "
        "bold arrows."
    )


def _empty_lanes(bp: Blueprint, target: str) -> str | None:
    lanes = empty_lanes(bp)
    if not lanes:
        return None
    return f"Lanes with no actions are left out: {some([quoted(lane.label) for lane in lanes])}."


_SENTENCES: dict[str, Callable[[Blueprint, str], str | None]] = {
    LINES: _lines,
    COLUMNS: _columns,
    PHASES: _phases,
    EVIDENCE_PLACEMENT: _evidence_placement,
    EVIDENCE: _evidence,
    FLOWS: _flows,
    LANE_ORDER: _lane_order,
    FAILS: _fails,
    WAITS: _waits,
    MOMENTS: _moments,
    TIMES: _times,
    EMOTIONS: _emotions,
    METRICS: _metrics,
    COSTS: _costs,
    NOTES: _notes,
    ROLES: _roles,
    DETAILS: _details,
    HEADER: _header,
    HEADER_FIELDS: _header_only_fields,
    DECISIONS: _decisions,
    TWO_WAY: _two_way,
    EMPTY_LANES: _empty_lanes,
}


def renamed_sentence(pairs: Sequence[tuple[str, str]], target: str) -> str | None:
    if not pairs:
        return None
    shown = some([f"{old} → {new}" for old, new in pairs], 4)
    return (
        f"Ids that {target} does not accept were renamed (the mapping is in a comment "
        f"at the top): {shown}."
    )
