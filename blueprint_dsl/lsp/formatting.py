"""Formatting for the language server: the document in its canonical layout.

`formatting` answers with one edit that replaces the whole text with what `bpc fmt`
writes. It keeps a byte-order mark and gives no edit when the text has syntax errors or
is already canonical.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..language.formatter import format_source
from .document import Analysis, to_lsp_position

# ---- formatting ---------------------------------------------------------------


def formatting(analysis: Analysis) -> list[lsp.TextEdit]:
    """One edit that replaces the document with its canonical layout (none on errors)."""
    formatted, problems = format_source(analysis.body, analysis.path)
    if formatted is None or problems:
        return []
    if analysis.text.startswith("\ufeff"):
        formatted = "\ufeff" + formatted
    if formatted == analysis.text:
        return []
    whole = lsp.Range(lsp.Position(0, 0), to_lsp_position(analysis.lines.end))
    return [lsp.TextEdit(whole, formatted)]
