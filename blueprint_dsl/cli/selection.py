"""`bpc check --select CODES --ignore CODES`: which codes to report, after the settings.

CODES is a comma-separated list of codes or prefixes (`BP5` is BP500–BP507). As in ruff,
the most specific entry that matches a code decides: `--select BP500 --ignore BP5`
keeps BP500 and drops the other BP5xx; with no --select, every code is selected."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..compiler import CompileResult
    from ..core.diagnostics import Diagnostic


def parse_codes(values: Iterable[str], option: str) -> tuple[str, ...]:
    """The codes and prefixes of one option (given once or more, comma-separated), in
    upper case; one that starts no known code is a usage error."""
    from ..checks.rules import all_rules
    from ..compiler import UsageError

    known = all_rules()
    found: list[str] = []
    for value in values:
        for raw in value.split(","):
            entry = raw.strip().upper()
            if not entry:
                continue
            if not any(code.startswith(entry) for code in known):
                raise UsageError(
                    f"unknown rule or prefix `{raw.strip()}` in {option} (see `bpc rules`)"
                )
            found.append(entry)
    return tuple(found)


class Selection(NamedTuple):
    """`--select` and `--ignore`: which rule codes (or prefixes) to report."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, select: Sequence[str], ignore: Sequence[str]) -> Selection:
        return cls(parse_codes(select, "--select"), parse_codes(ignore, "--ignore"))

    @property
    def active(self) -> bool:
        return bool(self.select or self.ignore)

    def keeps(self, code: str) -> bool:
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        if not self.select:
            selected = 0
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected > ignored

    def filter(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [d for d in diagnostics if self.keeps(d.code)]

    def apply(self, results: Iterable[CompileResult]) -> None:
        """Drop the diagnostics that are not selected, in place."""
        if self.active:
            for result in results:
                result.diagnostics = self.filter(result.diagnostics)
