"""Unusual but valid blueprints draw and report without trouble."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from blueprint_dsl.api import compile_text
from blueprint_dsl.render.dot import to_dot
from blueprint_dsl.render.layout import compute_layout
from blueprint_dsl.render.themes import DEFAULT
from blueprint_dsl.report import build_report_html

from ..test_fuzz import mutated, valid_blueprints

HEAD = 'blueprint "X" {\n}\n'
CASES = {
    "no steps": "",
    "empty step": 'step "S" {\n}\n',
    "empty phase": 'phase "P" {\n}\n',
    "evidence only": 'step "S" {\n  evidence "E"\n}\n',
    "actions without ids": 'step "S" {\n  evidence "E"\n  customer "A"\n  onstage "B"\n}\n',
    "flow to itself": 'step "S" {\n  evidence "E"\n  customer a "A" -> a\n}\n',
    "a crowded cell": 'step "S" {\n  evidence "E"\n'
    + "".join(f'  customer a{i} "A{i}" -> b{i}\n  onstage b{i} "B{i}"\n' for i in range(12))
    + "}\n",
    "very long labels": 'step "S" {\n  evidence "'
    + "很长的标签" * 80
    + '"\n  customer a "'
    + "word " * 200
    + '"\n}\n',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_draws_and_reports(name: str) -> None:
    result = compile_text(HEAD + CASES[name], "x.bp")
    assert result.blueprint is not None and not result.has_errors
    dot = to_dot(compute_layout(result.blueprint), DEFAULT)
    assert "digraph blueprint {" in dot and dot.rstrip().endswith("}")
    assert "<!DOCTYPE html>" in build_report_html(result, None)


def test_shared_support_without_steps_is_reported_not_drawn() -> None:
    result = compile_text(HEAD + 'support crm "CRM"\n', "x.bp")
    assert [d.code for d in result.diagnostics] == ["BP104"]
    assert "has no step to be drawn in" in result.diagnostics[0].message
    assert result.blueprint is not None and result.blueprint.actions == []


# ---- property: any valid blueprint, and any mutation that still compiles, draws -----------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_blueprints())
def test_generated_blueprints_draw_and_report(case: tuple[str, object]) -> None:
    result = compile_text(case[0], "g.bp")
    if result.blueprint is None or result.has_errors:
        return
    assert "digraph blueprint {" in to_dot(compute_layout(result.blueprint), DEFAULT)
    assert "<!DOCTYPE html>" in build_report_html(result, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(valid_blueprints().map(lambda case: case[0].encode("utf-8"))))
def test_mutated_blueprints_that_compile_also_draw(data: bytes) -> None:
    result = compile_text(data.decode("utf-8", "replace"), "m.bp")
    if result.blueprint is None:
        return
    to_dot(compute_layout(result.blueprint), DEFAULT)
    build_report_html(result, None)
