"""The index page of a rendered folder: one row per blueprint."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.diagnostics import Severity, count
from ..core.version import __version__
from ..model.values import format_seconds
from .diagnostics import status_of
from .links import is_relative_href
from .values import show_percent, show_seconds_range
from .words import words_for

if TYPE_CHECKING:
    from ..compiler import CompileResult


@dataclass(frozen=True)
class Figures:
    """The headline figures of one blueprint (from its `analysis`)."""

    steps: int
    encounters: int
    fail_points: int
    fail_points_without_recovery: int
    customer_time_min: float
    customer_time_max: float
    target_seconds: float | None
    evidence_coverage: float


@dataclass(frozen=True)
class IndexEntry:
    """One blueprint in the index. `href` is the relative link to its report (None: no
    report was written, e.g. the file has errors); `status` is "errors", "warnings" or
    "clean"; `figures` is None when the file could not be read into a model."""

    title: str
    id: str | None
    version: str | None
    owner: str | None
    status: str
    errors: int
    warnings: int
    infos: int
    figures: Figures | None
    href: str | None
    source: str

    @classmethod
    def from_result(
        cls, result: CompileResult, href: str | None, *, source_display: str | None = None
    ) -> IndexEntry:
        bp, analysis = result.blueprint, result.analysis
        figures = None
        if analysis is not None:
            figures = Figures(
                steps=analysis.steps,
                encounters=analysis.encounters,
                fail_points=analysis.fail_points,
                fail_points_without_recovery=analysis.fail_points_without_recovery,
                customer_time_min=analysis.customer_time_min,
                customer_time_max=analysis.customer_time_max,
                target_seconds=analysis.target_seconds,
                evidence_coverage=analysis.evidence_coverage,
            )
        header = bp.header if bp is not None else None
        return cls(
            title=header.title if header is not None else result.path,
            id=header.id if header is not None else None,
            version=header.version if header is not None else None,
            owner=header.owner if header is not None else None,
            status=status_of(result.diagnostics),
            errors=count(result.diagnostics, Severity.ERROR),
            warnings=count(result.diagnostics, Severity.WARNING),
            infos=count(result.diagnostics, Severity.INFO),
            figures=figures,
            href=href,
            source=source_display if source_display is not None else result.path,
        )


@dataclass(frozen=True)
class Cell:
    text: str
    sort: str  # what the table sorts by: a number as text, or the text itself
    numeric: bool = False  # sorted as a number, and right-aligned unless `status`
    status: str | None = None  # the status cell, coloured by status


@dataclass(frozen=True)
class IndexRow:
    title: str
    href: str | None
    source: str
    status: str
    status_label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class IndexPage:
    lang: str
    words: Mapping[str, str]
    columns: tuple[tuple[str, bool, bool], ...]  # (heading, sorted as a number, right-aligned)
    rows: tuple[IndexRow, ...]
    generator: str


_STATUS_ORDER = {"errors": 0, "warnings": 1, "clean": 2}


def _row(entry: IndexEntry, locale: str) -> IndexRow:
    w = words_for(locale)
    dash = Cell("—", "", numeric=True)
    f = entry.figures
    cells = [
        Cell(entry.id or "—", entry.id or ""),
        Cell(entry.version or "—", entry.version or ""),
        Cell(entry.owner or "—", entry.owner or ""),
        Cell(
            w["status_" + entry.status],
            str(_STATUS_ORDER.get(entry.status, 3)),
            numeric=True,
            status=entry.status,
        ),
        Cell(
            f"{entry.errors} / {entry.warnings} / {entry.infos}",
            str(entry.errors * 1_000_000 + entry.warnings * 1000 + entry.infos),
            numeric=True,
        ),
    ]
    if f is None:
        cells += [dash] * 5
    else:
        time = show_seconds_range(f.customer_time_min, f.customer_time_max)
        if f.target_seconds is not None:
            time += f" / {format_seconds(f.target_seconds)}"
        cells += [
            Cell(str(f.steps), str(f.steps), numeric=True),
            Cell(str(f.encounters), str(f.encounters), numeric=True),
            Cell(
                f"{f.fail_points_without_recovery} / {f.fail_points}",
                str(f.fail_points_without_recovery),
                numeric=True,
            ),
            Cell(time, f"{f.customer_time_max:g}", numeric=True),
            Cell(show_percent(f.evidence_coverage), f"{f.evidence_coverage:.4f}", numeric=True),
        ]
    href = entry.href if entry.href is not None and is_relative_href(entry.href) else None
    return IndexRow(
        entry.title, href, entry.source, entry.status, w["status_" + entry.status], tuple(cells)
    )


def build_index(entries: Sequence[IndexEntry], locale: str) -> IndexPage:
    w = words_for(locale)
    columns = (
        (w["col_title"], False, False),
        (w["id"], False, False),
        (w["version"], False, False),
        (w["owner"], False, False),
        (w["col_status"], True, False),
        (w["col_problems"], True, True),
        (w["fig_steps"], True, True),
        (w["fig_encounters"], True, True),
        (w["col_fail_without"], True, True),
        (w["fig_customer_time"], True, True),
        (w["col_coverage"], True, True),
    )
    return IndexPage(
        lang="zh-CN" if locale == "zh" else "en",
        words=w,
        columns=columns,
        rows=tuple(_row(e, locale) for e in entries),
        generator=f"bpc {__version__}",
    )
