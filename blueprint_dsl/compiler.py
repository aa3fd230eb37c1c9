"""Compiling: bytes -> text (decode) -> syntax tree (language) -> model -> rules (checks).

Every backend and tool (report, LSP, diff, CLI) compiles through these functions; the
public façade that also draws and exports is `blueprint_dsl.api`.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .checks.config import Config
from .core.diagnostics import Diagnostic, Severity, sort_diagnostics
from .core.gc_pause import collector_paused
from .core.messages import msg
from .core.paths import UsageError as UsageError
from .core.paths import collect_paths as collect_paths
from .core.records import Record
from .core.source import decode as decode
from .core.spans import Span
from .language.ast import Document
from .model.blueprint import Blueprint

if TYPE_CHECKING:
    from .analysis.figures import Analysis


class CompileResult(Record):
    """What compiling one file gives: its blueprint (None if it could not be built)
    and its diagnostics. Equal by its fields, as the dataclass it was; `analysis` is
    worked out once, when first asked for (kept in the instance's `__dict__`)."""

    __slots__ = ("__dict__", "blueprint", "diagnostics", "document", "locale", "path", "source")
    __match_args__ = ("path", "source", "blueprint", "diagnostics", "locale", "document")

    def __init__(
        self,
        path: str,
        source: str,
        blueprint: Blueprint | None,
        diagnostics: list[Diagnostic] | None = None,  # None: a new empty list
        locale: str = "en",
        document: Document | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.blueprint = blueprint
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        # The language of the diagnostics (the blueprint's locale, or the settings').
        self.locale = locale
        # The syntax tree the blueprint was built from (None after a syntax error).
        self.document = document

    def with_diagnostics(self, diagnostics: list[Diagnostic]) -> CompileResult:
        """The same result with other diagnostics (and its analysis not worked out yet)."""
        return CompileResult(
            self.path, self.source, self.blueprint, diagnostics, self.locale, self.document
        )

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @cached_property
    def analysis(self) -> Analysis | None:
        from .analysis.figures import analyse

        return analyse(self.blueprint) if self.blueprint is not None else None


def compile_text(
    text: str,
    path: str = "<string>",
    config: Config | None = None,
    *,
    keep_document: bool = False,
) -> CompileResult:
    """Parse, build and validate one blueprint held in memory.

    The syntax tree is let go once the model is built (a large blueprint's tree is half
    its memory), unless `keep_document` asks for it in `CompileResult.document`."""
    config = config or Config()
    if text.startswith("\ufeff"):
        text = text[1:]
    with collector_paused():
        return _compile(text, path, config, keep_document=keep_document)


def compile_parsed(
    text: str,
    path: str,
    parsed: tuple[Document | None, list[Diagnostic]],
    config: Config | None = None,
) -> CompileResult:
    """Build and validate a blueprint from `parse(text, path)`'s result, for a caller that
    parses (or re-parses part of) the text itself: the LSP's incremental parse."""
    config = config or Config()
    with collector_paused():
        return _compile(text, path, config, parsed, keep_document=True)


def _compile(
    text: str,
    path: str,
    config: Config,
    parsed: tuple[Document | None, list[Diagnostic]] | None = None,
    *,
    keep_document: bool = False,
) -> CompileResult:
    from .checks.validate import Ignores, apply_settings, rules_beside_errors, run_rules
    from .language.includes import is_library
    from .language.parser import find_comments, parse
    from .model.builder import build

    document, diagnostics = parsed if parsed is not None else parse(text, path)
    del parsed
    diagnostics = list(diagnostics)
    blueprint = None
    rules_ran = False
    comments = document.comments if document is not None else find_comments(text, path)
    if document is not None:
        library, document_path = is_library(document), document.path
        step_lines: list[tuple[int, int]] = []
        # Without `keep_document` the tree is let go as the model is built, and the rules
        # read the model alone: a big file's tree and model are not all alive at once.
        blueprint, diagnostics = build(
            document,
            config.locale,
            _load_included,
            release=not keep_document,
            step_lines=step_lines,
        )
        if not keep_document:
            document = None
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if library or any(d.code == "BP100" for d in diagnostics):
            blueprint = None  # shared lanes to include, or a syntax error: nothing to draw
        elif not errors:
            diagnostics += run_rules(blueprint)
            rules_ran = True
        else:  # warnings that the errors cannot have caused are still worth knowing
            diagnostics += rules_beside_errors(blueprint, step_lines, document_path, errors)
    ignores = Ignores.from_comments(path, comments)
    diagnostics = apply_settings(diagnostics, config, ignores)
    diagnostics += apply_settings(ignores.unused(rules_ran), config, Ignores(path))
    locale = _messages_locale(blueprint, text, config)
    diagnostics = [d.localised(locale) for d in diagnostics]
    if not keep_document:
        document = None
    return CompileResult(path, text, blueprint, sort_diagnostics(diagnostics), locale, document)


def _load_included(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    from .language.parser import parse

    try:
        data = path.read_bytes()
    except OSError as error:
        span = Span(str(path), 1, 1, 1, 2)
        problem = msg("include.unreadable", error=str(error))
        return None, [Diagnostic.of("BP105", Severity.ERROR, problem, span, None)]
    text, problems = decode(data, str(path))
    if text is None:
        return None, problems
    return parse(text, str(path))


_LOCALE_FIELD = re.compile(r"^\s*(?:locale|语言)\s+\"?(zh|中文|en|英文)\b", re.M)


def _messages_locale(blueprint: Blueprint | None, text: str, config: Config) -> str:
    """The language of the diagnostics: the blueprint's locale, else the header field as
    written (when the file has errors), else the project setting."""
    if blueprint is not None:
        return blueprint.header.locale
    match = _LOCALE_FIELD.search(text)
    if match:
        return "zh" if match.group(1) in ("zh", "中文") else "en"
    return config.locale


def compile_bytes(data: bytes, path: str, config: Config | None = None) -> CompileResult:
    return _compile_decoded(decode(data, path), path, config)


def _compile_decoded(
    decoded: tuple[str | None, list[Diagnostic]], path: str, config: Config | None
) -> CompileResult:
    text, problems = decoded
    if text is None:
        return CompileResult(path, "", None, problems)
    return compile_text(text, path, config)


def compile_file(path: str | Path, config: Config | None = None) -> CompileResult:
    """Read and compile one file; raises UsageError when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    decoded = decode(data, str(path))
    del data  # a big file's bytes need not stay beside its text while it compiles
    return _compile_decoded(decoded, str(path), config)
