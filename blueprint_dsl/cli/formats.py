"""Reports for CI: JUnit XML (`--format junit`, the test tabs of GitLab, Jenkins and the
GitHub test-report actions) and GitLab Code Quality (`--format gitlab`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.diagnostics import Severity
from ..core.spans import source_lines
from .output import formatted_diagnostics

if TYPE_CHECKING:
    from ..compiler import CompileResult

# Characters XML 1.0 does not allow, even escaped (C0 controls but tab and line ends,
# lone surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with the characters XML cannot hold written as escapes (`\\x1b`)."""
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def format_junit(
    results: Sequence[CompileResult],
    failing: Collection[Severity] = (Severity.ERROR,),
) -> str:
    """JUnit XML: a testsuite per file, a testcase per diagnostic (`failure` for the
    severities in `failing`, else a passing case whose `system-out` says what was found),
    and one passing testcase for a clean file."""
    root = ET.Element("testsuites", name="bpc check")
    total = failures = 0
    for result in results:
        path = xml_text(result.path)
        suite = ET.SubElement(root, "testsuite", name=path)
        cases = failed = 0
        for d, text in formatted_diagnostics(result):
            span = d.span
            case = ET.SubElement(
                suite,
                "testcase",
                name=xml_text(f"{d.code} {span.file}:{span.line}:{span.column}"),
                classname=path,
                file=xml_text(span.file),
                line=str(span.line),
                time="0",
            )
            if d.severity in failing:
                failure = ET.SubElement(case, "failure", message=xml_text(d.message), type=d.code)
                failure.text = xml_text(text)
                failed += 1
            else:
                ET.SubElement(case, "system-out").text = xml_text(text)
            cases += 1
        if not cases:
            ET.SubElement(
                suite, "testcase", name=f"bpc check {path}", classname=path, file=path, time="0"
            )
            cases = 1
        suite.attrib.update(
            tests=str(cases), failures=str(failed), errors="0", skipped="0", time="0"
        )
        total += cases
        failures += failed
    root.attrib.update(tests=str(total), failures=str(failures), errors="0", time="0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report_path(path: str, root: str) -> str:
    """`path` relative to `root` when it is below it (as GitLab wants it), else as given;
    with `/` between folders."""
    absolute = os.path.abspath(os.path.join(root, path))
    try:
        return Path(absolute).relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def format_gitlab(results: Sequence[CompileResult], root: str | None = None) -> str:
    """GitLab Code Quality: a JSON array of issues. A fingerprint hashes the file, code,
    message and the text of the line (not its number, so that moving code does not make
    an issue new) and how many equal issues came before it."""
    root = os.path.abspath(root if root is not None else os.getcwd())
    issues: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for result in results:
        sources = {result.path: source_lines(result.source)}
        line_hashes: dict[tuple[str, int], str] = {}
        for d in result.diagnostics:
            span = d.span
            path = report_path(span.file, root)
            where = (span.file, span.line)
            if where not in line_hashes:
                if span.file not in sources:
                    sources[span.file] = _file_lines(span.file)
                lines = sources[span.file]
                text = lines[span.line - 1].strip() if 1 <= span.line <= len(lines) else ""
                line_hashes[where] = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
            key = "\0".join((path, d.code, d.message, line_hashes[where]))
            occurrence = seen[key]
            seen[key] += 1
            fingerprint = hashlib.sha256(f"{key}\0{occurrence}".encode("utf-8", "replace"))
            issues.append(
                {
                    "description": d.message,
                    "check_name": d.code,
                    "fingerprint": fingerprint.hexdigest(),
                    "severity": _GITLAB_SEVERITY[d.severity],
                    "location": {
                        "path": path,
                        "lines": {"begin": span.line, "end": span.end_line},
                    },
                }
            )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _file_lines(path: str) -> list[str]:
    try:
        return source_lines(Path(path).read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return []
