"""Syntax errors: what Lark reports, in words a person reads (BP100), and the panic-mode
recovery that lets one parse report several of them (one per line, at most 20)."""

from __future__ import annotations

import contextlib
from typing import Any

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import Arg, Message, msg
from ..core.spans import Span, source_lines
from .typos import find_typos

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
    "COMPARE": "`<=` / `>=`",
    "PARALLEL": "`parallel`",
    "PARALLEL_ZH": "`并行`",
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


class SyntaxErrors:
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
            raise TooManyErrors

    def with_typos(self, text: str) -> list[Diagnostic]:
        """The errors, with each misspelt statement keyword that caused some of them said
        once ("unknown keyword `stpe`", did you mean `step`?) in place of the errors on
        its line and in its block."""
        found = self.diagnostics
        for line, column, word, keyword, end in find_typos(text, self.lines):
            inside = [d for d in found if line <= d.span.line <= end]
            if not inside:
                continue
            typo = Diagnostic.of(
                "BP100",
                Severity.ERROR,
                msg("syntax.keyword-typo", word=word),
                Span(self.path, line, column, line, column + len(word)),
                msg("hint.did-you-mean", name=keyword),
            )
            found = [d for d in found if d not in inside]
            found.append(typo)
        return sorted(found, key=lambda d: (d.span.line, d.span.column))

    def on_error(self, error: UnexpectedInput) -> bool:
        """Record the error (one per line); say whether Lark should carry on."""
        if isinstance(error, UnexpectedCharacters):
            self.character_error(error)
            if error.char == '"':
                _skip_to_line_end(error)
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
            allowed = set(error.allowed or ())
            # 0.2 (8.6): a lexer error says what was expected there, as a parser one does.
            message = (
                msg(
                    "syntax.unexpected-character-expected",
                    character=shown,
                    expected=describe_expected(allowed),
                )
                if allowed
                else msg("syntax.unexpected-character", character=shown)
            )
            self.add(line, column, 1, message, msg("syntax.unexpected-character.help"))

    def token_error(self, error: UnexpectedToken) -> None:
        token = error.token
        expected = set(error.expected)
        line = token.line if token.line is not None else error.line
        column = token.column if token.column is not None else error.column
        if token.type == "$END":
            line, column = end_position(self.lines)
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


def end_position(lines: list[str]) -> tuple[int, int]:
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


def _skip_to_line_end(error: UnexpectedCharacters) -> None:
    """After an unterminated label, lex on from the end of its line. Lark would retry
    one character further, and every `"` left on the line would start a new label that
    runs to the line's end again: quadratic in the line's length."""
    parser = error.interactive_parser
    if parser is None:
        return
    state = parser.lexer_thread.state
    if state is None:
        return
    raw: Any = state.text
    text: str = getattr(raw, "text", raw)  # a TextSlice in newer Lark, a str before
    start = state.line_ctr.char_pos
    end = text.find("\n", start)
    if end == -1:
        end = len(text)
    if end > start:
        state.line_ctr.feed(text[start:end])


class TooManyErrors(Exception):
    pass
