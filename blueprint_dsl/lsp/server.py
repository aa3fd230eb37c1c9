"""`bpc lsp`: the language server, over stdio, built on pygls.

The server keeps one `Analysis` (`document.py`) per open document version and answers
every request from it with the feature modules (`navigation.py`, `hover.py`,
`completion.py`, `symbols.py`, `code_actions.py`, `formatting.py`); see them for what each
answer holds. Diagnostics are published on open and save at once, and while typing after a
short pause.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from ..checks.config import Config, ConfigError, load_config
from ..core.version import __version__
from .code_actions import code_actions
from .completion import completion
from .document import Analysis, path_of_uri, read_file
from .formatting import formatting
from .hover import hover
from .navigation import definition, document_highlights, references
from .symbols import document_symbols

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.15


class BlueprintServer(LanguageServer):
    """A pygls server that remembers the analysis of each open document."""

    def __init__(self, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("bpc", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.debounce = debounce
        self.analyses: dict[str, Analysis] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}

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
        document = self.workspace.get_text_document(uri)
        text = document.source
        cached = self.analyses.get(uri)
        encoding = self.encoding()
        if cached is not None and cached.text == text and cached.encoding == encoding:
            return cached
        path = path_of_uri(uri)
        result = Analysis(
            text,
            path if path is not None else uri,
            uri,
            config=self.config_for(path),
            encoding=encoding,
            read=self.read,
        )
        self.analyses[uri] = result
        return result

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

    def publish_later(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.publish(uri)
            return
        self.timers[uri] = loop.call_later(self.debounce, self.publish, uri)

    def forget(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.analyses.pop(uri, None)
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
            ls.analyses.pop(uri, None)
            ls.publish(uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: BlueprintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        # an included file or a settings file changed on disk
        for uri in ls.open_uris():
            ls.analyses.pop(uri, None)
            ls.publish(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BlueprintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: BlueprintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return hover(ls.analysis(params.text_document.uri), params.position)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[">", ","]),
    )
    def on_completion(ls: BlueprintServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        items = completion(ls.analysis(params.text_document.uri), params.position)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: BlueprintServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
        return definition(ls.analysis(params.text_document.uri), params.position)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(ls: BlueprintServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        return references(
            ls.analysis(params.text_document.uri),
            params.position,
            params.context.include_declaration,
        )

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def on_highlight(
        ls: BlueprintServer, params: lsp.DocumentHighlightParams
    ) -> list[lsp.DocumentHighlight]:
        return document_highlights(ls.analysis(params.text_document.uri), params.position)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(
        ls: BlueprintServer, params: lsp.DocumentSymbolParams
    ) -> list[lsp.DocumentSymbol]:
        return document_symbols(ls.analysis(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(
        ls: BlueprintServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit]:
        return formatting(ls.analysis(params.text_document.uri))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def on_code_action(ls: BlueprintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        only = params.context.only
        if only is not None and not any(
            str(kind.value if isinstance(kind, lsp.CodeActionKind) else kind).startswith("quickfix")
            for kind in only
        ):
            return []
        return code_actions(ls.analysis(params.text_document.uri), params.range)

    return server


def main(log_file: str | None = None) -> None:
    """Serve on stdin/stdout until the client says exit."""
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.DEBUG)
    create_server().start_io()
