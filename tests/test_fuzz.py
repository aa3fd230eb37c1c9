"""Bad input never breaks the compiler: property-based tests (hypothesis) and hard cases.

(a) generated VALID blueprints compile without syntax or model errors, and their labels
    survive the round trip through string escapes;
(b) mutations of valid blueprints and of the samples (delete, duplicate, swap, insert
    random bytes, truncate) never raise: the result is a CompileResult whose diagnostics
    are well formed, and a syntax error leaves no blueprint;
(c) explicit hard cases (empty, comments only, BOM, CRLF, tabs, Latin-1, binary garbage,
    unterminated strings, 20,000 nested braces, a 1 MB line, a 10 MB file) return in
    bounded time with a positioned diagnostic or a clean result;
(d) the same bad inputs through `python -m blueprint_dsl check`: exit 1, never a
    traceback; a missing or unreadable path: exit 2.

The elapsed-time checks are hang guards only (generous), not performance tests: see
bench/bench_check.py for the figures.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.api import CompileResult, compile_bytes, compile_text
from blueprint_dsl.cli import main
from blueprint_dsl.cli.output import format_json, format_text
from blueprint_dsl.core.diagnostics import Severity

from .conftest import ROOT, SAMPLES

HANG_GUARD_SECONDS = 60.0
CODE = re.compile(r"BP\d{3}")
# Model-pass codes a generated valid blueprint must never get (syntax, values, attributes,
# header, ids, undefined flow ends, lanes, evidence as a flow end).
MODEL_ERRORS = {"BP100", "BP101", "BP102", "BP103", "BP200", "BP201", "BP202", "BP300"}

SAMPLE_BYTES = {path.name: path.read_bytes() for path in SAMPLES}
RESTAURANT = (ROOT / "samples" / "restaurant.bp").read_bytes()

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---- invariants ---------------------------------------------------------------------------


def line_count(data: bytes | str) -> int:
    """Lines as editors count them: LF, CRLF and a lone CR each end a line (and nothing
    else: not U+2028, form feed or the other breaks of str.splitlines())."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_well_formed(result: object, source: bytes | str) -> CompileResult:
    """Every property a compile result must have, whatever the input."""
    assert isinstance(result, CompileResult)
    assert isinstance(result.diagnostics, list)
    last_line = line_count(source)
    for d in result.diagnostics:
        assert CODE.fullmatch(d.code), d
        assert isinstance(d.severity, Severity), d
        assert isinstance(d.message, str) and d.message, d
        span = d.span
        assert span.line >= 1 and span.column >= 1, d
        assert span.line <= last_line, (d, last_line)
        assert (span.end_line, span.end_column) >= (span.line, span.column), d
    assert result.has_errors == any(d.severity is Severity.ERROR for d in result.diagnostics)
    if any(d.code == "BP100" for d in result.diagnostics):
        assert result.blueprint is None, "a syntax error must leave no blueprint"
    # The printers must cope with whatever the compiler produced.
    text = format_text([result])
    assert all(f"[{d.code}]" in text for d in result.diagnostics)
    assert len(json.loads(format_json([result]))["diagnostics"]) == len(result.diagnostics)
    return result


def compile_guarded(data: bytes, path: str = "fuzz.bp") -> CompileResult:
    start = time.perf_counter()
    result = compile_bytes(data, path)
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_GUARD_SECONDS, f"{path}: took {elapsed:.1f}s"
    return assert_well_formed(result, data)


# ---- (a) valid blueprints -------------------------------------------------------------------

ZONES = ("customer", "onstage", "frontstage", "backstage", "support")
ASCII_START = string.ascii_letters + "_"
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
LETTER = st.one_of(st.sampled_from(ASCII_START), CJK, st.characters(categories=("Lu", "Ll", "Lo")))
ID_TAIL = st.text(st.one_of(LETTER, st.sampled_from(string.digits + "_-")), max_size=6)
# Any Unicode but surrogates, raw line breaks and NUL (which compile_bytes rejects).
LABEL_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00")
LABEL = st.one_of(
    st.text(LABEL_CHAR, max_size=12),
    st.text(CJK, min_size=1, max_size=6),
    st.text(st.sampled_from('ab "\\\n\t#{}->;,:.%'), max_size=10),
)
UNITS = st.sampled_from(["s", "sec", "m", "min", "h", "d", "秒", "分钟", "小时", "天"])
INDENT = st.sampled_from(["", "  ", "    ", "\t", " \t "])


def quote(label: str) -> str:
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@st.composite
def identifiers(draw: st.DrawFn, serial: int) -> str:
    """An identifier (Unicode letters included), unique thanks to its serial number."""
    base = draw(LETTER) + re.sub("-+", "-", draw(ID_TAIL))
    return f"{base}_{serial}"


@st.composite
def durations(draw: st.DrawFn, allow_range: bool = True) -> str:
    unit = draw(UNITS)
    low = draw(st.integers(0, 300))
    fraction = draw(st.sampled_from(["", "", ".5", ".25"]))
    if allow_range and draw(st.booleans()):
        high = low + draw(st.integers(0, 120))
        return f"{low}{unit}..{high}{fraction}{unit}"
    return f"{low}{fraction}{unit}"


@st.composite
def metric_values(draw: st.DrawFn, kind: str) -> str:
    if kind == "percent":
        return f"{draw(st.integers(0, 100))}%"
    if kind == "number":
        return draw(st.sampled_from(["3", "12.5", "0", "+4", "-1"]))
    return draw(durations(allow_range=False))


@st.composite
def attributes(draw: st.DrawFn) -> list[str]:
    """A set of action attributes, each at most once (except the repeatable ones)."""
    out: list[str] = []
    names = draw(
        st.lists(
            st.sampled_from(
                [
                    "role",
                    "duration",
                    "standard",
                    "wait",
                    "fail",
                    "decision",
                    "moment",
                    "emotion",
                    "cost",
                    "metric",
                    "note",
                    "detail",
                ]
            ),
            unique=True,
            max_size=6,
        )
    )
    for name in names:
        if name in ("role", "note"):
            out.append(f"{name} {quote(draw(LABEL))}")
        elif name in ("duration", "wait"):
            out.append(f"{name} {draw(durations())}")
        elif name == "standard":
            out.append(f"standard {draw(durations(allow_range=False))}")
        elif name == "fail":
            for _ in range(draw(st.integers(1, 2))):
                recover = f" recover {quote(draw(LABEL))}" if draw(st.booleans()) else ""
                out.append(f"fail {quote(draw(LABEL))}{recover}")
        elif name == "decision":
            out.append("decision")
        elif name == "moment":
            out.append("moment" + (f" {quote(draw(LABEL))}" if draw(st.booleans()) else ""))
        elif name == "emotion":
            out.append(f"emotion {draw(st.sampled_from(['-2', '-1', '0', '+1', '1', '2']))}")
        elif name == "cost":
            out.append(f"cost {draw(st.sampled_from(['0', '12.5', '3', '199.99']))}")
        elif name == "metric":
            kind = draw(st.sampled_from(["percent", "number", "duration"]))
            target = f" target {draw(metric_values(kind))}" if draw(st.booleans()) else ""
            out.append(f"metric {quote(draw(LABEL))} {draw(metric_values(kind))}{target}")
        else:
            out.append(f"detail {quote(draw(st.sampled_from(['deeper.bp', '子流程.bp'])))}")
    return out


@dataclass
class Expected:
    """What the model of a generated blueprint must hold."""

    title: str
    steps: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class _Action:
    lane: str
    id: str | None
    label: str
    flows: list[tuple[str, list[str]]] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)


@st.composite
def valid_blueprints(draw: st.DrawFn) -> tuple[str, Expected]:
    """A syntactically and structurally valid blueprint, and what its model must hold."""
    serial = iter(range(10_000))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    title = draw(LABEL)
    expected = Expected(title)
    lines: list[str] = []

    def comment() -> str:
        if draw(st.integers(0, 5)) == 0:
            return "  # " + draw(st.text(LABEL_CHAR, max_size=12))
        return ""

    # header
    fields = draw(
        st.lists(
            st.sampled_from(
                ["id", "version", "owner", "persona", "description", "locale", "target", "currency"]
            ),
            unique=True,
            max_size=8,
        )
    )
    field_texts = []
    for name in fields:
        if name == "locale":
            locale = draw(st.sampled_from(["en", "zh", '"zh"']))
            field_texts.append(f"locale {locale}")
        elif name == "target":
            field_texts.append(f"target {draw(durations(allow_range=False))}")
        else:
            field_texts.append(f"{name} {quote(draw(LABEL))}")
    if draw(st.booleans()) and field_texts:
        lines.append(f"blueprint {quote(title)} {{ " + "; ".join(field_texts) + " }" + comment())
    else:
        lines.append(f"blueprint {quote(title)} {{" + comment())
        lines.extend(draw(INDENT) + text + comment() for text in field_texts)
        lines.append("}")

    # lanes
    lanes = []
    for _ in range(draw(st.integers(0, 4))):
        lane_id = draw(identifiers(next(serial)))
        zone = draw(st.sampled_from(ZONES))
        lanes.append(lane_id)
        lines.append(f"lane {lane_id} {quote(draw(LABEL))} in {zone}" + comment())
    if draw(st.booleans()):
        lines.append("")

    # steps: first the skeleton, so that flows can point at any action id
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        step_id = draw(identifiers(next(serial))) if draw(st.booleans()) else None
        label = draw(LABEL)
        expected.steps.append(label)
        evidence = []
        for _ in range(draw(st.integers(0, 3))):
            item_id = draw(identifiers(next(serial))) if draw(st.booleans()) else None
            item_label = draw(LABEL)
            expected.evidence.append(item_label)
            evidence.append((item_id, item_label))
        actions = []
        for _ in range(draw(st.integers(0, 4))):
            lane = draw(st.sampled_from([*ZONES, *lanes]))
            action_id = draw(identifiers(next(serial))) if draw(st.integers(0, 4)) else None
            action = _Action(lane, action_id, draw(LABEL))
            expected.actions.append(action.label)
            actions.append(action)
        steps.append((step_id, label, evidence, actions))
    action_ids = [a.id for s in steps for a in s[3] if a.id is not None]
    arrows = st.sampled_from(["->", "-->", "<->"])
    if action_ids:
        for _, _, _, actions in steps:
            for action in actions:
                if action.id is None:
                    continue
                for _ in range(draw(st.integers(0, 2))):
                    targets = draw(st.lists(st.sampled_from(action_ids), min_size=1, max_size=3))
                    action.flows.append((draw(arrows), targets))
    for _, _, _, actions in steps:
        for action in actions:
            action.attributes = draw(attributes())

    def chain() -> str:
        names = draw(st.lists(st.sampled_from(action_ids), min_size=2, max_size=4))
        text = names[0]
        for name in names[1:]:
            text += f" {draw(arrows)} {name}"
        if len(names) == 2 and draw(st.booleans()):
            text += f" : {quote(draw(LABEL))}"
        return text

    def step_lines(
        step_id: str | None,
        label: str,
        evidence: list[tuple[str | None, str]],
        actions: list[_Action],
    ) -> list[str]:
        ind = draw(INDENT)
        head = f"step {step_id + ' ' if step_id else ''}{quote(label)} {{"
        body: list[str] = []
        if evidence:
            items = ", ".join(f"{i + ' ' if i else ''}{quote(lab)}" for i, lab in evidence)
            body.append(f"evidence {items}")
        for action in actions:
            text = f"{action.lane} {action.id + ' ' if action.id else ''}{quote(action.label)}"
            for arrow, targets in action.flows:
                text += f" {arrow} " + ", ".join(targets)
            if action.attributes:
                if draw(st.booleans()):
                    text += " { " + "; ".join(action.attributes) + " }"
                    body.append(text)
                else:
                    body.append(text + " {")
                    body.extend(f"  {a}" + comment() for a in action.attributes)
                    body.append("}")
                continue
            body.append(text)
        if action_ids and draw(st.integers(0, 3)) == 0:
            body.append(chain())
        if draw(st.integers(0, 3)) == 0 and all(not b.endswith("{") for b in body):
            return [ind + head + " " + "; ".join(body) + " }"]
        return [ind + head + comment()] + [ind + "  " + b for b in body] + [ind + "}"]

    grouped = 0
    while grouped < len(steps):
        size = draw(st.integers(1, len(steps) - grouped))
        group = steps[grouped : grouped + size]
        grouped += size
        if draw(st.booleans()):
            lines.append(f"phase {quote(draw(LABEL))} {{" + comment())
            for step in group:
                lines.extend("  " + line for line in step_lines(*step))
            lines.append("}")
        else:
            for step in group:
                lines.extend(step_lines(*step))
        if draw(st.integers(0, 3)) == 0:
            lines.append("# " + draw(st.text(LABEL_CHAR, max_size=20)))
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"phase {quote(draw(LABEL))} {{ }}")  # an empty phase
    if action_ids:
        lines.extend(chain() for _ in range(draw(st.integers(0, 3))))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return text, expected


@FUZZ
@given(valid_blueprints())
def test_valid_blueprints_compile_without_model_errors(case: tuple[str, Expected]) -> None:
    text, expected = case
    result = compile_text(text, "valid.bp")
    assert_well_formed(result, text)
    bad = [d for d in result.diagnostics if d.code in MODEL_ERRORS]
    assert not bad, "\n".join(f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in bad)
    blueprint = result.blueprint
    assert blueprint is not None
    assert blueprint.header.title == expected.title
    assert [s.label for s in blueprint.steps] == expected.steps
    assert [a.label for a in blueprint.actions] == expected.actions
    assert [e.label for e in blueprint.evidence] == expected.evidence


@settings(FUZZ, max_examples=50)
@given(valid_blueprints())
def test_valid_blueprints_as_bytes_with_bom(case: tuple[str, Expected]) -> None:
    text, _ = case
    plain = compile_text(text, "valid.bp")
    with_bom = compile_guarded(b"\xef\xbb\xbf" + text.encode("utf-8"), "valid.bp")
    assert [(d.code, d.span) for d in with_bom.diagnostics] == [
        (d.code, d.span) for d in plain.diagnostics
    ]


# ---- (b) mutations --------------------------------------------------------------------------

TOKEN = re.compile(rb'"(?:[^"\\\n]|\\.)*"|<->|-->|->|\.\.|[^\s{}",;:#]+|\S')
SPECIAL = st.sampled_from(
    [
        b"{",
        b"}",
        b'"',
        b"\x00",
        b"\xff",
        b"\xc3",
        b"\xe4\xb8",
        b"\xef\xbb\xbf",
        b"\n",
        b"\r",
        b"\r\n",
        b"\t",
        b"\\",
        b"#",
        b";",
        b",",
        b":",
        b"..",
        b"->",
        b"-->",
        b"<->",
        b"%",
        b"-",
        b"\xe2\x80\xa8",  # U+2028 LINE SEPARATOR
        b"\x0c",
    ]
)
VOCABULARY = st.sampled_from(
    [
        b"blueprint",
        b"lane",
        b"phase",
        b"step",
        b"evidence",
        b"in",
        b"customer",
        b"onstage",
        b"support",
        b"decision",
        b"fail",
        b"recover",
        b"wait",
        b"5m..1m",
        b"99999999999999999999h",
        b"-3",
        b"1.5",
        b'"x"',
        b'"\\"',
        "报修".encode(),
    ]
)


def tokens(data: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN.finditer(data)]


@st.composite
def mutate(draw: st.DrawFn, data: bytes) -> bytes:
    """One mutation of `data`."""
    kind = draw(
        st.sampled_from(
            [
                "delete_token",
                "delete_range",
                "duplicate_line",
                "swap_tokens",
                "insert",
                "truncate",
                "replace_token",
            ]
        )
    )
    spans = tokens(data)
    if kind in ("delete_token", "swap_tokens", "replace_token") and len(spans) < 2:
        kind = "insert"
    if kind == "delete_token":
        a, b = spans[draw(st.integers(0, len(spans) - 1))]
        return data[:a] + data[b:]
    if kind == "replace_token":
        a, b = spans[draw(st.integers(0, len(spans) - 1))]
        return data[:a] + draw(st.one_of(VOCABULARY, SPECIAL)) + data[b:]
    if kind == "swap_tokens":
        i, j = sorted(draw(st.lists(st.integers(0, len(spans) - 1), min_size=2, max_size=2)))
        (a, b), (c, d) = spans[i], spans[j]
        if i == j:
            return data
        return data[:a] + data[c:d] + data[b:c] + data[a:b] + data[d:]
    if kind == "delete_range":
        a = draw(st.integers(0, len(data)))
        b = draw(st.integers(a, min(len(data), a + 200)))
        return data[:a] + data[b:]
    if kind == "duplicate_line":
        lines = data.splitlines(keepends=True) or [b""]
        n = draw(st.integers(0, len(lines) - 1))
        return b"".join(lines[: n + 1] + lines[n:])
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    at = draw(st.integers(0, len(data)))
    inserted = draw(st.one_of(SPECIAL, st.binary(min_size=1, max_size=8)))
    return data[:at] + inserted + data[at:]


@st.composite
def mutated(draw: st.DrawFn, source: st.SearchStrategy[bytes]) -> bytes:
    data = draw(source)
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutate(data))
    return data


VALID_BYTES = valid_blueprints().map(lambda case: case[0].encode("utf-8"))
SAMPLE_SOURCE = st.sampled_from(sorted(SAMPLE_BYTES)).map(SAMPLE_BYTES.__getitem__)


@FUZZ
@given(mutated(VALID_BYTES))
def test_mutated_valid_blueprints_never_raise(data: bytes) -> None:
    compile_guarded(data)


@FUZZ
@given(mutated(SAMPLE_SOURCE))
def test_mutated_samples_never_raise(data: bytes) -> None:
    compile_guarded(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_binary_garbage_never_raises(data: bytes) -> None:
    compile_guarded(data)


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from('{}"\\\n\r;,:.#->< \tab1mx%报'), max_size=400))
def test_punctuation_soup_never_raises(text: str) -> None:
    compile_guarded(text.encode("utf-8"))


# ---- (c) explicit hard cases ----------------------------------------------------------------


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _tabs(data: bytes) -> bytes:
    return re.sub(rb"(?m)^ +", lambda m: b"\t" * (len(m.group()) // 2), data).replace(b"  ", b"\t")


HARD_CASES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "only-whitespace": lambda: b" \n\t\n\r\n  ",
    "only-comments": lambda: b"# one\n   # two \xe4\xb8\xad\n#\n",
    "bom-only": lambda: b"\xef\xbb\xbf",
    "bom-sample": lambda: b"\xef\xbb\xbf" + RESTAURANT,
    "double-bom": lambda: b"\xef\xbb\xbf\xef\xbb\xbf" + RESTAURANT,
    "crlf-sample": lambda: _crlf(RESTAURANT),
    "tabs-sample": lambda: _tabs(RESTAURANT),
    "latin-1": lambda: (
        RESTAURANT.decode("utf-8").replace("—", "-").encode("utf-8")
        + 'step "Café" {\n  evidence "Menü"\n}\n'.encode("latin-1")
    ),
    "nul-byte": lambda: RESTAURANT[:100] + b"\x00" + RESTAURANT[100:],
    "utf-16": lambda: RESTAURANT.decode("utf-8").encode("utf-16"),
    "lone-surrogate-bytes": lambda: b'blueprint "\xed\xa0\x80" {}\n',
    "overlong-utf8": lambda: b'blueprint "\xc0\xaf" {}\n',
    "truncated-utf8": lambda: RESTAURANT + "中".encode()[:2],
    "unterminated-string": lambda: b'blueprint "Shop {\n  id "S-1"\n}\n',
    "unterminated-last-line": lambda: RESTAURANT + b'\nstep "never closed',
    "unclosed-block": lambda: RESTAURANT + b'\nstep "Open" {\n  customer x "X"\n',
    "stray-closers": lambda: b"}" * 20_000,
    "nested-braces": lambda: b"{" * 20_000,
    "nested-brace-lines": lambda: b"{\n" * 20_000,
    "nested-quote-braces": lambda: b'"{\n' * 20_000,
    "nested-steps": lambda: b'blueprint "x" {}\n' + b'step "s" {\n' * 20_000,
    "nested-attribute-blocks": lambda: (
        b'blueprint "x" {}\nstep "s" {\n  customer a "A" ' + b"{" * 20_000
    ),
    "long-line": lambda: b"x" * 1_000_000,
    "long-label": lambda: b'blueprint "' + "长".encode() * 350_000 + b'" {}\n',
    "long-chain": lambda: RESTAURANT + b"\n" + b" -> ".join([b"book"] * 50_000) + b"\n",
    "many-errors": lambda: b"?\n" * 50_000,
}


@pytest.mark.parametrize("name", sorted(HARD_CASES))
def test_hard_case_returns_in_bounded_time(name: str) -> None:
    data = HARD_CASES[name]()
    result = compile_guarded(data, f"{name}.bp")
    # A positioned diagnostic or a clean result.
    if result.blueprint is None:
        assert result.diagnostics, "no blueprint but no diagnostic either"


def test_empty_and_comment_only_files_get_a_diagnostic() -> None:
    for data in (b"", b"# nothing here\n", b"\xef\xbb\xbf"):
        result = compile_guarded(data, "empty.bp")
        assert result.has_errors
        assert result.diagnostics[0].span.line == 1


@pytest.mark.parametrize("variant", ["bom", "crlf", "tabs", "bom+crlf"])
@pytest.mark.parametrize("sample", sorted(SAMPLE_BYTES))
def test_encoding_variants_of_samples_match_the_original(variant: str, sample: str) -> None:
    original = SAMPLE_BYTES[sample]
    data = original
    if "crlf" in variant:
        data = _crlf(data)
    if "tabs" in variant:
        data = _tabs(data)
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    expected = compile_guarded(original, sample)
    result = compile_guarded(data, sample)
    assert result.blueprint is not None
    assert [d.code for d in result.diagnostics] == [d.code for d in expected.diagnostics]
    if variant != "tabs":  # tabs move columns
        assert [d.span for d in result.diagnostics] == [d.span for d in expected.diagnostics]


def test_non_utf8_byte_is_positioned() -> None:
    data = b'blueprint "Caf\xe9" {\n}\n'
    result = compile_guarded(data, "latin1.bp")
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "BP100"
    assert (diagnostic.span.line, diagnostic.span.column) == (1, 15)
    data = b'blueprint "x" {\n}\nstep "\xe4\xb8\xad \xe9" {\n}\n'  # after a CJK character
    [diagnostic] = compile_guarded(data, "latin1.bp").diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (3, 9)


def test_unterminated_string_is_reported_on_its_line() -> None:
    data = RESTAURANT.replace(b'"Greet and seat"', b'"Greet and seat')
    result = compile_guarded(data, "unterminated.bp")
    line = RESTAURANT[: RESTAURANT.index(b'"Greet and seat"')].count(b"\n") + 1
    first = result.diagnostics[0]
    assert first.code == "BP100" and first.span.line == line
    assert "unterminated" in first.message


@pytest.mark.parametrize("data", [b"{" * 20_000, b"{\n" * 20_000, b'"{\n' * 20_000])
def test_nested_braces_give_a_bounded_number_of_errors(data: bytes) -> None:
    result = compile_guarded(data, "braces.bp")
    assert result.has_errors and result.blueprint is None
    assert 1 <= len(result.diagnostics) <= 100


@pytest.fixture(scope="module")
def ten_megabytes() -> bytes:
    """A sample, then ~10 MB of comments (CJK included), then a syntax error."""
    line = "# a long comment 一条很长的注释 " * 3 + "\n"
    body = line.encode("utf-8") * (10_000_000 // len(line.encode("utf-8")) + 1)
    return RESTAURANT + body + b"oops\n"


def test_ten_megabyte_file(ten_megabytes: bytes) -> None:
    assert len(ten_megabytes) > 10_000_000
    result = compile_guarded(ten_megabytes, "ten.bp")
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "BP100"
    assert diagnostic.span.line == line_count(ten_megabytes) - 1  # the `oops` line


def test_ten_megabyte_label(ten_megabytes: bytes) -> None:
    label = b"x" * len(ten_megabytes)
    result = compile_guarded(b'blueprint "' + label + b'" {}\n', "label.bp")
    assert not result.has_errors


def test_file_over_the_size_limit_is_refused_quickly() -> None:
    result = compile_guarded(b"#" * (17 * 1024 * 1024), "huge.bp")
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "BP100" and "MB" in diagnostic.message


def test_random_garbage_of_many_seeds() -> None:
    """os.urandom-like garbage, reproducible: 50 blobs of 10 KB."""
    generator = random.Random(20_000)
    for _ in range(50):
        compile_guarded(generator.randbytes(10_000), "garbage.bp")


# ---- line ends and positions (regressions found by the fuzz tests) ----------------------


@pytest.mark.parametrize("newline", [b"\r", b"\r\n"])
def test_cr_and_crlf_line_endings_keep_positions(newline: bytes) -> None:
    data = RESTAURANT.replace(b"-> greet", b"-> gret")
    lf = compile_guarded(data, "lf.bp")
    other = compile_guarded(data.replace(b"\n", newline), "cr.bp")

    def positions(result: CompileResult) -> list[tuple[str, int, int, int, int]]:
        return [
            (d.code, d.span.line, d.span.column, d.span.end_line, d.span.end_column)
            for d in result.diagnostics
        ]

    assert positions(other) == positions(lf)
    assert lf.diagnostics[0].span.line > 1


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85"])
def test_unicode_line_separators_do_not_shift_lines(separator: str) -> None:
    """Only LF, CRLF and CR end a line; str.splitlines() breaks at more characters."""
    text = RESTAURANT.decode("utf-8")
    text = text.replace('"Website"', f'"Web{separator}site"')
    ignored = text.replace("-> greet", "-> gret  # bpc: ignore[BP201]")
    assert "BP201" not in [d.code for d in compile_text(ignored, "sep.bp").diagnostics]
    result = compile_text(text.replace("-> greet", "-> gret"), "sep.bp")
    [diagnostic] = [d for d in result.diagnostics if d.code == "BP201"]
    shown = format_text([result])
    assert f"{diagnostic.span.line} |     customer arrive" in shown


def test_end_of_file_error_after_a_record_separator_is_on_the_last_line() -> None:
    data = b'blueprint "x" {}\nphase "\x1e" { '
    result = compile_guarded(data, "eof.bp")
    assert [d.span.line for d in result.diagnostics] == [2]


def test_chain_label_error_leaves_no_blueprint() -> None:
    data = RESTAURANT + b'\nbook -> confirm -> bookings : "x"\n'
    result = compile_guarded(data, "chain.bp")
    assert "BP100" in [d.code for d in result.diagnostics]
    assert result.blueprint is None


# ---- crashes the fuzzing found once: regression tests -----------------------------------------


def test_twentieth_error_at_end_of_file() -> None:
    data = b"?\n" * 18 + b'blueprint "x" {\n# a comment on the last line'
    result = compile_bytes(data, "crash.bp")
    assert result.has_errors


def test_detail_with_a_too_long_file_name(tmp_path: Path) -> None:
    text = RESTAURANT.decode("utf-8").replace(
        "{ duration 1m }", '{ duration 1m; detail "' + "x" * 300 + '.bp" }'
    )
    result = compile_text(text, str(tmp_path / "detail.bp"))
    assert [d.code for d in result.diagnostics] == ["BP507"]


def test_include_with_a_too_long_file_name(tmp_path: Path) -> None:
    text = RESTAURANT.decode("utf-8").replace(
        "lane host ", 'include "' + "y" * 300 + '.bp"\nlane host ', 1
    )
    (tmp_path / "bpc.toml").write_text("", encoding="utf-8")
    result = compile_text(text, str(tmp_path / "include.bp"))
    assert "BP105" in [d.code for d in result.diagnostics]


# ---- (d) the command line -------------------------------------------------------------------

CLI_CASES = {
    "latin-1.bp": 'blueprint "Café" {\n}\n'.encode("latin-1"),
    "garbage.bp": bytes(random.Random(7).randbytes(4096)),
    "nul.bp": b'blueprint "x" {}\n\x00\n',
    "unterminated.bp": b'blueprint "Shop {\n}\n',
    "braces.bp": b"{" * 20_000,
    "quote-braces.bp": b'"{\n' * 20_000,
    "empty.bp": b"",
    "mutated-sample.bp": RESTAURANT.replace(b"}", b"", 3),
}


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("BPC_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "check", "--color", "never", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=cwd or ROOT,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_cli_bad_input_exits_1_without_traceback(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(CLI_CASES[name])
    done = run_cli(str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "internal error" not in done.stderr
    assert f"{path}:" in done.stdout and "error[BP" in done.stdout


def test_cli_folder_of_bad_inputs_json(tmp_path: Path) -> None:
    for name, data in CLI_CASES.items():
        (tmp_path / name).write_bytes(data)
    done = run_cli("--format", "json", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    payload = json.loads(done.stdout)
    assert len(payload["files"]) == len(CLI_CASES)
    assert all(CODE.fullmatch(d["code"]) and d["line"] >= 1 for d in payload["diagnostics"])


def test_cli_missing_path_exits_2(tmp_path: Path) -> None:
    done = run_cli(str(tmp_path / "no-such-file.bp"))
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "no-such-file.bp" in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_cli_unreadable_path_exits_2(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.bp"
    os.mkfifo(fifo)  # exists, but is neither a file nor a folder
    done = run_cli(str(fifo))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_cli_permission_denied_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root (as in CI) reads any file, so the refusal is simulated where bpc reads.
    path = tmp_path / "secret.bp"
    path.write_bytes(RESTAURANT)
    real_read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "secret.bp":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    done = CliRunner().invoke(main, ["check", str(path)])
    assert done.exit_code == 2
    assert "secret.bp: cannot read: Permission denied" in done.output
    assert "Traceback" not in done.output
