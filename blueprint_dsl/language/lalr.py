"""The parser's fast path: Lark's LALR tables, run by a small loop without importing Lark.

`bpc check` of a small file spent more time importing Lark and compiling its lexer's
regular expressions than parsing. Here the tables Lark computes for
grammar/blueprint.lark (states, rules, which children each rule keeps, the terminals'
regular expressions) are saved once, with `marshal`, in the user's cache folder, and a
loop of a few lines lexes and parses with them, calling the same callbacks as Lark's
inline transformer (`parser._Build`). A file this loop cannot take — a syntax error, or
a token only Lark's per-state lexer would find — returns None, and the parser runs
Lark itself, so every error, recovery and quirk is Lark's. tests/language/test_lalr.py
checks that both give the same documents on the samples and on mutated input.
"""

from __future__ import annotations

import marshal
import re
import zlib
from collections.abc import Callable
from sys import intern
from typing import Any

from ..core.cachedir import cache_folder, save_cached

# Bump when the saved tables' layout changes.
FORMAT = 2


class Tok:
    """A token: what Lark's Token carries that the callbacks read."""

    __slots__ = ("column", "end_column", "end_line", "line", "type", "value")

    def __init__(
        self, type: str, value: str, line: int, column: int, end_line: int, end_column: int
    ) -> None:
        self.type = type
        self.value = value
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.line}:{self.column})"


# (origin, size, kept children as (index, inline?), expand a single child?)
Rule = tuple[str, int, tuple[tuple[int, bool], ...], bool]


class Tables:
    """What the loop needs, as plain data (saved and loaded with marshal)."""

    def __init__(self, data: tuple[Any, ...]) -> None:
        (
            self.regex,
            self.flags,
            self.keywords,
            keyword_types,
            ignore,
            newline_types,
            self.states,
            rules,
            self.start,
            self.end,
            dropped,
        ) = data
        self.keyword_types = frozenset(keyword_types)
        self.ignore = frozenset(ignore)
        self.newline_types = frozenset(newline_types)
        # terminals no rule keeps (braces, separators, `:`): no token is made for them
        self.dropped = frozenset(dropped)
        self.rules: list[Rule] = [tuple(r) for r in rules]
        self.pattern = re.compile(self.regex, self.flags)
        # Blanks the grammar ignores are taken in front of the token that follows them, by
        # the same match (possessively: no alternative is tried again on fewer blanks); a
        # third of a file's matches were a run of blanks. Where no token follows them
        # (blanks at the end of the text), `pattern` matches them alone.
        self.blanks_and_token = self.pattern
        blanks = re.search(r"\(\?P<(\w+)>(\[[^\]]*\])\+\)", self.regex)
        if blanks is not None and blanks[1] in self.ignore:
            self.blanks_and_token = re.compile(f"{blanks[2]}*+(?:{self.regex})", self.flags)


def root_lexer_parts(contextual: Any) -> tuple[str, dict[str, str]]:
    """From Lark's contextual lexer: one regular expression of all its terminals (its root
    lexer's, in that order) and the keywords a NAME may be (value -> terminal). Raises
    ValueError on a lexer callback other than Lark's keyword check (an unknown shape)."""
    root = contextual.root_lexer
    scanner = root.scanner  # builds root.callback: the keywords a NAME may be
    keywords: dict[str, str] = {}
    for name, callback in root.callback.items():
        if type(callback).__name__ != "UnlessCallback" or name in root.ignore_types:
            raise ValueError(f"a lexer callback this loop does not know: {name}")
        for term in callback.scanner.terminals:
            keywords[term.pattern.value] = term.name
    regex = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in scanner.terminals)
    return regex, keywords


def tables_from_lark(lark: Any) -> tuple[Any, ...]:
    """Lark's tables for the fast path, as plain data (raises on an unknown Lark shape)."""
    from lark.parsers.lalr_analysis import Shift

    frontend = lark.parser
    lexer = frontend.lexer
    contextual = getattr(lexer, "contextual", lexer)
    root = contextual.root_lexer
    regex, keywords = root_lexer_parts(contextual)
    table = frontend.parser.parser.parse_table
    rule_ids: dict[Any, int] = {}
    rules: list[Rule] = []
    kept_terminals: set[str] = set()
    all_terminals: set[str] = set()
    for rule in lark.rules:
        for sym in rule.expansion:
            if sym.is_term:
                all_terminals.add(sym.name)
                if not sym.filter_out:
                    kept_terminals.add(sym.name)
        if rule.options.keep_all_tokens:
            raise ValueError(f"a rule that keeps all tokens: {rule.origin.name}")
        kept = tuple(
            (i, not sym.is_term and sym.name.startswith("_"))
            for i, sym in enumerate(rule.expansion)
            if not (sym.is_term and sym.filter_out)
        )
        expand1 = bool(rule.options.expand1 and not rule.alias)
        rule_ids[rule] = len(rules)
        # str(): a Lark that built its grammar itself (not from its cache) names a rule's
        # origin with a Token, which marshal refuses
        rules.append((str(rule.origin.name), len(rule.expansion), kept, expand1))
    size = max(table.states) + 1
    states: list[dict[str, int]] = [{} for _ in range(size)]
    for state, actions in table.states.items():
        for symbol, (action, arg) in actions.items():
            # a shift (or a goto) as the state, a reduce as -(rule + 1)
            states[state][symbol] = arg if action is Shift else -(rule_ids[arg] + 1)
    return (
        regex,
        int(root.g_regex_flags),
        keywords,
        tuple(sorted(root.callback)),
        tuple(sorted(root.ignore_types)),
        tuple(sorted(root.newline_types)),
        states,
        rules,
        table.start_states["start"],
        table.end_states["start"],
        tuple(sorted(all_terminals - kept_terminals)),
    )


def load_tables(grammar: str, build: Callable[[], tuple[Any, ...]]) -> Tables | None:
    """The saved tables for this grammar, or built with `build` (Lark) and saved."""
    # crc32 and adler32 of the grammar (zlib is built in; hashlib would cost the start-up
    # more than the rest of this module)
    source = f"{FORMAT}\n{grammar}".encode()
    key = f"{zlib.crc32(source):08x}{zlib.adler32(source):08x}"
    folder = cache_folder()
    path = folder / f"parser-{key}.marshal" if folder is not None else None
    if path is not None:
        try:
            saved = marshal.loads(path.read_bytes())
            if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == key:
                return Tables(saved[1])
        except (OSError, ValueError, EOFError, TypeError):
            pass
    try:
        data = build()
    except (AttributeError, ValueError, KeyError, TypeError, ImportError):
        return None  # a Lark this was not written for: Lark parses every file
    if path is not None:
        try:
            saved_data = marshal.dumps((key, data))
        except ValueError:
            pass  # a value marshal refuses (a Lark this was not written for): not saved
        else:
            save_cached(path, saved_data)
    return Tables(data)


class Fallback(Exception):
    """The loop cannot take this text: Lark parses it."""


def parse(text: str, tables: Tables, build: Any) -> list[Any] | None:
    """The items of `text` built by `build`'s callbacks, or None for Lark to parse."""
    try:
        return _run(text, tables, build)
    except Fallback:
        return None


def _run(text: str, tables: Tables, build: Any) -> list[Any]:
    match, alone = tables.blanks_and_token.match, tables.pattern.match
    keywords, keyword_types = tables.keywords, tables.keyword_types
    ignore, newline_types = tables.ignore, tables.newline_types
    states, rules = tables.states, tables.rules
    dropped = tables.dropped
    repeated = keyword_types | {"QUANTITY"}
    # per rule: origin, size, the kept children's indices when none is inlined (() when
    # all are kept, None when one is inlined), the kept children, expand a single child?,
    # an inlined rule?, its callback
    plans = [
        (
            origin,
            size,
            None
            if any(inline for _, inline in kept)
            else ()
            if [i for i, _ in kept] == list(range(size))
            else [i for i, _ in kept],
            kept,
            expand1,
            origin[0] == "_",
            getattr(build, origin, None),
        )
        for origin, size, kept, expand1 in rules
    ]
    state_stack = [tables.start]
    value_stack: list[Any] = []
    pos, line, line_start, length = 0, 1, 0, len(text)

    def reduce(number: int) -> None:
        origin, size, plain, kept, expand1, inlined, callback = plans[number]
        if size:
            children = value_stack[-size:]
            del state_stack[-size:]
            del value_stack[-size:]
        else:
            children = []
        filtered: list[Any]
        if plain == ():
            filtered = children
        elif plain is not None:
            filtered = [children[i] for i in plain]
        else:
            filtered = []
            first = True
            for i, inline in kept:
                child = children[i]
                if not inline:
                    filtered.append(child)
                elif first:
                    filtered = child  # take the inlined rule's list over: a long chain
                else:  # `a -> b -> …` is linear, as in Lark, not a copy per name
                    filtered += child
                first = False
        if expand1 and len(filtered) == 1:
            value = filtered[0]
        elif inlined:
            value = filtered
        elif callback is None:
            raise Fallback(origin)
        else:
            value = callback(filtered)
        state_stack.append(states[state_stack[-1]][origin])
        value_stack.append(value)

    while pos < length:
        found = match(text, pos) or alone(text, pos)
        if found is None:
            raise Fallback
        kind: str = found.lastgroup  # type: ignore[assignment]  # every alternative is named
        value = found.group(kind)  # the token, without the blanks before it
        end = found.end()
        start = end - len(value)
        if kind in ignore:
            if kind in newline_types and "\n" in value:
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
            pos = end
            continue
        actions = states[state_stack[-1]]
        if kind in repeated:
            # names and quantities repeat (lanes, attributes, keywords, `5m`): one string each
            value = intern(value)
        if kind in keyword_types:
            keyword = keywords.get(value)
            if keyword is not None and keyword in actions:
                kind = keyword
        action = actions.get(kind)
        if action is None:
            raise Fallback
        token_line, column = line, start - line_start + 1
        if kind in newline_types and "\n" in value:
            line += value.count("\n")
            line_start = start + value.rindex("\n") + 1
        token = (
            None
            if kind in dropped
            else Tok(kind, value, token_line, column, line, end - line_start + 1)
        )
        while action < 0:
            reduce(-action - 1)
            action = states[state_stack[-1]].get(kind)
            if action is None:
                raise Fallback
        state_stack.append(action)
        value_stack.append(token)
        pos = end
    end_state = tables.end
    while True:
        action = states[state_stack[-1]].get("$END")
        if action is None or action >= 0:
            raise Fallback
        reduce(-action - 1)
        if state_stack[-1] == end_state:
            return list(value_stack[-1])
