"""A sheet as plain text cells, and reading one from CSV.

Every reader (CSV here, xlsx in `xlsx.py`) gives a `Table`: rows of cell texts, the
merged ranges (xlsx only) and the place for messages. CSV is UTF-8 with or without a
byte-order mark (UTF-16 with a BOM too, as Excel's "Unicode text"), `,`, `;` or tab
separated: the separator is the one that occurs most often outside quotes in the first
record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .problems import ImportProblem, Place

SEPARATORS = (",", ";", "\t")
# Cells larger than this are not a blueprint (the csv module's own default is 128 KiB).
MAX_CELL = 1024 * 1024
MAX_BYTES = 256 * 1024 * 1024


@dataclass
class Table:
    place: Place  # the file and sheet, for messages
    rows: list[list[str]]
    # Merged ranges (xlsx): (first row, first column, last row, last column), 0-based.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Or what reads them when first needed (only the grid layout asks).
    merge_reader: Callable[[], list[tuple[int, int, int, int]]] | None = None

    def merged(self) -> list[tuple[int, int, int, int]]:
        if self.merge_reader is not None:
            self.merges, self.merge_reader = self.merge_reader(), None
        return self.merges

    def cell(self, row: int, column: int) -> str:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else ""

    def at(self, row: int, column: int | None = None) -> Place:
        """The place of a cell given 0-based indexes."""
        return self.place.at(row + 1, None if column is None else column + 1)


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            limit = MAX_BYTES // (1024 * 1024)
            raise ImportProblem(Place(shown), f"the file is larger than {limit} MB")
        return path.read_bytes()
    except IsADirectoryError:
        raise ImportProblem(Place(shown), "is a folder, not a spreadsheet") from None
    except FileNotFoundError:
        raise ImportProblem(Place(shown), "no such file") from None
    except OSError as error:
        raise ImportProblem(Place(shown), f"cannot read: {error.strerror or error}") from None


def decode_text(data: bytes, place: Place, encoding: str | None = None) -> str:
    """The text of a CSV file; a byte that is not UTF-8 is a problem at its row and column."""
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise ImportProblem(place, f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as error:
            return _bad_byte(data, error.start, place, encoding)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            return _bad_byte(data, error.start, place, "UTF-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _bad_byte(data, error.start, place, "UTF-8")


def _bad_byte(data: bytes, offset: int, place: Place, encoding: str) -> str:
    before = data[:offset]
    row = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    hint = (
        "; save it as CSV UTF-8, or name its encoding with --encoding (e.g. gb18030 for a "
        "CSV saved by a Chinese Excel)"
        if encoding == "UTF-8"
        else ""
    )
    message = f"not {encoding} text (byte 0x{data[offset]:02x} at character {column}){hint}"
    raise ImportProblem(place.at(row), message)


def separators(text: str) -> list[str]:
    """The separators that occur outside quotes in the first record, most frequent first."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            if any(counts.values()):
                break
        elif not quoted and char in counts:
            counts[char] += 1
    found = sorted((s for s in SEPARATORS if counts[s]), key=lambda s: -counts[s])
    return found or [","]  # sorted() is stable: `,` first on a tie


def _records(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as error:
        raise _Malformed(len(rows) + 1, str(error)) from None
    return rows


class _Malformed(Exception):
    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row = row
        self.reason = reason


def parse_csv(text: str, place: Place) -> Table:
    """All records of `text`, with the most frequent separator of the first record (the
    next one found there only when the text is malformed with the first); a malformed
    record is a problem at its row."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportProblem(place.at(line), "a NUL byte: this is not a text file")
    previous = csv.field_size_limit(MAX_CELL)
    first: _Malformed | None = None
    try:
        for delimiter in separators(text):
            try:
                return Table(place, _records(text, delimiter))
            except _Malformed as malformed:
                first = first or malformed
    finally:
        csv.field_size_limit(previous)
    assert first is not None
    raise ImportProblem(place.at(first.row), f"malformed CSV: {first.reason}")


def read_csv(path: Path, shown: str, encoding: str | None = None) -> Table:
    place = Place(shown)
    return parse_csv(decode_text(read_bytes(path, shown), place, encoding), place)
