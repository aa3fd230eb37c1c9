"""Spreadsheets to blueprints (`bpc import`): the whole pipeline in one screen.

    file -> Table (table.read_csv / xlsx.read_xlsx)
         -> Draft (grid.read_grid or rows.read_rows, the layout detected or given)
         -> .bp text in `bpc fmt`'s layout (writer.write_blueprint)

Problems that stop an import are `ImportProblem`s (one line naming file, sheet, row
and column); what an import leaves out is a `Notice`. The layouts are described in
docs/import.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.gc_pause import collector_paused
from .draft import Draft
from .grid import read_grid
from .names import has_chinese
from .problems import ImportProblem, Notice, Place
from .rows import header_row, read_rows
from .table import Table, read_csv
from .writer import write_blueprint

__all__ = ["LAYOUTS", "ImportProblem", "ImportResult", "Notice", "import_file", "import_table"]

LAYOUTS: tuple[str, ...] = ("grid", "rows")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


@dataclass
class ImportResult:
    text: str  # the .bp file
    layout: str
    draft: Draft
    notices: list[Notice] = field(default_factory=list)


def title_from_path(path: str) -> str:
    """`checkout-flow.xlsx` -> "Checkout flow"; `报修.csv` -> "报修"."""
    stem = Path(path).stem
    words = " ".join(re.split(r"[-_\s.]+", stem)).strip()
    if not words:
        return "Imported blueprint"
    return words if has_chinese(words) else words[0].upper() + words[1:]


def import_table(
    table: Table,
    layout: str | None = None,
    title: str | None = None,
    locale: str | None = None,
) -> ImportResult:
    """A read table as a blueprint; `layout` None detects it (bpc's CSV header: rows)."""
    if layout is None:
        layout = "rows" if header_row(table) is not None else "grid"
    if layout not in LAYOUTS:
        raise ImportProblem(table.place, f"unknown layout {layout!r}: grid or rows")
    notices: list[Notice] = []
    name = title or title_from_path(table.place.path)
    reader = read_rows if layout == "rows" else read_grid
    draft = reader(table, name, notices)
    draft.locale = locale or draft.locale
    return ImportResult(write_blueprint(draft, table.place.path), layout, draft, notices)


def import_file(
    path: str | Path,
    layout: str | None = None,
    sheet: str | None = None,
    title: str | None = None,
    locale: str | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Read FILE (.xlsx and friends, else CSV) and import it."""
    shown = str(path)
    source = Path(path)
    with collector_paused():  # a large sheet is many small objects that live to the end
        if source.suffix.lower() in XLSX_SUFFIXES:
            from .xlsx import read_xlsx

            table = read_xlsx(source, shown, sheet)
        else:
            if sheet is not None:
                raise ImportProblem(
                    Place(shown), "--sheet is for xlsx workbooks; a CSV has one sheet"
                )
            table = read_csv(source, shown, encoding)
        return import_table(table, layout, title, locale)
