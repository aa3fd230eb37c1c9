"""The report's view-model: everything the template shows, computed from a CompileResult.

The template only lays out what is here; all counting, sorting, formatting and
translating happens in this module and the section modules it joins (figures, cards,
journey, fails, lanes, diagnostics; 0.2: simulation, observed; shared pieces in builder
and values). Strings from
the .bp file stay plain `str` and are escaped by Jinja's autoescaping when they are
written out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..core.diagnostics import Severity, count
from ..core.version import __version__
from ..model.blueprint import Blueprint
from .builder import Builder, Field
from .cards import ActionCard, action_card
from .diagnostics import DiagnosticRow, diagnostic_rows, status_of
from .fails import FailRow, WaitRow, fail_rows, wait_rows
from .figures import (
    CriticalPath,
    Figure,
    LeadBar,
    TimeBar,
    critical_path,
    figures,
    lead_bar,
    time_bar,
)
from .journey import (
    JourneyRow,
    TouchpointRow,
    TriggerRow,
    journey_rows,
    touchpoint_rows,
    trigger_rows,
)
from .lanes import LaneRow, MetricRow, SupportRow, lane_rows, metric_rows, support_rows
from .observed import ObservedRow, observed_rows, observed_summaries, with_observed
from .simulation import SimulationView, simulation_view
from .words import words_for

if TYPE_CHECKING:
    from ..analysis.observed import Observations
    from ..compiler import CompileResult


@dataclass(frozen=True)
class Report:
    locale: str
    lang: str
    words: Mapping[str, str]
    title: str
    fields: tuple[Field, ...]
    description: str | None
    source: str
    generator: str
    status: str
    status_label: str
    counts: tuple[tuple[str, int, str], ...]  # (severity, count, label)
    diagnostics: tuple[DiagnosticRow, ...]
    # Everything below needs a model; a file that could not be read has none.
    has_model: bool = False
    figures: tuple[Figure, ...] = ()
    analysis: Mapping[str, object] | None = None
    time_bar: TimeBar | None = None
    cards: tuple[ActionCard, ...] = ()
    journey: tuple[JourneyRow, ...] = ()
    touchpoints: tuple[TouchpointRow, ...] = ()
    fails: tuple[FailRow, ...] = ()
    waits: tuple[WaitRow, ...] = ()
    lanes: tuple[LaneRow, ...] = ()
    support: tuple[SupportRow, ...] = ()
    metrics: tuple[MetricRow, ...] = ()
    # language 0.2
    internal: bool = False
    lead_bar: LeadBar | None = None
    critical_path: CriticalPath | None = None
    triggers: tuple[TriggerRow, ...] = ()
    simulation: SimulationView | None = None  # only for a blueprint without errors
    observed: tuple[ObservedRow, ...] = ()
    has_observed: bool = False


def _header_fields(bp: Blueprint | None, locale: str) -> tuple[Field, ...]:
    if bp is None:
        return ()
    w, h = words_for(locale), bp.header
    pairs = (
        (w["id"], h.id),
        (w["version"], h.version),
        (w["owner"], h.owner),
        (w["persona"], h.persona),
    )
    return tuple(Field(label, value) for label, value in pairs if value)


def report_title(result: CompileResult) -> str:
    """The title of the report of `result`: the blueprint's, or its path without a model."""
    return result.path if result.blueprint is None else result.blueprint.header.title


def build_report(
    result: CompileResult,
    *,
    detail_links: Mapping[str, str] | None = None,
    source_display: str | None = None,
    observed: Observations | None = None,
) -> Report:
    """The view-model of one report; `observed` (from `--observed DATA.csv`) adds written
    against observed, and the simulation draws from it (8.9)."""
    bp = result.blueprint
    locale = bp.header.locale if bp is not None else "en"
    w = words_for(locale)
    status = status_of(result.diagnostics)
    counts = tuple((s.value, count(result.diagnostics, s), w["count_" + s.value]) for s in Severity)
    report = Report(
        locale=locale,
        lang="zh-CN" if locale == "zh" else "en",
        words=w,
        title=result.path,
        fields=_header_fields(bp, locale),
        description=None,
        source=source_display if source_display is not None else result.path,
        generator=f"bpc {__version__}",
        status=status,
        status_label=w["status_" + status],
        counts=counts,
        diagnostics=diagnostic_rows(result, bp, locale),
    )
    analysis = result.analysis
    if bp is None or analysis is None:
        return report
    builder = Builder(bp, detail_links or {})
    internal = bp.internal
    summaries = observed_summaries(observed) if observed is not None else {}
    cards = tuple(
        with_observed(action_card(builder, a), builder, summaries.get(a.key)) for a in bp.actions
    )
    simulation = None
    if not result.has_errors:
        durations, waits = observed.enough() if observed is not None else ({}, {})
        simulation = simulation_view(bp, observed_durations=durations, observed_waits=waits)
    return replace(
        report,
        title=report_title(result),
        description=bp.header.description,
        has_model=True,
        figures=figures(analysis, locale, internal),
        analysis=analysis.to_json(),
        time_bar=time_bar(analysis, locale, internal),
        cards=cards,
        journey=journey_rows(builder),
        touchpoints=touchpoint_rows(builder),
        fails=fail_rows(builder),
        waits=wait_rows(builder),
        lanes=lane_rows(builder),
        support=support_rows(builder),
        metrics=metric_rows(builder),
        internal=internal,
        lead_bar=lead_bar(analysis, locale, internal),
        critical_path=critical_path(analysis, builder),
        triggers=trigger_rows(builder),
        simulation=simulation,
        observed=observed_rows(builder, summaries),
        has_observed=observed is not None,
    )
