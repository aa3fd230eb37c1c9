"""The nodes drawn in the grid's cells: action boxes, their badges, the evidence notes.

Each action becomes an `ActionNode` (box or diamond, label, meta line, tooltip, detail
link) at its placed centre; its fail, wait, moment-of-truth and detail badges become
`Marker`s on the box's corners; the evidence of each step is stacked in the evidence
band under its column. Every function reads a placed `Grid` and returns layout data.
"""

from __future__ import annotations

from ..model.blueprint import Action
from .geometry import ActionNode, EvidenceNode, Marker, ParallelOutline, Rect, Text
from .grid import Box, Grid
from .key import TRIGGER, Numbers, fail_badge
from .metrics import (
    BADGE_H,
    EVIDENCE_FONT,
    EVIDENCE_GAP,
    EVIDENCE_W,
    FONT,
    LINE_H,
    META_FONT,
    META_H,
    even,
)
from .quoting import safe_link
from .text import fmt_duration, text_width
from .words import word

PARALLEL_PAD = 5.0  # the outline's distance from the boxes it holds


def action_nodes(grid: Grid) -> tuple[ActionNode, ...]:
    lanes: dict[str, str] = {}  # lane id -> its name, the first band's (as `_tooltip` looks it up)
    for spec in grid.bands:
        lanes.setdefault(spec.lane.id, spec.lane.label)
    return tuple(_action_node(grid, b, lanes) for b in grid.boxes_in_order())


def _action_node(grid: Grid, b: Box, lanes: dict[str, str]) -> ActionNode:
    a = b.action
    rect = Rect.around(b.cx, b.cy, b.w, b.h)
    text_h = len(b.lines) * LINE_H
    meta_h = META_H * len(b.meta)
    top = b.cy - (text_h + meta_h) / 2
    text = Text(tuple(b.lines), Rect(rect.x0, top, rect.x1, top + text_h), FONT)
    meta = (
        Text(tuple(b.meta), Rect(rect.x0, top + text_h, rect.x1, top + text_h + meta_h), META_FONT)
        if b.meta
        else None
    )
    url = safe_link(a.detail) if a.detail else None
    return ActionNode(a.key, a.zone, b.shape, rect, text, meta, _tooltip(grid, a, lanes), url)


def _tooltip(grid: Grid, a: Action, lanes: dict[str, str]) -> str:
    loc = grid.locale
    parts = [a.label]
    where = lanes.get(a.lane, a.lane)
    parts.append(f"{where} · {word('step', loc)} {a.step_index}")
    if a.role:
        parts.append(a.role)
    if a.duration is not None:
        dur = f"{word('duration', loc)}: {fmt_duration(a.duration.text)}"
        if a.standard is not None:
            dur += f" ({word('standard', loc)} {fmt_duration(a.standard.text)})"
        parts.append(dur)
    if a.wait is not None:
        parts.append(f"{word('wait', loc)}: {fmt_duration(a.wait.text)}")
    for fail in a.fails:
        rec = fail.recover or word("no_recovery", loc)
        parts.append(f"{word('fail', loc)}: {fail.what} → {rec}")
    if a.moment:
        parts.append(word("moment", loc) + (f": {a.moment_note}" if a.moment_note else ""))
    parts.extend(a.notes)
    if a.detail:
        parts.append(f"{word('legend_detail', loc)}: {a.detail}")
    return "\n".join(parts)


def parallel_outlines(grid: Grid) -> tuple[ParallelOutline, ...]:
    """One dashed outline per `parallel` group and lane band, around its boxes."""
    out: list[ParallelOutline] = []
    for group in grid.bp.parallel_groups:
        boxes = [grid.boxes[k] for k in group.keys if k in grid.boxes]
        if len(boxes) < 2:
            continue
        labels = ", ".join(b.action.label for b in boxes)
        tip = f"{word('legend_parallel', grid.locale)}: {labels}"
        for band in sorted({b.band for b in boxes}):
            inside = [b for b in boxes if b.band == band]
            rect = Rect(
                min(b.cx - b.w / 2 for b in inside) - PARALLEL_PAD,
                min(b.cy - b.h / 2 for b in inside) - PARALLEL_PAD,
                max(b.cx + b.w / 2 for b in inside) + PARALLEL_PAD,
                max(b.cy + b.h / 2 for b in inside) + PARALLEL_PAD,
            )
            out.append(ParallelOutline(group.index, rect, tip))
    return tuple(out)


def evidence_nodes(grid: Grid) -> tuple[EvidenceNode, ...]:
    cells, columns = grid.evidence_cells, grid.columns
    header_h, ev_h = grid.header.height, grid.evidence_h
    out = []
    for col in sorted(cells):
        cell = cells[col]
        stack = sum(e[1] for e in cell) + EVIDENCE_GAP * (len(cell) - 1)
        y = header_h + (ev_h - stack) / 2
        for lines, h, label, index in cell:
            rect = Rect(columns[col] - EVIDENCE_W / 2, y, columns[col] + EVIDENCE_W / 2, y + h)
            text = Text(tuple(lines), rect, EVIDENCE_FONT)
            out.append(EvidenceNode(index, grid.steps[col].index, rect, text, label))
            y += h + EVIDENCE_GAP
    return tuple(out)


def markers(grid: Grid, numbers: dict[str, Numbers]) -> tuple[Marker, ...]:
    """Each action's badges, numbered as in the key (F1, W1 0m–10m, ★1, ↗1)."""
    loc = grid.locale
    out: list[Marker] = []
    for b in grid.boxes_in_order():
        a = b.action
        n = numbers[a.key]
        r = Rect.around(b.cx, b.cy, b.w, b.h)
        diamond = b.shape == "diamond"
        # Anchors: top-right, top-left, bottom-left, bottom-right (edge midpoints of a diamond).
        # A diamond's badges sit in the empty corners of its bounding box.
        dx, dy = b.w * 0.3, b.h * 0.34
        tr = (b.cx + dx, b.cy - dy) if diamond else (r.x1 - 8, r.y0)
        tl = (b.cx - dx, b.cy - dy) if diamond else (r.x0 + 4, r.y0)
        bl = (b.cx - dx, b.cy + dy) if diamond else (r.x0 + 10, r.y1)
        br = (b.cx + dx, b.cy + dy) if diamond else (r.x1 - 4, r.y1)
        if a.fails:
            text = fail_badge(n.fails)
            w = even(max(18.0, text_width(text, 10.0) + 8))
            tip = "\n".join(
                f"{word('fail', loc)}: {f.what} → {f.recover or word('no_recovery', loc)}"
                for f in a.fails
            )
            out.append(Marker("fail", a.key, Rect.around(*tr, w, 18), text, 10.0, tip, None))
        if a.wait is not None:
            text = f"W{n.wait} {fmt_duration(a.wait.text)}"
            w = even(text_width(text, 9.0) + 18)  # an oval: room for the text's corners
            x0 = tl[0] - 8 if not diamond else tl[0] - w / 2
            rect = Rect(x0, tl[1] - BADGE_H / 2, x0 + w, tl[1] + BADGE_H / 2)
            tip = f"{word('wait', loc)}: {fmt_duration(a.wait.text)}"
            if a.standard is not None:
                tip += f" ({word('standard', loc)} {fmt_duration(a.standard.text)})"
            out.append(Marker("wait", a.key, rect, text, 9.0, tip, None))
        if a.moment:
            tip = word("moment", loc) + (f": {a.moment_note}" if a.moment_note else "")
            rect = Rect.around(*bl, 24, 24)
            out.append(Marker("moment", a.key, rect, str(n.moment), 8.0, tip, None))
        if a.trigger is not None:
            text = f"{TRIGGER}{n.trigger}"
            w = even(text_width(text, 9.0) + 10)
            # On the top-left corner, where a wait badge would be (or just right of one).
            x0 = tl[0] - 8 if not diamond else tl[0] - w / 2
            if a.wait is not None:
                x0 += even(text_width(f"W{n.wait} {fmt_duration(a.wait.text)}", 9.0) + 18) + 4
            rect = Rect(x0, tl[1] - BADGE_H / 2, x0 + w, tl[1] + BADGE_H / 2)
            tip = word("starts_itself", loc) + (f": {a.trigger}" if a.trigger else "")
            out.append(Marker("trigger", a.key, rect, text, 9.0, tip, None))
        if a.detail:
            text = f"↗{n.detail} {word('detail', loc)}"
            w = even(text_width(text, 9.0) + 10)
            rect = Rect(br[0] - w + 4, br[1] - BADGE_H / 2, br[0] + 4, br[1] + BADGE_H / 2)
            if diamond:
                rect = Rect.around(*br, w, BADGE_H)
            out.append(Marker("detail", a.key, rect, text, 9.0, a.detail, safe_link(a.detail)))
    return tuple(out)
