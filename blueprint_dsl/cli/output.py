"""Diagnostics for people and machines: text (rustc/ruff style), JSON, GitHub, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import msg
from ..core.spans import source_lines
from ..core.textwidth import display_width
from ..core.version import __version__

if TYPE_CHECKING:
    from ..compiler import CompileResult

JSON_SCHEMA_VERSION = 1

_COLORS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_BOLD, _BLUE, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"


def _shown(line: str) -> str:
    return line.replace("\t", "    ")


def format_diagnostic(diagnostic: Diagnostic, source_lines: Sequence[str], color: bool) -> str:
    span = diagnostic.span

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    sev = diagnostic.severity
    head = (
        f"{paint(_BOLD, f'{span.file}:{span.line}:{span.column}:')} "
        f"{paint(_COLORS[sev], f'{sev.value}[{diagnostic.code}]')}: {diagnostic.message}"
    )
    out = [head]
    if 1 <= span.line <= len(source_lines):
        line = source_lines[span.line - 1]
        gutter = " " * len(str(span.line))
        start = min(span.column - 1, len(line))
        end = span.end_column - 1 if span.end_line == span.line else len(line)
        end = max(min(end, len(line)), start + 1)
        pad = display_width(line[:start])
        carets = max(display_width(line[start:end]), 1)
        out.append(f"{paint(_BLUE, gutter + ' |')}")
        out.append(f"{paint(_BLUE, f'{span.line} |')} {_shown(line)}")
        out.append(f"{paint(_BLUE, gutter + ' |')} {' ' * pad}{paint(_COLORS[sev], '^' * carets)}")
    for note, where in diagnostic.notes:
        out.append(f"  note: {note}: {where.file}:{where.line}:{where.column}")
    if diagnostic.help:
        out.append(f"  {paint(_BOLD, 'help')}: {diagnostic.help}")
    return "\n".join(out)


def format_text(results: Sequence[CompileResult], color: bool = False) -> str:
    blocks: list[str] = []
    for result in results:
        sources = {result.path: source_lines(result.source)}
        for d in result.diagnostics:
            if d.span.file not in sources:  # a diagnostic in an included file
                sources[d.span.file] = _read_lines(d.span.file)
            blocks.append(format_diagnostic(d, sources[d.span.file], color))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _read_lines(path: str) -> list[str]:
    try:
        return source_lines(Path(path).read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return []


def summary_line(results: Sequence[CompileResult]) -> str:
    """`checked 2 files: 1 error, 0 warnings, 0 info`, in the files' language when they
    share one (else English)."""
    diagnostics = [d for r in results for d in r.diagnostics]
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    locales = {r.locale for r in results}
    locale = locales.pop() if len(locales) == 1 else "en"

    files, errors, warnings = len(results), counts[Severity.ERROR], counts[Severity.WARNING]
    line = msg(
        "summary.checked",
        files=msg("summary.file", count=1) if files == 1 else msg("summary.files", count=files),
        errors=msg("summary.error", count=1)
        if errors == 1
        else msg("summary.errors", count=errors),
        warnings=msg("summary.warning", count=1)
        if warnings == 1
        else msg("summary.warnings", count=warnings),
        infos=msg("summary.infos", count=counts[Severity.INFO]),
    )
    return line.render(locale)


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    span = diagnostic.span
    return {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "help": diagnostic.help,
    }


def format_json(results: Sequence[CompileResult]) -> str:
    diagnostics = [diagnostic_json(d) for r in results for d in r.diagnostics]
    counts = {s.value: sum(1 for d in diagnostics if d["severity"] == s.value) for s in Severity}
    payload = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "bpc", "version": __version__},
        "files": [r.path for r in results],
        "diagnostics": diagnostics,
        "summary": {"files": len(results), **counts},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(results: Sequence[CompileResult]) -> str:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for result in results:
        for d in result.diagnostics:
            s = d.span
            props = (
                f"file={_gh_escape(s.file, True)},line={s.line},col={s.column},"
                f"endLine={s.end_line},endColumn={s.end_column},"
                f"title={_gh_escape(f'{d.code} {d.severity.value}', True)}"
            )
            message = d.message + (f"\nhelp: {d.help}" if d.help else "")
            lines.append(f"::{level[d.severity]} {props}::{_gh_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_sarif(results: Sequence[CompileResult]) -> str:
    from ..checks.rules import all_rules

    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    catalogue = list(all_rules().values())
    index = {r.code: n for n, r in enumerate(catalogue)}
    rules = [
        {
            "id": r.code,
            "name": r.title,
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.explanation},
            "help": {"text": f"{r.explanation}\n\nRun `bpc explain {r.code}` for an example."},
            "defaultConfiguration": {"level": level[r.severity]},
        }
        for r in catalogue
    ]
    sarif_results = []
    for result in results:
        for d in result.diagnostics:
            s = d.span
            entry: dict[str, Any] = {
                "ruleId": d.code,
                "level": level[d.severity],
                "message": {"text": d.message + (f" (help: {d.help})" if d.help else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": s.file.replace("\\", "/")},
                            "region": {
                                "startLine": s.line,
                                "startColumn": s.column,
                                "endLine": s.end_line,
                                "endColumn": s.end_column,
                            },
                        }
                    }
                ],
            }
            if d.code in index:
                entry["ruleIndex"] = index[d.code]
            sarif_results.append(entry)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bpc",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/bpc/",
                        "rules": rules,
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
