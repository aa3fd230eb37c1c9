"""The key under the legend: what every badge on the drawing stands for, written out.

Badges are numbered in the model's action order: fail points F1, F2…, waits W1…,
moments of truth ★1…, detail links ↗1…, so a printed blueprint says what fails and how
it is recovered ("F1 No table ready → Offer a bar seat and a drink"), how long each wait
is against its standard ("W1 0m–10m, standard 10m"), why a moment matters and where its
detail lives. Notes, which have no badge, are listed under their action's name.

Each entry is one text with its badge's number first; the legend just above shows each
badge's shape and colour. One text per entry, and no more words than it needs, keeps
Graphviz's work on the key of a long blueprint (two entries a step is common) small:
every label costs a node and a measured text. Entries run left to right in columns
across the width and wrap; the key grows as tall as it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.blueprint import Action, Blueprint
from .geometry import KeyEntry, Rect, Text
from .metrics import even
from .text import fmt_duration, text_width, units_for, wrap
from .words import word

KEY_FONT = 9.5
KEY_LINE_H = 12.0
COLUMN_W = 320.0
ROW_GAP = 5.0
GAP = "\u2002"  # an en space between the badge and the entry: wider than a space
PAD = 12.0
KINDS = ("fail", "wait", "moment", "detail", "trigger", "note")
TRIGGER = "↯"  # a zigzag arrow: the action starts by itself (in DejaVu and Noto fonts)


@dataclass
class Numbers:
    """The badge numbers of one action."""

    fails: list[int] = field(default_factory=list)
    wait: int = 0
    moment: int = 0
    detail: int = 0
    trigger: int = 0


def number_badges(bp: Blueprint) -> dict[str, Numbers]:
    """Each action's badge numbers, counted in the model's action order."""
    counts = dict.fromkeys(KINDS, 0)
    out: dict[str, Numbers] = {}
    for a in bp.actions:
        n = Numbers()
        for _ in a.fails:
            counts["fail"] += 1
            n.fails.append(counts["fail"])
        if a.wait is not None:
            counts["wait"] += 1
            n.wait = counts["wait"]
        if a.moment:
            counts["moment"] += 1
            n.moment = counts["moment"]
        if a.detail:
            counts["detail"] += 1
            n.detail = counts["detail"]
        if a.trigger is not None:
            counts["trigger"] += 1
            n.trigger = counts["trigger"]
        out[a.key] = n
    return out


def fail_badge(numbers: list[int]) -> str:
    """F1; F1,2 for two fail points on one box; F3–5 for three or more."""
    if len(numbers) == 1:
        return f"F{numbers[0]}"
    if len(numbers) == 2:
        return f"F{numbers[0]},{numbers[1]}"
    return f"F{numbers[0]}–{numbers[-1]}"


def _texts(a: Action, n: Numbers, locale: str) -> list[tuple[str, str, str]]:
    """(kind, badge text, entry text) for each key entry of one action."""
    out: list[tuple[str, str, str]] = []
    for number, fail in zip(n.fails, a.fails, strict=True):
        recovery = fail.recover or word("no_recovery", locale)
        out.append(("fail", f"F{number}", f"{fail.what} → {recovery}"))
    if a.wait is not None:
        wait = fmt_duration(a.wait.text)
        if a.standard is not None:
            wait += f", {word('standard_full', locale)} {fmt_duration(a.standard.text)}"
        else:
            wait += f", {word('no_standard', locale)}"
        out.append(("wait", f"W{n.wait}", wait))
    if a.moment:
        out.append(("moment", f"★{n.moment}", a.moment_note or word("moment", locale)))
    if a.detail:
        out.append(("detail", f"↗{n.detail}", f"{a.label} → {a.detail}"))
    if a.trigger is not None:
        why = f": {a.trigger}" if a.trigger else ""
        starts = word("starts_itself", locale)
        out.append(("trigger", f"{TRIGGER}{n.trigger}", starts[:1].upper() + starts[1:] + why))
    for note in a.notes:
        out.append(("note", word("note", locale), f"{a.label}: {note}"))
    return out


def _lines(badge: str, text: str, units: int) -> list[str]:
    """The entry wrapped, its badge first and set off by an en space."""
    lines = wrap(f"{badge} {text}", units, 40)
    lines[0] = badge + GAP + lines[0][len(badge) + 1 :]
    return lines


def key_entries(
    bp: Blueprint, numbers: dict[str, Numbers], top: float, width: float
) -> tuple[tuple[KeyEntry, ...], float]:
    """The key's entries placed from `top` in a drawing `width` wide, and its height."""
    loc = bp.header.locale
    raw = [(a.key, *t) for a in bp.actions for t in _texts(a, numbers[a.key], loc)]
    if not raw:
        return (), 0.0
    ncols = max(1, int((width - 2 * PAD) // COLUMN_W))
    col_w = (width - 2 * PAD) / ncols
    units = units_for(col_w - 12, KEY_FONT)
    wrapped = [(key, kind, badge, _lines(badge, text, units)) for key, kind, badge, text in raw]
    entries: list[KeyEntry] = []
    y = top + PAD
    for row in range(0, len(wrapped), ncols):
        cells = wrapped[row : row + ncols]
        row_h = max(len(c[3]) for c in cells) * KEY_LINE_H
        for i, (key, kind, badge, lines) in enumerate(cells):
            x = PAD + i * col_w
            tw = even(max(text_width(line, KEY_FONT) for line in lines) + 4)
            rect = Rect(x, y, x + tw, y + len(lines) * KEY_LINE_H)
            entries.append(KeyEntry(kind, key, badge, Text(tuple(lines), rect, KEY_FONT)))
        y += row_h + ROW_GAP
    return tuple(entries), y - top + PAD - ROW_GAP
