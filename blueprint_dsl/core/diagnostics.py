"""Diagnostics are values: collected, de-duplicated and sorted, never raised."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from .messages import Message
from .records import Frozen, fields_repr
from .spans import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Diagnostic(Frozen):
    """One finding. `message`, `help` and the notes' words are in the file's locale; the
    ids they were worded from (`source`) let them be worded again in another one.

    A value: frozen, equal and hashed by all but `source` (left out of its repr too)."""

    __slots__ = ("code", "help", "message", "notes", "severity", "source", "span")
    __match_args__ = ("code", "severity", "message", "span", "help", "notes", "source")

    code: str
    severity: Severity
    message: str
    span: Span
    help: str | None
    # Extra positions that explain the diagnostic, e.g. "included from" or the first definition.
    notes: tuple[tuple[str, Span], ...]
    source: Wording | None

    def __init__(
        self,
        code: str,
        severity: Severity,
        message: str,
        span: Span,
        help: str | None = None,
        notes: tuple[tuple[str, Span], ...] = (),
        source: Wording | None = None,
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "help", help)
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "source", source)

    def _key(self) -> tuple[str, Severity, str, Span, str | None, tuple[tuple[str, Span], ...]]:
        return (self.code, self.severity, self.message, self.span, self.help, self.notes)

    def __repr__(self) -> str:
        return fields_repr(self, self.__match_args__[:-1])  # not `source`

    @classmethod
    def of(
        cls,
        code: str,
        severity: Severity,
        message: Message,
        span: Span,
        help: Message | None = None,
        notes: Sequence[tuple[Message, Span]] = (),
    ) -> Diagnostic:
        """A diagnostic worded from message ids, in English until `localised`."""
        wording = Wording(message, help, tuple(note for note, _ in notes))
        return cls(
            code,
            severity,
            message.render(),
            span,
            help.render() if help is not None else None,
            tuple((note.render(), where) for note, where in notes),
            wording,
        )

    def localised(self, locale: str) -> Diagnostic:
        """The same diagnostic worded in `locale` (English is how it is made)."""
        words = self.source
        if locale == "en" or words is None or words.message is None:
            return self
        return Diagnostic(
            self.code,
            self.severity,
            words.message.render(locale),
            self.span,
            words.help.render(locale) if words.help is not None else None,
            tuple(
                (note.render(locale), where)
                for note, (_, where) in zip(words.notes, self.notes, strict=False)
            )
            + self.notes[len(words.notes) :],
            words,
        )

    def with_notes(self, notes: Sequence[tuple[Message, Span]]) -> Diagnostic:
        """Extra notes after the ones it has (e.g. "included from")."""
        words = self.source or Wording(None, None, ())
        added = tuple((note.render(), where) for note, where in notes)
        if len(words.notes) != len(self.notes):  # notes not worded by id: keep them as they are
            return self._with(self.severity, self.notes + added, self.source)
        wording = Wording(words.message, words.help, words.notes + tuple(n for n, _ in notes))
        return self._with(self.severity, self.notes + added, wording)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return self._with(severity, self.notes, self.source)

    def _with(
        self, severity: Severity, notes: tuple[tuple[str, Span], ...], source: Wording | None
    ) -> Diagnostic:
        """The same diagnostic with another severity, notes or source (the same words)."""
        return Diagnostic(self.code, severity, self.message, self.span, self.help, notes, source)


class Wording(NamedTuple):
    """The message ids a diagnostic's words come from."""

    message: Message | None
    help: Message | None
    notes: tuple[Message, ...]


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sort by position and drop exact duplicates."""
    unique = {(d.sort_key(), d.severity, d.help): d for d in diagnostics}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1].rank, k[2] or ""))]


def count(diagnostics: list[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in diagnostics if d.severity is severity)
