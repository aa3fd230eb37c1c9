"""The `blueprint "Title" { … }` header: found, checked (BP103) and read into the model."""

from __future__ import annotations

from ..core.diagnostics import Diagnostic, Severity
from ..core.messages import msg
from ..core.spans import Span
from ..language import ast
from ..language.typos import keyword_typo
from .attributes import HEADER_FIELDS, apply_fields
from .blueprint import Header
from .flows import error


def read_header(
    items: list[ast.Item],
    path: str,
    default_locale: str,
    library: bool,
    diagnostics: list[Diagnostic],
) -> Header:
    """The file's header (BP103 when it is missing, misplaced or repeated)."""
    headers = [item for item in items if isinstance(item, ast.Header)]
    if not headers and library:
        return Header(title="(shared lanes)", locale=default_locale)
    first_item = items[0] if items else None
    if (
        not headers
        and isinstance(first_item, ast.ActionStmt)
        and keyword_typo(first_item.lane.text) == "blueprint"
    ):  # `bluprint "Title" {`: said once, as a misspelt keyword (resolve_lane)
        return Header(title=first_item.label, locale=default_locale)
    if not headers:
        span = _first_span(items, path)
        diagnostics.append(
            error(
                "BP103",
                msg("header.missing") if items else msg("file.empty"),
                span,
                msg("header.missing.help"),
            )
        )
        return Header(title="(untitled)", locale=default_locale)
    first = headers[0]
    if items[0] is not first:
        diagnostics.append(
            error(
                "BP103",
                msg("header.not-first"),
                first.title_span,
                msg("header.not-first.help"),
            )
        )
    for extra in headers[1:]:
        diagnostics.append(
            Diagnostic.of(
                "BP103",
                Severity.ERROR,
                msg("header.second"),
                extra.title_span,
                msg("header.second.help"),
                ((msg("note.first-header"), first.title_span),),
            )
        )
    header = Header(title=first.title, locale=default_locale, span=first.span)
    apply_fields(first.fields, HEADER_FIELDS, header, "header field", diagnostics)
    return header


def _first_span(items: list[ast.Item], path: str) -> Span:
    if items:
        first = items[0]
        span = first.span
        return Span(path, span.line, span.column, span.line, span.column + 1)
    return Span(path, 1, 1, 1, 2)
