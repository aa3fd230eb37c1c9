"""Source positions for the language server: bpc spans <-> LSP positions and back.

The code units of CJK characters and emoji in UTF-8, UTF-16 and UTF-32; line breaks
(CRLF, a lone CR); and a byte-order mark, which the compiler does not see.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.api import compile_text
from blueprint_dsl.core.spans import Span
from blueprint_dsl.lsp.positions import UTF8, UTF16, UTF32, LineIndex, units


def test_code_units_of_cjk_and_emoji() -> None:
    assert units("点餐", UTF16) == 2
    assert units("🍜", UTF16) == 2
    assert units("🍜", UTF8) == 4
    assert units("点", UTF8) == 3
    assert units("🍜点", UTF32) == 2


def test_span_to_lsp_range_counts_utf16_units() -> None:
    text = 'a\n  顾客 🍜x "y"\n'
    index = LineIndex(text, UTF16)
    # bpc columns count code points: `x` is column 7 on line 2
    x = Span("f", 2, 7, 2, 8)
    assert index.span_range(x) == ((1, 7), (1, 8))
    assert LineIndex(text, UTF8).span_range(x) == ((1, 13), (1, 14))
    assert LineIndex(text, UTF32).span_range(x) == ((1, 6), (1, 7))
    # and back: the UTF-16 position (1, 7) is the code point offset of `x`
    assert text[index.offset((1, 7))] == "x"
    # a position inside the surrogate pair (units 5 and 6) rounds down to the emoji
    assert text[index.offset((1, 6))] == "🍜"
    assert text[index.offset((1, 5))] == "🍜"
    # beyond the end of a line: clamped to the line's end
    assert index.offset((0, 99)) == 1


def test_line_breaks_crlf_lone_cr_and_bom() -> None:
    crlf = 'a\r\nbb "点"\r\n'
    index = LineIndex(crlf)
    assert index.span_range(Span("f", 2, 4, 2, 7)) == ((1, 3), (1, 6))
    assert index.end == (2, 0)
    # a lone CR ends a line for bpc and for LSP alike
    lone = "a\rbc\n"
    index = LineIndex(lone)
    assert index.span_range(Span("f", 2, 2, 2, 3)) == ((1, 1), (1, 2))
    cr_only = 'blueprint "A" {\r}\rstep "S" {\r  customer a "A" -> b\r}\r'
    (problem,) = compile_text(cr_only).diagnostics
    assert problem.span == Span("<string>", 4, 21, 4, 22)
    assert LineIndex(cr_only).span_range(problem.span) == ((3, 20), (3, 21))
    # the compiler does not see a byte-order mark
    bom = "\ufeffab\n"
    index = LineIndex(bom, skip=1)
    assert index.span_range(Span("f", 1, 1, 1, 2)) == ((0, 1), (0, 2))
