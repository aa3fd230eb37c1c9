"""What a rule is: a code, a default severity, a title, an explanation and maybe a check."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from ...core.diagnostics import Severity
from ...core.messages import Message
from ...core.spans import Span
from ...model.blueprint import Action, Blueprint, Flow, FlowKind


class Finding(NamedTuple):
    """What a rule reports: where, what, and optionally how to fix it."""

    span: Span
    message: Message
    help: Message | None = None


@dataclass
class Context:
    """What a check sees: the model, its path and some derived views."""

    blueprint: Blueprint

    @cached_property
    def explicit_flows(self) -> list[Flow]:
        return [f for f in self.blueprint.flows if not f.implicit]

    @cached_property
    def neighbours(self) -> dict[str, set[str]]:
        """Undirected adjacency over all flows."""
        graph: dict[str, set[str]] = {a.key: set() for a in self.blueprint.actions}
        for flow in self.blueprint.flows:
            graph[flow.source].add(flow.target)
            graph[flow.target].add(flow.source)
        return graph

    @cached_property
    def successors(self) -> dict[str, set[str]]:
        """Directed adjacency; `<->` counts both ways."""
        graph: dict[str, set[str]] = {a.key: set() for a in self.blueprint.actions}
        for flow in self.blueprint.flows:
            graph[flow.source].add(flow.target)
            if flow.kind is FlowKind.TWO_WAY:
                graph[flow.target].add(flow.source)
        return graph

    def name(self, action: Action) -> str:
        return f"`{action.id}`" if action.id else f'"{action.label}"'

    def flow_name(self, flow: Flow) -> str:
        """`a -> b` as the source writes it."""
        bp = self.blueprint
        source, target = bp.action(flow.source), bp.action(flow.target)
        return f"{self.name(source)} {flow.kind.value} {self.name(target)}"


Check = Callable[[Context], Iterator[Finding]]


class Rule(NamedTuple):
    """A rule: its code, default severity, title, explanation and check."""

    code: str
    severity: Severity
    title: str
    explanation: str
    check: Check | None = None

    def example(self, kind: str) -> str | None:
        """The bundled failing ("bad") or fixed ("good") example, if any."""
        from importlib import resources  # for `bpc rule`, not for a check (9 ms to import)

        file = resources.files("blueprint_dsl.checks.rules").joinpath(
            f"examples/{self.code}.{kind}.bp"
        )
        return file.read_text(encoding="utf-8") if file.is_file() else None


def rule(code: str, severity: Severity, title: str) -> Callable[[Check], Rule]:
    """Declare a checked rule; the function's docstring is its explanation."""

    def wrap(check: Check) -> Rule:
        return Rule(code, severity, title, inspect.cleandoc(check.__doc__ or ""), check)

    return wrap
