"""Bad input is one line naming file, sheet, row and column, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from blueprint_dsl.importing import ImportProblem, import_file

from .helpers import write_csv, write_xlsx


def problem(path: Path, **options: str) -> str:
    with pytest.raises(ImportProblem) as caught:
        import_file(path, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message.removeprefix(f"{path}")


def test_unknown_zone_row_in_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Step", "One"], ["Custmer", "Ask"]])
    assert problem(path) == (
        ", row 2, column A: unknown zone row 'Custmer' (did you mean 'customer'?): a row is "
        "named evidence, customer, onstage, backstage or support (or 有形展示, 顾客, 前台, 后台, "
        "支持); a lane is written 'Onstage: Waiter'"
    )


def test_unknown_zone_row_in_xlsx_names_the_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Customer", "Ask"], ["Waiter", "Serve"]]
    path = write_xlsx(tmp_path / "g.xlsx", rows, sheet="Plan")
    assert problem(path).startswith(", sheet 'Plan', row 2, column A: unknown zone row 'Waiter': ")


def test_phase_row_below_zone_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Customer", "Ask"], ["Phase", "Early"]])
    assert (
        problem(path)
        == ", row 2, column A: 'Phase': the phase and step rows go above the zone rows"
    )


def test_three_header_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["", "a"], ["", "b"], ["", "c"], ["Customer", "x"]])
    assert problem(path) == (
        ", row 3, column A: more than two rows above the zone rows "
        "(only a phase row and a step row)"
    )


def test_no_zone_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["", "One", "Two"]])
    assert problem(path).startswith(": no zone rows: a row is named evidence, customer")


def test_no_steps(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Customer"], ["Onstage"]])
    assert problem(path) == ", row 1: no steps: the columns after the first are empty"


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n , \r\n")
    assert problem(path) == ": the sheet is empty"


def test_empty_xlsx_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [], sheet="Blank")
    assert problem(path) == ", sheet 'Blank': the sheet is empty"


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["Customer", "a"]], sheet="One", more_sheets=("Two",))
    assert problem(path, sheet="Three") == ": no sheet 'Three'; the workbook has 'One', 'Two'"


def test_second_sheet_by_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["Customer", "a"]], sheet="One", more_sheets=("Two",))
    # the second sheet holds one cell, "empty", in A1: no zone row there
    assert problem(path, sheet="Two").startswith(
        ", sheet 'Two', row 1, column A: unknown zone row 'empty'"
    )


def test_sheet_option_on_a_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Customer", "a"]])
    assert problem(path, sheet="One") == ": --sheet is for xlsx workbooks; a CSV has one sheet"


def test_password_protected_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"  # encrypted OOXML is an OLE compound file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert problem(path) == (
        ": a password-protected (encrypted) workbook or an old .xls file: save it without a "
        "password as .xlsx (or as CSV UTF-8)"
    )


def test_a_csv_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("Customer,Ask\n", encoding="utf-8")
    assert problem(path) == ": not an xlsx workbook (an xlsx file is a zip archive)"


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["Customer", "Ask"]])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[:300])
    assert problem(path) == ": a damaged xlsx workbook (BadZipFile: File is not a zip file)"


def test_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert problem(path).startswith(": a damaged xlsx workbook (KeyError: ")


def test_workbook_with_a_broken_sheet(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["Customer", "Ask"]])
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert "damaged" in problem(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("Customer,Ask\nOnstage,Café\n".encode("latin-1"))
    assert problem(path) == (
        ", row 2: not UTF-8 text (byte 0xe9 at character 12); save it as CSV UTF-8, or name "
        "its encoding with --encoding (e.g. gb18030 for a CSV saved by a Chinese Excel)"
    )


def test_gb18030_with_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("顾客,报修\n前台,记录\n".encode("gb18030"))
    result = import_file(path, encoding="gb18030")
    assert result.draft.locale == "zh"


def test_unknown_encoding(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Customer", "a"]])
    assert problem(path, encoding="klingon") == ": unknown encoding 'klingon'"


def test_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"Customer,Ask\n\x00\x01\x02")
    assert problem(path) == ", row 2: a NUL byte: this is not a text file"


def test_malformed_csv(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('Customer,"Ask" now\n', encoding="utf-8")
    assert problem(path).startswith(", row 1: malformed CSV: ")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert problem(tmp_path / "none.csv") == ": no such file"
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    assert problem(folder) == ": is a folder, not a spreadsheet"
