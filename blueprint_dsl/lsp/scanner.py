"""A light scanner over the raw text of a .bp document, for the language server.

It needs no syntax tree, so it works on text that does not parse. It splits the text into
tokens, tells whether a keyword is written in Chinese (`uses_chinese_keywords`), and
reads the statements and blocks before an offset to tell what may be written there
(`scan_context`, the completion context that `completion.py` answers from), and closes
the blocks a half-typed file leaves open (`close_blocks`), so that the rest of the file
still parses. Everything here is pure and unit-testable alone.
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
    |(?P<compare><=|>=)
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


_ZH_KEYWORDS = frozenset(
    zh for table in (STATEMENTS, ZONES, ATTRIBUTE_ZH, HEADER_FIELD_ZH) for zh in table.values()
)
_ZH_KEYWORD = re.compile("|".join(re.escape(k) for k in sorted(_ZH_KEYWORDS, key=len)[::-1]))


def uses_chinese_keywords(text: str) -> bool:
    """Whether a keyword (statement, zone, attribute, field) is written in Chinese.

    Only the lines where a keyword's characters appear are read token by token (no token
    holds a line feed, so a line's tokens are those of the whole text there)."""
    if not _CJK.search(text):
        return False
    at = 0
    while (found := _ZH_KEYWORD.search(text, at)) is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        if any(t.kind == "name" and t.text in _ZH_KEYWORDS for t in tokens(text[start:end])):
            return True
        at = end
    return False


@dataclass
class _Block:
    kind: str  # "top" | "header" | "phase" | "step" | "parallel" | "attributes"
    used: set[str] = field(default_factory=set)
    lane: str | None = None  # for the attributes of an action: the lane written


@dataclass(frozen=True)
class CompletionContext:
    what: str  # see completion.completion
    prefix: str  # the word (or number) being typed
    prefix_start: int  # its offset
    statement: str | None = None  # the canonical first word of the statement
    unit_prefix: str = ""
    used: frozenset[str] = frozenset()
    lane: str | None = None  # in an action's attributes: the action's lane, as written
    block: str = "top"  # the kind of block the cursor is in


# ---- brace depth -------------------------------------------------------------------

_NOISE = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*')  # strings and comments: no line end


def depth_change(line: str) -> int:
    """How much a line changes the brace depth (braces in strings and comments aside)."""
    if '"' in line or "#" in line:
        line = _NOISE.sub("", line)
    return line.count("{") - line.count("}")


def top_level_start(text: str, offset: int) -> int:
    """The start of the last line before `offset` that starts at brace depth 0: there no
    block and no statement is open, so reading the text from there tells what is open at
    `offset` as reading it all does."""
    if "\r" in text:
        return 0  # a lone CR ends a line too: read it all
    depth = 0
    start = at = 0
    for line in text[:offset].split("\n"):
        if depth == 0:
            start = at
        if "{" in line or "}" in line:
            depth = max(depth + depth_change(line), 0)
        at += len(line) + 1
    return start


def scan_context(text: str, offset: int) -> CompletionContext | None:
    """What may be written at `offset`: read the statements and blocks before it (from the
    top-level block around it)."""
    base = top_level_start(text, offset)
    stack = [_Block("top")]
    statement: list[_Token] = []
    toks = list(tokens(text[base:offset]))
    local = offset - base
    prefix: _Token | None = None
    if toks and toks[-1].end == local and toks[-1].kind in ("name", "quantity"):
        prefix = toks.pop()
    elif toks and toks[-1].end == local and toks[-1].text in ("<", ">"):
        prefix = toks.pop()  # half of `<=` / `>=`
    if toks and toks[-1].end == local and toks[-1].kind in ("string", "comment"):
        closed = toks[-1].kind == "string" and _CLOSED_STRING.fullmatch(toks[-1].text)
        if not closed:
            return None  # inside a label or a comment
    for tok in toks:
        if tok.kind in ("newline", "semi"):
            _end_statement(stack[-1], statement)
            statement = []
        elif tok.kind == "lbrace":
            kind = _block_kind(stack[-1].kind, statement)
            lane = statement[0].text if kind == "attributes" and statement else None
            stack.append(_Block(kind, lane=lane))
            statement = []
        elif tok.kind == "rbrace":
            _end_statement(stack[-1], statement)
            if len(stack) > 1:
                stack.pop()
            statement = []
        elif tok.kind != "comment":
            statement.append(tok)
    block = stack[-1]
    start = base + prefix.start if prefix is not None else offset
    word = prefix.text if prefix is not None else ""
    first = canonical(statement[0].text) if statement else None
    kinds = [t.kind for t in statement]

    def make(what: str, unit: str = "") -> CompletionContext:
        return CompletionContext(
            what, word, start, first, unit, frozenset(block.used), block.lane, block.kind
        )

    if prefix is not None and prefix.text in ("<", ">"):
        metric = block.kind == "attributes" and first == "metric"
        if metric and kinds == ["name", "string", "quantity", "name"]:
            return make("metric-direction")
        return None
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
                "parallel": "step-start",
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
    if block.kind == "header" and first == "scope" and len(statement) == 1:
        return make("scope")
    if block.kind == "attributes":
        if first == "fail" and kinds == ["name", "string"]:
            return make("recover")
        if first == "metric" and kinds == ["name", "string", "quantity"]:
            return make("metric-target")
        if (
            first == "metric"
            and kinds == ["name", "string", "quantity", "name"]
            and canonical(statement[3].text) == "target"
        ):
            return make("metric-direction")
    return None


def _end_statement(block: _Block, statement: list[_Token]) -> None:
    if statement and block.kind in ("attributes", "header") and statement[0].kind == "name":
        block.used.add(canonical(statement[0].text))


# ---- closing the blocks a half-typed file leaves open ---------------------------------

# A statement that can only start at the top level (or, for `step`, in a phase): written
# inside another block, it means that block's `}` has not been typed yet.
_OPENS_AT: dict[str, frozenset[str]] = {
    "blueprint": frozenset({"top"}),
    "lane": frozenset({"top"}),
    "include": frozenset({"top"}),
    "phase": frozenset({"top"}),
    "step": frozenset({"top", "phase"}),
}


def close_blocks(text: str) -> str:
    """`text` with the `}` that half-typed blocks lack (an unfinished `parallel {`, say).

    A block still open when a `step`, `phase`, `lane`, `include` or `blueprint` statement
    starts is closed just after the last token before that statement, and the blocks open
    at the end are closed on lines of their own; every other token keeps its line and
    column, so spans of a tree parsed from the result point into `text`.
    """
    stack = ["top"]
    statement: list[_Token] = []
    inserts: list[tuple[int, int]] = []  # (offset, how many `}`)
    last_end = 0
    for tok in tokens(text):
        if tok.kind in ("newline", "semi"):
            statement = []
            continue
        if tok.kind == "comment":
            continue
        if not statement and tok.kind == "name":
            allowed = _OPENS_AT.get(canonical(tok.text))
            if allowed is not None and stack[-1] not in allowed:
                count = 0
                while len(stack) > 1 and stack[-1] not in allowed:
                    stack.pop()
                    count += 1
                inserts.append((last_end, count))
        if tok.kind == "lbrace":
            stack.append(_block_kind(stack[-1], statement))
            statement = []
        elif tok.kind == "rbrace":
            if len(stack) > 1:
                stack.pop()
            statement = []
        else:
            statement.append(tok)
        last_end = tok.end
    if not inserts and len(stack) == 1:
        return text
    parts: list[str] = []
    at = 0
    for offset, count in inserts:
        parts.append(text[at:offset] + " }" * count)
        at = offset
    parts.append(text[at:])
    parts.append("\n}" * (len(stack) - 1))
    return "".join(parts)


def _block_kind(outer: str, statement: list[_Token]) -> str:
    opener = canonical(statement[0].text) if statement else ""
    kind = {"blueprint": "header", "phase": "phase", "step": "step", "parallel": "parallel"}.get(
        opener, "attributes"
    )
    if kind == "parallel" and outer != "step":
        return "attributes"  # `parallel` is a keyword only where a step statement starts
    return kind
