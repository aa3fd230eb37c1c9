"""`bpc lsp`: the language server, over stdio, built on pygls.

The server keeps one `Analysis` (`document.py`) per open document version and answers
every request from it with the feature modules (`navigation.py`, `hover.py`,
`completion.py`, `symbols.py`, `code_actions.py`, `formatting.py`); see them for what each
answer holds. A request about a document that is not open gets an empty answer (null).
Diagnostics are published on open and save at once; after a change at once too when the
document was quiet, else when the changes pause (`publish_later`). Each version is parsed
from the last one's tree (`incremental.py`), and a check leaves its objects out of the
cyclic garbage collector's work (`freeze_objects`).

pygls does everything else, but stdin is read by bpc's own loop, with the bounded
`FrameReader` of `framing.py`, and the body of each frame is checked before pygls sees it:
see `transport.py`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import time
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote

from lsprotocol import types as lsp

from ..checks.config import Config, ConfigError, load_config
from ..core.gc_pause import collector_paused
from ..core.version import __version__
from .code_actions import code_actions
from .completion import completion
from .document import Analysis, path_of_uri, read_file
from .formatting import formatting
from .hover import hover
from .incremental import IncrementalParser
from .navigation import definition, document_highlights, references
from .symbols import document_symbols
from .transport import FramedServer

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.15
IDLE_COLLECT_SECONDS = 30.0  # quiet time before a full garbage collection


def _loop_runs() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class BlueprintServer(FramedServer):
    """A pygls server that remembers the analysis of each open document."""

    def __init__(self, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("bpc", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.debounce = debounce
        self.analyses: dict[str, Analysis] = {}
        # the parse of each open document's last version, which the next one starts from
        self.parsers: dict[str, IncrementalParser] = {}
        self.timers: dict[str, asyncio.Handle] = {}
        self.check_seconds: dict[str, float] = {}  # how long the last check of a document took
        self.last_activity: dict[str, float] = {}  # loop time of its last change or check
        self.collecting: asyncio.TimerHandle | None = None
        self.freezes = False  # gc.freeze after each check: only as a process of its own
        self.retired: list[Analysis] = []  # analyses of versions before, to be freed

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve on stdin/stdout (`FramedServer.start_io`), freezing the objects of each
        check: the server is a process of its own."""
        self.freezes = True
        super().start_io(stdin, stdout)

    # ---- analysis -----------------------------------------------------------------
    def encoding(self) -> str:
        chosen: Any = self.workspace.position_encoding or "utf-16"
        return str(getattr(chosen, "value", chosen))

    def read(self, path: str) -> str | None:
        """A file's text: the editor's buffer when it is open, else the file on disk."""
        wanted = Path(path).resolve()
        for document in self.workspace.text_documents.values():
            own = path_of_uri(document.uri)
            if own is not None and Path(own).resolve() == wanted:
                return str(document.source)
        return read_file(path)

    def config_for(self, path: str | None) -> Config:
        if path is None:
            return Config()
        try:
            return load_config(Path(path))
        except ConfigError as error:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning, f"bpc: {error}"))
            return Config()

    def analysis(self, uri: str) -> Analysis:
        """The analysis of an open document's current text."""
        document = self.workspace.get_text_document(uri)
        text = document.source
        cached = self.analyses.get(unquote(uri))
        encoding = self.encoding()
        if cached is not None and cached.text == text and cached.encoding == encoding:
            return cached
        path = path_of_uri(uri)
        key = unquote(uri)
        config = self.config_for(path)
        with collector_paused():
            result = Analysis(
                text,
                path if path is not None else uri,
                uri,
                config=config,
                encoding=encoding,
                read=self.read,
                parser=self.parsers.get(key),
            )
            self.analyses[key] = result
            self.parsers[key] = result.parser
            if cached is not None and self.freezes and _loop_runs():
                # freeing the version before takes tens of milliseconds for a big
                # document: after the diagnostics are out
                self.retired.append(cached)
                asyncio.get_running_loop().call_soon(self.retired.clear)
            if self.freezes:
                self.freeze_objects()
        return result

    # ---- the cyclic garbage collector ---------------------------------------------
    def freeze_objects(self) -> None:
        """Move every object to the collector's permanent generation (`gc.freeze`).

        An analysis leaves hundreds of thousands of objects (the tree, the model, the
        index), which the versions before freed by reference counting: they hold no
        cycles. Left to the cyclic collector, they cost a collection of the young ones at
        every version and a full one (half a second for a 2,000-step document) every few
        versions. Frozen, they cost nothing; what little cyclic garbage the objects
        frozen hold is collected when the documents have been quiet for a while."""
        gc.freeze()
        if self.collecting is not None:
            self.collecting.cancel()
        if _loop_runs():
            loop = asyncio.get_running_loop()
            self.collecting = loop.call_later(IDLE_COLLECT_SECONDS, self.collect_garbage)

    def collect_garbage(self) -> None:
        self.collecting = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def open_analysis(self, uri: str) -> Analysis | None:
        """The analysis of a document if it is open; None for any other (a request about
        one gets an empty answer, and nothing of it is read or kept)."""
        return self.analysis(uri) if self.is_open(uri) else None

    # ---- diagnostics --------------------------------------------------------------
    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents  # pygls keys: unquoted URIs

    def open_uris(self) -> list[str]:
        return [str(document.uri) for document in self.workspace.text_documents.values()]

    def publish(self, uri: str) -> None:
        self.timers.pop(uri, None)
        if not self.is_open(uri):
            return
        document = self.workspace.get_text_document(uri)
        start = time.perf_counter()
        try:
            diagnostics = self.analysis(uri).lsp_diagnostics()
        except Exception as error:  # a bug in bpc must not take the editor's server down
            log.exception("checking %s failed", uri)
            self.window_log_message(
                lsp.LogMessageParams(
                    lsp.MessageType.Error,
                    f"bpc: internal error while checking {uri}: {type(error).__name__}: {error}",
                )
            )
            return
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri, diagnostics, document.version)
        )
        self.check_seconds[uri] = time.perf_counter() - start
        parser = self.parsers.get(unquote(uri))
        if parser is not None and parser.stats.full and _loop_runs():
            asyncio.get_running_loop().call_soon(parser.warm)  # ready for the first edit
        self.last_activity[uri] = asyncio.get_running_loop().time() if _loop_runs() else 0.0

    def publish_later(self, uri: str) -> None:
        """Publish after a change: at once when the document was quiet (no change and no
        check in the last `debounce` seconds), else once the changes pause. The pause
        waited for is the time the last check of the document took, up to `debounce`:
        a small document is checked again at each keystroke, a big one once per burst."""
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.publish(uri)
            return
        now = loop.time()
        busy = now - self.last_activity.get(uri, -math.inf) < self.debounce
        self.last_activity[uri] = now
        if timer is None and not busy:
            self.timers[uri] = loop.call_soon(self.publish, uri)
        else:
            delay = min(self.debounce, self.check_seconds.get(uri, self.debounce))
            self.timers[uri] = loop.call_later(delay, self.publish, uri)

    def forget(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.analyses.pop(unquote(uri), None)
        self.parsers.pop(unquote(uri), None)
        self.check_seconds.pop(uri, None)
        self.last_activity.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))


def create_server(debounce: float = DEBOUNCE_SECONDS) -> BlueprintServer:
    """A server with every feature registered."""
    server = BlueprintServer(debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BlueprintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BlueprintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.publish_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: BlueprintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        # a saved file may be included by other open files: check them all again
        for uri in ls.open_uris():
            ls.analyses.pop(unquote(uri), None)
            ls.publish(uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: BlueprintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        # an included file or a settings file changed on disk
        for uri in ls.open_uris():
            ls.analyses.pop(unquote(uri), None)
            ls.publish(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BlueprintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: BlueprintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        analysis = ls.open_analysis(params.text_document.uri)
        return hover(analysis, params.position) if analysis is not None else None

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[">", ","]),
    )
    def on_completion(
        ls: BlueprintServer, params: lsp.CompletionParams
    ) -> lsp.CompletionList | None:
        analysis = ls.open_analysis(params.text_document.uri)
        if analysis is None:
            return None
        caps = ls.client_capabilities.text_document
        item = caps.completion.completion_item if caps and caps.completion else None
        snippets = bool(item and item.snippet_support)
        items = completion(analysis, params.position, snippets=snippets)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(
        ls: BlueprintServer, params: lsp.DefinitionParams
    ) -> list[lsp.Location] | None:
        analysis = ls.open_analysis(params.text_document.uri)
        return definition(analysis, params.position) if analysis is not None else None

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(
        ls: BlueprintServer, params: lsp.ReferenceParams
    ) -> list[lsp.Location] | None:
        analysis = ls.open_analysis(params.text_document.uri)
        if analysis is None:
            return None
        return references(analysis, params.position, params.context.include_declaration)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def on_highlight(
        ls: BlueprintServer, params: lsp.DocumentHighlightParams
    ) -> list[lsp.DocumentHighlight] | None:
        analysis = ls.open_analysis(params.text_document.uri)
        return document_highlights(analysis, params.position) if analysis is not None else None

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(
        ls: BlueprintServer, params: lsp.DocumentSymbolParams
    ) -> list[lsp.DocumentSymbol] | None:
        analysis = ls.open_analysis(params.text_document.uri)
        return document_symbols(analysis) if analysis is not None else None

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(
        ls: BlueprintServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        analysis = ls.open_analysis(params.text_document.uri)
        return formatting(analysis) if analysis is not None else None

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def on_code_action(
        ls: BlueprintServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction] | None:
        analysis = ls.open_analysis(params.text_document.uri)
        if analysis is None:
            return None
        only = params.context.only
        if only is not None and not any(
            str(kind.value if isinstance(kind, lsp.CodeActionKind) else kind).startswith("quickfix")
            for kind in only
        ):
            return []
        return code_actions(analysis, params.range)

    return server


def main(log_file: str | None = None) -> None:
    """Serve on stdin/stdout until the client says exit."""
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.DEBUG)
    create_server().start_io()
