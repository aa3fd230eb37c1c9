"""A file with an error still gets the warnings the error cannot have caused: the local
rules run, the rules that follow flows wait, and nothing is said twice about one slip."""

from __future__ import annotations

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli.output import format_text

TEXT = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  evidence "Till"
  customer buy  "Buy" -> tll
  onstage  till "Till"
}

step "Pay" {
  customer pay "Pay" { fail "Card declined" }
}
"""


def test_warnings_are_shown_beside_an_error_errors_first() -> None:
    result = compile_text(TEXT, "shop.bp")
    codes = [(d.code, d.span.line) for d in result.diagnostics]
    assert ("BP201", 7) in codes
    assert ("BP301", 12) in codes  # step "Pay" has no evidence
    assert ("BP500", 12) in codes  # the fail point has no recovery
    text = format_text([result])
    assert text.index("error[BP201]") < text.index("warning[BP301]")


def test_rules_that_follow_flows_wait_for_the_error_to_be_fixed() -> None:
    codes = {d.code for d in compile_text(TEXT, "shop.bp").diagnostics}
    # `till` lost its flow with the typo: saying it has no customer flow would be a cascade.
    assert not codes & {"BP302", "BP303", "BP304", "BP505", "BP503"}


def test_nothing_more_is_said_about_a_step_that_holds_an_error() -> None:
    text = TEXT.replace('  evidence "Till"', '  evidnce "Till"').replace("-> tll", "-> till")
    result = compile_text(text, "shop.bp")
    assert [(d.code, d.span.line) for d in result.diagnostics if d.span.line < 10] == [("BP100", 6)]


def test_an_ignore_is_not_called_unused_while_rules_wait() -> None:
    text = TEXT.replace('onstage  till "Till"', 'onstage  till "Till"  # bpc: ignore[BP302]')
    codes = [d.code for d in compile_text(text, "shop.bp").diagnostics]
    assert "BP106" not in codes
