"""The rows layout: bpc's own CSV export (`bpc export --to csv`), one row per action.

The first non-blank row names the columns (any order; `step_index`, `step`, `zone` and
`label` are required, the others optional; a column bpc does not know is ignored with a
warning). Rows with the same `step_index` make one step, steps in index order. A zone's
own lane has the zone name as `lane_id`; any other `lane_id` is declared as a lane with
the `lane` column as its label. Values are checked as the compiler would check them, so
a bad duration names its cell instead of surfacing later as a syntax error.

What the rows cannot carry is not invented: there are no flows, no evidence and no
header fields; a `decision` is kept (so `bpc check` asks for its labelled branches,
BP504). The `notes` of an action that is a moment of truth are read as the moment's
reason (first line) and its notes (the rest), which is how the export writes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import values
from ..model.blueprint import Zone
from ..model.csv_layout import CSV_COLUMNS
from ..model.locale import ZONE_NAMES
from .draft import Attribute, Draft, DraftAction, DraftLane, DraftStep
from .names import Ids, guess_locale, is_identifier, zone_of
from .problems import ImportProblem, Notice
from .table import Table

COLUMNS = CSV_COLUMNS  # bpc's own CSV export layout (model.csv_layout)
REQUIRED: tuple[str, ...] = ("step_index", "step", "zone", "label")
NO_RECOVERY = "—"
YES = frozenset({"yes", "y", "true", "1", "x", "✓", "是", "对"})
NO = frozenset({"", "no", "n", "false", "0", "否"})
_METRIC = re.compile(
    r"^(?P<name>.+?)\s+(?P<value>\S+)"
    r"(?:\s+\(target\s+(?:(?P<compare><=|>=)\s*)?(?P<target>\S+)\))?$"
)
_WHOLE = re.compile(r"^[0-9]+$")
_FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def header_row(table: Table) -> int | None:
    """The index of the first non-blank row when it names bpc's CSV columns."""
    for index, row in enumerate(table.rows):
        if any(cell.strip() for cell in row):
            names = {cell.strip().lower() for cell in row}
            return index if {"step_index", "zone", "label"} <= names else None
    return None


def _unguard(text: str) -> str:
    """The export puts an apostrophe before a leading = + - @ (formula injection)."""
    return text[1:] if text.startswith(_FORMULA_GUARD) else text


class _Reader:
    def __init__(self, table: Table, notices: list[Notice]) -> None:
        self.table = table
        self.notices = notices
        self.ids = Ids()
        self.columns: dict[str, int] = {}
        self.lanes: dict[str, DraftLane] = {}
        self.lane_ids: dict[str, str] = {}  # lane_id as written -> lane id in the .bp
        self.zone_titles: list[str] = []
        self.first_id_row: dict[str, int] = {}
        self.row = 0

    def problem(self, column: str | None, message: str) -> ImportProblem:
        index = self.columns.get(column) if column else None
        return ImportProblem(self.table.at(self.row, index), message)

    def get(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return _unguard(cells[index].strip())

    def read_header(self, index: int) -> None:
        for column, cell in enumerate(self.table.rows[index]):
            name = cell.strip().lower()
            if not name:
                continue
            if name in COLUMNS and name not in self.columns:
                self.columns[name] = column
            else:
                what = "a second" if name in COLUMNS else "an unknown"
                self.notices.append(
                    Notice(self.table.at(index, column), f"{what} column {cell!r}: ignored")
                )
        missing = [c for c in REQUIRED if c not in self.columns]
        if missing:
            self.row = index
            raise self.problem(None, f"the header has no column {', '.join(missing)}")

    def value(self, cells: list[str], column: str, read: Callable[[str], object]) -> str:
        text = self.get(cells, column)
        if text:
            try:
                read(text)
            except values.BadValue as error:
                raise self.problem(column, f"{column} {text!r}: {error}") from None
        return text

    def duration(self, cells: list[str], column: str) -> str:
        def read(text: str) -> object:
            low, dots, high = text.partition("..")
            return values.duration(text, low, high) if dots else values.duration(text)

        return self.value(cells, column, read)

    def flag(self, cells: list[str], column: str) -> bool:
        text = self.get(cells, column).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise self.problem(column, f"{column} {text!r}: write yes or leave it empty")

    def lane(self, cells: list[str], zone: Zone) -> str:
        written = self.get(cells, "lane_id") or zone.value
        label = self.get(cells, "lane")
        if written == zone.value or zone_of(written) is zone:
            if label:
                self.zone_titles.append(label)
            return zone.value
        if zone_of(written) is not None:
            raise self.problem("lane_id", f"lane {written!r} is a zone, not a lane in {zone}")
        known = self.lane_ids.get(written)
        if known is not None:
            if self.lanes[known].zone is not zone:
                lane_zone = self.lanes[known].zone
                raise self.problem("zone", f"lane {written!r} is in {lane_zone}, not in {zone}")
            return known
        lane_id = written if is_identifier(written) and self.ids.take(written) else ""
        if not lane_id:
            lane_id = self.ids.make(written, "lane")
            self.notices.append(
                Notice(self.table.at(self.row), f"lane {written!r} written as id {lane_id}")
            )
        self.lane_ids[written] = lane_id
        self.lanes[lane_id] = DraftLane(lane_id, label or written, zone)
        return lane_id

    def action_id(self, cells: list[str]) -> str | None:
        written = self.get(cells, "id")
        if not written:
            return None
        if written in self.first_id_row:
            first = self.first_id_row[written]
            raise self.problem("id", f"duplicate id {written!r} (first in row {first})")
        self.first_id_row[written] = self.row + 1
        if is_identifier(written) and self.ids.take(written):
            return written
        made = self.ids.make(written)
        self.notices.append(Notice(self.table.at(self.row), f"id {written!r} written as {made}"))
        return made

    def attributes(self, cells: list[str]) -> list[Attribute]:
        out: list[Attribute] = []
        if self.flag(cells, "decision"):
            out.append(Attribute("decision"))
            self.notices.append(
                Notice(
                    self.table.at(self.row, self.columns["decision"]),
                    "a decision: the rows hold no flows, so give it two labelled branches "
                    "(bpc check reports BP504 until then)",
                )
            )
        if role := self.get(cells, "role"):
            out.append(Attribute("role", [("string", role)]))
        for name in ("duration", "wait", "standard"):
            if text := self.duration(cells, name):
                out.append(Attribute(name, [("raw", text)]))
        out += self.fails(cells)
        notes = [n for n in self.get(cells, "notes").splitlines() if n.strip()]
        if self.flag(cells, "moment"):
            reason = [("string", notes.pop(0))] if notes else []
            out.append(Attribute("moment", reason))
        if text := self.value(cells, "emotion", values.integer):
            if not -2 <= int(float(text)) <= 2:
                raise self.problem("emotion", f"emotion {text!r}: write a whole number −2 … +2")
            out.append(Attribute("emotion", [("raw", text)]))
        if text := self.value(cells, "cost", values.number):
            out.append(Attribute("cost", [("raw", text)]))
        out += self.metrics(cells)
        out += [Attribute("note", [("string", n)]) for n in notes]
        if trigger := self.get(cells, "trigger").strip():
            why = [] if trigger.lower() in YES else [("string", trigger)]
            out.append(Attribute("trigger", why))
        return out

    def fails(self, cells: list[str]) -> list[Attribute]:
        fails = [f for f in self.get(cells, "fail_points").splitlines() if f.strip()]
        recoveries = self.get(cells, "recoveries").splitlines()
        out = []
        for number, what in enumerate(fails):
            recover = recoveries[number].strip() if number < len(recoveries) else ""
            attribute = Attribute("fail", [("string", what)])
            if recover and recover != NO_RECOVERY:
                attribute.values += [("keyword", "recover"), ("string", recover)]
            out.append(attribute)
        return out

    def metrics(self, cells: list[str]) -> list[Attribute]:
        out = []
        for line in self.get(cells, "metrics").splitlines():
            if not line.strip():
                continue
            match = _METRIC.match(line.strip())
            if match is None:
                raise self.problem("metrics", f"metric {line!r}: write NAME VALUE [(target T)]")
            attribute = Attribute("metric", [("string", match["name"])])
            for part in ("value", "target"):
                if match[part] is None:
                    continue
                try:
                    values.quantity(match[part])
                except values.BadValue as error:
                    raise self.problem("metrics", f"metric {line!r}: {error}") from None
                if part == "target":
                    attribute.values.append(("keyword", "target"))
                    if match["compare"]:
                        attribute.values.append(("raw", match["compare"]))
                attribute.values.append(("raw", match[part]))
            out.append(attribute)
        return out

    def step_index(self, cells: list[str]) -> int:
        text = self.get(cells, "step_index")
        if not _WHOLE.match(text) or int(text) < 1:
            raise self.problem("step_index", f"step_index {text!r}: write a whole number from 1")
        return int(text)

    def action(self, cells: list[str]) -> DraftAction:
        zone_text = self.get(cells, "zone")
        zone = zone_of(zone_text)
        if zone is None or zone is Zone.EVIDENCE:
            raise self.problem(
                "zone", f"zone {zone_text!r}: write customer, onstage, backstage or support"
            )
        label = self.get(cells, "label")
        if not label:
            raise self.problem("label", "the action has no label")
        lane = self.lane(cells, zone)
        action = DraftAction(lane, label, self.action_id(cells), [], self.attributes(cells))
        group = self.get(cells, "parallel_group").strip()
        if group:
            if not _WHOLE.match(group):
                raise self.problem("parallel_group", f"parallel group {group!r}: write a number")
            action.parallel_group = int(group)
        return action


def read_rows(table: Table, title: str, notices: list[Notice]) -> Draft:
    """The draft of a rows-layout table. Its locale is zh when the export named the zones'
    own lanes in Chinese (as it does for a zh blueprint), else when most labels are."""
    start = header_row(table)
    if start is None:
        raise ImportProblem(
            table.at(0), "the first row is not bpc's CSV header (step_index, step, zone, label …)"
        )
    reader = _Reader(table, notices)
    reader.read_header(start)
    steps: dict[int, DraftStep] = {}
    labels: list[str] = []
    for index in range(start + 1, len(table.rows)):
        cells = table.rows[index]
        reader.row = index
        if not any(cell.strip() for cell in cells):
            continue
        number = reader.step_index(cells)
        step = steps.get(number)
        if step is None:
            label = reader.get(cells, "step") or f"Step {number}"
            step = steps[number] = DraftStep(label, reader.get(cells, "phase") or None)
            labels.append(label)
        action = reader.action(cells)
        labels.append(action.label)
        step.actions.append(action)
    if not steps:
        raise ImportProblem(table.at(start), "no actions: the rows below the header are empty")
    ordered = [steps[n] for n in sorted(steps)]
    zh_titles = set(ZONE_NAMES["zh"].values())
    if reader.zone_titles:
        locale = "zh" if all(t in zh_titles for t in reader.zone_titles) else "en"
    else:
        locale = guess_locale(labels)
    return Draft(title, locale, list(reader.lanes.values()), ordered)
