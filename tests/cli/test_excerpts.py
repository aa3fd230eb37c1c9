"""Source excerpts under a diagnostic: a window of the line around the span, so that a long
line (minified, generated, one-line blueprints) prints a bounded excerpt per diagnostic
and a run's output stays proportional to its input."""

from __future__ import annotations

import time
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli.output import format_diagnostic, format_text
from blueprint_dsl.core.diagnostics import Diagnostic, Severity
from blueprint_dsl.core.spans import Span
from blueprint_dsl.core.textwidth import display_width

EXCERPT_WIDTH = 100  # display columns of source shown under a diagnostic, ellipses included


def one_line_blueprint(fails: int) -> str:
    """A blueprint whose one action has FAILS fail points without recovery (BP500 each),
    all on one line."""
    points = "; ".join(f'fail "f{n:04d}"' for n in range(fails))
    return (
        'blueprint "Big" {\n  id "B-1"\n}\n\nstep "S" {\n  evidence "E"\n'
        f'  customer c "C" -> t\n  onstage t "T" {{ {points} }}\n}}\n'
    )


def diagnostic_at(
    line: int, column: int, end_column: int, end_line: int | None = None
) -> Diagnostic:
    span = Span("x.bp", line, column, end_line or line, end_column)
    return Diagnostic("BP500", Severity.WARNING, "message", span)


def old_format(diagnostic: Diagnostic, source_lines: Sequence[str]) -> str:
    """The excerpt as bpc printed it before windows (the whole line), for lines that fit."""
    span = diagnostic.span
    sev = diagnostic.severity
    head = f"{span.file}:{span.line}:{span.column}: {sev.value}[{diagnostic.code}]"
    out = [f"{head}: {diagnostic.message}"]
    if 1 <= span.line <= len(source_lines):
        line = source_lines[span.line - 1]
        gutter = " " * len(str(span.line))
        start = min(span.column - 1, len(line))
        end = span.end_column - 1 if span.end_line == span.line else len(line)
        end = max(min(end, len(line)), start + 1)
        pad = display_width(line[:start])
        carets = max(display_width(line[start:end]), 1)
        out.append(gutter + " |")
        out.append(f"{span.line} | {line.replace(chr(9), '    ')}")
        out.append(f"{gutter} | {' ' * pad}{'^' * carets}")
    return "\n".join(out)


def excerpt(text: str) -> tuple[str, str]:
    """The source line and the caret line of a formatted diagnostic, without gutters."""
    lines = text.split("\n")
    return lines[2].split(" | ", 1)[1], lines[3].split(" | ", 1)[1]


def columns(text: str) -> list[str]:
    """One entry per display column: the character shown there ('' for the second
    column of a wide character)."""
    out: list[str] = []
    for ch in text:
        width = display_width(ch)
        if width:
            out.append(ch)
            out.extend([""] * (width - 1))
    return out


def test_a_long_line_shows_a_window_around_the_span() -> None:
    line = "a" * 5000 + "TARGET" + "b" * 5000
    d = diagnostic_at(1, 5001, 5007)
    shown, carets = excerpt(format_diagnostic(d, [line], color=False))
    assert shown.startswith("…") and shown.endswith("…")
    assert display_width(shown) <= EXCERPT_WIDTH
    pad = len(carets) - len(carets.lstrip(" "))
    assert carets.strip() == "^" * 6
    assert "".join(columns(shown)[pad : pad + 6]) == "TARGET"


def test_a_span_near_either_end_of_a_long_line_keeps_that_end() -> None:
    line = "x" * 3000
    start_shown, start_carets = excerpt(format_diagnostic(diagnostic_at(1, 1, 4), [line], False))
    assert not start_shown.startswith("…") and start_shown.endswith("…")
    assert start_carets == "^^^"
    assert display_width(start_shown) == EXCERPT_WIDTH
    end_shown, end_carets = excerpt(format_diagnostic(diagnostic_at(1, 2998, 3001), [line], False))
    assert end_shown.startswith("…") and not end_shown.endswith("…")
    assert display_width(end_shown) == EXCERPT_WIDTH
    assert end_carets == " " * (EXCERPT_WIDTH - 3) + "^^^"
    # A span that points just past the end of the line (e.g. "expected `}`").
    past_shown, past_carets = excerpt(
        format_diagnostic(diagnostic_at(1, 3001, 3002), [line], False)
    )
    assert display_width(past_shown) <= EXCERPT_WIDTH
    assert past_carets == " " * display_width(past_shown) + "^"


def test_a_span_wider_than_the_window_is_cut_at_the_window() -> None:
    line = "x" * 200 + "y" * 2000 + "z" * 200
    shown, carets = excerpt(format_diagnostic(diagnostic_at(1, 201, 2201), [line], False))
    assert display_width(shown) <= EXCERPT_WIDTH
    pad = len(carets) - len(carets.lstrip(" "))
    assert set(columns(shown)[pad : len(carets)]) == {"y"}
    assert shown[pad - 1] == "x"  # some context before the span


def test_a_multi_line_span_on_a_long_line_underlines_to_the_window_end() -> None:
    line = "a" * 1000 + "{" + "b" * 1000
    shown, carets = excerpt(
        format_diagnostic(diagnostic_at(1, 1001, 3, end_line=2), [line, "}"], False)
    )
    assert display_width(shown) <= EXCERPT_WIDTH and shown.endswith("…")
    pad = len(carets) - len(carets.lstrip(" "))
    assert columns(shown)[pad] == "{"
    assert len(carets) == display_width(shown) - 1  # up to the ellipsis


def test_wide_characters_and_tabs_are_measured_in_display_columns() -> None:
    line = "中文\t" * 800 + "错误" + "\t标签" * 800
    start = len("中文\t" * 800)
    d = diagnostic_at(1, start + 1, start + 3)
    shown, carets = excerpt(format_diagnostic(d, [line], False))
    assert display_width(shown) <= EXCERPT_WIDTH
    pad = len(carets) - len(carets.lstrip(" "))
    assert carets.strip() == "^^^^"
    assert "".join(columns(shown.replace("\t", "    "))[pad : pad + 4]) == "错误"


def test_short_lines_print_exactly_as_before() -> None:
    source = ["", '  customer order "Order a coffee" -> tkae', '\tx\t"中文" -> y']
    for d in (
        diagnostic_at(2, 38, 42),
        diagnostic_at(3, 2, 3),
        diagnostic_at(3, 4, 8),
        diagnostic_at(2, 40, 2, 3),
    ):
        assert format_diagnostic(d, source, color=False) == old_format(d, source)


LINE_CHARS = st.one_of(
    st.sampled_from('ab \t{}"#'),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E20),
    st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"),
)


@settings(max_examples=300, deadline=None)
@given(
    line=st.one_of(
        st.text(LINE_CHARS, max_size=120), st.text(LINE_CHARS, min_size=100, max_size=400)
    ),
    data=st.data(),
)
def test_window_properties(line: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(line)))
    end = data.draw(st.integers(start, len(line) + 1))
    d = diagnostic_at(1, start + 1, end + 1)
    text = format_diagnostic(d, [line], color=False)
    if display_width(line) <= EXCERPT_WIDTH:
        assert text == old_format(d, [line])
        return
    shown, carets = excerpt(text)
    assert display_width(shown) <= EXCERPT_WIDTH
    pad = len(carets) - len(carets.lstrip(" "))
    assert len(carets) - pad >= 1
    shown_columns = columns(shown)
    assert len(carets) <= len(shown_columns) + 1
    if start < len(line) and line[start] != "\t" and display_width(line[start]):
        assert shown_columns[pad] == line[start]  # the carets start under the span


def test_thousands_of_diagnostics_on_one_long_line_stay_proportional() -> None:
    """The issue's case: a 55 KB file whose 4,000 fail points are on one line printed
    328 MB (the whole line per diagnostic) and took over a minute to format."""
    text = one_line_blueprint(4000)
    assert 50_000 < len(text.encode()) < 60_000
    result = compile_text(text, "big.bp")
    assert sum(1 for d in result.diagnostics if d.code == "BP500") == 4000
    started = time.perf_counter()
    out = format_text([result])
    elapsed = time.perf_counter() - started
    assert len(out.encode()) < 4_000_000, len(out.encode())
    assert elapsed < 1.0, elapsed
    assert out.count("[BP500]") == 4000
