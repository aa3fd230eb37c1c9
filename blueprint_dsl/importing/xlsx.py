"""Reading an xlsx sheet with openpyxl, in read-only mode (one pass, constant memory per row).

Read-only worksheets do not expose merged cells, so when the grid layout asks for them
(for the phase row and for lane names merged down the first column) a second, light pass
over the sheet's XML collects the `<mergeCell ref="…">` ranges; the rows layout never
pays for it. Cell values become text: numbers as written (`3`, `4.5`), booleans
`yes`/empty, times such as `0:10` (a `timedelta`) as durations (`10m`), dates in ISO
form; formulas give their cached value.

A workbook that cannot be opened is one `ImportProblem`: an encrypted (password-protected)
file or an old `.xls` is an OLE compound file, not a zip archive; a damaged one raises one
of the exceptions `_broken_errors` lists, each named there for the failure it stands for.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from .problems import ImportProblem, Place
from .table import Table, read_bytes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML, or a legacy .xls
ZIP_MAGIC = b"PK"
_MERGE_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


def _broken_errors() -> tuple[type[BaseException], ...]:
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        zipfile.BadZipFile,  # not a zip archive, or a truncated one
        zipfile.LargeZipFile,  # a ZIP64 archive the zipfile module refuses
        KeyError,  # a part the workbook names is missing from the archive
        InvalidFileException,  # openpyxl: not a workbook it can read
        ParseError,  # malformed XML in a part
        zlib.error,  # a damaged compressed member
        EOFError,  # a member cut short
        ValueError,  # openpyxl: a malformed attribute or cell reference
        TypeError,  # openpyxl: a part of the wrong shape
        AttributeError,  # openpyxl: an element missing where it expects one
        IndexError,  # openpyxl: a style or shared string out of range
        OSError,  # openpyxl: "File contains no valid workbook part"
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _rows(cells: Iterable[tuple[Any, ...]]) -> list[list[str]]:
    rows: list[list[str]] = []
    for values in cells:
        row = [_text(v) for v in values]
        while row and row[-1] == "":
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _merges(data: bytes, part: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of the sheet stored at `part` of the archive `data`."""
    from openpyxl.utils.cell import range_boundaries

    merges: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as source:
        for _, element in iterparse(source):
            if element.tag == _MERGE_TAG:
                ref = element.get("ref")
                if ref:
                    first_col, first_row, last_col, last_row = range_boundaries(ref)
                    merges.append((first_row - 1, first_col - 1, last_row - 1, last_col - 1))
            element.clear()
    return merges


def _merge_reader(
    data: bytes, sheet: Any, at: Place
) -> Callable[[], list[tuple[int, int, int, int]]] | None:
    """What reads the merged cells when the grid layout asks for them: a second, light
    pass over the sheet's XML, paid only by grids."""
    part = getattr(sheet, "_worksheet_path", None)
    if not isinstance(part, str):
        return None  # another openpyxl: phases fall back to blank-continued names

    def read() -> list[tuple[int, int, int, int]]:
        try:
            return _merges(data, part)
        except _broken_errors() as error:
            raise ImportProblem(at, f"a damaged sheet ({_reason(error)})") from None

    return read


def read_xlsx(path: Path, shown: str, sheet_name: str | None = None) -> Table:
    """The cells of one sheet (the first unless `sheet_name`). openpyxl's warnings (about
    styles, extensions or relationships it skips) say nothing about the cells read, so
    they are not shown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read(path, shown, sheet_name)


def _read(path: Path, shown: str, sheet_name: str | None) -> Table:
    data = read_bytes(path, shown)
    place = Place(shown)
    if data.startswith(OLE_MAGIC):
        raise ImportProblem(
            place,
            "a password-protected (encrypted) workbook or an old .xls file: save it "
            "without a password as .xlsx (or as CSV UTF-8)",
        )
    if not data.startswith(ZIP_MAGIC):
        raise ImportProblem(place, "not an xlsx workbook (an xlsx file is a zip archive)")
    import openpyxl

    broken = _broken_errors()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken as error:
        raise ImportProblem(place, f"a damaged xlsx workbook ({_reason(error)})") from None
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise ImportProblem(place, "the workbook has no sheets")
        name = names[0] if sheet_name is None else sheet_name
        if name not in names:
            listed = ", ".join(repr(n) for n in names)
            raise ImportProblem(place, f"no sheet {name!r}; the workbook has {listed}")
        sheet = workbook[name]
        at = Place(shown, name)
        if not hasattr(sheet, "iter_rows"):
            raise ImportProblem(at, "a chart sheet, not a sheet of cells")
        try:
            rows = _rows(sheet.iter_rows(values_only=True))
        except broken as error:
            raise ImportProblem(at, f"a damaged sheet ({_reason(error)})") from None
        return Table(at, rows, merge_reader=_merge_reader(data, sheet, at))
    finally:
        workbook.close()


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    return f"{name}: {text[:120]}" if text else name
