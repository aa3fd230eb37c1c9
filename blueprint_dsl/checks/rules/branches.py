"""Rules on the 0.2 constructs: branch shares (BP508) and parallel blocks (BP509)."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.diagnostics import Severity
from ...core.messages import msg
from .base import Context, Finding, rule

SHARE_TOLERANCE = 0.005  # half a percentage point


@rule("BP508", Severity.ERROR, "branch shares missing on some branches or not adding up to 100%")
def bp508(ctx: Context) -> Iterator[Finding]:
    """
    A decision's labelled branches may say how often each is taken:
    `check -> sign : "valid" 90%` and `check -> reject : "invalid" 10%`. Give a share on
    every branch of the decision or on none (then they count as equally likely), and make
    them add up to 100% (within half a percentage point). A share on a flow that does not
    leave a decision means nothing and is reported too.
    """
    bp = ctx.blueprint
    branches: dict[str, list[float | None]] = {}
    for flow in ctx.explicit_flows:
        source = bp.action(flow.source)
        if source.decision:
            branches.setdefault(source.key, []).append(flow.share)
        elif flow.share is not None:
            yield Finding(
                flow.span,
                msg("flow.share-not-decision", flow=ctx.flow_name(flow)),
                msg("flow.share-not-decision.help"),
            )
    for key, shares in branches.items():
        action = bp.action(key)
        span = action.attribute_spans.get("decision", action.span)
        given = [s for s in shares if s is not None]
        if not given:
            continue
        if len(given) < len(shares):
            example = f'{action.id or "it"} -> next : "label" 50%'
            yield Finding(
                span,
                msg(
                    "decision.shares-partial",
                    action=ctx.name(action),
                    given=len(given),
                    count=len(shares),
                ),
                msg("decision.shares-partial.help", example=example),
            )
        elif abs(sum(given) - 1) > SHARE_TOLERANCE:
            total = f"{sum(given) * 100:g}%"
            yield Finding(
                span,
                msg("decision.shares-sum", action=ctx.name(action), total=total),
                msg("decision.shares-sum.help"),
            )


@rule("BP509", Severity.WARNING, "parallel block with fewer than two actions")
def bp509(ctx: Context) -> Iterator[Finding]:
    """
    `parallel { … }` says that its actions happen at the same time (the father waits
    while his son fills in the form); for time, the block lasts as long as its longest
    action. A block with one action (or none) says nothing: put the actions that run at
    once together, or remove the block.
    """
    for group in ctx.blueprint.parallel_groups:
        if len(group.keys) < 2:
            yield Finding(
                group.span,
                msg("parallel.too-few", count=len(group.keys)),
                msg("parallel.too-few.help"),
            )
