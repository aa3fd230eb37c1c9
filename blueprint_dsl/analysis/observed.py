"""Observed data (language 0.2, section 8.9): measured times and metric values from a CSV.

The file is UTF-8, with or without a BOM, separated by `,` or `;` (whichever the header
row holds more of: Excel writes `;` in many locales), with a header row naming the columns
`action` and any of `duration`, `wait`, and `metric` with `value` (in any order, any case;
other columns are ignored). One observation a row: `action` is an action id; `duration`
and `wait` are durations (`7m`, `1.5h`, `30s`) or seconds as a plain number; `value` is
written like a metric value (`62%`, `4.5`). Blank cells are no observation.

Every bad row is a BP512 error at its line and column in the CSV (an unknown action or
metric, an unreadable duration or value, a missing cell) and is left out; the other rows
are still used.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import Message, msg
from ..core.spans import Span, source_lines
from ..core.suggest import closest
from ..model.blueprint import Blueprint, Metric
from ..model.values import BadValue, quantity, seconds

COLUMNS = ("action", "duration", "wait", "metric", "value")
_PLAIN_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")
_MAX_PROBLEMS = 200  # then one more diagnostic says how many rows were left out


@dataclass
class Observations:
    """What one CSV says, by action key."""

    path: str
    durations: dict[str, list[float]] = field(default_factory=dict)
    waits: dict[str, list[float]] = field(default_factory=dict)
    metrics: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    rows: int = 0  # rows used

    def enough(self, minimum: int = 5) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
        """The durations and waits of the actions with at least `minimum` observations."""
        return (
            {k: v for k, v in self.durations.items() if len(v) >= minimum},
            {k: v for k, v in self.waits.items() if len(v) >= minimum},
        )


def read_observed(data: bytes, path: str, bp: Blueprint) -> Observations:
    """Read the observations of `bp`'s actions from the bytes of a CSV file."""
    found = Observations(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        found.problems.append(_problem(path, line, column, msg("observed.not-utf8")))
        return found
    _Reader(text, path, bp, found).read()
    return found


def _problem(
    path: str, line: int, column: int, message: Message, help: Message | None = None, width: int = 1
) -> Diagnostic:
    span = Span(path, line, column, line, column + max(width, 1))
    return Diagnostic.of("BP512", Severity.ERROR, message, span, help)


class _Reader:
    def __init__(self, text: str, path: str, bp: Blueprint, found: Observations) -> None:
        self.text, self.path, self.found = text, path, found
        self.lines = source_lines(text)
        self.columns: dict[str, int] = {}
        self.delimiter = ","
        self.ids = {a.id: a.key for a in bp.actions if a.id is not None}
        self.metrics: dict[str, dict[str, Metric]] = {
            a.key: {m.name: m for m in a.metrics} for a in bp.actions
        }
        self.left_out = 0

    def read(self) -> None:
        header_line = next((n for n, line in enumerate(self.lines) if line.strip()), None)
        if header_line is None:
            self._report(1, 1, msg("observed.empty"))
            return
        head = self.lines[header_line]
        delimiter = ";" if head.count(";") > head.count(",") else ","
        rows = csv.reader(io.StringIO(self.text), delimiter=delimiter)
        header: list[str] | None = None
        line = 0
        for row in rows:
            start, line = line + 1, rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if not self._header_ok(header, start, delimiter):
                    return
                self.columns = {name: header.index(name) for name in COLUMNS if name in header}
                self.delimiter = delimiter
                continue
            self._row(row, start)
        if self.left_out:
            self._report(line, 1, msg("observed.more-problems", count=self.left_out))

    def _header_ok(self, header: list[str], line: int, delimiter: str) -> bool:
        if "action" not in header:
            self._report(line, 1, msg("observed.no-action-column"), msg("observed.header.help"))
            return False
        if "metric" in header and "value" not in header:
            at = self._column(line, header.index("metric"), delimiter)
            self._report(line, at, msg("observed.no-value-column"), msg("observed.header.help"))
            return False
        if not {"duration", "wait", "metric"} & set(header):
            self._report(line, 1, msg("observed.no-data-columns"), msg("observed.header.help"))
            return False
        return True

    def _row(self, row: list[str], line: int) -> None:
        """One observation row: used whole, or reported and left out."""
        cells = {name: row[i].strip() if i < len(row) else None for name, i in self.columns.items()}
        missing = [name for name, value in cells.items() if value is None]
        if missing:
            end = len(self.lines[line - 1]) + 1 if line <= len(self.lines) else 1
            self._report(line, end, msg("observed.missing-cell", column=missing[0]))
            return
        name = cells["action"] or ""
        if not name:
            self._cell(line, "action", msg("observed.no-action"))
            return
        key = self.ids.get(name)
        if key is None:
            close = closest(name, self.ids)
            help = msg("hint.did-you-mean", name=close) if close else None
            self._cell(line, "action", msg("observed.unknown-action", id=name), help)
            return
        times: list[tuple[dict[str, list[float]], float]] = []
        for column, into in (("duration", self.found.durations), ("wait", self.found.waits)):
            written = cells.get(column)
            if written:
                value = self._seconds(written, line, column)
                if value is None:
                    return
                times.append((into, value))
        good, metric_value = self._metric(cells, key, name, line)
        if not good:
            return
        for into, value in times:
            into.setdefault(key, []).append(value)
        if metric_value is not None:
            self.found.metrics.setdefault(metric_value[0], []).append(metric_value[1])
        self.found.rows += 1

    def _seconds(self, written: str, line: int, column: str) -> float | None:
        if _PLAIN_SECONDS.match(written):
            return float(written)
        try:
            return seconds(written)
        except BadValue as error:
            problem = msg("observed.bad-duration", text=written, reason=error.message)
            self._cell(line, column, problem, msg("observed.duration.help"))
            return None

    def _metric(
        self, cells: dict[str, str | None], key: str, name: str, line: int
    ) -> tuple[bool, tuple[tuple[str, str], float] | None]:
        """(whether the cells are good, ((key, metric), value) or None without a metric)."""
        metric_name = cells.get("metric") or ""
        written = cells.get("value") or ""
        if not metric_name:
            if written:
                self._cell(line, "metric", msg("observed.value-without-metric"))
                return False, None
            return True, None
        metric = self.metrics[key].get(metric_name)
        if metric is None:
            known = list(self.metrics[key])
            close = closest(metric_name, known)
            help = msg("hint.did-you-mean", name=close) if close else None
            problem = msg("observed.unknown-metric", action=f"`{name}`", metric=metric_name)
            self._cell(line, "metric", problem, help)
            return False, None
        if not written:
            self._cell(line, "value", msg("observed.no-value", metric=metric_name))
            return False, None
        try:
            value = quantity(written)
        except BadValue as error:
            self._cell(line, "value", msg("observed.bad-value", text=written, reason=error.message))
            return False, None
        if value.kind != metric.value.kind:
            example = metric.value.text
            problem = msg("observed.value-kind", text=written, metric=metric_name, example=example)
            self._cell(line, "value", problem)
            return False, None
        return True, ((key, metric_name), value.value)

    def _cell(self, line: int, column: str, message: Message, help: Message | None = None) -> None:
        index = self.columns[column]
        at = self._column(line, index, self.delimiter)
        width = len(self._cell_text(line, index))
        self._report(line, at, message, help, width)

    def _report(
        self, line: int, column: int, message: Message, help: Message | None = None, width: int = 1
    ) -> None:
        if len(self.found.problems) >= _MAX_PROBLEMS:
            self.left_out += 1
            return
        self.found.problems.append(_problem(self.path, line, column, message, help, width))

    def _starts(self, line: int, delimiter: str) -> list[int]:
        """The 0-based offset of each cell on a physical line (quotes respected)."""
        text = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        starts, quoted = [0], False
        for offset, char in enumerate(text):
            if char == '"':
                quoted = not quoted
            elif char == delimiter and not quoted:
                starts.append(offset + 1)
        return starts

    def _column(self, line: int, index: int, delimiter: str) -> int:
        starts = self._starts(line, delimiter)
        if index >= len(starts):
            return len(self.lines[line - 1]) + 1 if 1 <= line <= len(self.lines) else 1
        text = self.lines[line - 1]
        offset = starts[index]
        while offset < len(text) and text[offset] in ' "':  # the value, not its padding
            offset += 1
        return offset + 1

    def _cell_text(self, line: int, index: int) -> str:
        starts = self._starts(line, self.delimiter)
        if index >= len(starts) or not 1 <= line <= len(self.lines):
            return ""
        text = self.lines[line - 1]
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        return text[starts[index] : end].strip(' "')
