"""The report grows linearly with the blueprint: no section scans the model per element.

These tests count work, never time it (bench/targets_report.py times the report against
the diagram alone): how often the report's code walks the model's lists, how many places
a diagnostic is checked against, and that the lookups built once answer exactly what the
scans they replace answered.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from blueprint_dsl.api import CompileResult, compile_file, compile_text
from blueprint_dsl.core.diagnostics import Diagnostic
from blueprint_dsl.core.spans import Span
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.report import build_report_html
from blueprint_dsl.report import targets as targets_module
from blueprint_dsl.report.lookup import Lookup
from blueprint_dsl.report.targets import TargetFinder

from ..conftest import ROOT, SAMPLES
from ..report_helpers import HOSTILE, TINY_SVG

REPORT = str(ROOT / "blueprint_dsl" / "report")
LISTS = ("actions", "flows", "evidence", "steps", "lanes", "parallel_groups", "phases")
RULE_EXAMPLES = sorted((ROOT / "blueprint_dsl" / "checks" / "rules" / "examples").glob("*.bp"))


def _bench_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "bench" / "bench_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATE = _bench_check().generate


def generated(steps: int, *, warnings: bool = False) -> CompileResult:
    """A blueprint of `bench_check.generate`; with `warnings`, three warnings a step (fail
    points without a recovery, waits over their standard)."""
    text = GENERATE(steps)
    if warnings:
        text = text.replace(' recover "Look it up in the log"', "")
        text = text.replace("standard 6m", "standard 1m")
    result = compile_text(text, f"generated-{steps}.bp")
    assert result.blueprint is not None and not result.has_errors
    assert bool(result.diagnostics) is warnings
    return result


class Counted(list[Any]):
    """A list of the model that counts the passes the report's code makes over it."""

    passes = 0

    def __iter__(self) -> Iterator[Any]:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename.startswith(REPORT):
                self.passes += 1
                break
            frame = frame.f_back  # type: ignore[assignment]
        return super().__iter__()


def passes_over_the_model(result: CompileResult) -> dict[str, int]:
    """How many times building the report (the page, with a diagram) walks each list."""
    bp = result.blueprint
    assert bp is not None and result.analysis is not None  # the analysis is the compiler's
    counted = {name: Counted(getattr(bp, name)) for name in LISTS}
    for name, items in counted.items():
        setattr(bp, name, items)
    build_report_html(result, TINY_SVG.read_text("utf-8"))
    return {name: items.passes for name, items in counted.items()}


@pytest.mark.parametrize("warnings", [False, True], ids=["clean", "warnings"])
def test_the_report_walks_the_model_as_often_whatever_its_size(warnings: bool) -> None:
    """Four times the steps, the same number of passes over every list: each section reads
    the lists once (or through `Lookup`), never once per action, flow or step."""
    small = passes_over_the_model(generated(12, warnings=warnings))
    big = passes_over_the_model(generated(48, warnings=warnings))
    assert small == big
    assert small["actions"] > 0 and small["flows"] > 0  # the counting sees the report


def test_a_clean_file_builds_no_index_of_the_diagrams_targets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The targets of diagnostics are indexed only when there are diagnostics."""
    built: list[object] = []
    finder = targets_module.TargetFinder

    def counted(bp: Blueprint) -> targets_module.TargetFinder:
        built.append(bp)
        return finder(bp)

    monkeypatch.setattr(targets_module, "TargetFinder", counted)
    clean = build_report_html(generated(12), None)
    assert built == [] and 'id="r-diagnostics"' in clean
    build_report_html(generated(12, warnings=True), None)
    assert len(built) == 1


def test_a_diagnostic_is_checked_against_the_places_on_its_lines_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`TargetFinder.refs_for` compares a diagnostic with the elements on its lines, not
    with every element of the blueprint."""
    checks = 0
    overlaps = targets_module._overlaps

    def counting(a: Span, b: Span) -> bool:
        nonlocal checks
        checks += 1
        return overlaps(a, b)

    monkeypatch.setattr(targets_module, "_overlaps", counting)
    per_diagnostic = []
    for steps in (12, 48):
        result = generated(steps, warnings=True)
        assert result.blueprint is not None
        finder = TargetFinder(result.blueprint)
        checks = 0
        for d in result.diagnostics:
            assert finder.refs_for(d)
        per_diagnostic.append(checks / len(result.diagnostics))
    small, big = per_diagnostic
    assert big <= small * 1.1
    assert small < 10


# ---- the lookups answer what the scans answered -------------------------------------


# the span tests themselves are the module's; what the lookup replaced is the scan below
_overlaps, _size = targets_module._overlaps, targets_module._size


def refs_by_scanning(bp: Blueprint, diagnostic: Diagnostic) -> tuple[str, ...]:
    """What `TargetFinder.refs_for` answered when it checked every element of `bp`."""
    act, flow_ref = targets_module.action_ref, targets_module.flow_ref
    found: list[tuple[Span, tuple[str, ...], int, tuple[str, ...]]] = []
    for a in bp.actions:
        refs: tuple[str, ...] = (act(a.key),)
        found.append((a.span, refs, 1, ()))
        found += [(s, refs, 0, ()) for s in a.attribute_spans.values()]
        found += [(f.span, refs, 0, ()) for f in a.fails]
        found += [(m.span, refs, 0, ()) for m in a.metrics]
    for index, f in enumerate(bp.flows):
        if not f.implicit:
            refs = (flow_ref(index), act(f.source), act(f.target))
            found.append((f.span, refs, 2, (f"`{f.source}`", f"`{f.target}`")))
    for index, e in enumerate(bp.evidence):
        found.append((e.span, (targets_module.evidence_ref(index),), 1, ()))
    for step in bp.steps:
        in_step = (act(a.key) for a in bp.actions_in_step(step.index))
        found.append((step.span, (targets_module.step_ref(step.index), *in_step), 3, ()))
    span = diagnostic.span
    if span.file != bp.path:
        return ()
    hits = [c for c in found if _overlaps(span, c[0])]
    if not hits:
        return ()
    rank = min(c[2] for c in hits)
    group = [c for c in hits if c[2] == rank]
    group = [c for c in group if c[0] == span] or group
    named = [c for c in group if c[3] and all(m in diagnostic.message for m in c[3])]
    group = named or group
    smallest = min(_size(c[0]) for c in group)
    out: list[str] = []
    for c in group:
        if _size(c[0]) == smallest:
            out.extend(r for r in c[1] if r not in out)
    return tuple(out)


def _results() -> list[CompileResult]:
    results = [compile_file(p) for p in [*SAMPLES, HOSTILE, *RULE_EXAMPLES]]
    return [*results, generated(30, warnings=True)]


def test_diagnostics_point_where_they_pointed_when_every_element_was_checked() -> None:
    seen = 0
    for result in _results():
        bp = result.blueprint
        if bp is None:
            continue
        finder = TargetFinder(bp)
        for d in result.diagnostics:
            assert finder.refs_for(d) == refs_by_scanning(bp, d), (result.path, d.code)
            seen += 1
    assert seen > 100


def test_the_lookup_answers_what_scanning_the_model_answers() -> None:
    for result in _results():
        bp = result.blueprint
        if bp is None:
            continue
        find = Lookup(bp)
        for a in bp.actions:
            assert list(find.out_of(a.key)) == [f for f in bp.flows if f.source == a.key]
            assert list(find.into(a.key)) == [f for f in bp.flows if f.target == a.key]
            touching = [f for f in bp.flows if a.key in (f.source, f.target)]
            assert list(find.at(a.key)) == touching
        for step in bp.steps:
            assert list(find.in_step(step.index)) == bp.actions_in_step(step.index)
            assert list(find.evidence_of(step.index)) == bp.evidence_in_step(step.index)
            assert find.steps[step.index] is next(s for s in bp.steps if s.index == step.index)
        for lane in bp.lanes:
            assert list(find.in_lane(lane.id)) == [a for a in bp.actions if a.lane == lane.id]
        for g in bp.parallel_groups:
            assert find.groups[g.index] is next(x for x in bp.parallel_groups if x.index == g.index)
        assert list(find.in_step(len(bp.steps) + 1)) == [] and list(find.out_of("?")) == []


def test_a_flow_from_an_action_to_itself_is_one_of_its_flows_once() -> None:
    result = compile_text(
        'blueprint "Loop" {}\nstep "S" {\n  customer a "A" -> b\n  support b "B" -> b, a\n}\n',
        "loop.bp",
    )
    bp = result.blueprint
    assert bp is not None
    flows = Lookup(bp).at("b")
    assert [(f.source, f.target) for f in flows] == [("a", "b"), ("b", "b"), ("b", "a")]


def test_passes_made_outside_the_report_are_not_counted() -> None:
    """The counting itself: a pass made by code outside the report is not the report's."""
    items = Counted([1, 2, 3])
    assert list(items) == [1, 2, 3] and items.passes == 0
