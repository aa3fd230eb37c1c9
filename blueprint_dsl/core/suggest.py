""" "Did you mean …?": the closest of some known names to a misspelt one."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `word` (difflib's ratio at least `cutoff`), if any.

    difflib is imported here, when there is a misspelling to answer, not with every
    module that may suggest a name: a check of a clean file never needs it.
    """
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None
