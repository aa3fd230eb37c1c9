"""What a rule is: a code, a default severity, a title, an explanation and maybe a check."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import NamedTuple

from ...core.diagnostics import Severity
from ...core.messages import Message
from ...core.records import Record
from ...core.spans import Span
from ...model.blueprint import Action, Blueprint, Flow, FlowKind


class Finding(NamedTuple):
    """What a rule reports: where, what, and optionally how to fix it."""

    span: Span
    message: Message
    help: Message | None = None


class Context(Record):
    """What a check sees: the model, its path and some derived views (each worked out
    once, kept in the instance's `__dict__`). Equal by its blueprint."""

    __slots__ = ("__dict__", "blueprint")
    __match_args__ = ("blueprint",)

    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint

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
        return Rule(code, severity, title, cleandoc(check.__doc__ or ""), check)

    return wrap


def cleandoc(doc: str) -> str:
    """The text `inspect.cleandoc(doc)` gives, without importing inspect at start-up (it
    brings ast, dis and tokenize): the first line's leading blanks, the indentation common
    to the other lines and the blank lines before and after go."""
    lines = doc.expandtabs().split("\n")
    margin = sys.maxsize
    for line in lines[1:]:
        content = len(line.lstrip())
        if content:
            margin = min(margin, len(line) - content)
    lines[0] = lines[0].lstrip()
    if margin < sys.maxsize:
        lines[1:] = [line[margin:] for line in lines[1:]]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)
