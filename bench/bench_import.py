"""Benchmark `bpc import`: reading, building and writing large spreadsheets.

Run from anywhere:  python bench/bench_import.py  [--quick]

For generated rows-layout sheets of 5,000, 20,000 and 50,000 rows (one action each,
four actions per step), as CSV and as xlsx, and grid-layout CSVs of as many lane rows
(four steps, so four actions a row), it prints the best-of-2 time of each stage,
in-process:

    read    file -> Table (csv module / openpyxl read-only; xlsx grids add a merged-cell pass)
    build   Table -> Draft (rows.read_rows / grid.read_grid)
    write   Draft -> .bp text -> `bpc fmt` layout (parses the text once)
    check   compile_text of the result (what `bpc import` runs for its summary line,
            unless --no-check); not timed for the grids, whose one action a row per step
            meet a quadratic ordering in analysis/paths.py

and the time per 1,000 rows, whose ratio between sizes shows linear growth (ratios
near 1). This is a benchmark, not a timed test: it never fails a build.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from blueprint_dsl.compiler import compile_text  # noqa: E402
from blueprint_dsl.core.gc_pause import collector_paused  # noqa: E402
from blueprint_dsl.importing import grid, rows  # noqa: E402
from blueprint_dsl.importing.table import read_csv  # noqa: E402
from blueprint_dsl.importing.writer import write_blueprint  # noqa: E402
from blueprint_dsl.importing.xlsx import read_xlsx  # noqa: E402

T = TypeVar("T")
ZONES = ("customer", "onstage", "backstage", "support")


def rows_table(n: int) -> list[list[str]]:
    table = [list(rows.COLUMNS)]
    for i in range(n):
        step = i // 4 + 1
        zone = ZONES[i % 4]
        lane = ("desk", "Front desk") if zone == "onstage" else (zone, zone.title())
        duration, standard = ("2m", "5m") if i % 3 else ("", "")
        cells = [str(step), f"Step {step}", f"Phase {step // 50 + 1}", zone, *lane, f"a{i}"]
        table.append([*cells, f"Action {i}", "", duration, "", standard, *[""] * 8])
    return table


def grid_table(n: int) -> list[list[str]]:
    """n lane rows (n/4 lanes per zone, 4 steps): a tall grid."""
    table = [["Step", "One", "Two", "Three", "Four"]]
    for i in range(n):
        zone = ("Customer", "Onstage", "Backstage", "Support")[i % 4]
        name = zone if zone == "Customer" else f"{zone}: Lane {i}"
        table.append([name, *(f"Task {i}.{s}" for s in range(4))])
    return table


def write_csv(table: list[list[str]], path: Path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def write_xlsx(table: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Rows")
    for row in table:
        sheet.append(row)
    book.save(path)


def best(func: Callable[[], T], repeat: int) -> tuple[float, T]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    assert result is not None
    return min(times), result


def measure(label: str, path: Path, n: int, layout: str, repeat: int, check: bool = True) -> float:
    reader = (
        (lambda: read_xlsx(path, path.name))
        if path.suffix == ".xlsx"
        else (lambda: read_csv(path, path.name))
    )
    builder = rows.read_rows if layout == "rows" else grid.read_grid
    with collector_paused():  # as import_file runs them
        t_read, table = best(reader, repeat)
        t_build, draft = best(lambda: builder(table, "Bench", []), repeat)
    t_write, text = best(lambda: write_blueprint(draft), repeat)
    total = t_read + t_build + t_write
    checked = "check not timed"
    if check:
        t_check, result = best(lambda: compile_text(text, "bench.bp"), 1)
        errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
        checked = f"check {t_check:6.2f}s ({errors} errors)"
    print(
        f"{label:<18} {n:>7,} rows  read {t_read:5.2f}s  build {t_build:5.2f}s  "
        f"write {t_write:6.2f}s  = import {total:6.2f}s ({1e6 * total / n:4.0f} ms/1k rows)  "
        f"{checked}  [{draft.action_count:,} actions]"
    )
    return total / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    args = parser.parse_args()
    sizes = (2_000, 10_000) if args.quick else (5_000, 20_000, 50_000)
    repeat = 1 if args.quick else 2
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for kind in ("csv", "xlsx"):
            per_row = []
            for n in sizes:
                path = base / f"rows{n}.{kind}"
                (write_csv if kind == "csv" else write_xlsx)(rows_table(n), path)
                per_row.append(measure(f"rows layout, {kind}", path, n, "rows", repeat))
            ratios = ", ".join(f"{b / a:.2f}" for a, b in itertools.pairwise(per_row))
            print(f"  time per row, each size to the one before: {ratios} (1.00 = linear)")
        # The check of a 50,000-lane grid (50,000 actions in each of 4 steps) is not timed:
        # analysis/paths.py orders the actions of a step in quadratic time.
        per_row = []
        for n in sizes:
            path = base / f"grid{n}.csv"
            write_csv(grid_table(n), path)
            per_row.append(measure("grid layout, csv", path, n, "grid", repeat, check=False))
        ratios = ", ".join(f"{b / a:.2f}" for a, b in itertools.pairwise(per_row))
        print(f"  time per row, each size to the one before: {ratios} (1.00 = linear)")


if __name__ == "__main__":
    main()
