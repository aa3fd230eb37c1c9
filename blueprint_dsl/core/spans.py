"""Source positions: every AST node and diagnostic carries a frozen `Span`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A region of a source file. Lines and columns are 1-based; the end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)

    def to(self, other: Span) -> Span:
        """The span from the start of `self` to the end of `other`."""
        return Span(self.file, self.line, self.column, other.end_line, other.end_column)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so that lines are counted as editors count them."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def source_lines(text: str) -> list[str]:
    """The lines of a source text, split only at line ends (not at U+2028 and the like)."""
    return normalise_newlines(text).split("\n")
