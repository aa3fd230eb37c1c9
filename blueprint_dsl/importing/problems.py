"""Where a spreadsheet went wrong: one line that names the file, sheet, row and column.

`ImportProblem` stops an import (the CLI prints it and exits 2); a `Notice` is a warning
about something the import left out or changed, and the import goes on.
"""

from __future__ import annotations

from dataclasses import dataclass


def column_letter(column: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (the spreadsheet's own column names)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Place:
    """A cell, or a whole row (`column` None), or the whole sheet (both None); 1-based."""

    path: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None

    def at(self, row: int | None, column: int | None = None) -> Place:
        return Place(self.path, self.sheet, row, column)

    def __str__(self) -> str:
        parts = [self.path]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {column_letter(self.column)}")
        return ", ".join(parts)


class ImportProblem(Exception):
    """Input that cannot become a blueprint; `str()` is the one-line message."""

    def __init__(self, place: Place, message: str) -> None:
        super().__init__(f"{place}: {message}")
        self.place = place
        self.message = message


@dataclass(frozen=True)
class Notice:
    """A warning: the import went on without something (a flow to an unknown name, …)."""

    place: Place
    message: str

    def __str__(self) -> str:
        return f"{self.place}: warning: {self.message}"
