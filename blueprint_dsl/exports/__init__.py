"""Diagram and table exports: Mermaid, PlantUML, D2, CSV, BPMN 2.0 and draw.io
(`bpc export --to …`).

Each exporter takes a compiled `Blueprint` and returns an `ExportResult`: the text in the
target language, and human sentences saying what the target cannot show for this very
blueprint (the three lines, markers, step columns, …), which `bpc export` prints to stderr
or to `--report FILE`. Every label goes through exactly one escaping function per language,
so a label is always text in the output, never syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .common import ExportResult

if TYPE_CHECKING:
    from ..model.blueprint import Blueprint


def _mermaid(bp: Blueprint) -> ExportResult:
    from .mermaid import export_mermaid

    return export_mermaid(bp)


def _plantuml(bp: Blueprint) -> ExportResult:
    from .plantuml import export_plantuml

    return export_plantuml(bp)


def _d2(bp: Blueprint) -> ExportResult:
    from .d2 import export_d2

    return export_d2(bp)


def _bpmn(bp: Blueprint) -> ExportResult:
    from .bpmn import export_bpmn

    return export_bpmn(bp)


def _drawio(bp: Blueprint) -> ExportResult:
    from .drawio import export_drawio

    return export_drawio(bp)


def _csv(bp: Blueprint) -> ExportResult:
    from .csv_export import export_csv

    return export_csv(bp)


EXPORTERS: Mapping[str, Callable[[Blueprint], ExportResult]] = {
    "mermaid": _mermaid,
    "plantuml": _plantuml,
    "d2": _d2,
    "csv": _csv,
    "bpmn": _bpmn,
    "drawio": _drawio,
}

# The info string of a fenced block, per export target.
FENCE_LANGUAGES: Mapping[str, str] = {
    "mermaid": "mermaid",
    "plantuml": "plantuml",
    "d2": "d2",
    "csv": "csv",
    "json": "json",
    "bpmn": "xml",
    "drawio": "xml",
}


def markdown_fence(text: str, lang: str) -> str:
    """`text` in a fenced code block that GitHub and GitLab render (```mermaid …```).

    The fence is longer than any run of backticks in the text, so the text cannot close
    it early. A byte-order mark is dropped and line endings become LF.
    """
    body = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{body}{fence}\n"
