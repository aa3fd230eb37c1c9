"""The incremental parse of the language server: block by block, and the same as a full parse.

For many random edits of the samples and of generated blueprints, each version parsed
from the one before (`IncrementalParser`) gives the tree and the diagnostics that a parse
of the whole text gives, and the analysis publishes the same diagnostics as one made from
scratch.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pygls")

from blueprint_dsl.language.parser import parse
from blueprint_dsl.lsp import scanner
from blueprint_dsl.lsp.blocks import split_blocks
from blueprint_dsl.lsp.document import Analysis
from blueprint_dsl.lsp.incremental import IncrementalParser
from blueprint_dsl.lsp.spans_move import shift

from ..conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "bench"))
generate = importlib.import_module("bench_check").generate  # bench/, not a package

GENERATED = generate(12)
TEXTS = [path.read_text(encoding="utf-8") for path in SAMPLES] + [GENERATED]
PATH = "/nowhere/edited.bp"

# lines an author types, good and bad, at any place
SNIPPETS = [
    "",
    "   ",
    "# a comment { with a brace",
    '    customer extra "Look around"',
    '    desk note "A note { not a block }" -> o3',
    '  step "Half typed" {',
    "  }",
    "}",
    'phase "New phase" {',
    'step "Top step" {\n  evidence "Sign"\n  customer go "Go"\n}',
    'lane helper "Helper" in onstage',
    "o1 -> o2",
    'c1 -> o1 : "ask" 50%',
    "    wait 0m..5m; standard 6m",
    '    office b "Prepare" { duration 10m }',
    "cus",
    '"unterminated',
    "\t",
    'include "nowhere.bp"',
]


@st.composite
def edits(draw: st.DrawFn, text: str) -> list[str]:
    """A sequence of versions of `text`, each an edit of the one before."""
    versions: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines)))
        kind = draw(st.sampled_from(["insert", "delete", "type", "replace", "move", "newlines"]))
        if kind == "insert":
            lines.insert(at, draw(st.sampled_from(SNIPPETS)))
        elif kind == "delete" and at < len(lines):
            del lines[at : at + draw(st.integers(1, 3))]
        elif kind == "type" and at < len(lines):
            column = draw(st.integers(0, len(lines[at])))
            char = draw(st.sampled_from(list('x "{}#;\\-> 9m')))
            lines[at] = lines[at][:column] + char + lines[at][column:]
        elif kind == "replace" and at < len(lines):
            lines[at] = draw(st.sampled_from(SNIPPETS))
        elif kind == "move" and at < len(lines):  # cut some lines and paste them elsewhere
            cut = lines[at : at + draw(st.integers(1, 12))]
            del lines[at : at + len(cut)]
            where = draw(st.integers(0, len(lines)))
            lines[where:where] = cut
        elif kind == "newlines":
            text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n"])))
            versions.append(text)
            continue
        text = "\n".join(lines)
        versions.append(text)
    return versions


def _same_as_full_parse(parser: IncrementalParser, text: str) -> None:
    document, problems = parser.parse(text)
    full_document, full_problems = parse(text, PATH)
    assert document == full_document
    assert problems == full_problems
    if document is None:
        tolerant = parser.tolerant(text)  # a tree all the same, of the blocks that parse
        assert tolerant.path == PATH


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_each_version_parses_as_a_whole_text_does(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(TEXTS))
    parser = IncrementalParser(PATH)
    _same_as_full_parse(parser, original)
    for version in data.draw(edits(original)):
        _same_as_full_parse(parser, version)
    _same_as_full_parse(parser, original)  # and back: the trees moved back in place


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_analyses_publish_what_analyses_from_scratch_do(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(TEXTS))
    analysis = Analysis(original, PATH)
    for version in data.draw(edits(original)):
        analysis = Analysis(version, PATH, parser=analysis.parser)
        fresh = Analysis(version, PATH)
        assert analysis.document == fresh.result.document or fresh.result.document is None
        assert analysis.lsp_diagnostics() == fresh.lsp_diagnostics()
        assert analysis.result.diagnostics == fresh.result.diagnostics
        if fresh.result.document is not None:
            assert analysis.index.definitions == fresh.index.definitions
            assert analysis.index.occurrences == fresh.index.occurrences


def test_only_the_block_edited_is_parsed_again() -> None:
    text = generate(40)
    parser = IncrementalParser(PATH)
    parser.parse(text)
    assert parser.stats.full
    lines = text.split("\n")
    middle = next(i for i in range(len(lines) // 2, len(lines)) if '"Handle request' in lines[i])
    lines[middle] = lines[middle].replace('"Handle request', '"Handle a request')
    typed = "\n".join(lines)
    assert parser.parse(typed) == parse(typed, PATH)
    assert (parser.stats.parsed, parser.stats.moved, parser.stats.full) == (1, 0, False)
    lines.insert(middle, '    customer extra "Look around"')
    inserted = "\n".join(lines)
    assert parser.parse(inserted) == parse(inserted, PATH)
    stats = parser.stats
    assert stats.parsed == 1 and not stats.full
    assert stats.moved == sum(1 for b in split_blocks(inserted) if b.line > middle + 1)


def test_blocks_of_the_same_text_get_trees_of_their_own() -> None:
    step = 'step "S" {\n  evidence "E"\n  customer a "A"\n}\n'
    text = 'blueprint "B" {\n}\n' + step
    parser = IncrementalParser(PATH)
    parser.parse(text)
    twice = text + step + step
    document, _ = parser.parse(twice)
    assert document == parse(twice, PATH)[0]
    assert document is not None
    first, second, third = document.items[1:]
    assert first == shift(second, -4) == shift(third, -8)
    assert first.span is not second.span and second.span is not third.span


def test_blocks_are_cut_at_depth_zero_outside_strings_and_comments() -> None:
    text = (
        'blueprint "B {" {\n  owner "x"  # }\n}\n\n'
        'lane a "A" in onstage; lane b "B" in onstage\n'
        'step "S" {\n  customer a "A }" { duration 2m }\n\n}\n'
        "a -> b"
    )
    blocks = split_blocks(text)
    assert "".join(b.text for b in blocks) == text
    assert [b.line for b in blocks] == [1, 5, 6, 10]
    assert blocks[0].text.endswith("}\n\n")  # blank lines go with the block above


def test_a_syntax_error_is_reported_as_a_full_parse_reports_it() -> None:
    text = generate(60)
    parser = IncrementalParser(PATH)
    parser.parse(text)
    broken = text.replace('customer c5 "Ask for service 5" -> o5', 'customer c5 "Ask" ->', 1)
    document, problems = parser.parse(broken)
    assert document is None
    assert problems == parse(broken, PATH)[1] and problems
    tree = repr(parser.tolerant(broken))
    assert "'o12'" in tree and "'o4'" in tree and "'o60'" in tree  # the other blocks' ids
    fixed, _ = parser.parse(text)
    assert fixed == parse(text, PATH)[0]
    assert parser.stats.parsed == 1  # the good blocks were kept across the broken version


def test_a_document_with_an_include_keeps_its_included_lanes(tmp_path: Path) -> None:
    (tmp_path / "lanes.bp").write_text('lane desk "Desk" in onstage\n', encoding="utf-8")
    main = tmp_path / "main.bp"
    text = (
        'blueprint "B" {\n}\ninclude "lanes.bp"\n'
        'step "S" {\n  evidence "E"\n  customer a "A" -> b\n  desk b "B"\n}\n'
    )
    first = Analysis(text, str(main))
    edited = text.replace('desk b "B"', 'desk b "Bee"')
    second = Analysis(edited, str(main), parser=first.parser)
    assert "desk" in second.index.definitions
    assert second.lsp_diagnostics() == Analysis(edited, str(main)).lsp_diagnostics()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_completion_context_read_from_the_block_is_that_read_from_the_start(
    data: st.DataObject,
) -> None:
    text = data.draw(st.sampled_from(TEXTS))
    text = data.draw(edits(text))[-1]
    offset = data.draw(st.integers(0, len(text)))
    from_block = scanner.scan_context(text, offset)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scanner, "top_level_start", lambda text, offset: 0)
        from_start = scanner.scan_context(text, offset)
    assert from_block == from_start


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_blocks_split_from_the_last_version_are_those_split_from_scratch(
    data: st.DataObject,
) -> None:
    text = data.draw(st.sampled_from(TEXTS))
    parser = IncrementalParser(PATH)
    for version in [text, *data.draw(edits(text))]:
        version = version.replace("\r\n", "\n").replace("\r", "\n")
        assert parser._split(version) == split_blocks(version)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_chinese_keywords_are_found_as_reading_every_token_finds_them(
    data: st.DataObject,
) -> None:
    text = data.draw(st.sampled_from(TEXTS))
    lines = data.draw(edits(text))[-1].split("\n")
    at = data.draw(st.integers(0, len(lines)))
    word = data.draw(st.sampled_from([*sorted(scanner._ZH_KEYWORDS), "办理", "x"]))
    around = data.draw(
        st.sampled_from(["{w}", '"{w}"', "# {w}", "a{w}", "{w} x", "\\\r{w}", '"a\\\r{w}"'])
    )
    lines.insert(at, around.format(w=word))
    text = "\n".join(lines)
    every_token = any(
        t.kind == "name" and t.text in scanner._ZH_KEYWORDS for t in scanner.tokens(text)
    )
    assert scanner.uses_chinese_keywords(text) == (every_token and bool(scanner._CJK.search(text)))
