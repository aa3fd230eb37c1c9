"""Rules on service quality: fail points, waits, standards, time, decisions, reach, metrics."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...analysis.paths import customer_path
from ...core.diagnostics import Severity
from ...core.fsutil import is_readable_file
from ...core.messages import msg
from ...model.blueprint import Zone
from ...model.values import format_seconds
from .base import Context, Finding, rule


@rule("BP500", Severity.WARNING, "fail point without a recovery")
def bp500(ctx: Context) -> Iterator[Finding]:
    """
    Finding where a service can fail is half the work; the other half is deciding how staff
    recover. Add `recover "…"` to the fail point.
    """
    for action in ctx.blueprint.actions:
        for fail in action.fails:
            if fail.recover is None:
                yield Finding(
                    fail.span,
                    msg("fail.no-recovery", what=fail.what, action=ctx.name(action)),
                    msg("fail.no-recovery.help", what=fail.what),
                )


@rule("BP501", Severity.INFO, "wait point without a standard")
def bp501(ctx: Context) -> Iterator[Finding]:
    """
    A wait point should have an execution standard: how long the customer may wait at most.
    Add `standard D` to the same action.
    """
    for action in ctx.blueprint.actions:
        if action.wait is not None and action.standard is None:
            yield Finding(
                action.attribute_spans.get("wait", action.span),
                msg("wait.no-standard", action=ctx.name(action)),
                msg("wait.no-standard.help", standard=action.wait.text.split("..")[-1]),
            )


@rule("BP502", Severity.WARNING, "duration or wait exceeds the action's standard")
def bp502(ctx: Context) -> Iterator[Finding]:
    """
    An execution standard is the target time for the action's duration, and for its wait
    when it has one. A duration or wait whose upper end is above the standard breaches it.
    """
    for action in ctx.blueprint.actions:
        standard = action.standard
        if standard is None:
            continue
        kinds = (("duration", msg("kind.duration")), ("wait", msg("kind.wait")))
        for (name, kind), value in zip(kinds, (action.duration, action.wait), strict=True):
            if value is not None and value.max_seconds > standard.max_seconds:
                yield Finding(
                    action.attribute_spans.get(name, action.span),
                    msg(
                        "standard.exceeded",
                        kind=kind,
                        value=value.text,
                        action=ctx.name(action),
                        standard=standard.text,
                    ),
                    msg("standard.exceeded.help"),
                )


@rule("BP503", Severity.WARNING, "customer time exceeds the blueprint's target")
def bp503(ctx: Context) -> Iterator[Finding]:
    """
    The customer's time is the sum, over steps, of the customer actions' durations and all
    waits. When its upper end is above the header's `target`, the journey is too slow.
    """
    header = ctx.blueprint.header
    if header.target is None or header.span is None:
        return
    # the customer's path only: the rest of the analysis (lead time, …) is not needed here
    time_min, time_max = customer_path(ctx.blueprint)
    if time_max > header.target.max_seconds:
        low = format_seconds(time_min)
        high = format_seconds(time_max)
        shown = low if low == high else f"{low}–{high}"
        yield Finding(
            header.span,
            msg("target.exceeded", time=shown, target=header.target.text),
            msg("target.exceeded.help"),
        )


@rule("BP504", Severity.ERROR, "decision with fewer than two or unlabelled outgoing flows")
def bp504(ctx: Context) -> Iterator[Finding]:
    """
    A decision branches: it needs at least two outgoing flows, each labelled with its
    condition, written as top-level flows `check -> ok : "yes"` and `check -> retry : "no"`.
    """
    outgoing: dict[str, list[str | None]] = {}
    for flow in ctx.explicit_flows:
        outgoing.setdefault(flow.source, []).append(flow.label)
    for action in ctx.blueprint.actions:
        if not action.decision:
            continue
        labels = outgoing.get(action.key, [])
        if len(labels) < 2:
            yield Finding(
                action.attribute_spans.get("decision", action.span),
                msg("decision.one-branch", action=ctx.name(action), count=len(labels))
                if len(labels) == 1
                else msg("decision.no-branches", action=ctx.name(action)),
                msg("decision.branches.help", example=f'{action.id or "it"} -> next : "yes"'),
            )
        elif None in labels:
            yield Finding(
                action.attribute_spans.get("decision", action.span),
                msg("decision.unlabelled", action=ctx.name(action)),
                msg(
                    "decision.unlabelled.help",
                    example=f'{action.id or "it"} -> target : "condition"',
                ),
            )


@rule("BP505", Severity.WARNING, "action not reachable from any customer action")
def bp505(ctx: Context) -> Iterator[Finding]:
    """
    Everything in a blueprint happens because a customer does something, or because the
    company starts it (`trigger "the balance runs low"`). Following flows from the
    customer actions and the triggers (`<->` both ways, the customer journey included)
    should reach every action; one that cannot be reached is missing a flow into it. In a
    `scope internal` blueprint the walk starts from its triggers and its first step.
    """
    bp = ctx.blueprint
    first = min((a.step_index for a in bp.actions if a.step_index > 0), default=1)
    reached = {
        a.key
        for a in bp.actions
        if a.zone is Zone.CUSTOMER
        or a.trigger is not None
        or (bp.internal and a.step_index == first)
    }
    frontier = list(reached)
    while frontier:
        for nxt in ctx.successors[frontier.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    for action in bp.actions:
        if action.key not in reached:
            yield Finding(
                action.span,
                msg("action.unreachable", action=ctx.name(action)),
                msg("action.unreachable.help"),
            )


@rule("BP506", Severity.INFO, "metric misses its target")
def bp506(ctx: Context) -> Iterator[Finding]:
    """
    A metric that misses its target is an improvement opportunity. `target 80%` and
    `target >= 80%` mean higher is better (below it misses); `target <= 5%` means lower
    is better, as for a complaint rate (above it misses). The report lists it with the
    target.
    """
    for action in ctx.blueprint.actions:
        for metric in action.metrics:
            if metric.target is None or not metric.misses_target():
                continue
            name, value, target = metric.name, metric.value.text, metric.target.text
            who = ctx.name(action)
            if metric.lower_is_better:
                message = msg(
                    "metric.above-ceiling", metric=name, action=who, value=value, target=target
                )
            else:
                message = msg(
                    "metric.below-target", metric=name, action=who, value=value, target=target
                )
            yield Finding(metric.span, message, None)


@rule("BP507", Severity.WARNING, "detail file missing or not a blueprint")
def bp507(ctx: Context) -> Iterator[Finding]:
    """
    `detail "path.bp"` links an action to a deeper blueprint, relative to this file. The
    file must exist inside the project (the folder of the nearest bpc.toml, pyproject.toml
    or .git, as for includes) and start with a `blueprint` header. It is read with the
    same limits as any blueprint (UTF-8, at most 16 MB, no NUL bytes).
    """
    from ...core.source import decode
    from ...language.ast import Header
    from ...language.includes import project_root, resolve_written
    from ...language.parser import parse  # read only when a blueprint has detail links

    here = Path(ctx.blueprint.path)
    root = project_root(here)
    for action in ctx.blueprint.actions:
        if action.detail is None:
            continue
        span = action.attribute_spans.get("detail", action.span)
        target = resolve_written(here, action.detail)
        if target is not None and not target.is_relative_to(root):
            # Said the same way whether such a file exists or not.
            yield Finding(
                span,
                msg("detail.outside-root", path=action.detail, action=ctx.name(action)),
                msg("detail.outside-root.help"),
            )
            continue
        if target is None or not is_readable_file(target):
            yield Finding(
                span,
                msg("detail.missing", path=action.detail, action=ctx.name(action)),
                msg("detail.missing.help", path=action.detail),
            )
            continue
        try:
            text, problems = decode(target.read_bytes(), str(target))
        except OSError:
            text, problems = None, []
        document, errors = parse(text, str(target)) if text is not None else (None, problems)
        if errors or document is None or not any(isinstance(i, Header) for i in document.items):
            yield Finding(
                span,
                msg("detail.invalid", path=action.detail, action=ctx.name(action)),
                msg("detail.invalid.help", path=action.detail),
            )
