"""The compiled model as JSON (`bpc export --to json`); schema in schemas/export.schema.json."""

from __future__ import annotations

import json
from typing import Any

from ..analysis.figures import analyse, json_number
from ..core.spans import Span
from ..core.version import __version__
from ..model.blueprint import Action, Blueprint, Duration, Quantity

EXPORT_SCHEMA_VERSION = 1


def _span(span: Span | None) -> dict[str, int] | None:
    if span is None:
        return None
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def _duration(value: Duration | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "text": value.text,
        "min_seconds": json_number(value.min_seconds),
        "max_seconds": json_number(value.max_seconds),
    }


def _quantity(value: Quantity | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"text": value.text, "kind": value.kind, "value": json_number(value.value)}


def _action(action: Action) -> dict[str, Any]:
    return {
        "key": action.key,
        "id": action.id,
        "label": action.label,
        "zone": action.zone.value,
        "lane": action.lane,
        "step_index": action.step_index,
        "role": action.role,
        "duration": _duration(action.duration),
        "standard": _duration(action.standard),
        "wait": _duration(action.wait),
        "fails": [
            {"what": f.what, "recover": f.recover, "span": _span(f.span)} for f in action.fails
        ],
        "decision": action.decision,
        "moment": action.moment,
        "moment_note": action.moment_note,
        "emotion": action.emotion,
        "cost": None if action.cost is None else json_number(action.cost),
        "metrics": [
            {
                "name": m.name,
                "value": _quantity(m.value),
                "target": _quantity(m.target),
                "direction": "<=" if m.lower_is_better else ">=",
            }
            for m in action.metrics
        ],
        "notes": list(action.notes),
        "detail": action.detail,
        "trigger": action.trigger,
        "parallel_group": action.parallel_group,
        "span": _span(action.span),
    }


def to_json_data(bp: Blueprint) -> dict[str, Any]:
    header = bp.header
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "generator": f"bpc {__version__}",
        "source": bp.path,
        "blueprint": {
            "title": header.title,
            "id": header.id,
            "version": header.version,
            "owner": header.owner,
            "persona": header.persona,
            "description": header.description,
            "locale": header.locale,
            "target": _duration(header.target),
            "currency": header.currency,
            "scope": header.scope,
        },
        "phases": [
            {"label": p.label, "first_step": p.first_step, "last_step": p.last_step}
            for p in bp.phases
        ],
        "lanes": [
            {"id": lane.id, "label": lane.label, "zone": lane.zone.value, "declared": lane.declared}
            for lane in bp.lanes
        ],
        "steps": [
            {
                "index": s.index,
                "id": s.id,
                "label": s.label,
                "phase": s.phase,
                "span": _span(s.span),
            }
            for s in bp.steps
        ],
        "actions": [_action(a) for a in bp.actions],
        "evidence": [
            {"id": e.id, "label": e.label, "step_index": e.step_index, "span": _span(e.span)}
            for e in bp.evidence
        ],
        "flows": [
            {
                "source": f.source,
                "target": f.target,
                "kind": f.kind.name_,
                "arrow": f.kind.value,
                "label": f.label,
                "implicit": f.implicit,
                "crosses": [line.value for line in f.crosses],
                "share": f.share,
            }
            for f in bp.flows
        ],
        "parallel_groups": [
            {"index": g.index, "step_index": g.step_index, "actions": list(g.keys)}
            for g in bp.parallel_groups
        ],
        "analysis": analyse(bp).to_json(),
    }


def to_json(bp: Blueprint) -> str:
    return json.dumps(to_json_data(bp), ensure_ascii=False, indent=2) + "\n"
