"""Source positions: every AST node and diagnostic carries a frozen `Span`."""

from __future__ import annotations


class Span:
    """A region of a source file. Lines and columns are 1-based; the end is exclusive.

    Spans are values: equal, hashed and ordered by (file, line, column, end_line,
    end_column). A plain slotted class, not a dataclass: every node of every tree has one,
    and a dataclass costs a millisecond or more to define at start-up. Treat it as frozen:
    only the language server moves a span's lines, through its slots (lsp/spans_move.py).
    """

    __slots__ = ("column", "end_column", "end_line", "file", "line")
    __match_args__ = ("file", "line", "column", "end_line", "end_column")

    def __init__(self, file: str, line: int, column: int, end_line: int, end_column: int) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)

    def to(self, other: Span) -> Span:
        """The span from the start of `self` to the end of `other`."""
        return Span(self.file, self.line, self.column, other.end_line, other.end_column)

    def _key(self) -> tuple[str, int, int, int, int]:
        return (self.file, self.line, self.column, self.end_line, self.end_column)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Span) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Span) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Span) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Span) -> bool:
        return self._key() >= other._key()

    def __repr__(self) -> str:
        return (
            f"Span(file={self.file!r}, line={self.line!r}, column={self.column!r},"
            f" end_line={self.end_line!r}, end_column={self.end_column!r})"
        )


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so that lines are counted as editors count them."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def source_lines(text: str) -> list[str]:
    """The lines of a source text, split only at line ends (not at U+2028 and the like)."""
    return normalise_newlines(text).split("\n")
