"""Every rule has a failing and a passing example; both are checked, and the failing
example's diagnostics are golden."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.checks.config import Config
from blueprint_dsl.checks.rules import all_rules
from blueprint_dsl.checks.rules.observed import example_data
from blueprint_dsl.cli.output import format_text
from blueprint_dsl.cli.simulate import add_observed
from blueprint_dsl.compiler import CompileResult

from ..conftest import assert_golden

EXAMPLES = Path("blueprint_dsl/checks/rules/examples")
CODES = sorted(all_rules())


def compiled(code: str, kind: str, config: Config | None = None) -> CompileResult:
    """A rule's example; for the rules on observed data (BP510-BP512) with its CSV."""
    result = compile_file(EXAMPLES / f"{code}.{kind}.bp", config)
    data = example_data(code, kind)
    if data is not None:
        add_observed([result], str(EXAMPLES / data))
    return result


def test_catalogue_covers_the_spec_minimum() -> None:
    spec = {
        *(f"BP10{n}" for n in range(3)),
        "BP200", "BP201", "BP202", "BP300",
        *(f"BP30{n}" for n in range(1, 6)),
        "BP400", "BP401", "BP402",
        *(f"BP50{n}" for n in range(8)),
    }  # fmt: skip
    assert spec <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_failing_example_triggers_the_rule(code: str, in_root: Path) -> None:
    result = compiled(code, "bad")
    assert code in {d.code for d in result.diagnostics}
    assert_golden(f"rules/{code}.txt", format_text([result]))


@pytest.mark.parametrize("code", CODES)
def test_fixed_example_is_clean(code: str, in_root: Path) -> None:
    result = compiled(code, "good")
    assert result.diagnostics == []


@pytest.mark.parametrize("code", CODES)
def test_every_rule_explains_itself(code: str) -> None:
    rule = all_rules()[code]
    assert rule.title and len(rule.explanation) > 40
    assert rule.example("bad") and rule.example("good")


def test_default_severities_match_the_spec() -> None:
    severity = {code: rule.severity.value for code, rule in all_rules().items()}
    assert severity["BP301"] == "warning"
    assert severity["BP305"] == "info"
    assert severity["BP400"] == "error"
    assert severity["BP501"] == "info"
    assert severity["BP504"] == "error"
    assert severity["BP506"] == "info"
    assert severity["BP507"] == "warning"
