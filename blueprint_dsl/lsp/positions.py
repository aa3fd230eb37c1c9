"""Source positions for the language server: bpc spans <-> LSP positions.

bpc spans are 1-based and count columns in code points. LSP positions are 0-based and
count characters in code units of the negotiated encoding: UTF-16 by default (a CJK
character is one unit, an emoji outside the BMP is two), or UTF-8 / UTF-32. Both end a
line at ``\\r\\n``, ``\\n`` or a lone ``\\r``.

Everything here is pure and works on plain tuples, so it is unit-testable alone.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from operator import add

from ..core.spans import Span

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LSP_BREAK = re.compile(r"\r\n|\r|\n")

Position = tuple[int, int]  # (line, character), 0-based, in code units
Range = tuple[Position, Position]


def units(text: str, encoding: str = UTF16) -> int:
    """The length of `text` in code units of `encoding`."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _unit_width(ch: str, encoding: str) -> int:
    code = ord(ch)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 2 if code > 0xFFFF else 1


def column_of_units(line: str, count: int, encoding: str = UTF16) -> int:
    """The code-point index in `line` reached after `count` code units.

    A count that falls inside a character (half of a surrogate pair) rounds down to
    its start; a count beyond the end of the line clamps to the end.
    """
    if encoding == UTF32:
        return max(0, min(count, len(line)))
    used = 0
    for index, ch in enumerate(line):
        width = _unit_width(ch, encoding)
        if used + width > count:
            return index
        used += width
    return len(line)


class LineIndex:
    """Offsets (code points into the text) <-> bpc line/column <-> LSP positions.

    bpc and LSP count lines alike (a line ends at CRLF, LF or a lone CR); bpc columns
    are code points and LSP characters are code units. `skip` is the number of leading
    characters that bpc did not see (a byte-order mark that the compiler strips): the
    columns of bpc's first line are shifted by it.
    """

    def __init__(self, text: str, encoding: str = UTF16, skip: int = 0) -> None:
        self.text = text
        self.encoding = encoding
        self.skip = skip
        # starts and ends of lines; an end excludes the line break
        self._starts: list[int]
        self._ends: list[int]
        if "\r" not in text:  # the common case, without a Python loop over the lines
            lengths = list(map(len, text.split("\n")))
            self._starts = list(accumulate(map((1).__add__, lengths[:-1]), initial=0))
            self._ends = list(map(add, self._starts, lengths))
        else:
            self._starts = [0]
            self._ends = []
            for match in _LSP_BREAK.finditer(text):
                self._ends.append(match.start())
                self._starts.append(match.end())
            self._ends.append(len(text))

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """The offset where the 0-based `line` starts."""
        return self._starts[max(0, min(line, len(self._starts) - 1))]

    def line_end(self, line: int) -> int:
        """The offset where the 0-based `line` ends, before its line break."""
        return self._ends[max(0, min(line, len(self._ends) - 1))]

    def line_break(self, line: int) -> str:
        """The line break after the 0-based `line` ("" for the last line)."""
        if line + 1 >= len(self._starts):
            return ""
        return self.text[self._ends[line] : self._starts[line + 1]]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, max(0, min(offset, len(self.text)))) - 1

    def line_text(self, line: int) -> str:
        """The text of LSP line `line` (0-based) without its line break."""
        if not 0 <= line < len(self._starts):
            return ""
        return self.text[self._starts[line] : self._ends[line]]

    # ---- LSP side ---------------------------------------------------------------------
    def position(self, offset: int) -> Position:
        """The LSP position of a code-point offset into the text."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self._starts[line]
        offset = min(offset, self._ends[line])  # inside a "\r\n": the end of the line
        return line, units(self.text[start:offset], self.encoding)

    def offset(self, position: Position) -> int:
        """The code-point offset of an LSP position (clamped to the document)."""
        line, character = position
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start = self._starts[line]
        return start + column_of_units(self.line_text(line), character, self.encoding)

    @property
    def end(self) -> Position:
        return self.position(len(self.text))

    # ---- bpc side ---------------------------------------------------------------------
    def bp_offset(self, line: int, column: int) -> int:
        """The offset of a 1-based bpc line and code-point column (clamped to the line)."""
        if line < 1:
            return self.skip
        if line > len(self._starts):
            return len(self.text)
        start = self._starts[line - 1] + (self.skip if line == 1 else 0)
        return min(start + max(column - 1, 0), self._ends[line - 1])

    def span_range(self, span: Span) -> Range:
        """The LSP range of a bpc span (1-based, end-exclusive)."""
        start, end = self.span_offsets(span)
        return self.position(start), self.position(end)

    def span_offsets(self, span: Span) -> tuple[int, int]:
        start = self.bp_offset(span.line, span.column)
        return start, max(self.bp_offset(span.end_line, span.end_column), start)

    def bp_position(self, offset: int) -> tuple[int, int]:
        """The 1-based bpc (line, column) of an offset."""
        line = self.line_of(offset)
        start = self._starts[line] + (self.skip if line == 0 else 0)
        return line + 1, max(offset - start, 0) + 1


def contains(rng: Range, position: Position) -> bool:
    """Whether `position` is inside `rng`, its end included (a cursor just after a word)."""
    return rng[0] <= position <= rng[1]


def overlaps(a: Range, b: Range) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
