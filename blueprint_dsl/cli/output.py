"""Diagnostics for people and machines: text (rustc/ruff style), JSON, GitHub, SARIF 2.1.0
(JUnit and GitLab Code Quality are in `formats`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

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


# At most this many display columns of a source line are shown under a diagnostic: a
# longer line is cut to a window around the span, with `…` where it was cut.
EXCERPT_WIDTH = 100
_ELLIPSIS = "…"
# A window walk looks at no more characters than this (zero-width characters take no room).
_MAX_SCAN = 8 * EXCERPT_WIDTH


def _shown(line: str) -> str:
    return line.replace("\t", "    ")


def _width(text: str) -> int:
    """`display_width`, quicker for plain ASCII."""
    return len(text) if text.isascii() and "\t" not in text else display_width(text)


def _walk_right(line: str, start: int, limit: int, budget: int) -> tuple[int, int]:
    """How far the text from `start` (up to `limit`) reaches within `budget` display
    columns: (end index, columns used). Reads at most about `budget` characters."""
    chunk = line[start : min(limit, start + budget)]
    if chunk.isascii() and "\t" not in chunk:  # one column per character
        return start + len(chunk), len(chunk)
    used, index, stop = 0, start, min(limit, start + _MAX_SCAN)
    while index < stop:
        width = display_width(line[index])
        if used + width > budget:
            break
        used += width
        index += 1
    return index, used


def _walk_left(line: str, end: int, budget: int) -> tuple[int, int]:
    """Like `_walk_right`, leftwards from `end`: (start index, columns used)."""
    chunk = line[max(0, end - budget) : end]
    if chunk.isascii() and "\t" not in chunk:
        return end - len(chunk), len(chunk)
    used, index, stop = 0, end, max(0, end - _MAX_SCAN)
    while index > stop:
        width = display_width(line[index - 1])
        if used + width > budget:
            break
        used += width
        index -= 1
    return index, used


def excerpt_window(line: str, start: int, end: int, width: int = EXCERPT_WIDTH) -> tuple[int, int]:
    """The part of `line` to show for a span from index `start` to `end`: the whole line
    when it fits in `width` display columns, else a window around the span that fits with
    its `…` marks (the span's start always in it, some context before it). The work is
    bounded by `width`, not by the length of the line."""
    length = len(line)
    if _walk_right(line, 0, length, width)[0] == length:
        return 0, length
    inner = width - 2  # room for the text between the two `…`
    _, span_width = _walk_right(line, start, min(end, length), inner)
    before = max((inner - span_width) // 2, min(10, inner // 4))
    window_start, left = _walk_left(line, start, before)
    if window_start == 0:
        inner += 1  # no `…` on the left
    window_end, right = _walk_right(line, start, length, inner - left)
    if window_end == length and window_start > 0:  # no `…` on the right: more on the left
        window_start, left = _walk_left(line, start, inner + 1 - right)
    return window_start, window_end


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
        first, last = excerpt_window(line, start, end)
        left = _ELLIPSIS if first > 0 else ""
        right = _ELLIPSIS if last < len(line) else ""
        pad = len(left) + _width(line[first:start])
        carets = max(_width(line[start : min(end, last)]), 1)
        out.append(f"{paint(_BLUE, gutter + ' |')}")
        out.append(f"{paint(_BLUE, f'{span.line} |')} {left}{_shown(line[first:last])}{right}")
        out.append(f"{paint(_BLUE, gutter + ' |')} {' ' * pad}{paint(_COLORS[sev], '^' * carets)}")
    for note, where in diagnostic.notes:
        out.append(f"  note: {note}: {where.file}:{where.line}:{where.column}")
    if diagnostic.help:
        out.append(f"  {paint(_BOLD, 'help')}: {diagnostic.help}")
    return "\n".join(out)


def by_severity(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors, then warnings, then info; in position order within each."""
    return sorted(diagnostics, key=lambda d: d.severity.rank)


def formatted_diagnostics(
    result: CompileResult, color: bool = False
) -> Iterator[tuple[Diagnostic, str]]:
    """Each diagnostic of one file with its text (and excerpt), errors first."""
    sources = {result.path: source_lines(result.source)}
    for d in by_severity(result.diagnostics):
        if d.span.file not in sources:  # a diagnostic in an included file
            sources[d.span.file] = _read_lines(d.span.file)
        yield d, format_diagnostic(d, sources[d.span.file], color)


def format_text(results: Sequence[CompileResult], color: bool = False) -> str:
    """The diagnostics of each file in turn: its errors, then warnings, then info."""
    blocks = [text for result in results for _, text in formatted_diagnostics(result, color)]
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


def format_json(
    results: Sequence[CompileResult], statistics: list[dict[str, Any]] | None = None
) -> str:
    """The report of `--format json` (schemas/check.schema.json); `statistics` with
    --statistics."""
    diagnostics = [diagnostic_json(d) for r in results for d in r.diagnostics]
    counts = {s.value: sum(1 for d in diagnostics if d["severity"] == s.value) for s in Severity}
    payload: dict[str, Any] = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "bpc", "version": __version__},
        "files": [r.path for r in results],
        "diagnostics": diagnostics,
    }
    if statistics is not None:
        payload["statistics"] = statistics
    payload["summary"] = {"files": len(results), **counts}
    import json

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


SARIF_ROOT = "%SRCROOT%"


def sarif_root_uri(root: str) -> str:
    """The run's root folder as an absolute `file://` URI ending in `/`."""
    uri = Path(root).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def sarif_location(path: str, root: str) -> dict[str, str]:
    """A SARIF artifactLocation for `path`: a percent-encoded URI relative to the root
    (`uriBaseId` %SRCROOT%) for a file below it, else an absolute `file://` URI."""
    absolute = Path(os.path.abspath(os.path.join(root, path)))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    uri = "/".join(quote(os.fsencode(part), safe="") for part in relative.parts)
    return {"uri": uri, "uriBaseId": SARIF_ROOT}


def format_sarif(results: Sequence[CompileResult], root: str | None = None) -> str:
    """A SARIF 2.1.0 log; paths are given relative to `root` (default: the working folder)."""
    from ..checks.rules import all_rules

    root = os.path.abspath(root if root is not None else os.getcwd())

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
                            "artifactLocation": sarif_location(s.file, root),
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
                "originalUriBaseIds": {SARIF_ROOT: {"uri": sarif_root_uri(root)}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    import json

    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
