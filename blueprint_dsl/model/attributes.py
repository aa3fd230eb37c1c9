"""Header fields and action attributes: what each accepts, and reading it into the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import Message, msg
from ..core.spans import Span
from ..core.suggest import closest
from ..language import ast
from ..language.keywords import canonical, chinese
from . import values
from .blueprint import Action, Duration, FailPoint, Header, Metric, Quantity
from .locale import LOCALES


class _Bad(Exception):
    def __init__(self, message: Message, span: Span) -> None:
        super().__init__(message.render())
        self.message = message
        self.span = span


def _one_string(field: ast.Field) -> str:
    if len(field.values) != 1 or field.values[0].kind != "string":
        raise _Bad(msg("attr.takes-text", name=field.name.text), _args_span(field))
    return field.values[0].text


def _duration(field: ast.Field, allow_range: bool) -> Duration:
    if len(field.values) != 1 or field.values[0].kind not in ("quantity", "range"):
        raise _Bad(msg("attr.takes-duration", name=field.name.text), _args_span(field))
    value = field.values[0]
    if value.kind == "range" and not allow_range:
        raise _Bad(msg("attr.takes-single-duration", name=field.name.text), value.span)
    try:
        return values.duration(value.text, value.low, value.high)
    except values.BadValue as error:
        raise _Bad(error.message, value.span) from None


def _no_args(field: ast.Field) -> None:
    if field.values:
        raise _Bad(msg("attr.takes-no-value", name=field.name.text), _args_span(field))


def _args_span(field: ast.Field) -> Span:
    if field.values:
        return field.values[0].span.to(field.values[-1].span)
    return field.name.span


class FieldSpec(NamedTuple):
    """How one header field or attribute is written and applied."""

    form: str  # how it is written, for help texts
    apply: Callable[[ast.Field, object], None]
    repeatable: bool = False


# ---- header fields ---------------------------------------------------------------


def _set_header_text(name: str) -> Callable[[ast.Field, object], None]:
    def apply(field: ast.Field, header: object) -> None:
        setattr(header, name, _one_string(field))

    return apply


def _header_locale(field: ast.Field, header: object) -> None:
    if len(field.values) != 1 or field.values[0].kind not in ("name", "string"):
        raise _Bad(msg("header.locale-takes"), _args_span(field))
    value = canonical(field.values[0].text)
    if value not in LOCALES:
        raise _Bad(msg("header.unknown-locale", value=value), field.values[0].span)
    assert isinstance(header, Header)
    header.locale = value


def _header_target(field: ast.Field, header: object) -> None:
    assert isinstance(header, Header)
    header.target = _duration(field, allow_range=False)


def _header_scope(field: ast.Field, header: object) -> None:
    """`scope internal` (范围 内部): a blueprint of backstage work with no customer (0.2)."""
    if len(field.values) != 1 or field.values[0].kind not in ("name", "string"):
        raise _Bad(msg("header.scope-takes"), _args_span(field))
    value = canonical(field.values[0].text)
    if value not in ("internal", "customer"):
        raise _Bad(msg("header.unknown-scope", value=value), field.values[0].span)
    assert isinstance(header, Header)
    header.scope = value


HEADER_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec('id "BP-01"', _set_header_text("id")),
    "version": FieldSpec('version "A/0"', _set_header_text("version")),
    "owner": FieldSpec('owner "Service manager"', _set_header_text("owner")),
    "persona": FieldSpec('persona "Who the customer is"', _set_header_text("persona")),
    "description": FieldSpec('description "…"', _set_header_text("description")),
    "locale": FieldSpec("locale en|zh", _header_locale),
    "target": FieldSpec("target 2h", _header_target),
    "currency": FieldSpec('currency "CNY"', _set_header_text("currency")),
    "scope": FieldSpec("scope internal", _header_scope),
}


# ---- action attributes -------------------------------------------------------------


def _act(target: object) -> Action:
    assert isinstance(target, Action)
    return target


def _role(field: ast.Field, action: object) -> None:
    _act(action).role = _one_string(field)


def _duration_attr(field: ast.Field, action: object) -> None:
    _act(action).duration = _duration(field, allow_range=True)


def _standard(field: ast.Field, action: object) -> None:
    _act(action).standard = _duration(field, allow_range=False)


def _wait(field: ast.Field, action: object) -> None:
    _act(action).wait = _duration(field, allow_range=True)


def _fail(field: ast.Field, action: object) -> None:
    vals = field.values
    ok = len(vals) == 1 and vals[0].kind == "string"
    ok = ok or (
        len(vals) == 3
        and vals[0].kind == "string"
        and vals[1].kind == "name"
        and canonical(vals[1].text) == "recover"
        and vals[2].kind == "string"
    )
    if not ok:
        raise _Bad(msg("attr.fail-form"), _args_span(field))
    recover = vals[2].text if len(vals) == 3 else None
    _act(action).fails.append(FailPoint(vals[0].text, recover, field.span))


def _decision(field: ast.Field, action: object) -> None:
    _no_args(field)
    _act(action).decision = True


def _moment(field: ast.Field, action: object) -> None:
    if field.values and (len(field.values) != 1 or field.values[0].kind != "string"):
        raise _Bad(msg("attr.moment-form"), _args_span(field))
    act = _act(action)
    act.moment = True
    act.moment_note = field.values[0].text if field.values else None


def _emotion(field: ast.Field, action: object) -> None:
    if len(field.values) != 1 or field.values[0].kind != "quantity":
        raise _Bad(msg("attr.emotion-form"), _args_span(field))
    value = field.values[0]
    try:
        number = values.integer(value.text)
    except values.BadValue as error:
        if error.message.id == "value.too-large":  # beyond any number bpc reads
            raise _Bad(msg("value.too-large", text=value.text, limit="±2"), value.span) from None
        raise _Bad(msg("attr.emotion-not-whole", problem=error.message), value.span) from None
    if not -2 <= number <= 2:
        raise _Bad(msg("attr.emotion-range", value=value.text), value.span)
    _act(action).emotion = number


def _cost(field: ast.Field, action: object) -> None:
    if len(field.values) != 1 or field.values[0].kind != "quantity":
        raise _Bad(msg("attr.cost-form"), _args_span(field))
    try:
        _act(action).cost = values.number(field.values[0].text)
    except values.BadValue as error:
        raise _Bad(error.message, field.values[0].span) from None


def _metric_value(value: ast.Value) -> Quantity:
    if value.kind != "quantity":
        raise _Bad(msg("attr.metric-value"), value.span)
    try:
        return values.quantity(value.text)
    except values.BadValue as error:
        raise _Bad(error.message, value.span) from None


def _metric(field: ast.Field, action: object) -> None:
    """`metric "name" V [target [>=|<=] V]`: `<=` says lower is better (0.2)."""
    vals = list(field.values)
    lower = False
    if len(vals) == 5 and vals[3].kind == "compare":
        lower = vals[3].text == "<="
        del vals[3]
    shape = [v.kind for v in vals]
    form = msg("attr.metric-form")
    if shape not in (["string", "quantity"], ["string", "quantity", "name", "quantity"]):
        raise _Bad(form, _args_span(field))
    if len(vals) == 4 and canonical(vals[2].text) != "target":
        raise _Bad(form, vals[2].span)
    target = _metric_value(vals[3]) if len(vals) == 4 else None
    value = _metric_value(vals[1])
    if target is not None and target.kind != value.kind:
        raise _Bad(msg("attr.metric-target-kind"), vals[3].span)
    _act(action).metrics.append(Metric(vals[0].text, value, target, field.span, lower))


def _note(field: ast.Field, action: object) -> None:
    _act(action).notes.append(_one_string(field))


def _detail(field: ast.Field, action: object) -> None:
    _act(action).detail = _one_string(field)


def _trigger(field: ast.Field, action: object) -> None:
    """`trigger` or `trigger "the balance runs low"`: a contact the company starts (0.2)."""
    if field.values and (len(field.values) != 1 or field.values[0].kind != "string"):
        raise _Bad(msg("attr.trigger-form"), _args_span(field))
    _act(action).trigger = field.values[0].text if field.values else ""


ATTRIBUTES: dict[str, FieldSpec] = {
    "role": FieldSpec('role "Cashier"', _role),
    "duration": FieldSpec("duration 5m  or  duration 5m..10m", _duration_attr),
    "standard": FieldSpec("standard 10m", _standard),
    "wait": FieldSpec("wait 5m  or  wait 0m..10m", _wait),
    "fail": FieldSpec('fail "what goes wrong" recover "recovery"', _fail, repeatable=True),
    "decision": FieldSpec("decision", _decision),
    "moment": FieldSpec('moment  or  moment "why"', _moment),
    "emotion": FieldSpec("emotion -2 … +2", _emotion),
    "cost": FieldSpec("cost 12.5", _cost),
    "metric": FieldSpec(
        'metric "name" 62% target 80%  or  metric "name" 2% target <= 5%', _metric, repeatable=True
    ),
    "note": FieldSpec('note "…"', _note, repeatable=True),
    "detail": FieldSpec('detail "other.bp"', _detail),
    "trigger": FieldSpec('trigger  or  trigger "what starts it"', _trigger),
}


def apply_fields(
    fields: tuple[ast.Field, ...],
    specs: dict[str, FieldSpec],
    target: object,
    what: str,
    diagnostics: list[Diagnostic],
) -> dict[str, Span]:
    """Apply every field to `target`; report unknown (BP102), repeated (BP102) and bad (BP101)."""
    seen: dict[str, Span] = {}
    for field in fields:
        written = field.name.text
        name = canonical(written)
        spec = specs.get(name)
        if spec is None:
            choices = {n: n for n in specs}
            if not written.isascii():  # suggest Chinese forms for a Chinese name
                choices = {chinese(n) or n: n for n in specs}
            close = closest(written, choices, cutoff=0.5)
            known = ", ".join(sorted(specs))
            diagnostics.append(
                Diagnostic.of(
                    "BP102",
                    Severity.ERROR,
                    msg("attribute.unknown", name=written)
                    if what == "attribute"
                    else msg("header.unknown-field", name=written),
                    field.name.span,
                    msg("hint.did-you-mean", name=close)
                    if close
                    else msg("attribute.known", names=known)
                    if what == "attribute"
                    else msg("header.known-fields", names=known),
                )
            )
            continue
        if name in seen and not spec.repeatable:
            diagnostics.append(
                Diagnostic.of(
                    "BP102",
                    Severity.ERROR,
                    msg("attribute.twice", name=written, line=seen[name].line)
                    if what == "attribute"
                    else msg("header.field-twice", name=written, line=seen[name].line),
                    field.name.span,
                    msg("hint.keep-one"),
                    ((msg("note.first-given"), seen[name]),),
                )
            )
            continue
        try:
            spec.apply(field, target)
        except _Bad as bad:
            diagnostics.append(
                Diagnostic.of(
                    "BP101",
                    Severity.ERROR,
                    bad.message,
                    bad.span,
                    msg("hint.write-as", form=spec.form),
                )
            )
            continue
        seen.setdefault(name, field.span)
    return seen
