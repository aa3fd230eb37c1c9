"""A light scanner over the raw text of a .bp document, for the language server.

It needs no syntax tree, so it works on text that does not parse. It splits the text into
tokens, tells whether a keyword is written in Chinese (`uses_chinese_keywords`), and
reads the statements and blocks before an offset to tell what may be written there
(`scan_context`, the completion context that `completion.py` answers from). Everything
here is pure and unit-testable alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..language.keywords import ATTRIBUTES as ATTRIBUTE_ZH
from ..language.keywords import HEADER_FIELDS as HEADER_FIELD_ZH
from ..language.keywords import STATEMENTS, ZONES, canonical

_CLOSED_STRING = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# ---- the completion context -----------------------------------------------------------

_TOKEN = re.compile(
    r"""
     (?P<string>"(?:[^"\\\r\n]|\\.)*"?)
    |(?P<comment>\#[^\r\n]*)
    |(?P<newline>\r\n|\r|\n)
    |(?P<semi>;)
    |(?P<lbrace>\{)
    |(?P<rbrace>\})
    |(?P<arrow><->|-->|->)
    |(?P<comma>,)
    |(?P<colon>:)
    |(?P<range>\.\.)
    |(?P<quantity>[+-]?\d+(?:\.\d+)?(?:%|[^\W\d_]+)?)
    |(?P<name>[^\W\d](?:\w|-(?![->]))*)
    |(?P<space>[ \t\f\ufeff]+)
    |(?P<other>.)
    """,
    re.X,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "space":
            yield _Token(kind, match.group(), match.start(), match.end())


def uses_chinese_keywords(text: str) -> bool:
    """Whether a keyword (statement, zone, attribute, field) is written in Chinese."""
    if not _CJK.search(text):
        return False
    keywords = {
        zh for table in (STATEMENTS, ZONES, ATTRIBUTE_ZH, HEADER_FIELD_ZH) for zh in table.values()
    }
    return any(t.kind == "name" and t.text in keywords for t in tokens(text))


@dataclass
class _Block:
    kind: str  # "top" | "header" | "phase" | "step" | "attributes"
    used: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class CompletionContext:
    what: str  # see completion.completion
    prefix: str  # the word (or number) being typed
    prefix_start: int  # its offset
    statement: str | None = None  # the canonical first word of the statement
    unit_prefix: str = ""
    used: frozenset[str] = frozenset()


def scan_context(text: str, offset: int) -> CompletionContext | None:
    """What may be written at `offset`: read the statements and blocks before it."""
    stack = [_Block("top")]
    statement: list[_Token] = []
    toks = list(tokens(text[:offset]))
    prefix: _Token | None = None
    if toks and toks[-1].end == offset and toks[-1].kind in ("name", "quantity"):
        prefix = toks.pop()
    if toks and toks[-1].end == offset and toks[-1].kind in ("string", "comment"):
        closed = toks[-1].kind == "string" and _CLOSED_STRING.fullmatch(toks[-1].text)
        if not closed:
            return None  # inside a label or a comment
    for tok in toks:
        if tok.kind in ("newline", "semi"):
            _end_statement(stack[-1], statement)
            statement = []
        elif tok.kind == "lbrace":
            opener = canonical(statement[0].text) if statement else ""
            kind = {"blueprint": "header", "phase": "phase", "step": "step"}.get(
                opener, "attributes"
            )
            stack.append(_Block(kind))
            statement = []
        elif tok.kind == "rbrace":
            _end_statement(stack[-1], statement)
            if len(stack) > 1:
                stack.pop()
            statement = []
        elif tok.kind != "comment":
            statement.append(tok)
    block = stack[-1]
    start = prefix.start if prefix is not None else offset
    word = prefix.text if prefix is not None else ""
    first = canonical(statement[0].text) if statement else None
    kinds = [t.kind for t in statement]

    def make(what: str, unit: str = "") -> CompletionContext:
        return CompletionContext(what, word, start, first, unit, frozenset(block.used))

    if prefix is not None and prefix.kind == "quantity":
        unit = re.sub(r"^[+-]?\d+(?:\.\d+)?", "", word)
        if block.kind in ("attributes", "header") and statement:
            return make("unit", unit)
        return None
    if kinds and (kinds[-1] == "arrow" or (kinds[-1] == "comma" and "arrow" in kinds)):
        return make("target")
    if not statement:
        return make(
            {
                "top": "top-start",
                "phase": "phase-start",
                "step": "step-start",
                "attributes": "attribute",
                "header": "field",
            }[block.kind]
        )
    if first == "lane" and block.kind == "top":
        if kinds == ["name", "name", "string"]:
            return make("in")
        if kinds == ["name", "name", "string", "name"] and canonical(statement[3].text) == "in":
            return make("zone")
    if block.kind == "header" and first == "locale" and len(statement) == 1:
        return make("locale")
    if block.kind == "attributes":
        if first == "fail" and kinds == ["name", "string"]:
            return make("recover")
        if first == "metric" and kinds == ["name", "string", "quantity"]:
            return make("metric-target")
    return None


def _end_statement(block: _Block, statement: list[_Token]) -> None:
    if statement and block.kind in ("attributes", "header") and statement[0].kind == "name":
        block.used.add(canonical(statement[0].text))
