"""A long blueprint drawn in rows of N steps (`bpc render --wrap N`), or one row per page.

Each row is the blueprint cut to its steps and laid out on its own grid, so every row has
its lane names, zone labels and the three lines. The first row carries the header band;
badges keep the numbers of the whole blueprint, and the legend and key come once, under
the last row. A flow between two rows is drawn as a pair of connector badges: "→ 12" on
its source (it continues at step 12) and "7 →" on its target (it comes from step 7).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ..model.blueprint import Blueprint, Phase
from .frame import LINE_SAMPLES
from .geometry import KeyEntry, Layout, LegendItem, LineMark, Marker, Rect
from .header_band import band_text
from .key import key_entries, number_badges
from .layout import compute_layout
from .legend import Entry, entries_of, place_legend
from .metrics import BADGE_H, BOX_W, LABEL_W, MIN_GUTTER, RIGHT_MARGIN, even
from .text import text_width

ROW_GAP = 24.0


@dataclasses.dataclass(frozen=True)
class Row:
    """One row: the blueprint cut to some steps, and where its flows and evidence were."""

    blueprint: Blueprint
    flow_index: list[int]  # row flow position -> position in the whole blueprint
    evidence_index: list[int]


def split_rows(bp: Blueprint, per_row: int) -> list[Row]:
    """The blueprint cut into rows of `per_row` steps (the last row may be shorter)."""
    steps = sorted(bp.steps, key=lambda s: s.index)
    rows = []
    for start in range(0, len(steps), per_row):
        chunk = steps[start : start + per_row]
        first, last = chunk[0].index, chunk[-1].index
        inside = {s.index for s in chunk}
        actions = [a for a in bp.actions if a.step_index in inside]
        keys = {a.key for a in actions}
        flows = [(i, f) for i, f in enumerate(bp.flows) if f.source in keys and f.target in keys]
        evidence = [(i, e) for i, e in enumerate(bp.evidence) if e.step_index in inside]
        phases = [
            Phase(p.label, p.span, max(p.first_step, first), min(p.last_step, last))
            for p in bp.phases
            if p.first_step <= last and p.last_step >= first
        ]
        sub = Blueprint(
            bp.path,
            bp.header,
            bp.lanes,
            phases,
            chunk,
            actions,
            [e for _, e in evidence],
            [f for _, f in flows],
            [g for g in bp.parallel_groups if g.step_index in inside],
        )
        rows.append(Row(sub, [i for i, _ in flows], [i for i, _ in evidence]))
    return rows


def _shift(value: Any, dy: float, name: str = "") -> Any:
    """`value` (layout data) moved down by `dy` points."""
    if isinstance(value, Rect):
        return Rect(value.x0, value.y0 + dy, value.x1, value.y1 + dy)
    if name == "parts":
        return tuple(tuple((x, y + dy) for x, y in part) for part in value)
    if isinstance(value, float | int) and name in ("y", "zero_y"):
        return value + dy
    if type(value) is tuple:  # not a NamedTuple of the model: those hold no coordinates
        return tuple(_shift(v, dy) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _shift(getattr(value, f.name), dy, f.name) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def _connectors(bp: Blueprint, rows: Sequence[Row], layouts: Sequence[Layout]) -> list[Marker]:
    """Connector badges for the flows between rows, on the (already shifted) boxes."""
    row_of = {a.key: r for r, row in enumerate(rows) for a in row.blueprint.actions}
    rects = {a.key: a.rect for lay in layouts for a in lay.actions}
    out = []
    for flow in bp.flows:
        src, dst = flow.source, flow.target
        if src not in rects or dst not in rects or row_of[src] == row_of[dst]:
            continue
        source, target = bp.action(src), bp.action(dst)
        tip = f"{source.label} → {target.label}"
        text = f"→ {target.step_index}"
        r = rects[src]
        w = even(text_width(text, 9.0) + 12)
        rect = Rect(r.x1 - w / 2, r.cy - BADGE_H / 2, r.x1 + w / 2, r.cy + BADGE_H / 2)
        out.append(Marker("link", src, rect, text, 9.0, tip, None))
        text = f"{source.step_index} →"
        r = rects[dst]
        w = even(text_width(text, 9.0) + 12)
        rect = Rect(r.x0 - w / 2, r.cy - BADGE_H / 2, r.x0 + w / 2, r.cy + BADGE_H / 2)
        out.append(Marker("link", dst, rect, text, 9.0, tip, None))
    return out


def _legend_entries(legends: Sequence[tuple[LegendItem, ...]]) -> list[Entry]:
    """Every legend item any row uses, once, in legend order."""
    seen: dict[str, LegendItem] = {}
    for legend in legends:
        for item in legend:
            seen.setdefault(item.kind, item)
    order = [*LINE_SAMPLES, "decision", "evidence", "fail", "wait", "moment", "detail"]
    order += ["trigger", "parallel", "critical"]
    return entries_of([seen[k] for k in order if k in seen])


def _full_width(mark: LineMark, width: float) -> LineMark:
    """A line across the whole drawing, its right-hand label at the drawing's right edge."""
    left, right = mark.labels
    moved = Rect(width - right.rect.w - 6, right.rect.y0, width - 6, right.rect.y1)
    return dataclasses.replace(
        mark, x1=width, labels=(left, dataclasses.replace(right, rect=moved))
    )


def row_layouts(bp: Blueprint, per_row: int, with_key: bool = True) -> list[Layout]:
    """Each row of `bp` laid out on its own (from y = 0): the first with the header band,
    the last with the legend (and, `with_key`, the key) of the whole blueprint, each with
    its connectors."""
    rows = split_rows(bp, per_row)
    if len(rows) <= 1:
        return [compute_layout(bp)]
    numbers = number_badges(bp)
    widest = max(len(r.blueprint.steps) for r in rows)
    band = band_text(bp, LABEL_W + widest * (BOX_W + MIN_GUTTER) + MIN_GUTTER + RIGHT_MARGIN)
    layouts: list[Layout] = []
    legends: list[tuple[LegendItem, ...]] = []
    for n, row in enumerate(rows):
        own = band if n == 0 else None
        lay = compute_layout(row.blueprint, numbers=numbers, band=own, with_key=False)
        routes = tuple(dataclasses.replace(r, index=row.flow_index[r.index]) for r in lay.routes)
        evidence = tuple(
            dataclasses.replace(e, index=row.evidence_index[e.index]) for e in lay.evidence
        )
        legends.append(lay.legend)
        layouts.append(dataclasses.replace(lay, routes=routes, evidence=evidence, legend=()))
    connectors = _connectors(bp, rows, layouts)
    for n, lay in enumerate(layouts):
        keys = {a.key for a in lay.actions}
        extra = tuple(m for m in connectors if m.owner in keys)
        layouts[n] = dataclasses.replace(lay, markers=lay.markers + extra)
    last = layouts[-1]
    width = max(lay.width for lay in layouts)
    items, legend_h = place_legend(_legend_entries(legends), last.legend_top, width)
    key_top = last.legend_top + legend_h
    key, key_h = key_entries(bp, numbers, key_top, width) if with_key else ((), 0.0)
    layouts[-1] = dataclasses.replace(
        last, height=key_top + key_h, legend=items, key=key, width=max(last.width, width)
    )
    return layouts


def key_pages(bp: Blueprint, width: float, page: tuple[float, float]) -> list[Layout]:
    """The key of `bp` alone, `width` points wide, cut into pages of the `page` aspect."""
    entries, _ = key_entries(bp, number_badges(bp), 0.0, width)
    if not entries:
        return []
    page_h = width * page[1] / page[0]
    pages: list[list[KeyEntry]] = [[]]
    top = 0.0
    for entry in entries:
        if entry.text.rect.y0 - top + 30 > page_h and pages[-1]:
            pages.append([])
            top = entry.text.rect.y0 - 12
        pages[-1].append(_shift(entry, -top))
    blank = compute_layout(Blueprint(bp.path, bp.header, [], [], [], [], [], []), band=None)
    return [
        dataclasses.replace(
            blank,
            width=width,
            height=page_h,
            bands=(),
            zone_labels=(),
            lane_labels=(),
            lines=(),
            phases=(),
            steps=(),
            legend=(),
            key=tuple(chunk),
        )
        for chunk in pages
    ]


def wrapped_layout(bp: Blueprint, per_row: int) -> Layout:
    """`bp` laid out in rows of `per_row` steps, stacked into one drawing."""
    layouts = row_layouts(bp, per_row)
    if len(layouts) == 1:
        return layouts[0]
    shifted: list[Layout] = []
    y = 0.0
    for n, lay in enumerate(layouts):
        shifted.append(_shift(lay, y))
        gap = ROW_GAP - (lay.height - lay.legend_top)  # a row's empty legend slot goes
        y += lay.height + (gap if n < len(layouts) - 1 else 0)
    width = max(lay.width for lay in shifted)
    first = shifted[0]

    def joined(field: str) -> tuple[Any, ...]:
        return tuple(item for lay in shifted for item in getattr(lay, field))

    return dataclasses.replace(
        first,
        width=width,
        height=y,
        bands=tuple(
            dataclasses.replace(b, rect=Rect(0, b.rect.y0, width, b.rect.y1))
            for b in joined("bands")
        ),
        zone_labels=joined("zone_labels"),
        lane_labels=joined("lane_labels"),
        lines=tuple(_full_width(m, width) for m in joined("lines")),
        phases=joined("phases"),
        steps=joined("steps"),
        columns=joined("columns"),
        actions=joined("actions"),
        evidence=joined("evidence"),
        markers=joined("markers"),
        routes=joined("routes"),
        legend=joined("legend"),
        legend_top=shifted[-1].legend_top,
        key=joined("key"),
        emotion=joined("emotion"),
        parallel=joined("parallel"),
    )
