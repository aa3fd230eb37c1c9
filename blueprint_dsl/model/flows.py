"""Flows: each written end resolved to an action, and the customer journey's implicit
flows between consecutive customer actions."""

from __future__ import annotations

import itertools

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import Message, msg
from ..core.records import Record
from ..core.spans import Span
from ..core.suggest import closest
from ..language import ast
from . import values
from .blueprint import Action, Flow, FlowKind, Zone, lines_between


def error(code: str, message: Message, span: Span, help: Message | None = None) -> Diagnostic:
    return Diagnostic.of(code, Severity.ERROR, message, span, help)


def kind_word(kind: str) -> Message:
    """`lane`, `step`, `action` or `evidence` as a word of the diagnostic's locale."""
    words = {
        "lane": msg("kind.lane"),
        "step": msg("kind.step"),
        "action": msg("kind.action"),
        "evidence": msg("kind.evidence"),
    }
    return words.get(kind, msg("kind.action"))


class PendingFlow(Record):
    """A flow as written, before its ends are resolved to actions."""

    __slots__ = ("kind", "label", "share", "source", "span", "target")
    __match_args__ = ("source", "target", "kind", "label", "span", "share")

    def __init__(
        self,
        source: ast.Name,
        target: ast.Name,
        kind: FlowKind,
        label: str | None,
        span: Span,
        share: float | None = None,
    ) -> None:
        self.source = source
        self.target = target
        self.kind = kind
        self.label = label
        self.span = span
        self.share = share


def read_share(value: ast.Value | None, diagnostics: list[Diagnostic]) -> float | None:
    """A decision branch's share (`: "valid" 90%`): a percentage from 0% to 100%, as a
    fraction; BP101 (and None) otherwise."""
    if value is None:
        return None
    try:
        quantity = values.quantity(value.text)
    except values.BadValue as bad:
        diagnostics.append(error("BP101", bad.message, value.span, None))
        return None
    if quantity.kind != "percent" or not 0 <= quantity.value <= 100:
        diagnostics.append(
            error(
                "BP101",
                msg("flow.share-form", value=value.text),
                value.span,
                msg("flow.share-form.help"),
            )
        )
        return None
    return quantity.value / 100


def resolve_flows(
    pending_flows: list[PendingFlow],
    actions: list[Action],
    ids: dict[str, tuple[str, Span]],
    diagnostics: list[Diagnostic],
) -> list[Flow]:
    """The flows of the file, each end resolved to an action (BP201/BP300 where one is
    not), with the customer journey's implicit flows after the written ones."""
    by_id = {a.id: a for a in actions if a.id is not None}
    flows: dict[tuple[str, str, FlowKind], Flow] = {}
    for pending in pending_flows:
        source = _resolve_end(pending.source, by_id, ids, diagnostics)
        target = _resolve_end(pending.target, by_id, ids, diagnostics)
        if source is None or target is None:
            continue
        key = (source.key, target.key, pending.kind)
        if pending.kind is FlowKind.TWO_WAY and (target.key, source.key, pending.kind) in flows:
            key = (target.key, source.key, pending.kind)  # `b <-> a` is `a <-> b` (8.6)
        existing = flows.get(key)
        if existing is not None:
            if existing.label is None:
                existing.label = pending.label
            if existing.share is None:
                existing.share = pending.share
            continue
        flows[key] = Flow(
            source.key,
            target.key,
            pending.kind,
            pending.label,
            False,
            lines_between(source.zone, target.zone),
            pending.span,
            pending.share,
        )
    explicit = list(flows.values())
    return explicit + customer_journey(actions, explicit)


def _resolve_end(
    name: ast.Name,
    by_id: dict[str, Action],
    ids: dict[str, tuple[str, Span]],
    diagnostics: list[Diagnostic],
) -> Action | None:
    action = by_id.get(name.text)
    if action is not None:
        return action
    kind = ids.get(name.text, ("", name.span))[0]
    if kind == "evidence":
        diagnostics.append(
            error(
                "BP300",
                msg("flow.evidence-end", name=name.text),
                name.span,
                msg("flow.evidence-end.help"),
            )
        )
        return None
    if kind in ("lane", "step"):
        message = msg("flow.not-an-action", id=name.text, kind=kind_word(kind))
        help = msg("flow.not-an-action.help")
    elif kind == "action":
        return None  # an action whose lane could not be resolved: already reported
    else:
        message = msg("flow.undefined-id", id=name.text)
        close = closest(name.text, sorted(by_id), cutoff=0.5)
        help = msg("hint.did-you-mean", name=close) if close else msg("flow.undefined-id.help")
    diagnostics.append(error("BP201", message, name.span, help))
    return None


def customer_journey(actions: list[Action], explicit: list[Flow]) -> list[Flow]:
    """Link consecutive customer actions, unless one already flows to a later one.

    The actions of one `parallel` group are one stop of the journey: it enters each of
    them and leaves from each of them, never linking them to each other (8.1). A
    customer decision gets no journey edge: its labelled branches are its way on (8.6).
    """
    customers = [a for a in actions if a.zone is Zone.CUSTOMER]
    order = {a.key: n for n, a in enumerate(customers)}
    leads_on: set[str] = set()
    for flow in explicit:
        ends = [(flow.source, flow.target)]
        if flow.kind is FlowKind.TWO_WAY:
            ends.append((flow.target, flow.source))
        for source, target in ends:
            if source in order and target in order and order[target] > order[source]:
                leads_on.add(source)
    stops: list[list[Action]] = []
    for action in customers:
        group = action.parallel_group
        if group is not None and stops and stops[-1][0].parallel_group == group:
            stops[-1].append(action)
        else:
            stops.append([action])
    journey: list[Flow] = []
    for here, after in itertools.pairwise(stops):
        for start in here:
            if start.key in leads_on or start.decision:
                continue
            journey.extend(
                Flow(start.key, end.key, FlowKind.FLOW, None, True, (), start.span) for end in after
            )
    return journey
