"""When the server publishes after a change: at once after a pause, else when typing pauses.

In-process, without a pipe, in an event loop (as `start_io` runs the server). No time is
measured: the test waits longer than the debounce for a quiet document.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.lsp.server import BlueprintServer, create_server

from .test_protocol import TEXT, Sink, _feed

URI = "file:///nowhere/debounce.bp"
DEBOUNCE = 0.05


def _change(server: BlueprintServer, version: int) -> None:
    change = {"text": TEXT + "\n" * version}
    params = {"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}
    _feed(server, {"method": "textDocument/didChange", "params": params})


def _published(sink: Sink) -> list[Any]:
    versions = []
    for data in sink.sent:
        body = json.loads(data.split(b"\r\n\r\n", 1)[1])
        if body.get("method") == "textDocument/publishDiagnostics":
            versions.append(body["params"].get("version"))
    return versions


def test_a_change_after_a_pause_is_published_at_once_and_a_burst_once() -> None:
    async def session() -> None:
        server = create_server(debounce=DEBOUNCE)
        sink = Sink()
        server.protocol.set_writer(sink)
        _feed(server, {"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        _feed(server, {"method": "initialized", "params": {}})
        item = {"uri": URI, "languageId": "bp", "version": 1, "text": TEXT}
        _feed(server, {"method": "textDocument/didOpen", "params": {"textDocument": item}})
        assert _published(sink) == [1]

        _change(server, 2)  # just after a check: wait for the pause
        assert isinstance(server.timers[URI], asyncio.TimerHandle)
        for version in (3, 4, 5):  # a burst of keystrokes: one check, of the last
            _change(server, version)
        await asyncio.sleep(DEBOUNCE * 4)
        assert _published(sink) == [1, 5] and URI not in server.timers

        await asyncio.sleep(DEBOUNCE * 2)  # quiet: the next change is checked at once
        _change(server, 6)
        assert not isinstance(server.timers[URI], asyncio.TimerHandle)
        await asyncio.sleep(0)
        assert _published(sink) == [1, 5, 6]

        _change(server, 7)  # typing on: debounced again
        assert isinstance(server.timers[URI], asyncio.TimerHandle)
        _feed(server, {"method": "textDocument/didClose", "params": {"textDocument": {"uri": URI}}})
        assert server.timers == {} and server.parsers == {} and server.analyses == {}

    asyncio.run(session())
