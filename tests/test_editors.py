"""The editor files: the TextMate grammar and the VS Code extension manifest.

A small TextMate engine below (begin/end rules, includes, captures, the end pattern
winning ties, as in vscode-textmate) runs the grammar over every sample; the scopes it
gives are checked against the bpc parser's own syntax tree. The regexes run on
Oniguruma (the engine editors use) when `onigurumacffi` is installed, else on Python's
`re`; the grammar keeps to what both accept.
"""

from __future__ import annotations

import itertools
import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest

from blueprint_dsl.language import ast
from blueprint_dsl.language.keywords import ATTRIBUTES, HEADER_FIELDS, STATEMENTS, ZONES
from blueprint_dsl.language.parser import parse

from .conftest import ROOT, SAMPLES

EDITORS = ROOT / "editors"
GRAMMAR_PATH = EDITORS / "bp.tmLanguage.json"


class Found(Protocol):
    def span(self, group: int = 0) -> tuple[int, int]: ...


class Compiled(Protocol):
    def search(self, text: str, pos: int) -> Found | None: ...


def _python_engine(pattern: str) -> Compiled:
    compiled = re.compile(pattern)

    class Engine:
        def search(self, text: str, pos: int) -> Found | None:
            return compiled.search(text, pos)

    return Engine()


def _engine() -> tuple[str, Any]:
    try:
        import onigurumacffi
    except ImportError:
        return "re", _python_engine

    def compile_oniguruma(pattern: str) -> Compiled:
        compiled = onigurumacffi.compile(pattern)

        class Engine:
            def search(self, text: str, pos: int) -> Found | None:
                found: Found | None = compiled.search(text, pos)
                return found

        return Engine()

    return "oniguruma", compile_oniguruma


ENGINE_NAME, COMPILE = _engine()


def load_grammar() -> dict[str, Any]:
    return dict(json.loads(GRAMMAR_PATH.read_text(encoding="utf-8")))


def all_rules(grammar: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every rule of the grammar: its top-level patterns and its repository."""
    yield from _rules(grammar["patterns"])
    yield from _rules(list(grammar["repository"].values()))


def _rules(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if any(key in node for key in ("match", "begin", "include", "patterns")):
            yield node
        for value in node.values():
            yield from _rules(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rules(value)


# ---- a small TextMate engine -----------------------------------------------------------


@dataclass
class Rule:
    name: str | None = None
    match: Compiled | None = None
    begin: Compiled | None = None
    end_source: str | None = None
    captures: dict[str, str] = field(default_factory=dict)
    begin_captures: dict[str, str] = field(default_factory=dict)
    end_captures: dict[str, str] = field(default_factory=dict)
    patterns: list[Rule] = field(default_factory=list)


class Grammar:
    def __init__(self, data: dict[str, Any]) -> None:
        self.repository: dict[str, Rule] = {}
        self.raw_repository: dict[str, Any] = data["repository"]
        self.root = Rule(name=data["scopeName"])
        self.root.patterns = [self._rule(p) for p in data["patterns"]]

    def _rule(self, raw: dict[str, Any]) -> Rule:
        if "include" in raw:
            key = raw["include"]
            assert key.startswith("#"), key
            key = key[1:]
            if key not in self.repository:
                rule = Rule()
                self.repository[key] = rule  # placed first: rules may include themselves
                built = self._rule(self.raw_repository[key])
                rule.__dict__.update(built.__dict__)
            return self.repository[key]

        def names(key: str) -> dict[str, str]:
            return {n: c["name"] for n, c in raw.get(key, {}).items() if "name" in c}

        return Rule(
            name=raw.get("name"),
            match=COMPILE(raw["match"]) if "match" in raw else None,
            begin=COMPILE(raw["begin"]) if "begin" in raw else None,
            end_source=raw.get("end"),
            captures=names("captures"),
            begin_captures=names("beginCaptures") or names("captures"),
            end_captures=names("endCaptures") or names("captures"),
            patterns=[self._rule(p) for p in raw.get("patterns", [])],
        )

    @staticmethod
    def leaves(rule: Rule) -> Iterator[Rule]:
        """A rule's own patterns with plain `patterns` groups flattened."""
        for child in rule.patterns:
            if child.match is None and child.begin is None:
                yield from Grammar.leaves(child)
            else:
                yield child


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    scopes: tuple[str, ...]


def _emit(
    tokens: list[Token], line: str, found: Found, scopes: tuple[str, ...], caps: dict[str, str]
) -> None:
    start, end = found.span(0)
    cuts = {start, end}
    spans: list[tuple[int, int, str]] = []
    for group, name in caps.items():
        try:
            s, e = found.span(int(group))
        except (IndexError, ValueError):
            continue
        if s >= 0 and e > s:
            cuts |= {s, e}
            spans.append((s, e, name))
    edges = sorted(c for c in cuts if start <= c <= end)
    for s, e in itertools.pairwise(edges):
        extra = tuple(name for cs, ce, name in spans if cs <= s and e <= ce)
        tokens.append(Token(s, e, line[s:e], scopes + extra))


def tokenize(grammar: Grammar, lines: list[str]) -> list[list[Token]]:
    """Scopes for each line; the stack of begin/end rules runs on across lines."""
    stack: list[tuple[Rule, Compiled | None, tuple[str, ...]]] = [
        (grammar.root, None, (grammar.root.name or "",))
    ]
    result: list[list[Token]] = []
    for raw in lines:
        line = raw + "\n"  # as vscode-textmate feeds lines
        pos = 0
        tokens: list[Token] = []
        guard = 0
        while pos < len(line):
            guard += 1
            assert guard < 10_000, f"the grammar loops on {raw!r}"
            rule, end, scopes = stack[-1]
            best: tuple[int, int, Rule | None, Found] | None = None
            if end is not None:
                found = end.search(line, pos)
                if found is not None:
                    best = (found.span(0)[0], 0, None, found)
            for order, child in enumerate(Grammar.leaves(rule), start=1):
                regex = child.match or child.begin
                assert regex is not None
                found = regex.search(line, pos)
                if found is None:
                    continue
                if best is None or found.span(0)[0] < best[0]:
                    best = (found.span(0)[0], order, child, found)
            if best is None:
                tokens.append(Token(pos, len(line), line[pos:], scopes))
                break
            at, _, child, found = best
            if at > pos:
                tokens.append(Token(pos, at, line[pos:at], scopes))
            if child is None:  # the end of the current region
                _emit(tokens, line, found, scopes, rule.end_captures)
                stack.pop()
                pos = found.span(0)[1]  # after a zero-width end the parent goes on from here
                continue
            inner = scopes + ((child.name,) if child.name else ())
            if child.match is not None:
                _emit(tokens, line, found, inner, child.captures)
                pos = found.span(0)[1]
                if pos == at:  # a zero-width match: step over one character
                    tokens.append(Token(pos, pos + 1, line[pos : pos + 1], scopes))
                    pos += 1
                continue
            _emit(tokens, line, found, inner, child.begin_captures)
            assert child.end_source is not None
            stack.append((child, COMPILE(child.end_source), inner))
            pos = found.span(0)[1]
        result.append([t for t in tokens if t.text.strip()])
    return result


def scopes_at(tokens: list[Token], start: int, end: int) -> set[str]:
    """Every scope of every token that overlaps [start, end) on one line."""
    found: set[str] = set()
    for token in tokens:
        if token.start < end and start < token.end:
            found.update(token.scopes)
    return found


# ---- the grammar file -------------------------------------------------------------------


def test_grammar_is_json_with_the_expected_structure() -> None:
    grammar = load_grammar()
    assert grammar["scopeName"] == "source.bp"
    assert grammar["fileTypes"] == ["bp"]
    assert isinstance(grammar["patterns"], list) and grammar["patterns"]
    for key in (
        "comment",
        "string",
        "number",
        "header",
        "header-block",
        "lane-declaration",
        "step",
        "phase",
        "evidence",
        "include",
        "action",
        "flow",
        "attributes",
    ):
        assert key in grammar["repository"], key
    for rule in all_rules(grammar):
        if "include" in rule:
            assert rule["include"][1:] in grammar["repository"], rule["include"]
        if "begin" in rule:
            assert "end" in rule, rule
        for key in ("name", "contentName"):
            if key in rule:
                assert rule[key].endswith(".bp"), rule[key]


def test_every_regex_compiles() -> None:
    sources = [
        rule[key]
        for rule in all_rules(load_grammar())
        for key in ("match", "begin", "end")
        if key in rule
    ]
    assert len(sources) > 20
    for source in sources:
        re.compile(source)  # Python's engine, always
        COMPILE(source)  # and Oniguruma when installed


def test_the_grammar_names_every_keyword_in_both_languages() -> None:
    text = GRAMMAR_PATH.read_text(encoding="utf-8")
    for table in (STATEMENTS, ZONES, ATTRIBUTES, HEADER_FIELDS):
        for english, chinese in table.items():
            assert english in text, english
            assert chinese in text, chinese


# ---- tokenizing the samples -------------------------------------------------------------


def _names(document: ast.Document) -> Iterator[tuple[ast.Name, str]]:
    """Every name of the tree with the scope the grammar must give it."""
    zones = {*ZONES, *ZONES.values(), "frontstage"}

    def lane_scope(name: ast.Name) -> str:
        return "support.constant.zone.bp" if name.text in zones else "entity.name.type.lane.bp"

    def action(stmt: ast.ActionStmt) -> Iterator[tuple[ast.Name, str]]:
        yield stmt.lane, lane_scope(stmt.lane)
        if stmt.id is not None:
            yield stmt.id, "entity.name.function.action.bp"
        for flow in stmt.flows:
            for target in flow.targets:
                yield target, "variable.other.reference.action.bp"
        for attribute in stmt.attributes:
            yield attribute.name, "support.type.property-name.attribute.bp"

    def body(step: ast.StepNode) -> Iterator[tuple[ast.Name, str]]:
        if step.id is not None:
            yield step.id, "entity.name.section.step.bp"
        for stmt in _step_statements(step):
            if isinstance(stmt, ast.ActionStmt):
                yield from action(stmt)
            elif isinstance(stmt, ast.Chain):
                for name in stmt.names:
                    yield name, "variable.other.reference.action.bp"
            else:
                for item in stmt.items:
                    if item.id is not None:
                        yield item.id, "entity.name.constant.evidence.bp"

    for item in document.items:
        if isinstance(item, ast.Header):
            for header_field in item.fields:
                yield header_field.name, "support.type.property-name.field.bp"
        elif isinstance(item, ast.LaneDecl):
            yield item.id, "entity.name.type.lane.bp"
            yield item.zone, "support.constant.zone.bp"
        elif isinstance(item, ast.PhaseNode):
            for step in item.steps:
                yield from body(step)
        elif isinstance(item, ast.StepNode):
            yield from body(item)
        elif isinstance(item, ast.ActionStmt):
            yield from action(item)
        elif isinstance(item, ast.Chain):
            for name in item.names:
                yield name, "variable.other.reference.action.bp"


def _step_statements(
    step: ast.StepNode,
) -> Iterator[ast.EvidenceStmt | ast.ActionStmt | ast.Chain]:
    """A step's statements, those inside its `parallel { }` blocks included."""
    for stmt in step.body:
        if isinstance(stmt, ast.ParallelNode):
            yield from stmt.body
        else:
            yield stmt


def _values(document: ast.Document) -> Iterator[ast.Value]:
    for item in document.items:
        fields: list[ast.Field] = []
        if isinstance(item, ast.Header):
            fields.extend(item.fields)
        steps = item.steps if isinstance(item, ast.PhaseNode) else (item,)
        for step in steps:
            if isinstance(step, ast.StepNode):
                for stmt in _step_statements(step):
                    if isinstance(stmt, ast.ActionStmt):
                        fields.extend(stmt.attributes)
            elif isinstance(step, ast.ActionStmt):
                fields.extend(step.attributes)
        for each in fields:
            yield from each.values
    for chain in _chains(document):
        if chain.share is not None:
            yield chain.share  # a branch's share: `check -> sign : "valid" 90%`


def _chains(document: ast.Document) -> Iterator[ast.Chain]:
    for item in document.items:
        if isinstance(item, ast.Chain):
            yield item
        steps = item.steps if isinstance(item, ast.PhaseNode) else (item,)
        for step in steps:
            if isinstance(step, ast.StepNode):
                for stmt in _step_statements(step):
                    if isinstance(stmt, ast.Chain):
                        yield stmt


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_samples_tokenize_as_the_parser_reads_them(sample: Path) -> None:
    assert _tokenizes_as_parsed(sample.read_text(encoding="utf-8"), sample.name) > 50


def _doc_examples() -> list[tuple[int, str]]:
    """The ```bp examples of docs/language.md (0.2 among them): (line, text)."""
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    fence = re.compile(r"^( *)```bp[ \t]*\n(.*?)^\1```[ \t]*$", re.M | re.S)
    return [
        (text.count("\n", 0, m.start()) + 1, textwrap.dedent(m.group(2)))
        for m in fence.finditer(text)
    ]


@pytest.mark.parametrize("example", _doc_examples(), ids=lambda e: f"language.md:{e[0]}")
def test_doc_examples_tokenize_as_the_parser_reads_them(example: tuple[int, str]) -> None:
    line, text = example
    assert _tokenizes_as_parsed(text, f"language.md:{line}") > 3


def _tokenizes_as_parsed(text: str, where: str) -> int:
    """Check the grammar's scopes against the parser's tree; how many tokens were checked."""
    document, problems = parse(text, where)
    assert document is not None, problems
    lines = text.split("\n")
    tokens = tokenize(Grammar(load_grammar()), lines)

    def scopes(line: int, column: int, end_column: int) -> set[str]:
        return scopes_at(tokens[line - 1], column - 1, end_column - 1)

    checked = 0
    for name, scope in _names(document):
        span = name.span
        assert scope in scopes(span.line, span.column, span.end_column), (
            f"{where}:{span.line}: `{name.text}` is not {scope}: {lines[span.line - 1]!r}"
        )
        checked += 1
    for comment in document.comments:
        span = comment.span
        assert "comment.line.number-sign.bp" in scopes(span.line, span.column, span.end_column)
        checked += 1
    for value in _values(document):
        span = value.span
        found = scopes(span.line, span.column, span.end_column)
        if value.kind == "string":
            assert "string.quoted.double.bp" in found, value
        elif value.kind == "range" or (value.kind == "quantity" and value.text[-1].isalpha()):
            assert "constant.numeric.duration.bp" in found, value
        elif value.kind == "quantity" and value.text.endswith("%"):
            assert "constant.numeric.percentage.bp" in found, value
        elif value.kind == "quantity":
            assert "constant.numeric.bp" in found, value
        elif value.kind == "compare":
            assert "keyword.operator.comparison.bp" in found, value
        checked += 1
    # statement keywords at the start of a line, in either language
    statement = re.compile(r"^\s*(" + "|".join([*STATEMENTS, *STATEMENTS.values()]) + r")\s")
    for number, line in enumerate(lines, start=1):
        match = statement.match(line)
        if match and match.group(1) not in ("in", "属于"):
            found = scopes(number, match.start(1) + 1, match.end(1) + 1)
            assert any(s.startswith("keyword.control.") for s in found), line
        for arrow in re.finditer(r"<->|-->|->", line.split("#")[0]):
            found = scopes(number, arrow.start() + 1, arrow.end() + 1)
            assert "keyword.operator.arrow.bp" in found, line
    return checked


def test_tricky_lines() -> None:
    grammar = Grammar(load_grammar())
    lines = [
        'step "A" { customer wait "Wait # not a comment" -> step2 }  # a comment',
        '  onstage x "say \\"hi\\"" { duration 5m..20m; wait 30分钟; metric "NPS" 42 target 50 }',
        '  note b "B" -> a, c --> d',
        'lane 客服 "客服中心" 属于 前台',
        '  a -> b : "yes"',
        '  customer c "C" { emotion -2; cost 12.5; 情绪 +1; metric "x" 97% }',
    ]
    tokens = tokenize(grammar, lines)

    def scope_of(line: int, text: str, nth: int = 0) -> set[str]:
        at = -1
        for _ in range(nth + 1):
            at = lines[line].index(text, at + 1)
        return scopes_at(tokens[line], at, at + len(text))

    assert "keyword.control.step.bp" in scope_of(0, "step")
    assert "support.constant.zone.bp" in scope_of(0, "customer")
    assert "entity.name.function.action.bp" in scope_of(0, "wait")  # an id, not the attribute
    assert "comment.line.number-sign.bp" not in scope_of(0, "# not a comment")
    assert "string.quoted.double.bp" in scope_of(0, "# not a comment")
    assert "variable.other.reference.action.bp" in scope_of(0, "step2")
    assert "comment.line.number-sign.bp" in scope_of(0, "# a comment")
    assert "constant.character.escape.bp" in scope_of(1, '\\"')
    assert "constant.numeric.duration.bp" in scope_of(1, "5m")
    assert "constant.numeric.duration.bp" in scope_of(1, "20m")
    assert "keyword.operator.range.bp" in scope_of(1, "..")
    assert "constant.numeric.duration.bp" in scope_of(1, "30分钟")
    assert "support.type.property-name.attribute.bp" in scope_of(1, "wait")
    assert "keyword.other.bp" in scope_of(1, "target")
    assert "entity.name.type.lane.bp" in scope_of(2, "note")  # a lane called `note`
    assert "variable.other.reference.action.bp" in scope_of(2, "c")
    assert "keyword.operator.arrow.bp" in scope_of(2, "-->")
    assert "keyword.control.lane.bp" in scope_of(3, "lane")
    assert "entity.name.type.lane.bp" in scope_of(3, "客服")
    assert "keyword.other.in.bp" in scope_of(3, "属于")
    assert "support.constant.zone.bp" in scope_of(3, "前台")
    assert "variable.other.reference.action.bp" in scope_of(4, "a")
    assert "punctuation.separator.label.bp" in scope_of(4, ":")
    assert "constant.numeric.bp" in scope_of(5, "-2")
    assert "constant.numeric.bp" in scope_of(5, "12.5")
    assert "support.type.property-name.attribute.bp" in scope_of(5, "情绪")
    assert "constant.numeric.percentage.bp" in scope_of(5, "97%")


def test_language_02_tokens() -> None:
    grammar = Grammar(load_grammar())
    lines = [
        'blueprint "Airline call" { scope internal }',
        '蓝图 "内部流程" { 范围 内部; 语言 中文 }',
        'step "Form" {',
        "  parallel {",
        '    customer son "Fill in the form" { duration 3m }',
        "  }",
        "  并行 {",
        '    ops sms "Send a reminder" { trigger "the balance is low"; 触发 }',
        "  }",
        '  customer a "A" { metric "Complaint rate" 2% target <= 5%; 指标 "满意" 9% 目标 >= 8% }',
        "}",
        'check -> sign : "valid" 90%',
        '  customer parallel "Parallel" -> trigger',
    ]
    tokens = tokenize(grammar, lines)

    def scope_of(line: int, text: str, nth: int = 0) -> set[str]:
        at = -1
        for _ in range(nth + 1):
            at = lines[line].index(text, at + 1)
        return scopes_at(tokens[line], at, at + len(text))

    assert "support.type.property-name.field.bp" in scope_of(0, "scope")
    assert "constant.language.scope.bp" in scope_of(0, "internal")
    assert "support.type.property-name.field.bp" in scope_of(1, "范围")
    assert "constant.language.scope.bp" in scope_of(1, "内部", 1)  # not the one in the title
    assert "constant.language.locale.bp" in scope_of(1, "中文")
    assert "keyword.control.parallel.bp" in scope_of(3, "parallel")
    assert "support.constant.zone.bp" in scope_of(4, "customer")  # an action inside the block
    assert "entity.name.function.action.bp" in scope_of(4, "son")
    assert "keyword.control.parallel.bp" in scope_of(6, "并行")
    assert "support.type.property-name.attribute.bp" in scope_of(7, "trigger")
    assert "string.quoted.double.bp" in scope_of(7, '"the balance is low"')
    assert "support.type.property-name.attribute.bp" in scope_of(7, "触发")
    assert "keyword.other.bp" in scope_of(9, "target")
    assert "keyword.operator.comparison.bp" in scope_of(9, "<=")
    assert "constant.numeric.percentage.bp" in scope_of(9, "5%")
    assert "keyword.other.bp" in scope_of(9, "目标")
    assert "keyword.operator.comparison.bp" in scope_of(9, ">=")
    assert "variable.other.reference.action.bp" in scope_of(11, "check")
    assert "string.quoted.double.bp" in scope_of(11, '"valid"')
    assert "constant.numeric.percentage.bp" in scope_of(11, "90%")  # a branch's share
    # keywords stay contextual: an action called `parallel`, a flow to one called `trigger`
    assert "entity.name.function.action.bp" in scope_of(12, "parallel")
    assert "keyword.control.parallel.bp" not in scope_of(12, "parallel")
    assert "variable.other.reference.action.bp" in scope_of(12, "trigger")


# ---- the VS Code extension ----------------------------------------------------------------


def test_vscode_manifest_wires_the_grammar_and_the_server() -> None:
    folder = EDITORS / "vscode"
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "bp" and ".bp" in language["extensions"]
    configuration = folder / language["configuration"]
    settings = json.loads(configuration.read_text(encoding="utf-8"))
    assert settings["comments"]["lineComment"] == "#"
    assert ["{", "}"] in settings["brackets"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert grammar["language"] == "bp" and grammar["scopeName"] == "source.bp"
    # the grammar is copied into the extension on `npm install` (and before packaging)
    assert grammar["path"] == "./syntaxes/bp.tmLanguage.json"
    sync = manifest["scripts"]["sync-grammar"]
    assert "'../bp.tmLanguage.json','syntaxes/bp.tmLanguage.json'" in sync
    assert (folder / "../bp.tmLanguage.json").resolve() == GRAMMAR_PATH.resolve()
    assert "sync-grammar" in manifest["scripts"]["postinstall"]
    assert "sync-grammar" in manifest["scripts"]["vscode:prepublish"]
    assert "vscode-languageclient" in manifest["dependencies"]
    main = (folder / manifest["main"]).read_text(encoding="utf-8")
    assert '"lsp"' in main and "bpc" in main
    assert "onLanguage:bp" in manifest["activationEvents"]
