"""How wide text is on a terminal or in a monospaced editor."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide characters take two, tabs are shown as 4 spaces."""
    width = 0
    for ch in text:
        if ch == "\t":
            width += 4
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 2
        elif not unicodedata.combining(ch):
            width += 1
    return width
