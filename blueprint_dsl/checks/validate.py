"""Run the rule checks on a model; apply severities from the catalogue and settings,
and `# bpc: ignore[CODE]` comments."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import msg
from ..core.records import Record
from ..core.spans import Span
from ..language.ast import Comment
from ..model.blueprint import Blueprint
from .config import Config
from .rules import Context, all_rules

IGNORE_COMMENT = re.compile(r"#\s*bpc:\s*ignore\[([^\]]*)\]")


# The rules that judge one element where it stands (its step, its attributes), which an
# error elsewhere in the file cannot make wrong. The others follow flows or add up the
# whole journey: beside an error (a flow end that does not resolve, a lane that is not
# declared) their answer would be a cascade of that error, so they wait until it is fixed.
LOCAL_RULES = frozenset({"BP301", "BP305", "BP500", "BP501", "BP502", "BP506", "BP507"})


def run_rules(blueprint: Blueprint, only: frozenset[str] | None = None) -> list[Diagnostic]:
    """Every checked rule's findings (or those of the rules `only` names), at the rule's
    default severity."""
    context = Context(blueprint)
    found: list[Diagnostic] = []
    for rule in all_rules().values():
        if rule.check is None or (only is not None and rule.code not in only):
            continue
        for finding in rule.check(context):
            found.append(
                Diagnostic.of(rule.code, rule.severity, finding.message, finding.span, finding.help)
            )
    return found


class Ignores(Record):
    """The `# bpc: ignore[CODE, …]` comments of one file, and which of them silenced something."""

    __slots__ = ("by_line", "path", "used")
    __match_args__ = ("path", "by_line", "used")

    def __init__(
        self,
        path: str,
        by_line: dict[int, dict[str, Span]] | None = None,  # None: a new empty dict
        used: set[tuple[int, str]] | None = None,  # None: a new empty set
    ) -> None:
        self.path = path
        self.by_line: dict[int, dict[str, Span]] = {} if by_line is None else by_line
        self.used: set[tuple[int, str]] = set() if used is None else used

    @classmethod
    def from_comments(cls, path: str, comments: list[Comment]) -> Ignores:
        ignores = cls(path)
        for comment in comments:
            match = IGNORE_COMMENT.search(comment.text)
            if match:
                codes = {c.strip().upper() for c in match.group(1).split(",") if c.strip()}
                line = comment.span.line
                for code in sorted(codes):
                    ignores.by_line.setdefault(line, {})[code] = comment.span
        return ignores

    def silences(self, diagnostic: Diagnostic) -> bool:
        span = diagnostic.span
        if span.file != self.path or diagnostic.code not in self.by_line.get(span.line, {}):
            return False
        self.used.add((span.line, diagnostic.code))
        return True

    def unused(self, rules_ran: bool) -> list[Diagnostic]:
        """BP106 for each code that silences nothing (only judged once the rules ran)."""
        known = all_rules()
        found = []
        for line, codes in sorted(self.by_line.items()):
            for code, span in sorted(codes.items()):
                if code not in known:
                    message = msg("ignore.unknown-rule", code=code)
                    help = msg("ignore.unknown-rule.help")
                elif (line, code) in self.used or not rules_ran:
                    continue
                else:
                    message = msg("ignore.unused", code=code)
                    help = msg("ignore.unused.help")
                found.append(Diagnostic.of("BP106", Severity.WARNING, message, span, help))
        return found


def apply_settings(
    diagnostics: list[Diagnostic], config: Config, ignores: Ignores
) -> list[Diagnostic]:
    """Set each diagnostic's severity from the catalogue and settings; drop silenced ones."""
    rules = all_rules()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if ignores.silences(diagnostic):
            continue
        rule = rules.get(diagnostic.code)
        severity = rule.severity if rule else diagnostic.severity
        if diagnostic.code in config.severities:
            override = config.severities[diagnostic.code]
            if override is None:
                continue
            severity = override
        kept.append(diagnostic.with_severity(severity))
    return kept


def rules_beside_errors(
    blueprint: Blueprint,
    step_lines: Sequence[tuple[int, int]],
    path: str,
    errors: list[Diagnostic],
) -> list[Diagnostic]:
    """The findings of the local rules in a file that has errors, leaving out those in a
    step that holds an error (a misspelt `evidence` line must not also be a BP301).
    `step_lines` are the first and last line of each step of the file `path`."""
    spoilt = [
        (first, last)
        for first, last in step_lines
        if any(e.span.file == path and first <= e.span.line <= last for e in errors)
    ]
    return [
        d
        for d in run_rules(blueprint, LOCAL_RULES)
        if not any(first <= d.span.line <= last for first, last in spoilt)
    ]
