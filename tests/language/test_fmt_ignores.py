"""`bpc fmt` keeps every `# bpc: ignore[…]` comment on the line of the code it silences:
folding or unfolding an attribute block (or any other reshaping) never changes what the
comments silence, so `bpc check` reports the same before and after fmt."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli import main
from blueprint_dsl.core.diagnostics import Diagnostic
from blueprint_dsl.language.formatter import format_source
from blueprint_dsl.language.parser import find_comments

from ..test_fuzz import valid_blueprints

Key = tuple[str, str, str, str]


def fmt(text: str) -> str:
    out, errors = format_source(text)
    assert out is not None, errors
    return out


def lines_of(text: str) -> list[str]:
    """Lines as the compiler counts them (LF, CRLF or CR; not str.splitlines())."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def key(diagnostic: Diagnostic, text: str) -> Key:
    """What a diagnostic is, whatever the layout: its code, severity, message (without
    line numbers) and the code it points at (the start of its span's line, up to a `{`)."""
    span = diagnostic.span
    line = lines_of(text)[span.line - 1]
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    code = " ".join(line[span.column - 1 : end].split("{")[0].split())
    message = re.sub(r"line \d+", "line N", diagnostic.message)
    return diagnostic.code, diagnostic.severity.value, message, code


def diagnostics(text: str) -> Counter[Key]:
    return Counter(key(d, text) for d in compile_text(text, "x.bp").diagnostics)


def assert_same_diagnostics(text: str) -> str:
    out = fmt(text)
    assert fmt(out) == out, "fmt is not idempotent"
    assert diagnostics(out) == diagnostics(text)
    assert sorted(c.text.rstrip() for c in find_comments(out, "x")) == sorted(
        c.text.rstrip() for c in find_comments(text, "x")
    )
    for diagnostic in compile_text(out, "x.bp").diagnostics:  # ignore comments silence
        line = lines_of(out)[diagnostic.span.line - 1]  # nothing on the lines they point at
        assert f"ignore[{diagnostic.code}]" not in line, (diagnostic, line)
    return out


HEADER = 'blueprint "T" {\n  id "T-1"\n}\n\n'


# ---- explicit cases ---------------------------------------------------------------------


def test_folding_keeps_an_ignore_comment_on_its_attribute() -> None:
    text = HEADER + (
        'step "S" {\n  evidence "E"\n'
        '  customer a "A" {\n    fail "x"  # bpc: ignore[BP500]\n  }\n}\n'
    )
    assert not compile_text(text, "x.bp").diagnostics
    assert assert_same_diagnostics(text) == text  # not folded: the comment stays on `fail`


def test_folding_does_not_widen_an_ignore_comment_on_the_head_line() -> None:
    text = HEADER + (
        'step "S" {\n  evidence "E"\n'
        '  customer a "A" {  # bpc: ignore[BP500]\n    fail "x"\n  }\n}\n'
    )
    assert sorted(d.code for d in compile_text(text, "x.bp").diagnostics) == ["BP106", "BP500"]
    assert assert_same_diagnostics(text) == text


def test_other_blocks_still_fold() -> None:
    text = HEADER + (
        'step "S" {\n  evidence "E"\n'
        '  customer a "A" {  # a plain comment\n    fail "x" recover "y"\n  }\n'
        '  customer b "B" {\n    fail "x"  # bpc: ignore[BP500]\n  }\n}\n'
    )
    out = assert_same_diagnostics(text)
    assert '  customer a "A" { fail "x" recover "y" }  # a plain comment\n' in out
    assert '  customer b "B" {\n    fail "x"  # bpc: ignore[BP500]\n  }\n' in out


def test_unfolding_keeps_an_ignore_comment_on_the_attributes_line() -> None:
    inline = (
        '  customer a "A" { wait 1m; standard 2m; emotion 1; fail "x" }  # bpc: ignore[BP500]\n'
    )
    text = HEADER + 'step "S" {\n  evidence "E"\n' + inline + "}\n"
    assert not compile_text(text, "x.bp").diagnostics
    assert assert_same_diagnostics(text) == text  # not unfolded: one line, one comment


def test_unfolding_a_long_block_keeps_the_comment_with_all_its_code() -> None:
    attributes = "; ".join([*(f'note "{n * 12}"' for n in "abc"), 'fail "x"'])
    text = HEADER + (
        'step "S" {\n  evidence "E"; customer a "A" {\n'
        f"    {attributes}  # bpc: ignore[BP500]\n  }}\n}}\n"
    )
    out = assert_same_diagnostics(text)
    assert f"\n    {attributes}  # bpc: ignore[BP500]\n" in out
    assert '  customer a "A" {\n' in out


def test_an_ignore_comment_on_a_one_line_step_or_header_keeps_it_on_one_line() -> None:
    text = (
        'blueprint "T" { id "T-1"; target 1m }  # bpc: ignore[BP503]\n'
        'step "S" { customer a "A" { duration 5m } }  # bpc: ignore[BP301]\n'
        'step "U" { evidence "E"; customer b "B"; onstage c "C" }  # bpc: ignore[BP302, BP505]\n'
    )
    assert not compile_text(text, "x.bp").diagnostics
    out = assert_same_diagnostics(text)
    assert out == (
        'blueprint "T" { id "T-1"; target 1m }  # bpc: ignore[BP503]\n\n'
        'step "S" { customer a "A" { duration 5m } }  # bpc: ignore[BP301]\n\n'
        'step "U" { evidence "E"; customer b "B"; onstage c "C" }  # bpc: ignore[BP302, BP505]\n'
    )


def test_a_block_that_closes_on_an_ignored_line() -> None:
    text = HEADER + (
        'step "S" {\n  evidence "E"\n'
        '  customer a "A" {\n    duration 1m\n    fail "x" }  # bpc: ignore[BP500]\n}\n'
    )
    out = assert_same_diagnostics(text)
    assert '    fail "x" }  # bpc: ignore[BP500]\n' in out


def test_check_strict_passes_after_fmt_as_before(tmp_path: Path) -> None:
    path = tmp_path / "quiet.bp"
    path.write_text(
        HEADER
        + 'step "S" {\n  evidence "E"\n'
        + '  customer a "A" {\n    fail "x"  # bpc: ignore[BP500]\n  }\n'
        + '  customer b "B" { wait 1m; standard 2m; emotion 1; fail "y" }  # bpc: ignore[BP500]\n'
        + "}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--strict", str(path)]).exit_code == 0
    assert runner.invoke(main, ["fmt", str(path)]).exit_code == 0
    result = runner.invoke(main, ["check", "--strict", str(path)])
    assert result.exit_code == 0, result.output


# ---- property: generated blueprints with ignore comments -----------------------------------

CODES = ["BP301", "BP302", "BP303", "BP305", "BP402", "BP500", "BP501", "BP505", "BP506"]


@st.composite
def with_ignores(draw: st.DrawFn) -> str:
    """A valid generated blueprint with `# bpc: ignore[…]` comments at the end of some
    lines: the codes reported on that line, other codes, or both."""
    text, _ = draw(valid_blueprints())
    found: dict[int, set[str]] = {}
    for d in compile_text(text, "x.bp").diagnostics:
        found.setdefault(d.span.line, set()).add(d.code)
    comments = {c.span.line: c.span.column for c in find_comments(text, "x")}
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    for number in range(1, len(lines) + 1):
        if not lines[number - 1].strip() or draw(st.integers(0, 2)) != 0:
            continue
        here = sorted(found.get(number, ()))
        codes = draw(st.lists(st.sampled_from(here), unique=True)) if here else []
        if not codes or draw(st.booleans()):
            codes.append(draw(st.sampled_from(CODES)))
        line = lines[number - 1]
        if number in comments:  # replace the comment there (a line has at most one)
            line = line[: comments[number] - 1].rstrip()
        lines[number - 1] = f"{line}  # bpc: ignore[{', '.join(codes)}]"
    return newline.join(lines)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(with_ignores())
def test_fmt_keeps_what_ignore_comments_silence(text: str) -> None:
    assert_same_diagnostics(text)


def test_every_layout_change_at_once() -> None:
    text = (
        'blueprint "T" { id "T-1" }  # bpc: ignore[BP301]\n'  # an unused one: BP106 stays
        'step "S" {\n  customer a "A" {\n    wait 1m  # bpc: ignore[BP501]\n  }\n'
        '  customer b "B" { wait 1m; emotion 1; note "n"; fail "f" }'
        "  # bpc: ignore[BP500, BP301]\n"
        "}\n"
    )
    codes = sorted(d.code for d in compile_text(text, "x.bp").diagnostics)
    assert codes == ["BP106", "BP301", "BP501"]
    assert_same_diagnostics(text)
