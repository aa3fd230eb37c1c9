"""`include "path.bp"`: shared lane declarations and support processes from another file.

Paths are relative to the including file and may not leave the project root (the nearest
folder above the top file holding bpc.toml, pyproject.toml or .git). Each file is brought
in once per compile, however many includes reach it; a chain may be at most
MAX_INCLUDE_DEPTH files deep. Cycles are reported with the include chain. Diagnostics in
an included file carry a note "included from …".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.diagnostics import Diagnostic, Severity
from ..core.fsutil import is_readable_file
from ..core.messages import Message, msg
from ..core.records import Record
from ..core.spans import Span
from . import ast

Loader = Callable[[Path], tuple[ast.Document | None, list[Diagnostic]]]
SHAREABLE = (ast.LaneDecl, ast.ActionStmt, ast.Include)
_ROOT_MARKERS = ("bpc.toml", "pyproject.toml", ".git")
#: How many files deep an include chain may go (a chain is a list of files, not a tree).
MAX_INCLUDE_DEPTH = 32


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


class IncludeReader(Record):
    """Reads a file's `include`s, once each, and reports cycles and missing files.

    Equal by its fields (`top`, `load`, `diagnostics`), as the dataclass it was."""

    __slots__ = ("diagnostics", "expanded", "load", "root", "top")
    __match_args__ = ("top", "load", "diagnostics")

    def __init__(
        self, top: Path, load: Loader, diagnostics: list[Diagnostic] | None = None
    ) -> None:
        self.top = top
        self.load = load
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.root = project_root(self.top)
        # Every file whose statements were brought in: a file reached again through
        # another include adds nothing (its lanes are declared already), so a library
        # included from several places is read once and the include graph stays linear.
        self.expanded: set[Path] = set()

    def expand(
        self, include: ast.Include, chain: tuple[Path, ...]
    ) -> list[tuple[ast.LaneDecl | ast.ActionStmt, tuple[Span, ...]]]:
        """The shareable statements that `include` brings, with the include spans above them."""
        here = chain[-1]
        target = resolve_written(here, include.path)
        if target is None:
            self._error(
                msg("include.bad-name", path=_shown(include.path)),
                include.path_span,
                msg("include.bad-name.help"),
            )
            return []
        if len(chain) > MAX_INCLUDE_DEPTH:
            self._error(
                msg("include.too-deep", path=include.path, limit=MAX_INCLUDE_DEPTH),
                include.path_span,
                msg("include.too-deep.help"),
            )
            return []
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
        if target in self.expanded:
            return []  # already brought in through another include: each file once
        if not is_readable_file(target):
            self._error(
                msg("include.missing", path=include.path, file=str(display_path(target))),
                include.path_span,
                msg("include.missing.help"),
            )
            return []
        self.expanded.add(target)
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


def resolve_written(here: Path, written: str) -> Path | None:
    """The file a path written in `here` names (an include, a detail link), resolved, or
    None for a name no file system takes (a NUL, a lone surrogate, an over-long name)."""
    try:
        written.encode("utf-8")
        return (here.parent / written).resolve()
    except (ValueError, OSError):  # UnicodeEncodeError is a ValueError
        return None


def _shown(written: str) -> str:
    """A name as it can be printed: control characters and lone surrogates escaped, long
    names cut."""
    shown = written.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in shown)
    return shown if len(shown) <= 80 else shown[:77] + "…"


def _head(item: ast.Item) -> Span:
    span = item.span
    return Span(span.file, span.line, span.column, span.line, span.column + 1)
