"""Diagnostic wording by id: a message is an id and its arguments, worded late.

Every stage says what it found as `msg("flow.undefined-id", id="tll")`; the words come
from one template per locale, keyed by that id (`en.py`, `zh.py` beside this file), and
are filled in for the locale of the file. A reworded English template therefore never
loses its Chinese one, and only the catalogue of the locale in use is ever loaded. An
argument may itself be a message (a word that is translated too) or a tuple of them (a
list, joined with commas).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from typing import Union

from ..records import Frozen

LOCALES: tuple[str, ...] = ("en", "zh")

Arg = Union[str, int, float, "Message", tuple["Arg", ...]]


class Message(Frozen):
    """A message id and its arguments; `render(locale)` gives the words. A value: frozen,
    equal and hashed by both."""

    __slots__ = ("args", "id")
    __match_args__ = ("id", "args")

    id: str
    args: tuple[tuple[str, Arg], ...]

    def __init__(self, id: str, args: tuple[tuple[str, Arg], ...] = ()) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "args", args)

    def render(self, locale: str = "en") -> str:
        words = templates(locale).get(self.id)
        if words is None:
            words = templates("en")[self.id]
        return words.format_map({name: _render(value, locale) for name, value in self.args})

    def arg(self, name: str) -> Arg | None:
        """One argument as given (e.g. the id a `did you mean` hint suggests)."""
        return next((value for key, value in self.args if key == name), None)

    def __str__(self) -> str:
        return self.render()


def msg(message_id: str, /, **args: Arg) -> Message:
    """The message `message_id` with its arguments (checked against the English template
    by the catalogue tests, not here: this runs for every diagnostic)."""
    return Message(message_id, tuple(args.items()))


def _render(value: Arg, locale: str) -> str:
    if isinstance(value, Message):
        return value.render(locale)
    if isinstance(value, tuple):
        return ", ".join(_render(item, locale) for item in value)
    return str(value)


@cache
def templates(locale: str) -> Mapping[str, str]:
    """The catalogue of `locale` (English for a locale bpc does not have)."""
    name = locale if locale in LOCALES else "en"
    module = importlib.import_module(f"{__name__}.{name}")
    catalogue: Mapping[str, str] = module.TEMPLATES
    return catalogue
