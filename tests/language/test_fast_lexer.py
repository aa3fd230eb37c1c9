"""The parser's fast lexer gives exactly what Lark's contextual lexer gives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.language import parser

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.bp"))
TEXTS = [p.read_text("utf-8") for p in SAMPLES]
PIECES = ["{", "}", '"', "->", "<->", ";", "\n", "step", "步骤", "lane", " 5m", "..", ":", ",", "#"]


@contextlib.contextmanager
def contextual_lexer() -> Iterator[None]:
    """Parse with Lark's own contextual lexer for the duration."""
    frontend: Any = parser._lark().parser
    fast = frontend.lexer
    frontend.lexer = fast.contextual
    try:
        yield
    finally:
        frontend.lexer = fast


def both(text: str) -> tuple[Any, Any]:
    """Lark's parse with the fast lexer, and with Lark's contextual lexer."""
    fast = parser._parse_with_lark(text, "t.bp")
    with contextual_lexer():
        slow = parser._parse_with_lark(text, "t.bp")
    return fast, slow


def test_the_fast_lexer_is_in_use() -> None:
    assert isinstance(parser._lark().parser.lexer, parser._FastLexer)


def test_samples_parse_the_same() -> None:
    assert TEXTS
    for text in TEXTS:
        fast, slow = both(text)
        assert fast[0] is not None
        assert fast == slow


def test_a_keyword_where_a_name_is_expected_is_a_name() -> None:
    text = 'lane step "Step desk" in onstage\nstep "S" {\n  step greet "Greet"\n}\n'
    fast, slow = both(text)
    assert fast == slow
    assert fast[0] is not None and fast[0].items[0].id.text == "step"


@st.composite
def mutated_samples(draw: st.DrawFn) -> str:
    """A sample with up to four edits: pieces of syntax inserted, runs of text deleted."""
    text = TEXTS[draw(st.sampled_from(range(len(TEXTS))))]
    edits = st.tuples(st.floats(0, 1), st.sampled_from(PIECES), st.integers(0, 8), st.booleans())
    for where, piece, length, insert in draw(st.lists(edits, min_size=1, max_size=4)):
        at = int(where * len(text))
        text = text[:at] + piece + text[at:] if insert else text[:at] + text[at + length :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_mutated_samples_parse_and_fail_the_same(text: str) -> None:
    fast, slow = both(text)
    assert fast[0] == slow[0]
    assert [repr(d) for d in fast[1]] == [repr(d) for d in slow[1]]
