"""Text to syntax tree: the Lark LALR parser, error recovery and friendly syntax errors."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from ..core.diagnostics import Diagnostic
from ..core.messages import msg
from ..core.spans import Span, normalise_newlines, source_lines
from . import ast
from .syntax_errors import SyntaxErrors, TooManyErrors, end_position


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
        kinds = {"STRING": "string", "QUANTITY": "quantity", "NAME": "name", "COMPARE": "compare"}
        kind = kinds[node.type]
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

    def parallel(self, meta: Any, children: list[Any]) -> ast.ParallelNode:
        keyword, *body = children
        return ast.ParallelNode(tuple(body), self._s(meta), str(keyword))

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
        share: ast.Value | None = None
        for tok in children:
            if tok.type == "NAME":
                names.append(self._name(tok))
            elif tok.type == "ARROW":
                arrows.append((str(tok), self._s(tok)))
            elif tok.type == "QUANTITY":
                share = self._value(tok)
            else:
                label, label_span = unquote(tok), self._s(tok)
        return ast.Chain(tuple(names), tuple(arrows), label, label_span, self._s(meta), share)


def parse(text: str, path: str) -> tuple[ast.Document | None, list[Diagnostic]]:
    """Parse `text`; return the document, or None with BP100 diagnostics."""
    text = normalise_newlines(text)
    errors = SyntaxErrors(path, text)
    lark = _lark()
    tree: Tree[Token] | None = None
    try:
        try:
            tree = lark.parse(text, on_error=errors.on_error)
        except UnexpectedEOF:
            errors.add(*end_position(errors.lines), 1, msg("syntax.unexpected-end"), None)
        except UnexpectedToken as error:
            errors.token_error(error)
        except UnexpectedCharacters as error:
            errors.character_error(error)
    except TooManyErrors:
        tree = None
    if errors.diagnostics or tree is None:
        return None, errors.with_typos(text)
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
