"""Which diagram elements a diagnostic is about.

A diagnostic carries only a source span. The report links it to the diagram by
finding the model element whose span it points at: an action (its id, one of its
attributes, a fail point or metric), a flow, a piece of evidence or a step. The
result is a list of *refs*, the same strings that `svg.prepare_svg` writes into the
diagram as `data-bp-ref` attributes:

    action:<key>    an action node (and its markers)
    flow:<n>        the n-th flow of `Blueprint.flows` (0-based)
    evidence:<n>    the n-th evidence of `Blueprint.evidence` (0-based)
    step:<n>        the header of step n (1-based, as in the model)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.diagnostics import Diagnostic
from ..core.spans import Span
from ..model.blueprint import Blueprint
from .lookup import group_by


def action_ref(key: str) -> str:
    return f"action:{key}"


def flow_ref(index: int) -> str:
    return f"flow:{index}"


def evidence_ref(index: int) -> str:
    return f"evidence:{index}"


def step_ref(index: int) -> str:
    return f"step:{index}"


@dataclass(frozen=True)
class _Candidate:
    span: Span
    refs: tuple[str, ...]
    # Among candidates that overlap a diagnostic equally, the most specific wins:
    # an attribute before the action it belongs to, a flow before a step.
    rank: int
    mentions: tuple[str, ...] = ()


def _overlaps(a: Span, b: Span) -> bool:
    start_a, end_a = (a.line, a.column), (a.end_line, a.end_column)
    start_b, end_b = (b.line, b.column), (b.end_line, b.end_column)
    if start_a == end_a:
        return start_b <= start_a <= end_b
    return start_a < end_b and start_b < end_a


def _lines(span: Span) -> range:
    """The lines a span touches (any span that overlaps it shares one of them)."""
    return range(min(span.line, span.end_line), max(span.line, span.end_line) + 1)


def _size(span: Span) -> tuple[int, int]:
    return (span.end_line - span.line, span.end_column - span.column)


class TargetFinder:
    """Maps diagnostic spans to diagram refs for one blueprint."""

    def __init__(self, bp: Blueprint) -> None:
        found: list[_Candidate] = []
        in_step = group_by((a.step_index, a) for a in bp.actions)
        for action in bp.actions:
            refs: tuple[str, ...] = (action_ref(action.key),)
            found.append(_Candidate(action.span, refs, 1))
            found.extend(_Candidate(s, refs, 0) for s in action.attribute_spans.values())
            found.extend(_Candidate(f.span, refs, 0) for f in action.fails)
            found.extend(_Candidate(m.span, refs, 0) for m in action.metrics)
        for index, flow in enumerate(bp.flows):
            if flow.implicit:
                continue
            refs = (flow_ref(index), action_ref(flow.source), action_ref(flow.target))
            mentions = (f"`{flow.source}`", f"`{flow.target}`")
            found.append(_Candidate(flow.span, refs, 2, mentions))
        for index, evidence in enumerate(bp.evidence):
            found.append(_Candidate(evidence.span, (evidence_ref(index),), 1))
        for step in bp.steps:
            refs = (
                step_ref(step.index),
                *(action_ref(a.key) for a in in_step.get(step.index, ())),
            )
            found.append(_Candidate(step.span, refs, 3))
        self._candidates = found
        self._path = bp.path
        # The candidates by each line their span touches (their numbers in `found`, in
        # order), so a diagnostic is checked against those on its lines, not all of them.
        self._by_line = group_by(
            (line, number) for number, c in enumerate(found) for line in _lines(c.span)
        )

    def refs_for(self, diagnostic: Diagnostic) -> tuple[str, ...]:
        """The refs a diagnostic points at, most specific first; () when none."""
        span = diagnostic.span
        if span.file != self._path:
            return ()
        near: set[int] = set()
        for line in _lines(span):
            near.update(self._by_line.get(line, ()))
        hits = [
            self._candidates[n] for n in sorted(near) if _overlaps(span, self._candidates[n].span)
        ]
        if not hits:
            return ()
        rank = min(c.rank for c in hits)
        group = [c for c in hits if c.rank == rank]
        # Prefer the element whose span is exactly the diagnostic's, then (for the flows of
        # one `-> a, b`, which share a start) the ones the message names, then the smallest.
        group = [c for c in group if c.span == span] or group
        named = [
            c for c in group if c.mentions and all(m in diagnostic.message for m in c.mentions)
        ]
        group = named or group
        smallest = min(_size(c.span) for c in group)
        refs: list[str] = []
        for candidate in group:
            if _size(candidate.span) == smallest:
                refs.extend(r for r in candidate.refs if r not in refs)
        return tuple(refs)
