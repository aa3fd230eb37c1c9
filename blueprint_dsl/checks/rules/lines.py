"""Rules on flows and the lines they cross."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.diagnostics import Severity
from ...model.blueprint import Zone
from .base import Context, Finding, rule


def _customer_flows_to(ctx: Context, zone: Zone, what: str, help: str) -> Iterator[Finding]:
    """Explicit flows between a customer action and an action in `zone`."""
    bp = ctx.blueprint
    for flow in ctx.explicit_flows:
        src, dst = bp.action(flow.source), bp.action(flow.target)
        if {src.zone, dst.zone} == {Zone.CUSTOMER, zone}:
            yield Finding(
                flow.span,
                f"flow {ctx.name(src)} {flow.kind.value} {ctx.name(dst)} joins a customer action "
                f"and {what}",
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
        "a backstage action: it crosses the line of visibility",
        "route it through an onstage action, or move the backstage action onstage",
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
        "a support process",
        "put customer-facing technology in an onstage lane",
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
            f"flow {ctx.name(src)} {flow.kind.value} {ctx.name(dst)} goes back from step "
            f'"{from_step}" to the earlier step "{to_step}"',
            "move one of the actions, or mark the source `decision` if this is a loop back",
        )
