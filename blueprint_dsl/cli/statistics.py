"""`bpc check --statistics`: how many times each code was reported, like `ruff --statistics`:
by count (highest first), then code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.diagnostics import Severity

if TYPE_CHECKING:
    from ..compiler import CompileResult


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    count: int
    # The severities it was reported with (settings per folder may differ), worst first.
    severities: tuple[Severity, ...]


def count_codes(results: Sequence[CompileResult]) -> list[CodeCount]:
    from ..checks.rules import all_rules

    rules = all_rules()
    counts: Counter[str] = Counter()
    severities: dict[str, set[Severity]] = {}
    for result in results:
        for d in result.diagnostics:
            counts[d.code] += 1
            severities.setdefault(d.code, set()).add(d.severity)
    return [
        CodeCount(
            code,
            rules[code].title if code in rules else "",
            count,
            tuple(sorted(severities[code], key=lambda s: s.rank)),
        )
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def format_statistics(counts: Sequence[CodeCount]) -> str:
    """One line per code: `3  BP301  warning  customer action whose step has no …`."""
    if not counts:
        return ""
    levels = ["/".join(s.value for s in c.severities) for c in counts]
    count_width = max(len(str(c.count)) for c in counts)
    level_width = max(len(level) for level in levels)
    lines = [
        f"{c.count:>{count_width}}  {c.code}  {level:<{level_width}}  {c.name}".rstrip()
        for c, level in zip(counts, levels, strict=True)
    ]
    return "\n".join(lines) + "\n"


def statistics_json(counts: Sequence[CodeCount]) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "count": c.count} for c in counts]
