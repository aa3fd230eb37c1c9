"""A syntax tree for a text with syntax errors: the lines at fault blanked, parsed again.

The language server answers completion, hover and navigation in a file being typed, so
it needs a tree even while a line does not parse (document.Analysis, incremental's
blocks that do not parse alone).
"""

from __future__ import annotations

from ..core.spans import source_lines
from ..language import ast
from ..language.parser import parse

MAX_REPAIRS = 12


def tolerant_parse(text: str, path: str) -> ast.Document | None:
    """Parse `text`; on syntax errors, blank the lines at fault and try again.

    Blanking keeps every line and column, so the spans of the tree are those of `text`.
    """
    lines = source_lines(text)
    for _ in range(MAX_REPAIRS):
        document, problems = parse("\n".join(lines), path)
        if document is not None:
            return document
        bad = {d.span.line for d in problems if d.code == "BP100"}
        changed = False
        for number in sorted(bad):
            if 1 <= number <= len(lines) and lines[number - 1].strip():
                lines[number - 1] = " " * len(lines[number - 1])
                changed = True
        if not changed:
            lines.append("}")  # an unclosed block at the end of the file
    return None
