"""The rule catalogue: every code, its default severity, explanation and check."""

from __future__ import annotations

import functools
from types import ModuleType

from . import branches, language, lines, observed, quality, structure
from .base import Context, Finding, Rule

__all__ = ["Context", "Finding", "Rule", "all_rules", "get_rule"]


def _collect(*modules: ModuleType) -> dict[str, Rule]:
    found = [value for module in modules for value in vars(module).values()]
    rules = sorted((r for r in found if isinstance(r, Rule)), key=lambda r: r.code)
    return {r.code: r for r in rules}


@functools.cache
def all_rules() -> dict[str, Rule]:
    return _collect(language, structure, lines, quality, branches, observed)


def get_rule(code: str) -> Rule | None:
    return all_rules().get(code.upper())
