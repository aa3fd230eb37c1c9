"""Text to syntax tree: the Lark LALR parser, error recovery and friendly syntax errors."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.diagnostics import Diagnostic
from ..core.messages import msg
from ..core.spans import Span, normalise_newlines, source_lines
from . import ast, lalr

if TYPE_CHECKING:
    from lark import Lark, Token


def grammar_text() -> str:
    """The grammar shipped in the wheel, or the repository's `grammar/` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "grammar" / "blueprint.lark"
    if not shipped.is_file():
        shipped = package.parent / "grammar" / "blueprint.lark"
    return shipped.read_text(encoding="utf-8")


@functools.cache
def _tables() -> lalr.Tables | None:
    """The fast path's tables (built by Lark once, then read from the cache folder)."""
    return lalr.load_tables(grammar_text(), lambda: lalr.tables_from_lark(_lark()))


@functools.cache
def _lark() -> Lark:
    parser = _lark_contextual()
    frontend: Any = parser.parser
    fast = _FastLexer.over(frontend.lexer)
    if fast is not None:
        frontend.lexer = fast
    return parser


@functools.cache
def _lark_contextual() -> Lark:
    from lark import Lark

    # The syntax tree is built while parsing (an inline transformer: no Lark tree, no
    # second pass, no positions propagated through a tree); `_Build` takes spans from the
    # tokens. cache=True stores the LALR tables in the temp folder, keyed by grammar and
    # Lark version, so the grammar is not rebuilt at each start.
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=False,
        transformer=_BUILD,
        cache=True,
    )


class _FastLexer:
    """Lark's contextual lexer, with the common case taken by one regular expression.

    Lark's contextual lexer matches, in each parser state, a regular expression of the
    terminals that state accepts: a program compiles about 20 of them and tries each
    token against two or three. Here one expression of all terminals (Lark's own root
    lexer's, the same order) matches first; when the parser state accepts what it found,
    the token is what the contextual lexer would give (the state's alternatives are a
    subset in the same order, so the first that matches is the same), a keyword becoming
    a NAME where the state takes a name but not that keyword, as Lark's per-state
    lexers do. Anything else — a terminal the state does not take, an unknown character —
    goes to the contextual lexer itself, so errors and recovery are Lark's.
    tests/language/test_fast_lexer.py compares the token streams on generated input.
    """

    def __init__(self, contextual: Any, pattern: re.Pattern[str], keywords: dict[str, str]):
        self.contextual = contextual
        root = contextual.root_lexer
        self.pattern = pattern
        self.keywords = keywords
        self.keyword_types = frozenset(root.callback)
        self.ignore = root.ignore_types
        self.newline_types = root.newline_types

    @classmethod
    def over(cls, contextual: Any) -> _FastLexer | None:
        """The fast lexer over Lark's contextual one, or None where its shape is not the
        one this was written for (another Lark version, lexer callbacks)."""
        try:
            regex, keywords = lalr.root_lexer_parts(contextual)
            pattern = re.compile(regex, contextual.root_lexer.g_regex_flags)
        except (AttributeError, ValueError, re.error, AssertionError):
            return None
        return cls(contextual, pattern, keywords)

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        from lark import Token

        raw = lexer_state.text
        text: str = getattr(raw, "text", raw)  # a TextSlice in Lark 1.3, a str before
        end: int = getattr(raw, "end", len(text))
        line_ctr = lexer_state.line_ctr
        match = self.pattern.match
        states = parser_state.parse_conf.states
        keywords, keyword_types = self.keywords, self.keyword_types
        ignore, newline_types = self.ignore, self.newline_types
        while True:
            pos = line_ctr.char_pos
            if pos >= end:
                return
            found = match(text, pos, end)
            if found is not None:
                kind = found.lastgroup
                value = found.group()
                if kind in ignore:
                    line_ctr.feed(value, kind in newline_types)
                    continue
                accepts = states[parser_state.position]
                if kind in keyword_types:
                    keyword = keywords.get(value)
                    if keyword is not None and keyword in accepts:
                        kind = keyword
                if kind in accepts:
                    token = Token(kind, value, pos, line_ctr.line, line_ctr.column)  # type: ignore[arg-type]
                    line_ctr.feed(value, kind in newline_types)
                    token.end_line = line_ctr.line
                    token.end_column = line_ctr.column
                    token.end_pos = line_ctr.char_pos
                    lexer_state.last_token = token
                    yield token
                    continue
            # Lark's contextual lexer for this one token: its errors, its recovery
            yield from self._contextual_token(lexer_state, parser_state)

    def _contextual_token(self, lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken

        contextual = self.contextual
        try:
            yield contextual.lexers[parser_state.position].next_token(lexer_state, parser_state)
        except EOFError:
            return
        except UnexpectedCharacters as error:
            try:
                last = lexer_state.last_token
                token = contextual.root_lexer.next_token(lexer_state, parser_state)
                raise UnexpectedToken(  # type: ignore[no-untyped-call]
                    token,
                    error.allowed,
                    state=parser_state,
                    token_history=[last],
                    terminals_by_name=contextual.root_lexer.terminals_by_name,
                ) from None
            except UnexpectedCharacters:
                raise error from None


def unquote(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


_KINDS = {"STRING": "string", "QUANTITY": "quantity", "NAME": "name", "COMPARE": "compare"}


class _Attributes(tuple):  # type: ignore[type-arg]
    """An action's `{ ... }` fields, and where its closing brace ends."""

    end: Token


class _Build:
    """Lark's callbacks, one per grammar rule, building language/ast.py's nodes.

    A node's span runs from its first token to its last (a block's closing brace
    included), as Lark's propagate_positions would give.
    """

    path = "<string>"

    def _tok(self, tok: Token) -> Span:
        return Span(self.path, tok.line, tok.column, tok.end_line, tok.end_column)  # type: ignore[arg-type]

    def _from(self, first: Token, last: Token) -> Span:
        return Span(self.path, first.line, first.column, last.end_line, last.end_column)  # type: ignore[arg-type]

    def _to(self, first: Token, end: Span) -> Span:
        return Span(self.path, first.line, first.column, end.end_line, end.end_column)  # type: ignore[arg-type]

    def _name(self, tok: Token) -> ast.Name:
        return ast.Name(tok.value, self._tok(tok))

    def start(self, children: list[Any]) -> list[ast.Item]:
        return children

    def include(self, children: list[Token]) -> ast.Include:
        keyword, path = children
        span = self._from(keyword, path)
        return ast.Include(unquote(path.value), self._tok(path), span, keyword.value)

    def blueprint(self, children: list[Any]) -> ast.Header:
        keyword, title, *fields, brace = children
        span = self._from(keyword, brace)
        return ast.Header(
            unquote(title.value), self._tok(title), tuple(fields), span, keyword.value
        )

    def field(self, children: list[Any]) -> ast.Field:
        name = children[0]
        values = tuple(self._value(v) for v in children[1:])
        return ast.Field(self._name(name), values)

    attribute = field

    def range(self, children: list[Token]) -> ast.Value:
        lo, hi = children
        low, high = lo.value, hi.value
        return ast.Value("range", f"{low}..{high}", self._from(lo, hi), low, high)

    def _value(self, node: Token | ast.Value) -> ast.Value:
        if isinstance(node, ast.Value):
            return node
        kind = _KINDS[node.type]
        text = unquote(node.value) if kind == "string" else node.value
        return ast.Value(kind, text, self._tok(node))

    def lane_decl(self, children: list[Token]) -> ast.LaneDecl:
        keyword, lane_id, label, in_keyword, zone = children
        return ast.LaneDecl(
            self._name(lane_id),
            unquote(label.value),
            self._name(zone),
            self._from(keyword, zone),
            keyword.value,
            in_keyword.value,
        )

    def phase(self, children: list[Any]) -> ast.PhaseNode:
        keyword, label, *steps, brace = children
        return ast.PhaseNode(
            unquote(label.value),
            self._tok(label),
            tuple(steps),
            self._from(keyword, brace),
            keyword.value,
        )

    def step(self, children: list[Any]) -> ast.StepNode:
        keyword, *rest, brace = children
        step_id = self._name(rest.pop(0)) if rest[0].type == "NAME" else None
        label = rest.pop(0)
        return ast.StepNode(
            step_id,
            unquote(label.value),
            self._tok(label),
            tuple(rest),
            self._from(keyword, brace),
            keyword.value,
        )

    def parallel(self, children: list[Any]) -> ast.ParallelNode:
        keyword, *body, brace = children
        return ast.ParallelNode(tuple(body), self._from(keyword, brace), keyword.value)

    def evidence(self, children: list[Any]) -> ast.EvidenceStmt:
        keyword, *items = children
        return ast.EvidenceStmt(tuple(items), self._to(keyword, items[-1].span), keyword.value)

    def evidence_item(self, children: list[Token]) -> ast.EvidenceItem:
        item_id = self._name(children[0]) if len(children) == 2 else None
        label = children[-1]
        return ast.EvidenceItem(item_id, unquote(label.value), self._from(children[0], label))

    def action(self, children: list[Any]) -> ast.ActionStmt:
        lane_tok = children[0]
        at = 1
        action_id = None
        if children[1].type == "NAME":
            action_id = self._name(children[1])
            at = 2
        label = children[at]
        rest = children[at + 1 :]
        attributes: tuple[ast.Field, ...] = ()
        if rest and isinstance(rest[-1], _Attributes):
            attributes = tuple(rest[-1])
            span = self._from(lane_tok, rest[-1].end)
            rest = rest[:-1]
        elif rest:
            span = self._to(lane_tok, rest[-1].targets[-1].span)
        else:
            span = self._from(lane_tok, label)
        return ast.ActionStmt(
            self._name(lane_tok),
            action_id,
            unquote(label.value),
            self._tok(label),
            tuple(rest),
            attributes,
            span,
        )

    def flow(self, children: list[Token]) -> ast.FlowRef:
        arrow = children[0]
        targets = tuple(self._name(t) for t in children[1:])
        return ast.FlowRef(arrow.value, self._tok(arrow), targets)

    def attributes(self, children: list[Any]) -> _Attributes:
        fields = _Attributes(children[:-1])
        fields.end = children[-1]
        return fields

    def chain(self, children: list[Token]) -> ast.Chain:
        names: list[ast.Name] = []
        arrows: list[tuple[str, Span]] = []
        label: str | None = None
        label_span: Span | None = None
        share: ast.Value | None = None
        for tok in children:
            kind = tok.type
            if kind == "NAME":
                names.append(self._name(tok))
            elif kind == "ARROW":
                arrows.append((tok.value, self._tok(tok)))
            elif kind == "QUANTITY":
                share = self._value(tok)
            else:
                label, label_span = unquote(tok.value), self._tok(tok)
        span = self._from(children[0], children[-1])
        return ast.Chain(tuple(names), tuple(arrows), label, label_span, span, share)


_BUILD = _Build()
_PARSING = threading.Lock()  # `_BUILD.path` is the file being parsed


def parse(text: str, path: str) -> tuple[ast.Document | None, list[Diagnostic]]:
    """Parse `text`; return the document, or None with BP100 diagnostics."""
    text = normalise_newlines(text)
    tables = _tables()
    if tables is not None:
        with _PARSING:
            _BUILD.path = path
            items = lalr.parse(text, tables, _BUILD)
        if items is not None:
            return ast.Document(path, items, find_comments(text, path)), []
    return _parse_with_lark(text, path)


def _parse_with_lark(text: str, path: str) -> tuple[ast.Document | None, list[Diagnostic]]:
    """Lark's parse: every syntax error, Lark's recovery, and what the fast path left."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    from .syntax_errors import SyntaxErrors, TooManyErrors, end_position

    errors = SyntaxErrors(path, text)
    lark = _lark()
    items: list[ast.Item] | None = None
    with _PARSING:
        _BUILD.path = path
        try:
            try:
                items = lark.parse(text, on_error=errors.on_error)  # type: ignore[assignment]
            except UnexpectedEOF:
                errors.add(*end_position(errors.lines), 1, msg("syntax.unexpected-end"), None)
            except UnexpectedToken as error:
                errors.token_error(error)
            except UnexpectedCharacters as error:
                errors.character_error(error)
        except TooManyErrors:
            items = None
    if errors.diagnostics or items is None:
        return None, errors.with_typos(text)
    return ast.Document(path, items, find_comments(text, path)), []


_COMMENT = re.compile(r'^(?:[^"#\r\n]|"(?:[^"\\\r\n]|\\.)*")*(#[^\r\n]*)', re.M)


def find_comments(text: str, path: str) -> list[ast.Comment]:
    """Every `#` comment, found outside strings."""
    comments: list[ast.Comment] = []
    for number, line in enumerate(source_lines(text), start=1):
        if "#" not in line:
            continue
        match = _COMMENT.match(line)
        if match:
            column = match.start(1) + 1
            comments.append(
                ast.Comment(match.group(1), Span(path, number, column, number, len(line) + 1))
            )
    return comments
