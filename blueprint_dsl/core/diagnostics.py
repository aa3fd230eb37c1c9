"""Diagnostics are values: collected, de-duplicated and sorted, never raised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

from .messages import Message
from .spans import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Diagnostic:
    """One finding. `message`, `help` and the notes' words are in the file's locale; the
    ids they were worded from (`source`) let them be worded again in another one."""

    code: str
    severity: Severity
    message: str
    span: Span
    help: str | None = None
    # Extra positions that explain the diagnostic, e.g. "included from" or the first definition.
    notes: tuple[tuple[str, Span], ...] = ()
    source: Wording | None = field(default=None, compare=False, repr=False)

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
        return replace(
            self,
            message=words.message.render(locale),
            help=words.help.render(locale) if words.help is not None else None,
            notes=tuple(
                (note.render(locale), where)
                for note, (_, where) in zip(words.notes, self.notes, strict=False)
            )
            + self.notes[len(words.notes) :],
        )

    def with_notes(self, notes: Sequence[tuple[Message, Span]]) -> Diagnostic:
        """Extra notes after the ones it has (e.g. "included from")."""
        words = self.source or Wording(None, None, ())
        if len(words.notes) != len(self.notes):  # notes not worded by id: keep them as they are
            return replace(self, notes=self.notes + tuple((n.render(), s) for n, s in notes))
        return replace(
            self,
            notes=self.notes + tuple((note.render(), where) for note, where in notes),
            source=Wording(words.message, words.help, words.notes + tuple(n for n, _ in notes)),
        )

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)


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
