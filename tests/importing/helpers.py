"""Writing small spreadsheets for the import tests, and compiling what an import gives."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from blueprint_dsl.api import compile_text
from blueprint_dsl.compiler import CompileResult
from blueprint_dsl.core.diagnostics import Severity


def csv_text(rows: list[list[str]], separator: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]], separator: str = ",", bom: bool = False) -> Path:
    path.write_text(("\ufeff" if bom else "") + csv_text(rows, separator), encoding="utf-8")
    return path


def write_xlsx(
    path: Path,
    rows: list[list[object]],
    merges: tuple[str, ...] = (),
    sheet: str = "Sheet1",
    more_sheets: tuple[str, ...] = (),
) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = sheet
    for row in rows:
        first.append(row)
    for ref in merges:
        first.merge_cells(ref)
    for name in more_sheets:
        book.create_sheet(name).append(["empty"])
    book.save(path)
    return path


def compiled(text: str) -> CompileResult:
    return compile_text(text, "imported.bp")


def errors(text: str) -> list[str]:
    return [d.code for d in compiled(text).diagnostics if d.severity is Severity.ERROR]
