"""Rules on flows and the lines they cross."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.diagnostics import Severity
from ...core.messages import Message, msg
from ...model.blueprint import Zone
from .base import Context, Finding, rule


def _customer_flows_to(ctx: Context, zone: Zone, what: Message, help: Message) -> Iterator[Finding]:
    """Explicit flows between a customer action and an action in `zone`."""
    bp = ctx.blueprint
    for flow in ctx.explicit_flows:
        src, dst = bp.action(flow.source), bp.action(flow.target)
        if {src.zone, dst.zone} == {Zone.CUSTOMER, zone}:
            yield Finding(
                flow.span,
                msg("flow.customer-joins", flow=ctx.flow_name(flow), what=what),
                help,
            )


@rule("BP400", Severity.ERROR, "flow between a customer action and a backstage action")
def bp400(ctx: Context) -> Iterator[Finding]:
    """
    Backstage work is invisible to the customer: a flow between a customer action and a
    backstage action crosses the line of visibility. Route it through the onstage action
    (or customer-facing technology) that the customer actually meets.
    """
    return _customer_flows_to(
        ctx,
        Zone.BACKSTAGE,
        msg("flow.customer-joins.backstage"),
        msg("flow.customer-joins.backstage.help"),
    )


@rule("BP401", Severity.ERROR, "flow between a customer action and a support process")
def bp401(ctx: Context) -> Iterator[Finding]:
    """
    Customers do not touch support processes directly. If the customer uses a system
    (an app, a kiosk), that is customer-facing technology: put it onstage.
    """
    return _customer_flows_to(
        ctx,
        Zone.SUPPORT,
        msg("flow.customer-joins.support"),
        msg("flow.customer-joins.support.help"),
    )


@rule("BP402", Severity.WARNING, "flow back to an earlier step")
def bp402(ctx: Context) -> Iterator[Finding]:
    """
    A blueprint reads left to right in time. A flow whose target is in an earlier step
    goes back in time, unless it leaves a decision (a loop back) or enters a support
    process (systems persist across steps). Move the target, or mark the source as a
    `decision`.
    """
    bp = ctx.blueprint
    for flow in ctx.explicit_flows:
        src, dst = bp.action(flow.source), bp.action(flow.target)
        if dst.step_index >= src.step_index or src.decision or dst.zone is Zone.SUPPORT:
            continue
        to_step = bp.steps[dst.step_index - 1].label
        from_step = bp.steps[src.step_index - 1].label
        yield Finding(
            flow.span,
            msg("flow.back-in-time", flow=ctx.flow_name(flow), later=from_step, earlier=to_step),
            msg("flow.back-in-time.help"),
        )
