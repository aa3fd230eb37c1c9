"""Document symbols for the language server: the outline of a .bp document.

`document_symbols` lists the header, lanes, includes, phases and steps at the top level,
with the actions and evidence items of each step inside it. An action in the customer
zone is an event and any other action is a function, so editors show the two apart.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..core.spans import Span
from ..language import ast
from ..language.keywords import canonical
from .document import Analysis, before

# ---- document symbols ---------------------------------------------------------


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    if analysis.document is None:
        return []
    symbols: list[lsp.DocumentSymbol] = []
    for item in analysis.document.items:
        if isinstance(item, ast.Header):
            symbols.append(
                _symbol(
                    analysis,
                    item.title,
                    "blueprint",
                    lsp.SymbolKind.Package,
                    item.span,
                    item.title_span,
                )
            )
        elif isinstance(item, ast.LaneDecl):
            zone = canonical(item.zone.text)
            symbols.append(
                _symbol(
                    analysis,
                    item.id.text,
                    f'"{item.label}" in {zone}',
                    lsp.SymbolKind.Class,
                    item.span,
                    item.id.span,
                )
            )
        elif isinstance(item, ast.Include):
            symbols.append(
                _symbol(
                    analysis, item.path, "include", lsp.SymbolKind.File, item.span, item.path_span
                )
            )
        elif isinstance(item, ast.PhaseNode):
            phase = _symbol(
                analysis, item.label, "phase", lsp.SymbolKind.Namespace, item.span, item.label_span
            )
            phase.children = [_step_symbol(analysis, step) for step in item.steps]
            symbols.append(phase)
        elif isinstance(item, ast.StepNode):
            symbols.append(_step_symbol(analysis, item))
        elif isinstance(item, ast.ActionStmt):
            symbols.append(_action_symbol(analysis, item))
    return symbols


def _step_symbol(analysis: Analysis, step: ast.StepNode) -> lsp.DocumentSymbol:
    number = analysis.index.step_numbers.get(id(step))
    detail = f"step {number}" + (f" `{step.id.text}`" if step.id else "")
    symbol = _symbol(
        analysis, step.label, detail, lsp.SymbolKind.Module, step.span, step.label_span
    )
    children = []
    for stmt in step.body:
        if isinstance(stmt, ast.ActionStmt):
            children.append(_action_symbol(analysis, stmt))
        elif isinstance(stmt, ast.ParallelNode):
            children += [
                _action_symbol(analysis, inner)
                for inner in stmt.body
                if isinstance(inner, ast.ActionStmt)
            ]
        elif isinstance(stmt, ast.EvidenceStmt):
            for item in stmt.items:
                children.append(
                    _symbol(
                        analysis,
                        item.label,
                        "evidence",
                        lsp.SymbolKind.Constant,
                        item.span,
                        item.id.span if item.id else item.span,
                    )
                )
    symbol.children = children
    return symbol


def _action_symbol(analysis: Analysis, stmt: ast.ActionStmt) -> lsp.DocumentSymbol:
    name = stmt.id.text if stmt.id else stmt.label
    zone = analysis.zone_of_lane(stmt.lane.text) or "?"
    detail = (
        f'"{stmt.label}" · {stmt.lane.text} ({zone})' if stmt.id else (f"{stmt.lane.text} ({zone})")
    )
    kind = lsp.SymbolKind.Event if zone == "customer" else lsp.SymbolKind.Function
    return _symbol(analysis, name, detail, kind, stmt.span, stmt.head_span)


def _symbol(
    analysis: Analysis, name: str, detail: str, kind: lsp.SymbolKind, span: Span, selection: Span
) -> lsp.DocumentSymbol:
    rng = analysis.range(span)
    chosen = analysis.range(selection)
    if before(chosen.start, rng.start) or before(rng.end, chosen.end):
        chosen = rng
    return lsp.DocumentSymbol(
        name=name or "(unnamed)", kind=kind, range=rng, selection_range=chosen, detail=detail
    )
