"""The diagnostics of the report: the status badge (errors, warnings or clean) and one
row per diagnostic with its severity, code, place, source line, message and help, and the
diagram elements it is about, so the page can highlight them. The index page uses the
status too. These need no model: a file that could not be read still has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.diagnostics import Diagnostic, Severity
from ..model.blueprint import Blueprint
from . import targets
from .words import line_ref, words_for

if TYPE_CHECKING:
    from ..compiler import CompileResult


@dataclass(frozen=True)
class DiagnosticRow:
    severity: str
    severity_label: str
    code: str
    line: int
    column: int
    where: str
    source_line: str
    message: str
    help: str | None
    refs: str  # space-separated diagram refs; "" when the diagram has no element for it


def status_of(diagnostics: Sequence[Diagnostic]) -> str:
    """The status badge: errors, warnings or clean (infos alone leave a blueprint clean)."""
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return "errors"
    if any(d.severity is Severity.WARNING for d in diagnostics):
        return "warnings"
    return "clean"


def diagnostic_rows(
    result: CompileResult, bp: Blueprint | None, locale: str
) -> tuple[DiagnosticRow, ...]:
    if not result.diagnostics:
        return ()  # a clean file: no index of the diagram's targets to build
    w = words_for(locale)
    lines = result.source.splitlines()
    finder = targets.TargetFinder(bp) if bp is not None else None
    rows = []
    for d in result.diagnostics:
        line = d.span.line
        source_line = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        refs = finder.refs_for(d) if finder is not None else ()
        rows.append(
            DiagnosticRow(
                severity=d.severity.value,
                severity_label=w["severity_" + d.severity.value],
                code=d.code,
                line=line,
                column=d.span.column,
                where=line_ref(line, locale),
                source_line=source_line,
                message=d.message,
                help=d.help,
                refs=" ".join(refs),
            )
        )
    return tuple(rows)
