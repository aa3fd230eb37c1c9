"""CSV: one row per action, for spreadsheets (RFC 4180).

Encoding: UTF-8 with a byte-order mark, so that Excel opens Chinese labels correctly
(without the BOM it guesses the legacy code page); Python reads it with
`encoding="utf-8-sig"`, LibreOffice and pandas skip the BOM. Rows end with CRLF as
RFC 4180 says. Column names are English and stable whatever the blueprint's locale,
so scripts can rely on them. A cell with several values (fail points, metrics, notes)
holds one value per line; `fail_points` and `recoveries` line up, with "—" for a fail
point without recovery. Language 0.2: `trigger` holds what starts a company-initiated
action ("yes" when no reason is written), `parallel_group` the number of its `parallel`
group; a metric's ceiling is written `(target <= 5%)`.
"""

from __future__ import annotations

import csv
import io

from ..model.blueprint import Action, Blueprint, Duration, Quantity
from ..model.csv_layout import CSV_COLUMNS
from . import common as c
from . import losses
from .common import ExportResult

BOM = "\ufeff"

COLUMNS = CSV_COLUMNS  # the rows layout, shared with `bpc import` (model.csv_layout)

NO_RECOVERY = "—"


def csv_cell(text: str) -> str:
    """A value as spreadsheet text: a leading =, +, - or @ cannot start a formula.

    Quoting for commas, quotes and line breaks is the csv module's (RFC 4180); this only
    defuses formula injection (a label such as `=HYPERLINK(…)`), with a leading apostrophe
    as Excel and LibreOffice expect. Other control characters become spaces.
    """
    cleaned = "".join(" " if ch != "\n" and c.is_control(ch) else ch for ch in text)
    if cleaned[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cleaned
    return cleaned


def _duration(value: Duration | None) -> str:
    return "" if value is None else value.text


def _quantity(value: Quantity) -> str:
    return value.text


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _row(bp: Blueprint, action: Action) -> list[str]:
    step = bp.steps[action.step_index - 1]
    lane = bp.lane(action.lane)
    metrics = [
        f"{m.name} {_quantity(m.value)}"
        + (
            f" (target {'<= ' if m.lower_is_better else ''}{_quantity(m.target)})"
            if m.target is not None
            else ""
        )
        for m in action.metrics
    ]
    trigger = "" if action.trigger is None else (action.trigger or "yes")
    notes = ([action.moment_note] if action.moment_note else []) + list(action.notes)
    text = csv_cell
    return [
        str(action.step_index),
        text(step.label),
        text(step.phase or ""),
        action.zone.value,
        text(lane.id),
        text(c.lane_title(bp, lane) if not lane.declared else lane.label),
        text(action.id or ""),
        text(action.label),
        text(action.role or ""),
        _duration(action.duration),
        _duration(action.wait),
        _duration(action.standard),
        text("\n".join(f.what for f in action.fails)),
        text("\n".join(f.recover or NO_RECOVERY for f in action.fails)),
        "yes" if action.decision else "",
        "yes" if action.moment else "",
        "" if action.emotion is None else str(action.emotion),
        _number(action.cost),
        text("\n".join(metrics)),
        text("\n".join(notes)),
        text(trigger),
        "" if action.parallel_group is None else str(action.parallel_group),
    ]


def export_csv(bp: Blueprint) -> ExportResult:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for action in sorted(bp.actions, key=lambda a: a.step_index):
        writer.writerow(_row(bp, action))
    lost = losses.lost_sentences(bp, "CSV", [losses.FLOWS, losses.EVIDENCE])
    header_fields = [
        name
        for name, value in (
            ("title", bp.header.title),
            ("id", bp.header.id),
            ("version", bp.header.version),
            ("owner", bp.header.owner),
            ("persona", bp.header.persona),
            ("target", bp.header.target),
        )
        if value is not None
    ]
    lost.append(
        f"The header ({c.some(header_fields, 6)}) is not in the CSV: it has one row per action."
    )
    details = sum(1 for a in bp.actions if a.detail is not None)
    if details:
        lost.append(f"Links to detail blueprints ({c.plural(details, 'action')}) are not kept.")
    return ExportResult(BOM + buffer.getvalue(), tuple(lost))
