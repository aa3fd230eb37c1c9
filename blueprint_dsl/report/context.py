"""The report's view-model: everything the template shows, computed from a CompileResult.

The template only lays out what is here; all counting, sorting, formatting and
translating happens in this module. Strings from the .bp file stay plain `str`
and are escaped by Jinja's autoescaping when they are written out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..core.version import __version__
from ..core.diagnostics import Diagnostic, Severity, count
from ..model.blueprint import Action, Blueprint, Duration, FlowKind, Line, Zone
from ..model.locale import zone_name
from ..model.values import format_seconds
from . import targets
from .links import detail_href
from .words import line_ref, words_for

if TYPE_CHECKING:
    from ..analysis.figures import Analysis
    from ..compiler import CompileResult

DASH = "—"
ARROWS = {FlowKind.FLOW: "→", FlowKind.INFO: "⇢", FlowKind.TWO_WAY: "↔"}
BACK_ARROWS = {FlowKind.FLOW: "←", FlowKind.INFO: "⇠", FlowKind.TWO_WAY: "↔"}


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Value:
    """A figure's value: `key` is its path in the JSON `analysis` ("customer_time.max_seconds"),
    `json` its JSON text; both go into `data-figure` / `data-value` for machines to read."""

    key: str
    display: str
    json: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: Value
    note: Value | None = None  # a second figure shown under the first
    note_label: str = ""
    note_bad: bool = False


@dataclass(frozen=True)
class TimeBar:
    """Customer time against target; widths are percentages of the bar."""

    label: str
    low: Value
    high: Value
    target: Value
    target_label: str
    min_pct: float
    max_pct: float
    target_pct: float | None
    state: str  # "ok" | "risk" | "over" | "none"
    state_label: str


@dataclass(frozen=True)
class ActionRef:
    key: str
    label: str
    lane: str

    @property
    def ref(self) -> str:
        return targets.action_ref(self.key)


@dataclass(frozen=True)
class DetailLink:
    text: str
    href: str | None


@dataclass(frozen=True)
class ActionCard:
    action: ActionRef
    fields: tuple[Field, ...]
    fails: tuple[tuple[str, str | None], ...]
    metrics: tuple[Field, ...]
    notes: tuple[str, ...]
    detail: DetailLink | None
    flows_out: tuple[str, ...]
    flows_in: tuple[str, ...]


@dataclass(frozen=True)
class JourneyRow:
    index: int
    label: str
    phase: str | None
    evidence: tuple[str, ...]
    customer: tuple[ActionRef, ...]
    onstage: tuple[ActionRef, ...]
    time: str
    emotion: str
    emotion_value: int | None


@dataclass(frozen=True)
class TouchpointRow:
    step: int
    customer: ActionRef
    arrow: str
    staff: ActionRef
    role: str
    label: str | None


@dataclass(frozen=True)
class FailRow:
    step: int
    action: ActionRef
    what: str
    recover: str | None


@dataclass(frozen=True)
class WaitRow:
    step: int
    action: ActionRef
    duration: str
    wait: str
    standard: str
    result: str
    state: str  # "breached" | "within" | "none"


@dataclass(frozen=True)
class LaneRow:
    zone: str
    lane: str
    roles: tuple[str, ...]
    actions: tuple[ActionRef, ...]


@dataclass(frozen=True)
class SupportRow:
    system: ActionRef
    used_by: tuple[ActionRef, ...]


@dataclass(frozen=True)
class MetricRow:
    action: ActionRef
    name: str
    value: str
    target: str
    result: str
    state: str  # "met" | "below" | "none"


@dataclass(frozen=True)
class DiagnosticRow:
    severity: str
    severity_label: str
    code: str
    line: int
    column: int
    where: str
    source_line: str
    message: str
    help: str | None
    refs: str  # space-separated diagram refs; "" when the diagram has no element for it


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


def status_of(diagnostics: Sequence[Diagnostic]) -> str:
    """The status badge: errors, warnings or clean (infos alone leave a blueprint clean)."""
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return "errors"
    if any(d.severity is Severity.WARNING for d in diagnostics):
        return "warnings"
    return "clean"


def show_duration(value: Duration | None) -> str:
    """A duration as written, with an en dash for ranges: `5m..20m` -> `5m–20m`."""
    if value is None:
        return DASH
    return value.text.replace("..", "–")


def show_seconds_range(low: float, high: float) -> str:
    low_text, high_text = format_seconds(low), format_seconds(high)
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def show_percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def json_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _value(data: Mapping[str, object], key: str, display: str | None = None) -> Value:
    value: object = data
    for part in key.split("."):
        assert isinstance(value, Mapping)
        value = value[part]
    return Value(key, str(value) if display is None else display, json_value(value))


def _figures(analysis: Analysis, locale: str) -> tuple[Figure, ...]:
    w = words_for(locale)
    data = analysis.to_json()
    without = analysis.fail_points_without_recovery
    return (
        Figure(w["fig_steps"], _value(data, "steps")),
        Figure(w["fig_customer_actions"], _value(data, "customer_actions")),
        Figure(w["fig_encounters"], _value(data, "encounters")),
        Figure(w["fig_internal_encounters"], _value(data, "internal_encounters")),
        Figure(
            w["fig_fail_points"],
            _value(data, "fail_points"),
            _value(data, "fail_points_without_recovery"),
            w["fig_fail_points_without_recovery"],
            note_bad=without > 0,
        ),
        Figure(w["fig_wait_points"], _value(data, "wait_points")),
        Figure(
            w["fig_evidence_coverage"],
            _value(data, "evidence_coverage", show_percent(analysis.evidence_coverage)),
        ),
    )


def _time_bar(analysis: Analysis, locale: str) -> TimeBar:
    w = words_for(locale)
    data = analysis.to_json()
    low, high = analysis.customer_time_min, analysis.customer_time_max
    target = analysis.target_seconds
    full = max(high, target or 0.0) * 1.15 or 1.0
    if target is None:
        state = "none"
    elif high <= target:
        state = "ok"
    elif low <= target:
        state = "risk"
    else:
        state = "over"
    labels = {
        "none": w["no_target"],
        "ok": w["within_target"],
        "risk": w["may_exceed_target"],
        "over": w["over_target"],
    }
    return TimeBar(
        label=w["fig_customer_time"],
        low=_value(data, "customer_time.min_seconds", format_seconds(low)),
        high=_value(data, "customer_time.max_seconds", format_seconds(high)),
        target=_value(data, "target_seconds", DASH if target is None else format_seconds(target)),
        target_label=w["fig_target"],
        min_pct=round(100 * low / full, 2),
        max_pct=round(100 * high / full, 2),
        target_pct=None if target is None else round(100 * target / full, 2),
        state=state,
        state_label=labels[state],
    )


class _Builder:
    def __init__(self, bp: Blueprint, detail_links: Mapping[str, str]) -> None:
        self.bp = bp
        self.locale = bp.header.locale
        self.w = words_for(self.locale)
        self.detail_links = detail_links

    def lane_label(self, lane_id: str) -> str:
        """A declared lane's label; a zone's own lane is named after the zone."""
        lane = self.bp.lane(lane_id)
        return lane.label if lane.declared else zone_name(lane.zone, self.locale)

    def ref(self, action: Action) -> ActionRef:
        return ActionRef(action.key, action.label, self.lane_label(action.lane))

    def step_label(self, index: int) -> str:
        step = next((s for s in self.bp.steps if s.index == index), None)
        return f"{index} · {step.label}" if step is not None else str(index)

    # --- action details ---------------------------------------------------
    def card(self, a: Action) -> ActionCard:
        w, bp = self.w, self.bp
        fields = [
            Field(w["col_zone"], zone_name(a.zone, self.locale)),
            Field(w["col_lane"], self.lane_label(a.lane)),
            Field(w["col_step"], self.step_label(a.step_index)),
        ]
        if a.id is not None:
            fields.append(Field(w["key"], a.id))
        optional: list[tuple[str, str | None]] = [
            (w["col_role"], a.role),
            (w["col_duration"], show_duration(a.duration) if a.duration else None),
            (w["col_wait"], show_duration(a.wait) if a.wait else None),
            (w["col_standard"], show_duration(a.standard) if a.standard else None),
            (w["col_emotion"], None if a.emotion is None else f"{a.emotion:+d}"),
            (w["cost"], None if a.cost is None else self.cost(a.cost)),
            (w["decision"], w["yes"] if a.decision else None),
            (w["moment"], (a.moment_note or w["yes"]) if a.moment else None),
        ]
        fields.extend(Field(label, value) for label, value in optional if value is not None)
        metrics = tuple(
            Field(m.name, m.value.text + (f" / {m.target.text}" if m.target else ""))
            for m in a.metrics
        )
        flows_out = tuple(
            f"{ARROWS[f.kind]} {bp.action(f.target).label}" + (f" : {f.label}" if f.label else "")
            for f in bp.flows
            if f.source == a.key
        )
        flows_in = tuple(
            f"{bp.action(f.source).label} {ARROWS[f.kind]}" + (f" : {f.label}" if f.label else "")
            for f in bp.flows
            if f.target == a.key
        )
        detail = None
        if a.detail is not None:
            detail = DetailLink(a.detail, detail_href(a.detail, self.detail_links))
        return ActionCard(
            self.ref(a),
            tuple(fields),
            tuple((f.what, f.recover) for f in a.fails),
            metrics,
            tuple(a.notes),
            detail,
            flows_out,
            flows_in,
        )

    def cost(self, value: float) -> str:
        amount = f"{value:g}"
        currency = self.bp.header.currency
        return f"{amount} {currency}" if currency else amount

    # --- tables -------------------------------------------------------------
    def journey(self) -> tuple[JourneyRow, ...]:
        rows = []
        for step in self.bp.steps:
            actions = self.bp.actions_in_step(step.index)
            customer = [a for a in actions if a.zone is Zone.CUSTOMER]
            low = high = 0.0
            timed = False
            for a in actions:
                for value in (a.duration if a.zone is Zone.CUSTOMER else None, a.wait):
                    if value is not None:
                        low, high, timed = low + value.min_seconds, high + value.max_seconds, True
            emotions = [a.emotion for a in customer if a.emotion is not None]
            emotion = min(emotions) if emotions else None
            rows.append(
                JourneyRow(
                    index=step.index,
                    label=step.label,
                    phase=step.phase,
                    evidence=tuple(e.label for e in self.bp.evidence_in_step(step.index)),
                    customer=tuple(self.ref(a) for a in customer),
                    onstage=tuple(self.ref(a) for a in actions if a.zone is Zone.ONSTAGE),
                    time=show_seconds_range(low, high) if timed else DASH,
                    emotion=DASH if emotion is None else f"{emotion:+d}",
                    emotion_value=emotion,
                )
            )
        return tuple(rows)

    def touchpoints(self) -> tuple[TouchpointRow, ...]:
        rows = []
        for flow in self.bp.flows:
            if Line.INTERACTION not in flow.crosses:
                continue
            source, target = self.bp.action(flow.source), self.bp.action(flow.target)
            forward = source.zone.level < target.zone.level
            customer, staff = (source, target) if forward else (target, source)
            arrow = ARROWS[flow.kind] if forward else BACK_ARROWS[flow.kind]
            rows.append(
                TouchpointRow(
                    step=customer.step_index,
                    customer=self.ref(customer),
                    arrow=arrow,
                    staff=self.ref(staff),
                    role=staff.role or DASH,
                    label=flow.label,
                )
            )
        return tuple(sorted(rows, key=lambda r: r.step))

    def fails(self) -> tuple[FailRow, ...]:
        return tuple(
            FailRow(a.step_index, self.ref(a), f.what, f.recover)
            for a in self.bp.actions
            for f in a.fails
        )

    def waits(self) -> tuple[WaitRow, ...]:
        rows = []
        w = self.w
        for a in self.bp.actions:
            if a.wait is None and a.standard is None:
                continue
            if a.standard is None:
                state, result = "none", w["no_standard"]
            elif any(
                v is not None and v.max_seconds > a.standard.max_seconds
                for v in (a.duration, a.wait)
            ):
                state, result = "breached", w["breached"]
            else:
                state, result = "within", w["within"]
            rows.append(
                WaitRow(
                    a.step_index,
                    self.ref(a),
                    show_duration(a.duration),
                    show_duration(a.wait),
                    show_duration(a.standard),
                    result,
                    state,
                )
            )
        return tuple(rows)

    def lanes(self) -> tuple[LaneRow, ...]:
        rows = []
        for lane in self.bp.lanes:
            if lane.zone is Zone.EVIDENCE:
                continue
            actions = [a for a in self.bp.actions if a.lane == lane.id]
            if not actions and not lane.declared:
                continue
            roles = tuple(dict.fromkeys(a.role for a in actions if a.role))
            # The zone's own lane is "General" beside declared lanes, as in the diagram.
            shared = not lane.declared and any(
                other.declared and other.zone is lane.zone for other in self.bp.lanes
            )
            rows.append(
                LaneRow(
                    zone_name(lane.zone, self.locale),
                    self.w["general"] if shared else self.lane_label(lane.id),
                    roles,
                    tuple(self.ref(a) for a in actions),
                )
            )
        return tuple(rows)

    def support(self) -> tuple[SupportRow, ...]:
        rows = []
        for system in self.bp.actions:
            if system.zone is not Zone.SUPPORT:
                continue
            users: dict[str, Action] = {}
            for flow in self.bp.flows:
                if system.key in (flow.source, flow.target):
                    other = flow.target if flow.source == system.key else flow.source
                    users.setdefault(other, self.bp.action(other))
            rows.append(SupportRow(self.ref(system), tuple(self.ref(a) for a in users.values())))
        return tuple(rows)

    def metrics(self) -> tuple[MetricRow, ...]:
        rows = []
        w = self.w
        for a in self.bp.actions:
            for m in a.metrics:
                if m.target is None:
                    state, result, target = "none", w["no_metric_target"], DASH
                else:
                    below = m.value.value < m.target.value
                    state = "below" if below else "met"
                    result, target = w[state], m.target.text
                rows.append(MetricRow(self.ref(a), m.name, m.value.text, target, result, state))
        return tuple(rows)


def _diagnostic_rows(
    result: CompileResult, bp: Blueprint | None, locale: str
) -> tuple[DiagnosticRow, ...]:
    w = words_for(locale)
    lines = result.source.splitlines()
    finder = targets.TargetFinder(bp) if bp is not None else None
    rows = []
    for d in result.diagnostics:
        line = d.span.line
        source_line = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        refs = finder.refs_for(d) if finder is not None else ()
        rows.append(
            DiagnosticRow(
                severity=d.severity.value,
                severity_label=w["severity_" + d.severity.value],
                code=d.code,
                line=line,
                column=d.span.column,
                where=line_ref(line, locale),
                source_line=source_line,
                message=d.message,
                help=d.help,
                refs=" ".join(refs),
            )
        )
    return tuple(rows)


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


def build_report(
    result: CompileResult,
    *,
    detail_links: Mapping[str, str] | None = None,
    source_display: str | None = None,
) -> Report:
    """The view-model of one report."""
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
        diagnostics=_diagnostic_rows(result, bp, locale),
    )
    analysis = result.analysis
    if bp is None or analysis is None:
        return report
    builder = _Builder(bp, detail_links or {})
    return replace(
        report,
        title=bp.header.title,
        description=bp.header.description,
        has_model=True,
        figures=_figures(analysis, locale),
        analysis=analysis.to_json(),
        time_bar=_time_bar(analysis, locale),
        cards=tuple(builder.card(a) for a in bp.actions),
        journey=builder.journey(),
        touchpoints=builder.touchpoints(),
        fails=builder.fails(),
        waits=builder.waits(),
        lanes=builder.lanes(),
        support=builder.support(),
        metrics=builder.metrics(),
    )
