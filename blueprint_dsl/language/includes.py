"""`include "path.bp"`: shared lane declarations and support processes from another file.

Paths are relative to the including file and may not leave the project root (the nearest
folder above the top file holding bpc.toml, pyproject.toml or .git). Cycles are reported
with the include chain. Diagnostics in an included file carry a note "included from …".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import Diagnostic, Severity
from ..core.fsutil import is_readable_file
from ..core.messages import Message, msg
from ..core.spans import Span
from . import ast

Loader = Callable[[Path], tuple[ast.Document | None, list[Diagnostic]]]
SHAREABLE = (ast.LaneDecl, ast.ActionStmt, ast.Include)
_ROOT_MARKERS = ("bpc.toml", "pyproject.toml", ".git")


def project_root(path: Path) -> Path:
    start = path.resolve().parent
    for folder in [start, *start.parents]:
        if any((folder / marker).exists() for marker in _ROOT_MARKERS):
            return folder
    return start


def display_path(path: Path) -> Path:
    """`path` relative to the working folder when it is below it, for messages."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def is_library(document: ast.Document) -> bool:
    """A file of only lanes, top-level support processes and includes: made to be included."""
    return bool(document.items) and all(isinstance(i, SHAREABLE) for i in document.items)


@dataclass
class IncludeReader:
    top: Path
    load: Loader
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = project_root(self.top)

    def expand(
        self, include: ast.Include, chain: tuple[Path, ...]
    ) -> list[tuple[ast.LaneDecl | ast.ActionStmt, tuple[Span, ...]]]:
        """The shareable statements that `include` brings, with the include spans above them."""
        here = chain[-1]
        target = (here.parent / include.path).resolve()
        if not target.is_relative_to(self.root):
            self._error(
                msg("include.outside-root", path=include.path, root=str(self.root)),
                include.path_span,
                msg("include.outside-root.help"),
            )
            return []
        if target in chain:
            names = " → ".join(p.name for p in (*chain, target))
            self._error(
                msg("include.cycle", chain=names),
                include.path_span,
                msg("include.cycle.help"),
            )
            return []
        if not is_readable_file(target):
            self._error(
                msg("include.missing", path=include.path, file=str(display_path(target))),
                include.path_span,
                msg("include.missing.help"),
            )
            return []
        document, problems = self.load(display_path(target))
        note = (msg("note.included-from"), include.span)
        self.diagnostics.extend(d.with_notes((note,)) for d in problems)
        if document is None:
            return []
        found: list[tuple[ast.LaneDecl | ast.ActionStmt, tuple[Span, ...]]] = []
        for item in document.items:
            if isinstance(item, ast.Include):
                found.extend(
                    (stmt, (include.span, *origin))
                    for stmt, origin in self.expand(item, (*chain, target))
                )
            elif isinstance(item, ast.LaneDecl | ast.ActionStmt):
                found.append((item, (include.span,)))
            else:
                self.diagnostics.append(
                    Diagnostic.of(
                        "BP105",
                        Severity.ERROR,
                        msg("include.not-shareable"),
                        _head(item),
                        msg("include.not-shareable.help"),
                        (note,),
                    )
                )
        return found

    def _error(self, message: Message, span: Span, help: Message) -> None:
        self.diagnostics.append(Diagnostic.of("BP105", Severity.ERROR, message, span, help))


def _head(item: ast.Item) -> Span:
    span = item.span
    return Span(span.file, span.line, span.column, span.line, span.column + 1)
