"""A `Draft` as .bp text, then through `bpc fmt`'s formatter: the file an import writes.

Keywords, zone names and attribute names are English, or Chinese for a `locale zh`
blueprint (as `samples/hospital-outpatient.zh.bp` is written). Every label passes
through the formatter's own quoting, and any control character becomes a space.
"""

from __future__ import annotations

import re
from itertools import groupby

from ..core.gc_pause import collector_paused
from ..language.formatter import format_source, quote
from ..language.keywords import chinese
from .draft import Attribute, Draft, DraftAction, DraftStep

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class WriteBug(Exception):
    """The generated text did not parse: a bug in the importer, never the user's input."""


def clean(text: str) -> str:
    """One line of label text: control characters become spaces, runs of blanks one."""
    return " ".join(_CONTROL.sub(" ", text).split())


class _Words:
    def __init__(self, locale: str) -> None:
        self.zh = locale == "zh"

    def __call__(self, english: str) -> str:
        if self.zh:
            return chinese(english) or english
        return english


def _attribute(attribute: Attribute, kw: _Words) -> str:
    parts = [kw(attribute.name)]
    for kind, text in attribute.values:
        if kind == "string":
            parts.append(quote(clean(text)))
        elif kind == "keyword":
            parts.append(kw(text))
        else:
            parts.append(text)
    return " ".join(parts)


def _action(action: DraftAction, kw: _Words, indent: str) -> list[str]:
    lines = [f"{indent}# {clean(c)}" for c in action.comments]
    head = (
        kw(action.lane)
        if action.lane in ("customer", "onstage", "backstage", "support")
        else (action.lane)
    )
    text = f"{indent}{head} {action.id + ' ' if action.id else ''}{quote(clean(action.label))}"
    for arrow, targets in groupby(action.flows, key=lambda f: f[0]):
        text += f" {arrow} " + ", ".join(t for _, t in targets)
    if action.attributes:
        text += " { " + "; ".join(_attribute(a, kw) for a in action.attributes) + " }"
    lines.append(text)
    return lines


def _step(step: DraftStep, kw: _Words, indent: str) -> list[str]:
    lines = [f"{indent}{kw('step')} {quote(clean(step.label))} {{"]
    inner = indent + "  "
    if step.evidence:
        items = ", ".join(quote(clean(e)) for e in step.evidence)
        lines.append(f"{inner}{kw('evidence')} {items}")
    for group, run in groupby(step.actions, key=lambda a: a.parallel_group):
        if group is None:
            for action in run:
                lines += _action(action, kw, inner)
            continue
        lines.append(f"{inner}{kw('parallel')} {{")
        for action in run:
            lines += _action(action, kw, inner + "  ")
        lines.append(f"{inner}}}")
    lines.append(f"{indent}}}")
    return lines


def draft_text(draft: Draft) -> str:
    """The .bp text of `draft`, not yet formatted."""
    kw = _Words(draft.locale)
    lines = [f"{kw('blueprint')} {quote(clean(draft.title))} {{"]
    if draft.locale == "zh":
        lines.append(f"  {kw('locale')} {kw('zh')}")
    lines.append("}")
    lines += [f"# {clean(c)}" for c in draft.comments]
    if draft.lanes:
        lines.append("")
    for lane in draft.lanes:
        lines.append(
            f"{kw('lane')} {lane.id} {quote(clean(lane.label))} {kw('in')} {kw(lane.zone.value)}"
        )
    for phase, steps in groupby(draft.steps, key=lambda s: s.phase):
        lines.append("")
        if phase is None:
            for step in steps:
                lines += _step(step, kw, "")
            continue
        lines.append(f"{kw('phase')} {quote(clean(phase))} {{")
        for step in steps:
            lines += _step(step, kw, "  ")
        lines.append("}")
    return "\n".join(lines) + "\n"


def write_blueprint(draft: Draft, path: str = "<import>") -> str:
    """The .bp text of `draft` in `bpc fmt`'s canonical layout."""
    text = draft_text(draft)
    with collector_paused():  # the parse allocates much that lives to the end
        formatted, problems = format_source(text, path)
    if formatted is None:
        first = problems[0] if problems else None
        raise WriteBug(f"generated text does not parse: {first}")
    return formatted
