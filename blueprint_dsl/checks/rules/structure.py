"""Rules on the structure of a blueprint: evidence, visibility and use of each zone."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.diagnostics import Severity
from ...core.messages import msg
from ...model.blueprint import Zone
from .base import Context, Finding, rule


@rule("BP301", Severity.WARNING, "customer action whose step has no physical evidence")
def bp301(ctx: Context) -> Iterator[Finding]:
    """
    Every point where the customer acts should show what the customer sees or touches
    there (the physical evidence: a sign, a form, an app screen, a receipt). Add an
    `evidence "…"` line to the step. Not checked in a `scope internal` blueprint.
    """
    if ctx.blueprint.internal:  # `scope internal`: no customer by design
        return
    bp = ctx.blueprint
    with_evidence = {e.step_index for e in bp.evidence}
    for action in bp.actions:
        if action.zone is Zone.CUSTOMER and action.step_index not in with_evidence:
            step = bp.steps[action.step_index - 1]
            yield Finding(
                action.span,
                msg("evidence.missing", action=ctx.name(action), step=step.label),
                msg("evidence.missing.help", step=step.label),
            )


@rule("BP302", Severity.WARNING, "onstage action with no flow to or from a customer action")
def bp302(ctx: Context) -> Iterator[Finding]:
    """
    Onstage actions are the ones the customer sees. One that no customer action flows to
    or from is probably backstage work: move it to a backstage lane, or add the flow that
    shows the contact. Not checked in a `scope internal` blueprint.
    """
    if ctx.blueprint.internal:  # `scope internal`: no customer by design
        return
    bp = ctx.blueprint
    customer = {a.key for a in bp.actions if a.zone is Zone.CUSTOMER}
    for action in bp.actions:
        if action.zone is Zone.ONSTAGE and not (ctx.neighbours[action.key] & customer):
            yield Finding(
                action.span,
                msg("onstage.no-customer", action=ctx.name(action)),
                msg("onstage.no-customer.help"),
            )


@rule("BP303", Severity.WARNING, "backstage action with no path to an onstage action")
def bp303(ctx: Context) -> Iterator[Finding]:
    """
    Backstage work exists to support what happens onstage. A backstage action with no flow
    path, in either direction, to an onstage action (directly or through other backstage
    and support actions) is disconnected from the service. Not checked in a `scope
    internal` blueprint, whose backstage work refines one action of another blueprint.
    """
    if ctx.blueprint.internal:  # `scope internal`: no customer by design
        return
    bp = ctx.blueprint
    zone = {a.key: a.zone for a in bp.actions}
    for action in bp.actions:
        if action.zone is not Zone.BACKSTAGE:
            continue
        seen = {action.key}
        frontier = [action.key]
        found = False
        while frontier and not found:
            here = frontier.pop()
            for nxt in ctx.neighbours[here]:
                if zone[nxt] is Zone.ONSTAGE:
                    found = True
                    break
                if nxt not in seen and zone[nxt] in (Zone.BACKSTAGE, Zone.SUPPORT):
                    seen.add(nxt)
                    frontier.append(nxt)
        if not found:
            yield Finding(
                action.span,
                msg("backstage.no-onstage", action=ctx.name(action)),
                msg("backstage.no-onstage.help"),
            )


@rule("BP304", Severity.WARNING, "support process that no action uses")
def bp304(ctx: Context) -> Iterator[Finding]:
    """
    A support process (a system, another department) that no flow reaches supports
    nothing in this blueprint. Add the flow from the action that uses it, or remove it.
    """
    for action in ctx.blueprint.actions:
        if action.zone is Zone.SUPPORT and not ctx.neighbours[action.key]:
            yield Finding(
                action.span,
                msg("support.unused", action=ctx.name(action)),
                msg("support.unused.help", flow=f"some_action --> {action.id or 'its_id'}"),
            )


@rule("BP305", Severity.INFO, "step with no customer action")
def bp305(ctx: Context) -> Iterator[Finding]:
    """
    A step is a moment of the customer's journey. A step with no customer action may be
    pure backstage work that belongs in a neighbouring step. Not checked in a `scope
    internal` blueprint (backstage work with no customer in it).
    """
    if ctx.blueprint.internal:  # `scope internal`: no customer by design
        return
    bp = ctx.blueprint
    with_customer = {a.step_index for a in bp.actions if a.zone is Zone.CUSTOMER}
    for step in bp.steps:
        if step.index not in with_customer:
            yield Finding(
                step.span,
                msg("step.no-customer", step=step.label),
                msg("step.no-customer.help"),
            )
