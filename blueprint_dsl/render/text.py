"""Text measurement and wrapping for diagram labels (CJK-aware).

Widths are estimated in *units*: one unit is an average Latin glyph, East Asian wide
and full-width characters count as two. The estimate is deliberately a little generous
so wrapped text fits its box in any of the fonts of the theme's font list.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Width of one unit as a fraction of the font size (average Latin glyph, with margin).
UNIT_EM = 0.56

# Characters that must not start a line (closing punctuation), CJK and Latin.
_NO_LINE_START = frozenset("，。、；：！？）」』】》〉…—,.;:!?)]}%”’")
# Characters that must not end a line (opening punctuation).
_NO_LINE_END = frozenset("（「『【《〈([{“‘")


@lru_cache(maxsize=4096)
def char_units(ch: str) -> int:
    """Display width of one character in units (0 for combining marks)."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_units(text: str) -> int:
    if text.isascii():
        return len(text)
    return _wide_units(text)


@lru_cache(maxsize=16384)  # labels are measured again and again (wrap, boxes, the key)
def _wide_units(text: str) -> int:
    return sum(map(char_units, text))


def text_width(text: str, font_size: float) -> float:
    """Estimated rendered width of `text` in points."""
    return text_units(text) * UNIT_EM * font_size


def units_for(width: float, font_size: float) -> int:
    """How many units fit in `width` points at `font_size`."""
    return max(4, int(width / (UNIT_EM * font_size)))


def clean(text: str) -> str:
    """Drop control characters other than newline; tabs become spaces."""
    if text.isprintable() or ("\t" not in text and text.replace("\n", "").isprintable()):
        return text
    out = []
    for ch in text.replace("\r\n", "\n").replace("\t", " "):
        if ch == "\n" or unicodedata.category(ch)[0] != "C":
            out.append(ch)
    return "".join(out)


def fmt_duration(text: str) -> str:
    """A duration as drawn: a range `5..10 min` becomes `5–10 min`."""
    return text.replace("..", "–")


def _tokens(paragraph: str) -> list[str]:
    """Split into break opportunities: words, single wide characters, single spaces."""
    if paragraph.isascii():  # Latin text breaks only at spaces
        tokens_ascii: list[str] = []
        for piece in paragraph.split(" "):
            if piece:
                tokens_ascii += [piece, " "]
        return tokens_ascii[:-1]
    tokens: list[str] = []
    word: list[str] = []
    for ch in paragraph:
        if ch == " ":
            if word:
                tokens.append("".join(word))
                word = []
            tokens.append(" ")
        elif char_units(ch) == 2 or ch in _NO_LINE_START or ch in _NO_LINE_END:
            if word and ch not in _NO_LINE_START:
                tokens.append("".join(word))
                word = []
            if ch in _NO_LINE_START and word:
                word.append(ch)
                tokens.append("".join(word))
                word = []
            else:
                tokens.append(ch)
        else:
            word.append(ch)
    if word:
        tokens.append("".join(word))
    return tokens


def _hard_split(token: str, width: int) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    used = 0
    for ch in token:
        w = char_units(ch)
        if cur and used + w > width:
            parts.append("".join(cur))
            cur, used = [], 0
        cur.append(ch)
        used += w
    if cur:
        parts.append("".join(cur))
    return parts


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    used = 0
    for token in _tokens(paragraph):
        w = text_units(token)
        if token == " ":
            if cur:
                cur += " "
                used += 1
            continue
        if used + w <= width:
            cur += token
            used += w
            continue
        # Closing punctuation never starts a line: let it overhang by a little.
        if cur and token[0] in _NO_LINE_START and used + w <= width + 2:
            cur += token
            used += w
            continue
        if cur.strip():
            carry = ""
            # An opening bracket never ends a line: carry it to the next one.
            if cur and cur[-1] in _NO_LINE_END:
                carry = cur[-1]
                cur = cur[:-1]
            lines.append(cur.rstrip())
            cur, used = carry, text_units(carry)
        if used + w <= width:
            cur += token
            used += w
        else:
            pieces = _hard_split(cur + token, width)
            lines.extend(pieces[:-1])
            cur = pieces[-1]
            used = text_units(cur)
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    if len(lines) > 1 and not paragraph.isascii():
        _no_orphan(lines, width)
    return lines


def _no_orphan(lines: list[str], width: int) -> None:
    """Chinese line breaking: one character never stands alone on the last line ("满意/度").

    The previous line gives its last character (with the closing punctuation after it,
    which never starts a line) when it keeps two or more; a line too short to give one
    takes the orphan instead, overhanging by one character as closing punctuation may.
    """
    last = lines[-1]
    core = last.rstrip("".join(_NO_LINE_START))
    if len(core) != 1 or char_units(core) != 2:
        return
    prev = lines[-2]
    take = 2 if prev[-1:] in _NO_LINE_START else 1
    moved = prev[-take:]
    if (
        len(prev) - take >= 2
        and char_units(moved[0]) == 2
        and prev[-take - 1] not in _NO_LINE_END
        and text_units(moved + last) <= width
    ):
        lines[-2:] = [prev[:-take], moved + last]
    elif text_units(prev + last) <= width + 2:
        lines[-2:] = [prev + last]


def wrap(text: str, width: int, max_lines: int = 12) -> list[str]:
    """Wrap `text` to lines of at most `width` units; explicit newlines are kept.

    Latin text breaks at spaces (over-long words are split), CJK text between any two
    characters, never before closing or after opening punctuation. More than
    `max_lines` lines are cut and end with an ellipsis (the full text goes in the tooltip).
    """
    return list(_wrap(text, width, max_lines))


@lru_cache(maxsize=1 << 16)
def _wrap(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    cleaned = clean(text)
    if "\n" not in cleaned and max_lines >= 1:
        # One paragraph that fits on one line (most labels): the line is the paragraph,
        # its runs of white space made single spaces, as `_wrap_paragraph` leaves it.
        single = " ".join(cleaned.split())
        if text_units(single) <= width:
            return (single,)
    return _wrap_cleaned(cleaned, width, max_lines)


def _wrap_cleaned(cleaned: str, width: int, max_lines: int) -> tuple[str, ...]:
    """`_wrap` of a cleaned text without its one-line shortcut: every paragraph wrapped,
    the last kept line ending in "…" when there are more than `max_lines`."""
    lines: list[str] = []
    for paragraph in cleaned.split("\n"):
        lines.extend(_wrap_paragraph(" ".join(paragraph.split()), width))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_units(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return tuple(lines)
