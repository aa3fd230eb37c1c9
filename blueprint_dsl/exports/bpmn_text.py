"""The words of the BPMN export: event names, the documentation of actions and of the
pool, fail-point annotations, `calledElement` names, and what BPMN cannot show."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.blueprint import Action, Blueprint, FailPoint, FlowKind
from . import common as c
from . import losses


@dataclass(frozen=True)
class Words:
    start: str
    end: str
    fail: str
    recover: str


_WORDS = {
    "en": Words("Start", "End", "Fail", "recover"),
    "zh": Words("开始", "结束", "失败点", "补救"),
}


def words(bp: Blueprint) -> Words:
    return _WORDS.get(bp.header.locale, _WORDS["en"])


def fail_text(bp: Blueprint, fail: FailPoint) -> str:
    """ "Fail: No table ready → recover: Offer a bar seat" (the recovery only if given)."""
    w = words(bp)
    sep = "：" if bp.header.locale == "zh" else ": "
    text = f"{w.fail}{sep}{fail.what}"
    if fail.recover:
        text += f" → {w.recover}{sep}{fail.recover}"
    return text


_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def called_element(target: str) -> str:
    """The `detail` target as an XML name (`calledElement` is a QName): letters, digits,
    `_.-` kept, every other run a `_`, with a `_` in front where a name cannot start.
    The target itself is in the activity's documentation."""
    name = _NOT_NAME.sub("_", target).strip("_") or "detail"
    return name if re.match(r"[A-Za-z_]", name) else f"_{name}"


def action_documentation(action: Action) -> list[str]:
    """What bpc knows of an action beyond its label, one fact a line."""
    lines: list[str] = []
    if action.role is not None:
        lines.append(f"Role: {action.role}")
    if action.duration is not None:
        lines.append(f"Duration: {action.duration.text}")
    if action.standard is not None:
        lines.append(f"Standard: {action.standard.text}")
    if action.wait is not None:
        lines.append(f"Wait: {action.wait.text}")
    if action.moment:
        note = f": {action.moment_note}" if action.moment_note else ""
        lines.append(f"Moment of truth{note}")
    if action.emotion is not None:
        lines.append(f"Emotion: {action.emotion:+d}")
    if action.cost is not None:
        lines.append(f"Cost: {action.cost:g}")
    for metric in action.metrics:
        target = f" (target {metric.target.text})" if metric.target is not None else ""
        lines.append(f"Metric: {metric.name} {metric.value.text}{target}")
    lines += [f"Note: {note}" for note in action.notes]
    if action.detail is not None:
        lines.append(f"Detail: {action.detail}")
    return lines


def header_documentation(bp: Blueprint) -> list[str]:
    header = bp.header
    fields = (
        ("Id", header.id),
        ("Version", header.version),
        ("Owner", header.owner),
        ("Persona", header.persona),
        ("Target", header.target.text if header.target is not None else None),
        ("Description", header.description),
        ("Source", bp.path),
    )
    return [f"{name}: {value}" for name, value in fields if value]


def _documented(bp: Blueprint) -> str | None:
    kinds = [
        ("durations and standards", any(a.duration or a.standard for a in bp.actions)),
        ("waits (W markers)", any(a.wait for a in bp.actions)),
        ("moments of truth", any(a.moment for a in bp.actions)),
        ("roles", any(a.role for a in bp.actions)),
        ("emotions", any(a.emotion is not None for a in bp.actions)),
        ("costs", any(a.cost is not None for a in bp.actions)),
        ("metrics", any(a.metrics for a in bp.actions)),
        ("notes", any(a.notes for a in bp.actions)),
    ]
    present = [name for name, used in kinds if used]
    if not present:
        return None
    return (
        f"The {c.some(present, 8)} are not drawn: each is a line of its action's "
        "documentation, which BPMN tools show in the properties panel."
    )


def _columns(bp: Blueprint) -> str | None:
    if not bp.steps:
        return None
    return (
        f"The {c.plural(len(bp.steps), 'step')} keep their columns, but the step headers "
        "are not drawn (BPMN has no columns); phases are groups around their steps."
    )


def _two_way(bp: Blueprint) -> str | None:
    count = sum(1 for f in bp.flows if f.kind is FlowKind.TWO_WAY)
    if not count:
        return None
    return (
        f"Two-way interactions ({c.plural(count, 'flow')} written <->) are one-way sequence "
        "flows, from the first action to the second."
    )


def _info(bp: Blueprint) -> str | None:
    count = sum(1 for f in bp.flows if f.kind is FlowKind.INFO)
    if not count:
        return None
    return (
        f"Information flows ({c.plural(count, 'flow')} written -->) are directed "
        "associations, not sequence flows: they carry no token."
    )


def _details(bp: Blueprint) -> str | None:
    gateways = [c.quoted(a.label) for a in bp.actions if a.detail is not None and a.decision]
    calls = [a for a in bp.actions if a.detail is not None and not a.decision]
    sentences = []
    if calls:
        sentences.append(
            f"Detail links ({c.plural(len(calls), 'call activity', 'call activities')}) "
            "name their target as an XML name in calledElement; the path itself is in the "
            "documentation."
        )
    if gateways:
        sentences.append(f"Detail links of decisions are only documentation: {c.some(gateways)}.")
    return " ".join(sentences) or None


def _renamed(bp: Blueprint, renamed: Sequence[tuple[str, str]]) -> str | None:
    if not renamed:
        return None
    shown = c.some([f"{old} → {new}" for old, new in renamed], 4)
    return (
        "BPMN ids are ASCII names with a prefix per kind (Action_, Lane_, Evidence_); ids "
        f"that are not were numbered (the mapping is in a comment at the top): {shown}."
    )


def lost(bp: Blueprint, renamed: Sequence[tuple[str, str]]) -> list[str]:
    sentences = losses.lost_sentences(bp, "BPMN", [losses.LINES])
    for sentence in (
        _columns(bp),
        _documented(bp),
        _info(bp),
        _two_way(bp),
        _details(bp),
        _renamed(bp, renamed),
    ):
        if sentence:
            sentences.append(sentence)
    return [c.plain(sentence) for sentence in sentences]
