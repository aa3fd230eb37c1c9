"""Run the rule checks on a model; apply severities from the catalogue and settings,
and `# bpc: ignore[CODE]` comments."""

from __future__ import annotations

import re
from dataclasses import replace

from .ast import Comment
from .config import Config
from .diagnostics import Diagnostic
from .model import Blueprint
from .rules import Context, all_rules

_IGNORE = re.compile(r"#\s*bpc:\s*ignore\[([^\]]*)\]")


def run_rules(blueprint: Blueprint) -> list[Diagnostic]:
    """Every checked rule's findings, at the rule's default severity."""
    context = Context(blueprint)
    found: list[Diagnostic] = []
    for rule in all_rules().values():
        if rule.check is None:
            continue
        for finding in rule.check(context):
            found.append(
                Diagnostic(rule.code, rule.severity, finding.message, finding.span, finding.help)
            )
    return found


def ignored_codes(comments: list[Comment]) -> dict[int, set[str]]:
    """Line number -> codes silenced there by `# bpc: ignore[CODE, …]`."""
    silenced: dict[int, set[str]] = {}
    for comment in comments:
        match = _IGNORE.search(comment.text)
        if match:
            codes = {c.strip().upper() for c in match.group(1).split(",") if c.strip()}
            silenced.setdefault(comment.span.line, set()).update(codes)
    return silenced


def apply_settings(
    diagnostics: list[Diagnostic], config: Config, silenced: dict[int, set[str]]
) -> list[Diagnostic]:
    """Set each diagnostic's severity from the catalogue and settings; drop silenced ones."""
    rules = all_rules()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.code in silenced.get(diagnostic.span.line, ()):
            continue
        rule = rules.get(diagnostic.code)
        severity = rule.severity if rule else diagnostic.severity
        if diagnostic.code in config.severities:
            override = config.severities[diagnostic.code]
            if override is None:
                continue
            severity = override
        kept.append(replace(diagnostic, severity=severity))
    return kept
