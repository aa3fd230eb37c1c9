"""The server's protocol in-process, without a pipe: what it keeps between messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.lsp.server import BlueprintServer, create_server

TEXT = 'blueprint "A" {\n}\nstep "S" {\n  evidence "E"\n  customer a "A"\n}\n'


class Sink:
    """A writer that keeps what the server sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        pass


def _server() -> tuple[BlueprintServer, Sink]:
    server = create_server(debounce=0)
    sink = Sink()
    server.protocol.set_writer(sink)
    _feed(server, {"id": 1, "method": "initialize", "params": {"capabilities": {}}})
    _feed(server, {"method": "initialized", "params": {}})
    return server, sink


def _feed(server: BlueprintServer, message: dict[str, Any]) -> None:
    """One message, handled as pygls's own loop handles it."""
    protocol = server.protocol
    body = json.dumps({"jsonrpc": "2.0", **message})
    protocol.handle_message(json.loads(body, object_hook=protocol.structure_message))


def test_notifications_leave_no_pending_futures() -> None:
    server, sink = _server()
    uri = "file:///nowhere/a.bp"
    item = {"uri": uri, "languageId": "bp", "version": 1, "text": TEXT}
    _feed(server, {"method": "textDocument/didOpen", "params": {"textDocument": item}})
    for version in range(2, 202):
        change = {"text": TEXT if version % 2 else TEXT + "\n"}
        params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        _feed(server, {"method": "textDocument/didChange", "params": params})
        _feed(server, {"method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}})
    _feed(server, {"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    # pygls keeps the future of each generator handler under a fresh id that nothing pops
    assert server.protocol._request_futures == {}
    assert server.analyses == {} and server.timers == {}
    assert any(b"publishDiagnostics" in data for data in sink.sent)


def test_requests_leave_no_pending_futures_or_analyses() -> None:
    server, sink = _server()
    for number in range(2, 52):
        params = {"textDocument": {"uri": f"file:///nowhere/{number}.bp"}}
        _feed(server, {"id": number, "method": "textDocument/documentSymbol", "params": params})
    assert server.protocol._request_futures == {}
    assert server.analyses == {}  # nothing kept for documents that are not open
    assert len(sink.sent) == 51
