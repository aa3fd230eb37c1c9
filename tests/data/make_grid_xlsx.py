"""Write samples/restaurant-grid.xlsx: the restaurant sample as a spreadsheet grid.

    python tests/data/make_grid_xlsx.py [OUT.xlsx]

Phases are merged cells over the step columns, rows are zones and lanes (`Onstage:
Waiter`), the three lines are rows of their own, and flows are written `→ X` in the
cells (docs/import.md). `bpc import samples/restaurant-grid.xlsx -o dinner.bp` reads it.
The workbook is written with fixed properties so that the file is the same every run.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "samples" / "restaurant-grid.xlsx"

PHASES = [("Before the visit", 1), ("At the restaurant", 4)]
GRID: list[list[str]] = [
    ["Step", "Book a table", "Arrive", "Order", "Eat", "Pay"],
    [
        "Physical evidence",
        "Website\nConfirmation SMS",
        "Entrance sign\nHost stand",
        "Menu",
        "Food\nPlates",
        "Bill\nCard terminal",
    ],
    [
        "Customer actions",
        "Book a table online → Confirm booking by SMS",
        "Arrive → Greet and seat",
        "Order food and drinks → Take order",
        "Eat",
        "Pay → Bring bill and take payment",
    ],
    ["Line of interaction"],
    ["Onstage: Host", "", "Greet and seat"],
    [
        "Onstage: Waiter",
        "",
        "",
        "Take order → Ticket to kitchen",
        "Serve dishes → Eat",
        "Bring bill and take payment <-> Payment gateway",
    ],
    ["Onstage", "Confirm booking by SMS → Booking system"],
    ["Line of visibility"],
    [
        "Backstage: Kitchen staff",
        "",
        "",
        "Ticket to kitchen\n→ Cook\n--> POS",
        "Cook → Serve dishes",
    ],
    ["Line of internal interaction"],
    ["Support processes", "Booking system", "", "POS", "", "Payment gateway"],
]


def build() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Blueprint"
    sheet.append(["Phase"] + [name for name, span in PHASES for _ in range(span)])
    column = 2
    for _name, span in PHASES:
        if span > 1:
            sheet.merge_cells(
                start_row=1, start_column=column, end_row=1, end_column=column + span - 1
            )
        column += span
    for row in GRID:
        sheet.append(row)
    bold = Font(bold=True)
    band = PatternFill("solid", fgColor="DDEBF7")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.row <= 2 or cell.column == 1:
                cell.font = bold
            if cell.row <= 2:
                cell.fill = band
    sheet.column_dimensions["A"].width = 26
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 30
    sheet.freeze_panes = "B3"
    fixed = dt.datetime(2026, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "bpc"
    return book


def stable_bytes(book: Workbook) -> bytes:
    """The saved workbook with fixed zip timestamps and a fixed modified date."""
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    return out.getvalue()


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else OUT
    out.write_bytes(stable_bytes(build()))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
