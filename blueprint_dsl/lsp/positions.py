"""Source positions for the language server: bpc spans <-> LSP positions.

bpc spans (from Lark) are 1-based; a line is what follows a ``\\n`` and a column counts
code points. LSP positions are 0-based; a line ends at ``\\n``, ``\\r\\n`` or ``\\r``, and
a character offset counts code units of the negotiated encoding: UTF-16 by default (a
CJK character is one unit, an emoji outside the BMP is two), or UTF-8 / UTF-32.

Everything here is pure and works on plain tuples, so it is unit-testable alone.
"""

from __future__ import annotations

import bisect
import re

from ..spans import Span

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

    `skip` is the number of leading characters that bpc did not see (a byte-order mark
    that the compiler strips): bpc spans are shifted by it.
    """

    def __init__(self, text: str, encoding: str = UTF16, skip: int = 0) -> None:
        self.text = text
        self.encoding = encoding
        self.skip = skip
        # LSP lines: starts and ends (the end excludes the line break).
        self._starts: list[int] = [0]
        self._ends: list[int] = []
        for match in _LSP_BREAK.finditer(text):
            self._ends.append(match.start())
            self._starts.append(match.end())
        self._ends.append(len(text))
        # bpc (Lark) lines: only "\n" starts a new line.
        self._bp_starts = [0] + [m.end() for m in re.finditer("\n", text[skip:])]

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_text(self, line: int) -> str:
        """The text of LSP line `line` (0-based) without its line break."""
        if not 0 <= line < len(self._starts):
            return ""
        return self.text[self._starts[line] : self._ends[line]]

    # ---- LSP side ---------------------------------------------------------------------
    def position(self, offset: int) -> Position:
        """The LSP position of a code-point offset into the text."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
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
        """The offset of a 1-based bpc line and code-point column."""
        if line < 1:
            return self.skip
        if line > len(self._bp_starts):
            return len(self.text)
        start = self._bp_starts[line - 1]
        # the last offset on the line: its "\n", or the end of the text
        limit = (
            self._bp_starts[line] - 1 if line < len(self._bp_starts) else len(self.text) - self.skip
        )
        return self.skip + min(start + max(column - 1, 0), limit)

    def span_range(self, span: Span) -> Range:
        """The LSP range of a bpc span (1-based, end-exclusive)."""
        start = self.bp_offset(span.line, span.column)
        end = max(self.bp_offset(span.end_line, span.end_column), start)
        return self.position(start), self.position(end)

    def span_offsets(self, span: Span) -> tuple[int, int]:
        start = self.bp_offset(span.line, span.column)
        return start, max(self.bp_offset(span.end_line, span.end_column), start)

    def bp_position(self, offset: int) -> tuple[int, int]:
        """The 1-based bpc (line, column) of an offset."""
        inner = max(offset - self.skip, 0)
        line = bisect.bisect_right(self._bp_starts, inner) - 1
        return line + 1, inner - self._bp_starts[line] + 1


def contains(rng: Range, position: Position) -> bool:
    """Whether `position` is inside `rng`, its end included (a cursor just after a word)."""
    return rng[0] <= position <= rng[1]


def overlaps(a: Range, b: Range) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
