"""A 50,000-row sheet reads and builds in one linear pass. Only the cheap stages run here
(reading, building, writing the unformatted text); bench/bench_import.py times the whole
import, formatter and check included."""

from __future__ import annotations

from pathlib import Path

from blueprint_dsl.core.gc_pause import collector_paused
from blueprint_dsl.exports.csv_export import COLUMNS
from blueprint_dsl.importing import Notice
from blueprint_dsl.importing.grid import read_grid
from blueprint_dsl.importing.rows import read_rows
from blueprint_dsl.importing.table import read_csv
from blueprint_dsl.importing.writer import draft_text

from .helpers import write_csv

N = 50_000
ZONES = ("customer", "onstage", "backstage", "support")


def test_fifty_thousand_rows_layout(tmp_path: Path) -> None:
    rows = [list(COLUMNS)]
    for i in range(N):
        cells = {"step_index": str(i // 4 + 1), "step": f"S{i // 4}", "zone": ZONES[i % 4]}
        cells |= {"id": f"a{i}", "label": f"Action {i}", "duration": "2m"}
        rows.append([cells.get(c, "") for c in COLUMNS])
    with collector_paused():  # as import_file reads
        table = read_csv(write_csv(tmp_path / "big.csv", rows, bom=True), "big.csv")
        draft = read_rows(table, "Big", [])
    assert len(table.rows) == N + 1
    assert (len(draft.steps), draft.action_count) == (N // 4, N)
    text = draft_text(draft)
    assert text.count(" { duration 2m }") == N


def test_fifty_thousand_rows_grid(tmp_path: Path) -> None:
    rows = [["Step", "One"]]
    rows += [[f"Onstage: Lane {i}", f"Task {i} → Task {i + 1}"] for i in range(N)]
    notices: list[Notice] = []
    with collector_paused():  # as import_file reads
        table = read_csv(write_csv(tmp_path / "tall.csv", rows), "tall.csv")
        draft = read_grid(table, "T", notices)
    assert (len(draft.lanes), draft.action_count) == (N, N)
    flows = sum(len(a.flows) for s in draft.steps for a in s.actions)
    assert flows == N - 1  # the last one points to "Task 50000", which no cell holds
    assert [str(n) for n in notices] == [
        f"tall.csv, row {N + 1}, column B: warning: flow to 'Task {N}' dropped: "
        "no cell is called that"
    ]
