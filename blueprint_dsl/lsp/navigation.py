"""Navigation for the language server: go to definition, find references, highlights.

Each function takes the `Analysis` of one document and a cursor position. It answers from
the index of names, so an id defined in an included file is found in that file. An
include statement's path leads to the included file.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from .document import Analysis, uri_of_path

# ---- go to definition, references ---------------------------------------------


def definition(analysis: Analysis, position: lsp.Position) -> list[lsp.Location]:
    target = analysis.include_at(position)
    if target is not None:
        start = lsp.Position(0, 0)
        return [lsp.Location(uri_of_path(target), lsp.Range(start, start))]
    occurrence = analysis.occurrence_at(position)
    if occurrence is None:
        return []
    found = analysis.definition_of(occurrence)
    return [analysis.location(found.span)] if found is not None else []


def references(
    analysis: Analysis, position: lsp.Position, include_declaration: bool
) -> list[lsp.Location]:
    occurrence = analysis.occurrence_at(position)
    if occurrence is None or occurrence.role not in ("definition", "lane", "target"):
        return []
    name = occurrence.name.text
    found = analysis.index.definitions.get(name)
    locations = []
    if include_declaration and found is not None and found.span.file != analysis.path:
        locations.append(analysis.location(found.span))
    for other in analysis.index.occurrences:
        if other.name.text != name or other.role not in ("definition", "lane", "target"):
            continue
        if other.role == "definition" and (
            not include_declaration or other.definition is not found
        ):
            continue  # a second (duplicate) definition is not a reference
        locations.append(analysis.location(other.name.span))
    return locations


def document_highlights(analysis: Analysis, position: lsp.Position) -> list[lsp.DocumentHighlight]:
    highlights = []
    for location in references(analysis, position, include_declaration=True):
        if location.uri != analysis.uri:
            continue
        occurrence = analysis.occurrence_at(location.range.start)
        kind = (
            lsp.DocumentHighlightKind.Write
            if occurrence is not None and occurrence.role == "definition"
            else lsp.DocumentHighlightKind.Read
        )
        highlights.append(lsp.DocumentHighlight(location.range, kind))
    return highlights
