"""Misspelt statement keywords (`stpe`, `lan`, `evidnce`): said as one error that names
the keyword, instead of the cascade of what the parser made of the misspelt line."""

from __future__ import annotations

import re

from ..core.suggest import closest
from .keywords import STATEMENTS, ZONES

# The keywords a statement starts with (not `in`, which never starts one).
_STARTERS = tuple(k for k in STATEMENTS if k != "in")
_WORD = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*)")
_LANE = re.compile(r"^[ \t]*(?:lane|泳道)[ \t]+([^\s\"]+)", re.M)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?')


def keyword_typo(word: str) -> str | None:
    """The statement keyword `word` is a misspelling of, if it is one."""
    if len(word) < 3 or not word.isascii() or word.lower() in STATEMENTS:
        return None
    return closest(word.lower(), _STARTERS, cutoff=0.75)


def find_typos(text: str, lines: list[str]) -> list[tuple[int, int, str, str, int]]:
    """(line, column, word, keyword, last line of its block) for each line that starts
    with a misspelt keyword which is not a lane or zone name of this file."""
    names = {*ZONES, *_LANE.findall(text)}
    found = []
    for number, line in enumerate(lines, start=1):
        match = _WORD.match(line)
        if match is None or match.group(1) in names:
            continue
        keyword = keyword_typo(match.group(1))
        if keyword is not None:
            end = _block_end(lines, number)
            found.append((number, match.start(1) + 1, match.group(1), keyword, end))
    return found


def _block_end(lines: list[str], first: int) -> int:
    """The line of the `}` closing a block opened on line `first` (or `first`)."""
    depth = 0
    for number in range(first, len(lines) + 1):
        code = _STRING.sub('""', lines[number - 1]).split("#", 1)[0]
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            return number
    return len(lines)
