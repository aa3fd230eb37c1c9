"""The grid layout: the classic blueprint drawn in a spreadsheet.

Rows are zones and lanes (named in the first column), columns are steps. Above the first
zone row there may be a step row and, above it, a phase row (first cell blank or named
`Step`/`步骤`, `Phase`/`阶段`). Phases span columns: in xlsx by merged cells; without
merges a blank cell continues the phase on its left. A row with a blank first cell below
the zone rows continues the lane above it (as does a lane name merged down the first
column); rows for the three lines (`Line of visibility`, `可视分界线`, `-----`) are skipped.

A cell holds one action per line (one evidence item per line in the evidence row). A
line `Take order → Ticket to kitchen` (or `->`, `-->` for information, `<->`/`↔` two-way)
is an action with a flow; a line that is only `→ X` adds a flow to the action above it.
X names another action by its label (case and spacing ignored) or by its id; when
several actions have that label, the nearest one wins (same step, then later steps).
A flow to a name no cell has is dropped, with a warning and a comment in the .bp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.suggest import closest
from ..model.blueprint import Zone
from .draft import Draft, DraftAction, DraftLane, DraftStep
from .names import (
    PHASE_ROW_NAMES,
    STEP_ROW_NAMES,
    Ids,
    guess_locale,
    is_line_row,
    known_row_names,
    normal,
    zone_and_lane,
    zone_names_hint,
)
from .problems import ImportProblem, Notice, Place
from .table import Table

_ARROW = re.compile(r"\s*(<->|↔|-->|⇢|->|→)\s*")
_ARROWS = {"<->": "<->", "↔": "<->", "-->": "-->", "⇢": "-->", "->": "->", "→": "->"}


@dataclass
class _Pending:
    action: DraftAction
    step: int
    place: Place
    targets: list[tuple[str, str]] = field(default_factory=list)  # (arrow, name as written)


def _split(line: str) -> tuple[str, list[tuple[str, str]]]:
    """`A → B → C` -> ("A", [("->", "B"), ("->", "C")])."""
    parts = _ARROW.split(line)
    label, flows = parts[0].strip(), []
    for arrow, target in zip(parts[1::2], parts[2::2], strict=True):
        if target.strip():
            flows.append((_ARROWS[arrow], target.strip()))
    return label, flows


class _Grid:
    def __init__(self, table: Table, notices: list[Notice]) -> None:
        self.table = table
        self.notices = notices
        self.ids = Ids()
        self.lanes: dict[tuple[Zone, str], DraftLane] = {}
        self.pending: list[_Pending] = []
        self.labels: list[str] = []
        self.evidence: set[str] = set()
        self.merged_down: dict[tuple[int, int], str] = {}
        self.phase_merges: list[tuple[int, int, int, int]] = []

    # ---- structure -------------------------------------------------------------------
    def classify(self) -> tuple[list[int], list[tuple[int, Zone, str | None]]]:
        """Header rows (phase/step) and zone rows (row, zone, lane label) in order."""
        for first_row, first_col, last_row, _ in self.table.merged():
            if first_col == 0 and last_row > first_row:  # a lane name merged down
                name = self.table.cell(first_row, 0)
                for row in range(first_row + 1, last_row + 1):
                    self.merged_down[(row, 0)] = name
        headers: list[int] = []
        zones: list[tuple[int, Zone, str | None]] = []
        for index, cells in enumerate(self.table.rows):
            if not any(cell.strip() for cell in cells):
                continue
            name = self.merged_down.get((index, 0), cells[0] if cells else "")
            if not name.strip():
                if zones:  # continues the lane above
                    zones.append((index, zones[-1][1], zones[-1][2]))
                else:
                    headers.append(index)
                continue
            if is_line_row(name):
                self.skip_line_row(index, cells)
                continue
            found = zone_and_lane(name)
            if found is not None:
                zones.append((index, *found))
            elif normal(name) in PHASE_ROW_NAMES or normal(name) in STEP_ROW_NAMES:
                if zones:
                    raise ImportProblem(
                        self.table.at(index, 0),
                        f"{name.strip()!r}: the phase and step rows go above the zone rows",
                    )
                headers.append(index)
            else:
                raise self.unknown_row(index, name)
        if len(headers) > 2:
            raise ImportProblem(
                self.table.at(headers[2], 0),
                "more than two rows above the zone rows (only a phase row and a step row)",
            )
        if not zones:
            raise ImportProblem(self.table.place, f"no zone rows: {zone_names_hint()}")
        return headers, zones

    def unknown_row(self, index: int, name: str) -> ImportProblem:
        close = closest(normal(name), known_row_names(), cutoff=0.75)
        hint = f" (did you mean {close!r}?)" if close else ""
        shown = " ".join(name.split())[:60]
        return ImportProblem(
            self.table.at(index, 0), f"unknown zone row {shown!r}{hint}: {zone_names_hint()}"
        )

    def skip_line_row(self, index: int, cells: list[str]) -> None:
        if any(cell.strip() for cell in cells[1:]):
            self.notices.append(
                Notice(self.table.at(index), "a line row holds text; it is ignored")
            )

    def header_roles(self, headers: list[int]) -> tuple[int | None, int | None]:
        """(phase row, step row) among the header rows."""
        named = {normal(self.table.cell(r, 0)): r for r in headers}
        phase = next((named[n] for n in PHASE_ROW_NAMES if n in named), None)
        step = next((named[n] for n in STEP_ROW_NAMES if n in named), None)
        rest = [r for r in headers if r not in (phase, step)]
        if len(headers) == 2 and phase is None and step is None:
            return rest[0], rest[1]
        if step is None and rest:
            step = rest.pop()
        if phase is None and rest:
            phase = rest.pop()
        return phase, step

    def phases(self, row: int | None, columns: int) -> list[str | None]:
        if row is None:
            return [None] * columns
        merges = [m for m in self.table.merged() if m[0] <= row <= m[2] and m[3] > m[1]]
        names: list[str | None] = []
        for column in range(1, columns + 1):
            names.append(" ".join(self.table.cell(row, column).split()) or None)
        if merges:  # merged cells say exactly which steps a phase spans
            for first_row, first_col, _, last_col in merges:
                name = " ".join(self.table.cell(first_row, first_col).split()) or None
                for column in range(max(first_col, 1), last_col + 1):
                    if column - 1 < len(names):
                        names[column - 1] = name
            return names
        for index in range(1, len(names)):  # a blank continues the phase on its left
            names[index] = names[index] or names[index - 1]
        return names

    # ---- content ---------------------------------------------------------------------
    def lane(self, zone: Zone, label: str | None) -> str:
        if label is None:
            return zone.value
        key = (zone, label.casefold())
        if key not in self.lanes:
            self.lanes[key] = DraftLane(self.ids.make(label, "lane"), label, zone)
            self.labels.append(label)
        return self.lanes[key].id

    def cell(
        self, step: DraftStep, number: int, zone: Zone, lane: str, at: tuple[int, int]
    ) -> None:
        """The actions (or evidence) of the cell at (row, column), 0-based, in step `number`."""
        text, place = self.table.cell(*at), self.table.at(*at)
        previous: _Pending | None = None
        for line in text.splitlines():
            label, flows = _split(line)
            if not label and not flows:
                continue
            if zone is Zone.EVIDENCE:
                if flows:
                    self.notices.append(Notice(place, "a flow from evidence is dropped"))
                if label:
                    step.evidence.append(label)
                    self.labels.append(label)
                    self.evidence.add(normal(label))
                continue
            if not label:
                if previous is None:
                    self.notices.append(Notice(place, f"a flow with no action: {line.strip()!r}"))
                else:
                    previous.targets += flows
                continue
            action = DraftAction(lane, label, self.ids.make(label))
            step.actions.append(action)
            self.labels.append(label)
            previous = _Pending(action, number, place, flows)
            self.pending.append(previous)

    def resolve(self) -> None:
        by_id = {p.action.id: p for p in self.pending}
        by_label: dict[str, list[_Pending]] = {}
        for pending in self.pending:
            by_label.setdefault(normal(pending.action.label), []).append(pending)
        for pending in self.pending:
            for arrow, name in pending.targets:
                target = by_id.get(name)
                if target is None:
                    candidates = by_label.get(normal(name), [])
                    others = [c for c in candidates if c is not pending] or candidates
                    target = min(
                        others, key=lambda c: _distance(c.step - pending.step), default=None
                    )
                if target is None:
                    shown = " ".join(name.split())[:60]
                    why = (
                        "evidence cannot be the end of a flow"
                        if normal(name) in self.evidence
                        else "no cell is called that"
                    )
                    self.notices.append(Notice(pending.place, f"flow to {shown!r} dropped: {why}"))
                    pending.action.comments.append(
                        f"bpc import: flow {arrow} {shown!r} dropped: {why}"
                    )
                elif target is not pending:
                    assert target.action.id is not None
                    pending.action.flows.append((arrow, target.action.id))


def _distance(offset: int) -> tuple[int, int]:
    return (abs(offset), 0 if offset >= 0 else 1)


def read_grid(table: Table, title: str, notices: list[Notice]) -> Draft:
    """The draft of a grid-layout table; its locale is zh when most labels are Chinese."""
    if not any(any(cell.strip() for cell in row) for row in table.rows):
        raise ImportProblem(table.place, "the sheet is empty")
    grid = _Grid(table, notices)
    headers, zones = grid.classify()
    phase_row, step_row = grid.header_roles(headers)
    used = [r for r in [*headers, *(z[0] for z in zones)] if r is not None]
    columns = max(len(table.rows[r]) for r in used) - 1
    if columns < 1:
        raise ImportProblem(
            table.at(zones[0][0]), "no steps: the columns after the first are empty"
        )
    phases = grid.phases(phase_row, columns)
    steps: list[DraftStep] = []
    kept: list[int] = []
    for column in range(1, columns + 1):
        name = " ".join(table.cell(step_row, column).split()) if step_row is not None else ""
        filled = any(table.cell(row, column).strip() for row, _, _ in zones)
        if not name and not filled:
            continue
        steps.append(DraftStep(name or f"Step {len(steps) + 1}", phases[column - 1]))
        grid.labels.append(name)
        kept.append(column)
    if not steps:
        raise ImportProblem(
            table.at(zones[0][0]), "no steps: the columns after the first are empty"
        )
    for row, zone, lane_label in zones:
        lane = grid.lane(zone, lane_label)
        for number, (step, column) in enumerate(zip(steps, kept, strict=True)):
            grid.cell(step, number, zone, lane, (row, column))
    grid.resolve()
    return Draft(title, guess_locale(grid.labels), list(grid.lanes.values()), steps)
