"""Every ```bp example of docs/language.md compiles without errors, and the figures its
worked examples count by hand are the ones bpc computes.

A block whose first line is a comment naming a `.bp` path (`# team/hotel-lanes.bp — …`)
is that file: it is written there first, so that the examples that `include` it find it.
Each block is compiled as a file of its own in a project folder (one with a `bpc.toml`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from blueprint_dsl.compiler import CompileResult, compile_file
from blueprint_dsl.core.diagnostics import Severity
from blueprint_dsl.exports.json_export import to_json_data

from .conftest import ROOT

DOC = ROOT / "docs" / "language.md"
_FENCE = re.compile(r"^( *)```bp[ \t]*\n(.*?)^\1```[ \t]*$", re.M | re.S)
_NAMED = re.compile(r"#\s*(\S+\.bp)\b")


@dataclass(frozen=True)
class Example:
    line: int  # where the block starts in the doc
    text: str
    name: str | None  # the file it is, when its first line names one

    @property
    def title(self) -> str:
        found = re.search(r'^(?:blueprint|蓝图)\s+"([^"]*)"', self.text, re.M)
        return found.group(1) if found else ""


def examples() -> list[Example]:
    text = DOC.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        body = textwrap.dedent(match.group(2))
        first = body.split("\n", 1)[0]
        named = _NAMED.match(first)
        line = text.count("\n", 0, match.start()) + 1
        found.append(Example(line, body, named.group(1) if named else None))
    return found


EXAMPLES = examples()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "bpc.toml").write_text("", encoding="utf-8")
    for example in EXAMPLES:
        if example.name is not None:
            path = folder / example.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(example.text, encoding="utf-8")
    return folder


def compiled(project: Path, example: Example) -> CompileResult:
    path = project / example.name if example.name else project / f"line-{example.line}.bp"
    if example.name is None:
        path.write_text(example.text, encoding="utf-8")
    return compile_file(path)


def test_the_doc_has_examples_of_every_construct() -> None:
    assert len(EXAMPLES) >= 14
    every = "\n".join(e.text for e in EXAMPLES)
    for construct in (
        "parallel {",
        "trigger ",
        "scope internal",
        "target <=",
        "target >=",
        '"valid"   90%',
        "include ",
        "有形展示",
        "并行 {",
        "触发 ",
    ):
        assert construct in every, construct


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line-{e.line}")
def test_every_example_compiles_without_errors(project: Path, example: Example) -> None:
    result = compiled(project, example)
    errors = [
        f"{d.span.line}:{d.span.column}: {d.code} {d.message}"
        for d in result.diagnostics
        if d.severity is Severity.ERROR
    ]
    assert errors == [], f"docs/language.md:{example.line}: {errors}"


def _example(title: str) -> Example:
    (found,) = [e for e in EXAMPLES if e.title == title]
    return found


def _minutes(figure: object) -> tuple[float, float]:
    assert isinstance(figure, dict)
    return figure["min_seconds"] / 60, figure["max_seconds"] / 60


# title -> (customer time, lead time, critical path) as the doc counts them by hand
WORKED = {
    "Check-in with a form": ((7, 12), (7, 12), ["arrive", "bags", "key"]),
    "Prepaid top-up": ((3, 3), (8, 8), ["watch", "remind", "read", "pay"]),
    "Open an account": ((12, 12), (12, 17), ["hand", "check", "retry", "sign"]),
    "Dinner": ((35, 37), (37, 39), ["look", "pick", "help", "eat"]),
    "Hold a seat on the last flight": ((0, 0), (25, 25), ["receive", "hold", "pnr"]),
}


@pytest.mark.parametrize("title", sorted(WORKED))
def test_worked_examples_count_as_the_doc_says(project: Path, title: str) -> None:
    customer, lead, path = WORKED[title]
    result = compiled(project, _example(title))
    assert result.blueprint is not None
    analysis = to_json_data(result.blueprint)["analysis"]
    assert isinstance(analysis, dict)
    assert _minutes(analysis["customer_time"]) == customer
    assert _minutes(analysis["lead_time"]) == lead
    assert analysis["critical_path"] == path


def test_what_the_doc_says_of_parallel_and_trigger(project: Path) -> None:
    form = _example("Check-in with a form")
    bp = compiled(project, form).blueprint
    assert bp is not None
    journey = sorted((f.source, f.target) for f in bp.flows if f.implicit)
    assert journey == [("arrive", "bags"), ("arrive", "form"), ("bags", "key"), ("form", "key")]
    # without the block, 0.1 added all four up
    flat = Example(form.line, form.text.replace("parallel {", "").replace("  }\n}", "}"), None)
    assert "parallel" not in flat.text and not compiled(project, flat).has_errors
    plain = compiled(project, flat).blueprint
    assert plain is not None
    analysis = to_json_data(plain)["analysis"]
    assert isinstance(analysis, dict) and _minutes(analysis["customer_time"]) == (10, 15)
    # without its trigger, `watch` and the `remind` it starts are not reached
    top_up = _example("Prepaid top-up")
    untriggered = top_up.text.replace('; trigger "every night at 02:00"', "")
    found = compiled(project, Example(1, untriggered, None)).diagnostics
    assert sorted((d.code, d.span.line) for d in found) == [("BP505", 4), ("BP505", 5)]


def test_the_fixes_of_0_1_as_the_doc_says(project: Path) -> None:
    two_way = compiled(project, _example("Pay at the counter"))
    assert two_way.blueprint is not None
    assert len(two_way.blueprint.flows) == 1
    analysis = to_json_data(two_way.blueprint)["analysis"]
    assert isinstance(analysis, dict) and analysis["encounters"] == 1
    dinner = compiled(project, _example("Dinner")).blueprint
    assert dinner is not None
    journey = {(f.source, f.target) for f in dinner.flows if f.implicit}
    assert ("pick", "order") not in journey and ("look", "pick") in journey
    quality = compiled(project, _example("Service quality"))
    assert [(d.code, "below its target 80%" in d.message) for d in quality.diagnostics] == [
        ("BP506", True)
    ]
    # the lexer error the doc quotes
    typed = _example("Open an account").text.replace(
        'customer hand  "Hand over the ID" -> check', 'customer hand  "Hand over the ID" => check'
    )
    path = project / "lexer.bp"
    path.write_text(typed, encoding="utf-8")
    (error,) = compile_file(path).diagnostics
    doc = DOC.read_text(encoding="utf-8")
    assert f"error[BP100]: {error.message}" in doc


def test_links_of_the_doc_lead_somewhere() -> None:
    text = DOC.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if target.startswith(("http://", "https://")) or target == "simulate.md":
            continue  # simulate.md is written by another change
        assert (DOC.parent / target).exists(), target
