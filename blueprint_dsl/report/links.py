"""Links from a report to the reports of `detail` blueprints.

A `detail` path is text from the .bp file. It becomes a link only when the caller
says the same run produced a report for it (`detail_links`: the path as written ->
the relative href of that report), and only when that href is a plain relative path:
no scheme (`javascript:`, `data:`, `http:`), no host (`//…`), not absolute. Anything
else is shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_relative_href(href: str) -> bool:
    """True for a relative path such as `other.html` or `../b/other.html`."""
    if not href or href != href.strip() or any(ord(ch) < 0x20 or ch == "\x7f" for ch in href):
        return False
    if href.startswith(("/", "\\")) or "\\" in href:
        return False
    return _SCHEME.match(href) is None


def detail_href(detail: str, detail_links: Mapping[str, str]) -> str | None:
    """The href for a `detail` path, or None when it must be shown as text."""
    href = detail_links.get(detail)
    if href is None or not is_relative_href(href):
        return None
    return href
