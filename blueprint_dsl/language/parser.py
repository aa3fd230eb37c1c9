"""Text to syntax tree: the Lark LALR parser, error recovery and friendly syntax errors."""

from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import Arg, Message, msg
from ..core.spans import Span, normalise_newlines, source_lines
from . import ast

MAX_SYNTAX_ERRORS = 20

# What the parser expected, in words of the file's locale...
_TERMINAL_WORDS: dict[str, Message] = {
    "STRING": msg("token.quoted-label"),
    "NAME": msg("token.name"),
    "ARROW": msg("token.arrow"),
    "QUANTITY": msg("token.quantity"),
    "_SEP": msg("token.line-end"),
    "$END": msg("token.file-end"),
}
# ... or as written in the file.
_TERMINAL_NAMES: dict[str, str] = {
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "COMMA": "`,`",
    "COLON": "`:`",
    "__ANON_0": "`..`",
    "BLUEPRINT": "`blueprint`",
    "LANE": "`lane`",
    "PHASE": "`phase`",
    "STEP": "`step`",
    "EVIDENCE": "`evidence`",
    "IN": "`in`",
    "INCLUDE": "`include`",
    "BLUEPRINT_ZH": "`蓝图`",
    "LANE_ZH": "`泳道`",
    "PHASE_ZH": "`阶段`",
    "STEP_ZH": "`步骤`",
    "EVIDENCE_ZH": "`有形展示`",
    "IN_ZH": "`属于`",
    "INCLUDE_ZH": "`引用`",
}


def grammar_text() -> str:
    """The grammar shipped in the wheel, or the repository's `grammar/` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "grammar" / "blueprint.lark"
    if not shipped.is_file():
        shipped = package.parent / "grammar" / "blueprint.lark"
    return shipped.read_text(encoding="utf-8")


@functools.cache
def _lark() -> Lark:
    # cache=True stores the built LALR tables in the temp folder, keyed by grammar and
    # Lark version, so the grammar is not rebuilt at each start.
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
    )


def describe_token(token: Token) -> Arg:
    if token.type == "$END":
        return msg("token.end-of-file")
    if token.type == "_SEP":
        return msg("token.end-of-line") if token.value != ";" else "`;`"
    if token.type == "STRING":
        return msg("token.the-label", label=token.value)
    return f"`{token.value}`"


def _terminal(name: str) -> Arg:
    words = _TERMINAL_WORDS.get(name)
    if words is not None:
        return words
    return _TERMINAL_NAMES.get(name, f"`{name.lower()}`")


def _english(word: Arg) -> str:
    return word.render() if isinstance(word, Message) else str(word)


def describe_expected(expected: set[str]) -> Arg:
    names = sorted({_terminal(t) for t in expected if t != "COMMENT"}, key=_english)
    if len(names) > 5:
        names = [*names[:5], "…"]
    if len(names) == 1:
        return names[0]
    return msg("token.one-of", names=tuple(names))


class _SyntaxErrors:
    """Collects syntax errors during one parse and steers Lark's error recovery."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = source_lines(text)
        self.diagnostics: list[Diagnostic] = []
        self.reported_lines: set[int] = set()

    def span_of(self, line: int, column: int, length: int = 1) -> Span:
        return Span(self.path, line, column, line, column + max(length, 1))

    def add(
        self, line: int, column: int, length: int, message: Message, help: Message | None
    ) -> None:
        self.reported_lines.add(line)
        self.diagnostics.append(
            Diagnostic.of(
                "BP100", Severity.ERROR, message, self.span_of(line, column, length), help
            )
        )
        if len(self.diagnostics) >= MAX_SYNTAX_ERRORS:
            raise _TooManyErrors

    def on_error(self, error: UnexpectedInput) -> bool:
        """Record the error (one per line); say whether Lark should carry on."""
        if isinstance(error, UnexpectedCharacters):
            self.character_error(error)
            return True
        if isinstance(error, UnexpectedToken):
            self.token_error(error)
            if error.token.type == "$END":
                return False
            _resynchronise(error)
            return True
        return False

    def character_error(self, error: UnexpectedCharacters) -> None:
        if error.line in self.reported_lines:
            return
        char = error.char
        line, column = error.line, error.column
        if char == '"':
            self.add(
                line,
                column,
                len(self.lines[line - 1]) - column + 1 if line <= len(self.lines) else 1,
                msg("syntax.unterminated-string"),
                msg("syntax.unterminated-string.help"),
            )
        elif char in "'“”‘’":
            self.add(
                line,
                column,
                1,
                msg("syntax.curly-quote", quote=repr(char)),
                msg("syntax.curly-quote.help"),
            )
        elif char in "{}":
            self.add(line, column, 1, msg("syntax.unexpected", got=f"`{char}`"), None)
        else:
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            self.add(
                line,
                column,
                1,
                msg("syntax.unexpected-character", character=shown),
                msg("syntax.unexpected-character.help"),
            )

    def token_error(self, error: UnexpectedToken) -> None:
        token = error.token
        expected = set(error.expected)
        line = token.line if token.line is not None else error.line
        column = token.column if token.column is not None else error.column
        if token.type == "$END":
            line, column = _end_position(self.lines)
        if line in self.reported_lines:
            return
        length = len(token.value) if token.type not in ("$END", "_SEP") else 1
        got = describe_token(token)
        if token.type == "_SEP" and token.value != ";":
            message = msg("syntax.expected-at-line-end", expected=describe_expected(expected))
        else:
            message = msg("syntax.expected", got=got, expected=describe_expected(expected))
        help = _hint(token, expected)
        if token.type == "$END" and "RBRACE" in expected:
            message = msg("syntax.unclosed-block")
            help = msg("syntax.unclosed-block.help")
        self.add(line, column, length, message, help)


def _hint(token: Token, expected: set[str]) -> Message | None:
    if token.type == "_SEP" and "LBRACE" in expected:
        return msg("syntax.brace-on-next-line.help")
    if token.type == "ARROW" and "STRING" in expected:
        return msg("syntax.label-before-flows.help")
    if token.type == "_SEP" and "STRING" in expected:
        return msg("syntax.add-label.help", example='"Check in"')
    if token.type == "LBRACE" and "_SEP" in expected:
        return msg("syntax.block-after.help")
    if token.type == "RBRACE" and "RBRACE" not in expected:
        return msg("syntax.unmatched-brace.help")
    if "ARROW" in expected and token.type in ("NAME", "STRING"):
        return msg("syntax.separate-targets.help")
    return None


def _end_position(lines: list[str]) -> tuple[int, int]:
    """Where "end of file" is shown: after the last character of the last line."""
    while len(lines) > 1 and lines[-1] == "":
        lines = lines[:-1]
    if not lines:
        return 1, 1
    return len(lines), len(lines[-1]) + 1


def _resynchronise(error: UnexpectedToken) -> None:
    """Panic-mode recovery: unwind to a state that takes a statement separator."""
    parser = error.interactive_parser
    if parser is None:
        return
    state = parser.parser_state
    table = state.parse_conf.states
    while len(state.state_stack) > 1 and "_SEP" not in table[state.state_stack[-1]]:
        state.state_stack.pop()
        state.value_stack.pop()
    if error.token.type == "_SEP":
        with contextlib.suppress(UnexpectedInput):
            parser.feed_token(error.token)


class _TooManyErrors(Exception):
    pass


def _span(path: str, node: Token | Any) -> Span:
    if isinstance(node, Token):
        return Span(
            path,
            node.line or 1,
            node.column or 1,
            node.end_line or node.line or 1,
            node.end_column or (node.column or 1) + len(node.value),
        )
    meta = node.meta if isinstance(node, Tree) else node
    return Span(path, meta.line, meta.column, meta.end_line, meta.end_column)


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


@v_args(meta=True)
class _ToAst(Transformer[Token, Any]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def _s(self, node: Token | Any) -> Span:
        return _span(self.path, node)

    def _name(self, tok: Token) -> ast.Name:
        return ast.Name(str(tok), self._s(tok))

    def start(self, meta: Any, children: list[Any]) -> list[ast.Item]:
        return children

    def include(self, meta: Any, children: list[Token]) -> ast.Include:
        keyword, path = children
        return ast.Include(unquote(path), self._s(path), self._s(meta), str(keyword))

    def blueprint(self, meta: Any, children: list[Any]) -> ast.Header:
        keyword, title, *fields = children
        return ast.Header(
            unquote(title), self._s(title), tuple(fields), self._s(meta), str(keyword)
        )

    def field(self, meta: Any, children: list[Any]) -> ast.Field:
        return ast.Field(
            self._name(children[0]), tuple(self._value(v) for v in children[1:]), self._s(meta)
        )

    attribute = field

    def range(self, meta: Any, children: list[Token]) -> ast.Value:
        lo, hi = children
        return ast.Value("range", f"{lo}..{hi}", self._s(meta), str(lo), str(hi))

    def _value(self, node: Token | ast.Value) -> ast.Value:
        if isinstance(node, ast.Value):
            return node
        kind = {"STRING": "string", "QUANTITY": "quantity", "NAME": "name"}[node.type]
        text = unquote(node) if kind == "string" else str(node)
        return ast.Value(kind, text, self._s(node))

    def lane_decl(self, meta: Any, children: list[Token]) -> ast.LaneDecl:
        keyword, lane_id, label, in_keyword, zone = children
        return ast.LaneDecl(
            self._name(lane_id),
            unquote(label),
            self._name(zone),
            self._s(meta),
            str(keyword),
            str(in_keyword),
        )

    def phase(self, meta: Any, children: list[Any]) -> ast.PhaseNode:
        keyword, label, *steps = children
        return ast.PhaseNode(
            unquote(label), self._s(label), tuple(steps), self._s(meta), str(keyword)
        )

    def step(self, meta: Any, children: list[Any]) -> ast.StepNode:
        keyword, *rest = children
        step_id = self._name(rest.pop(0)) if rest[0].type == "NAME" else None
        label = rest.pop(0)
        return ast.StepNode(
            step_id, unquote(label), self._s(label), tuple(rest), self._s(meta), str(keyword)
        )

    def evidence(self, meta: Any, children: list[Any]) -> ast.EvidenceStmt:
        keyword, *items = children
        return ast.EvidenceStmt(tuple(items), self._s(meta), str(keyword))

    def evidence_item(self, meta: Any, children: list[Token]) -> ast.EvidenceItem:
        item_id = self._name(children[0]) if len(children) == 2 else None
        return ast.EvidenceItem(item_id, unquote(children[-1]), self._s(meta))

    def action(self, meta: Any, children: list[Any]) -> ast.ActionStmt:
        rest = list(children)
        lane = self._name(rest.pop(0))
        action_id = self._name(rest.pop(0)) if rest[0].type == "NAME" else None
        label = rest.pop(0)
        flows = tuple(c for c in rest if isinstance(c, ast.FlowRef))
        attributes: tuple[ast.Field, ...] = ()
        for c in rest:
            if isinstance(c, tuple):
                attributes = c
        return ast.ActionStmt(
            lane, action_id, unquote(label), self._s(label), flows, attributes, self._s(meta)
        )

    def flow(self, meta: Any, children: list[Token]) -> ast.FlowRef:
        arrow = children[0]
        return ast.FlowRef(str(arrow), self._s(arrow), tuple(self._name(t) for t in children[1:]))

    def attributes(self, meta: Any, children: list[ast.Field]) -> tuple[ast.Field, ...]:
        return tuple(children)

    def chain(self, meta: Any, children: list[Token]) -> ast.Chain:
        names: list[ast.Name] = []
        arrows: list[tuple[str, Span]] = []
        label: str | None = None
        label_span: Span | None = None
        for tok in children:
            if tok.type == "NAME":
                names.append(self._name(tok))
            elif tok.type == "ARROW":
                arrows.append((str(tok), self._s(tok)))
            else:
                label, label_span = unquote(tok), self._s(tok)
        return ast.Chain(tuple(names), tuple(arrows), label, label_span, self._s(meta))


def parse(text: str, path: str) -> tuple[ast.Document | None, list[Diagnostic]]:
    """Parse `text`; return the document, or None with BP100 diagnostics."""
    text = normalise_newlines(text)
    errors = _SyntaxErrors(path, text)
    lark = _lark()
    tree: Tree[Token] | None = None
    try:
        try:
            tree = lark.parse(text, on_error=errors.on_error)
        except UnexpectedEOF:
            errors.add(*_end_position(errors.lines), 1, msg("syntax.unexpected-end"), None)
        except UnexpectedToken as error:
            errors.token_error(error)
        except UnexpectedCharacters as error:
            errors.character_error(error)
    except _TooManyErrors:
        tree = None
    if errors.diagnostics or tree is None:
        return None, errors.diagnostics
    items = _ToAst(path).transform(tree)
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
