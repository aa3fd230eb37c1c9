"""What the language server knows about one .bp document, without a server.

`Analysis(text, path, uri)` compiles the text exactly as `bpc check` does and indexes the
syntax tree (`index.py`): every id's definition and references, the lane and step of each
action, and the blocks around a cursor. It turns bpc spans into LSP ranges and locations
and bpc diagnostics into LSP ones, and finds what is at a position. The feature modules
(`navigation`, `hover`, `completion`, `symbols`, `code_actions`, `formatting`) answer the
LSP requests from it with `lsprotocol` values; the server only moves them over the wire,
so all of this is unit-testable.

When the text has syntax errors (as it has while one types), the tree comes from a
tolerant re-parse that blanks the offending lines, so completion, hover and navigation
still know the rest of the file.

The server passes each version of a document the `IncrementalParser` of the versions
before (`incremental.py`): only the top-level blocks an edit touched are parsed again,
and the tree is the one a full parse gives; the compiler then builds and validates it
(`compile_parsed`), so the diagnostics are those of `bpc check`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp

from ..checks.config import Config
from ..compiler import CompileResult, compile_parsed
from ..core.diagnostics import Diagnostic, Severity
from ..core.gc_pause import collector_paused
from ..core.spans import Span
from ..language import ast
from ..language.keywords import canonical
from ..language.parser import parse
from ..model.builder import ZONE_KEYWORDS
from .incremental import IncrementalParser
from .index import Definition, Index, Occurrence, index_document
from .positions import UTF16, LineIndex, Position, Range
from .scanner import uses_chinese_keywords

Reader = Callable[[str], str | None]

SOURCE = "bpc"
MAX_INCLUDE_DEPTH = 8

SEVERITIES: dict[Severity, lsp.DiagnosticSeverity] = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def read_file(path: str) -> str | None:
    """The text of a file on disk, or None when it cannot be read as UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def path_of_uri(uri: str) -> str | None:
    """The file-system path of a `file:` URI (None for other schemes, e.g. untitled:)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if re.match(r"^/[A-Za-z]:", path):  # file:///C:/x on Windows
        path = path[1:]
    return path


def uri_of_path(path: str) -> str:
    return Path(path).resolve().as_uri()


@lru_cache(maxsize=16)  # the same lanes file, again at each edit of the including one
def _parse_included(text: str, path: str) -> ast.Document | None:
    return parse(text, path)[0]


# ---- the analysis ---------------------------------------------------------------------


class Analysis:
    """One version of one document, compiled and indexed."""

    def __init__(
        self,
        text: str,
        path: str,
        uri: str | None = None,
        *,
        config: Config | None = None,
        encoding: str = UTF16,
        read: Reader = read_file,
        parser: IncrementalParser | None = None,
    ) -> None:
        self.text = text
        self.path = path
        self.uri = uri or uri_of_path(path)
        self.encoding = encoding
        self.read = read
        skip = 1 if text.startswith("\ufeff") else 0
        self.body = text[skip:]  # what the compiler sees
        self.lines = LineIndex(text, encoding, skip)
        if parser is None or parser.path != path:
            parser = IncrementalParser(path)
        self.parser = parser
        with collector_paused():  # see compiler.compile_text
            parsed = parser.parse(self.body)
            self.result: CompileResult = compile_parsed(self.body, path, parsed, config)
            # the tree the compiler had, else (syntax errors) a tolerant one
            self.document = self.result.document or parser.tolerant(self.body)
        self._other_lines: dict[str, LineIndex | None] = {}

    @cached_property
    def index(self) -> Index:
        """The names of the document and of the files it includes: made at the first
        request that needs them, not for the diagnostics of each version."""
        index = Index()
        with collector_paused():
            self._read_includes(
                index, self.document, self.path, 0, {str(Path(self.path).resolve())}
            )
            index_document(self.document, index, own=True)
        return index

    @cached_property
    def chinese(self) -> bool:
        """Whether the document writes its keywords in Chinese (completion offers them)."""
        return uses_chinese_keywords(self.body)

    # ---- positions ----------------------------------------------------------------
    def _lines_for(self, file: str) -> LineIndex | None:
        if file == self.path:
            return self.lines
        if file not in self._other_lines:
            text = self.read(file)
            self._other_lines[file] = LineIndex(text, self.encoding) if text is not None else None
        return self._other_lines[file]

    def range(self, span: Span) -> lsp.Range:
        return to_lsp_range(self.lines.span_range(span))

    def location(self, span: Span) -> lsp.Location:
        """The location of a span in this file or in another (an included file)."""
        if span.file == self.path:
            return lsp.Location(self.uri, self.range(span))
        lines = self._lines_for(span.file)
        if lines is None:
            start = lsp.Position(max(span.line - 1, 0), max(span.column - 1, 0))
            return lsp.Location(uri_of_path(span.file), lsp.Range(start, start))
        return lsp.Location(uri_of_path(span.file), to_lsp_range(lines.span_range(span)))

    def offset(self, position: lsp.Position) -> int:
        return self.lines.offset((position.line, position.character))

    # ---- includes -----------------------------------------------------------------
    def _read_includes(
        self, index: Index, document: ast.Document, path: str, depth: int, seen: set[str]
    ) -> None:
        """Index the lanes and support processes that `include` statements bring."""
        if depth >= MAX_INCLUDE_DEPTH or (depth == 0 and path_of_uri(self.uri) is None):
            return
        for item in document.items:
            if not isinstance(item, ast.Include):
                continue
            target = str((Path(path).parent / item.path).resolve())
            if depth == 0:
                index.includes.append((item, target))
            if target in seen:
                continue
            seen.add(target)
            text = self.read(target)
            if text is None:
                continue
            included = _parse_included(text, target)
            if included is None:
                continue
            self._read_includes(index, included, target, depth + 1, seen)
            index_document(included, index, own=False)

    # ---- diagnostics --------------------------------------------------------------
    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    def lsp_diagnostics(self) -> list[lsp.Diagnostic]:
        return [self.lsp_diagnostic(d) for d in self.diagnostics]

    def lsp_diagnostic(self, d: Diagnostic) -> lsp.Diagnostic:
        message = d.message
        related = [
            lsp.DiagnosticRelatedInformation(self.location(where), text) for text, where in d.notes
        ]
        if d.span.file == self.path:
            rng = self.range(d.span)
        else:  # in an included file: shown on the include statement of this file
            here = [where for _, where in d.notes if where.file == self.path]
            rng = (
                self.range(here[-1]) if here else lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            )
            message = f"{d.span.file}:{d.span.line}:{d.span.column}: {message}"
            related.insert(0, lsp.DiagnosticRelatedInformation(self.location(d.span), d.message))
        if d.help:
            message += f"\nhelp: {d.help}"
        return lsp.Diagnostic(
            range=rng,
            message=message,
            severity=SEVERITIES[d.severity],
            code=d.code,
            source=SOURCE,
            related_information=related or None,
        )

    def diagnostics_at(self, rng: lsp.Range) -> list[Diagnostic]:
        """This file's diagnostics whose range meets `rng`."""
        found = []
        for d in self.diagnostics:
            if d.span.file != self.path:
                continue
            own = self.range(d.span)
            if before(own.end, rng.start) or before(rng.end, own.start):
                continue
            found.append(d)
        return found

    # ---- names at a position ------------------------------------------------------
    def occurrence_at(self, position: lsp.Position) -> Occurrence | None:
        """The name under the cursor (a cursor just after a name counts)."""
        offset = self.offset(position)
        line = self.lines.bp_position(offset)[0]
        touching: Occurrence | None = None
        for occurrence in self.index.occurrences:
            span = occurrence.name.span
            if not span.line <= line <= span.end_line:  # (most of them: a quick test)
                continue
            start, end = self.lines.span_offsets(span)
            if start <= offset < end:
                return occurrence
            if offset == end:
                touching = occurrence
        return touching

    def definition_of(self, occurrence: Occurrence) -> Definition | None:
        if occurrence.role == "definition":
            return occurrence.definition
        if occurrence.role in ("lane", "target"):
            return self.index.definitions.get(occurrence.name.text)
        return None

    def include_at(self, position: lsp.Position) -> str | None:
        offset = self.offset(position)
        for include, target in self.index.includes:
            start, end = self.lines.span_offsets(include.path_span)
            if start <= offset <= end:
                return target
        return None

    # ---- lanes, steps and text ----------------------------------------------------
    def zone_of_lane(self, lane: str) -> str | None:
        zone = ZONE_KEYWORDS.get(canonical(lane))
        if zone is not None:
            return zone.value
        found = self.index.definitions.get(lane)
        if found is not None and isinstance(found.node, ast.LaneDecl):
            declared = ZONE_KEYWORDS.get(canonical(found.node.zone.text))
            return declared.value if declared is not None else None
        return None

    def body_text(self, span: Span) -> str:
        start, end = self.lines.span_offsets(span)
        return self.text[start:end]

    def step_around(self, span: Span) -> ast.StepNode | None:
        return ast.step_around(self.document, span) if self.document is not None else None


# ---- small helpers -------------------------------------------------------------------


def to_lsp_position(position: Position) -> lsp.Position:
    return lsp.Position(position[0], position[1])


def to_lsp_range(rng: Range) -> lsp.Range:
    return lsp.Range(to_lsp_position(rng[0]), to_lsp_position(rng[1]))


def before(a: lsp.Position, b: lsp.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)
