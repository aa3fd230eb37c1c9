"""The language server against a hostile or careless client, over a real pipe.

Each test starts its own `python -m blueprint_dsl lsp`, as an editor does, and checks that
the server answers a malformed frame with a JSON-RPC error and then reads the next valid
one; answers requests about documents it does not have without a traceback; and that its
memory stays flat over thousands of edits. None of them may leave a Python traceback on
stderr, and every one ends the server with shutdown and exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from ..conftest import ROOT
from .editor import CAFE, LspClient, frame, initialize, position_of

HAS_PROC = Path("/proc/self/status").is_file()  # for the server's memory (Linux)

COMMAND = [sys.executable, "-m", "blueprint_dsl", "lsp"]
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
MAX_RSS_MB = 300  # the server idles at about 50 MB

# If the server read this frame it would shut down, and answer nothing after it.
SHUTDOWN = json.dumps({"jsonrpc": "2.0", "id": 999, "method": "shutdown"}).encode()


def framed(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


# name: (the bytes, the error code the server answers them with); the error's id is null,
# but for the two messages at the end, whose id the server can tell (998)
BAD_FRAMES: dict[str, tuple[bytes, int]] = {
    "a terabyte": (b"Content-Length: 1000000000000\r\n\r\n" + SHUTDOWN, PARSE_ERROR),
    "just over 64 MiB": (b"Content-Length: 67108865\r\n\r\n" + SHUTDOWN, PARSE_ERROR),
    "a huge number": (b"Content-Length: " + b"9" * 400 + b"\r\n\r\n" + SHUTDOWN, PARSE_ERROR),
    "not a number": (b"Content-Length: twelve\r\n\r\n" + SHUTDOWN, PARSE_ERROR),
    "negative": (b"Content-Length: -5\r\n\r\n" + SHUTDOWN, PARSE_ERROR),
    "empty": (b"Content-Length: \r\n\r\n" + SHUTDOWN, PARSE_ERROR),
    "two lengths": (
        b"Content-Length: 61\r\nContent-Length: 62\r\n\r\n" + SHUTDOWN,
        PARSE_ERROR,
    ),
    "missing": (
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + SHUTDOWN,
        PARSE_ERROR,
    ),
    "no header at all": (SHUTDOWN + b"\r\n\r\n", PARSE_ERROR),
    "a megabyte without a line break": (b"x" * 1_000_000, PARSE_ERROR),
    "a body that is not JSON": (framed(b"{not json"), PARSE_ERROR),
    "a body that is not UTF-8": (framed(b'"\xff\xfe"'), PARSE_ERROR),
    "JSON nested too deep": (framed(b"[" * 100_000 + b"]" * 100_000), PARSE_ERROR),
    "an empty body": (framed(b""), PARSE_ERROR),
    "JSON that is not an object": (framed(b"[1, 2, 3]"), INVALID_REQUEST),
    "an object that is not JSON-RPC": (
        framed(b'{"id": 998, "method": "shutdown"}'),
        INVALID_REQUEST,
    ),
    "a method that is not a string": (
        framed(b'{"jsonrpc": "2.0", "id": 998, "method": 7}'),
        INVALID_REQUEST,
    ),
}

SAMPLE = CAFE
# the second version: the evidence added, a flow end typo'd
EDITED = SAMPLE.replace(
    '    customer drink "Drink"\n', '    evidence cup "Cup"\n    customer drink "Drink"\n'
)
EDITED = EDITED.replace("-> serve", "-> serv")


@pytest.fixture
def client() -> Iterator[LspClient]:
    client = LspClient(COMMAND, ROOT)
    try:
        yield client
    finally:
        client.close()


def _null_id_errors(client: LspClient) -> list[dict[str, Any]]:
    return [m for m in client.responses if m.get("id") is None and "error" in m]


def _errors(client: LspClient) -> list[dict[str, Any]]:
    """The errors for malformed frames: with id null, or 998 (see BAD_FRAMES)."""
    return [m for m in client.responses if m.get("id") in (None, 998) and "error" in m]


def _assert_well(client: LspClient) -> None:
    """Alive, with bounded memory; then shut down cleanly, without a traceback."""
    assert client.process.poll() is None, client.stderr_text()
    if HAS_PROC:
        rss = client.rss_mb()
        assert rss < MAX_RSS_MB, f"the server holds {rss:.0f} MB"
    assert client.stop() == 0
    assert client.tracebacks() == []


def _open(client: LspClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "bp", "version": version, "text": text}},
    )
    client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    return uri


# ---- malformed frames ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BAD_FRAMES))
def test_a_malformed_frame_is_answered_and_the_next_one_read(
    name: str, client: LspClient, tmp_path: Path
) -> None:
    bad, code = BAD_FRAMES[name]
    # the bad frame and a valid initialize in one write: nothing between them to resync on
    # but the next header itself
    initialize_request = {
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
    }
    client.next_id = 1
    client.send_raw(bad + frame(initialize_request))
    answer = client.wait_for_response(lambda m: m.get("id") == 1, what="the initialize answer")
    assert "error" not in answer and answer["result"]["capabilities"]["hoverProvider"]
    (error,) = _errors(client)
    assert error["jsonrpc"] == "2.0"
    assert error["id"] == (998 if b"998" in bad else None)
    assert error["error"]["code"] == code
    assert error["error"]["message"]
    client.notify("initialized", {})
    # and it still works: a hover on an open document
    uri = _open(client, tmp_path / "cafe.bp", SAMPLE)
    hover = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": position_of(SAMPLE, "take", skip=1)},
    )
    assert '**action** `take` "Take the order"' in hover["contents"]["value"]
    assert not [m for m in client.responses if m.get("id") == 999]  # the body was skipped
    assert all("error" in m for m in client.responses if m.get("id") == 998)  # not run
    _assert_well(client)


def test_malformed_frames_between_valid_ones_in_one_write(
    client: LspClient, tmp_path: Path
) -> None:
    initialize(client, tmp_path)
    client.responses.clear()
    burst = b""
    first = client.next_id + 1
    for bad, _ in BAD_FRAMES.values():
        client.next_id += 1
        request = {"id": client.next_id, "method": "textDocument/documentSymbol"}
        burst += bad + frame({**request, "params": {"textDocument": {"uri": "untitled:x"}}})
    client.send_raw(burst)
    last = client.next_id
    client.wait_for_response(lambda m: m.get("id") == last, what="the last answer")
    # each bad frame answered with an error, then the valid frame after it answered
    expected: list[Any] = []
    for number, (bad, code) in enumerate(BAD_FRAMES.values()):
        expected += [(998 if b"998" in bad else None, code), (first + number, "result")]
    seen = [
        (m.get("id"), m["error"]["code"] if "error" in m else "result") for m in client.responses
    ]
    assert seen == expected
    _assert_well(client)


def test_a_frame_split_across_writes_is_read_whole(client: LspClient, tmp_path: Path) -> None:
    initialize(client, tmp_path)
    uri = _open(client, tmp_path / "cafe.bp", SAMPLE)
    position = position_of(SAMPLE, "take", skip=1)
    request = {"id": 50, "method": "textDocument/hover"}
    whole = frame({**request, "params": {"textDocument": {"uri": uri}, "position": position}})
    for at in range(0, len(whole), 7):
        client.send_raw(whole[at : at + 7])
    answer = client.wait_for_response(lambda m: m.get("id") == 50)
    assert "**action** `take`" in answer["result"]["contents"]["value"]
    assert _null_id_errors(client) == []
    _assert_well(client)


def test_a_request_whose_params_do_not_fit_gets_an_error(client: LspClient, tmp_path: Path) -> None:
    initialize(client, tmp_path)
    answer = client.call("textDocument/hover", {"position": "here"})
    assert answer["error"]["code"] == -32602  # Invalid params, for that request
    answer = client.call("bpc/nothing", None)
    assert answer["error"]["code"] == -32601  # Method not found
    client.notify("textDocument/didOpen", {"textDocument": 7})  # ignored
    assert _null_id_errors(client) == []
    _assert_well(client)


# ---- documents that are not open ---------------------------------------------------------

POSITION = {"line": 0, "character": 1}
RANGE = {"start": POSITION, "end": POSITION}
UNKNOWN_REQUESTS: dict[str, dict[str, Any]] = {
    "textDocument/hover": {"position": POSITION},
    "textDocument/definition": {"position": POSITION},
    "textDocument/references": {"position": POSITION, "context": {"includeDeclaration": True}},
    "textDocument/documentHighlight": {"position": POSITION},
    "textDocument/completion": {"position": POSITION},
    "textDocument/documentSymbol": {},
    "textDocument/formatting": {"options": {"tabSize": 2, "insertSpaces": True}},
    "textDocument/codeAction": {"range": RANGE, "context": {"diagnostics": []}},
}


def test_requests_for_documents_that_are_not_open_are_empty(
    client: LspClient, tmp_path: Path
) -> None:
    initialize(client, tmp_path)
    on_disk = tmp_path / "on-disk.bp"  # exists, but the editor never opened it
    on_disk.write_text(SAMPLE, encoding="utf-8")
    closed = _open(client, tmp_path / "closed.bp", SAMPLE)
    client.notify("textDocument/didClose", {"textDocument": {"uri": closed}})
    uris = [
        (tmp_path / "nowhere.bp").as_uri(),
        on_disk.as_uri(),
        closed,
        "untitled:Untitled-1",
        "not a uri",
    ]
    for uri in uris:
        for method, params in UNKNOWN_REQUESTS.items():
            answer = client.call(method, {"textDocument": {"uri": uri}, **params})
            assert answer.get("error") is None and answer["result"] is None, (method, uri, answer)
    # notifications about them are ignored, and the server still works
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uris[0], "version": 2}, "contentChanges": [{"text": "x"}]},
    )
    client.notify("textDocument/didSave", {"textDocument": {"uri": uris[0]}})
    client.notify("textDocument/didClose", {"textDocument": {"uri": uris[0]}})
    uri = _open(client, tmp_path / "open.bp", SAMPLE)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert [s["name"] for s in symbols] == ["Café", "barista", "At the counter"]
    _assert_well(client)


# ---- memory over many edits ----------------------------------------------------------

EDITS = 6000
MAX_GROWTH_MB = 4.0  # from edit 1,000 to edit 6,000; a leak of 1 KB an edit is 5 MB


def _caught_up(client: LspClient, uri: str, version: int) -> float:
    """Wait for the answer to the last request and the diagnostics of `version`; then the
    server's memory, in MB."""
    last = client.next_id
    answer = client.wait_for_response(lambda m: m.get("id") == last, 120)
    assert answer["result"], answer
    published = client.wait_for(
        "textDocument/publishDiagnostics",
        lambda p: p["uri"] == uri and p.get("version") == version,
    )
    codes = [d["code"] for d in published["diagnostics"]]
    assert codes == (["BP201"] if version % 2 else ["BP301"])
    client.responses.clear()
    client.notifications.clear()
    return client.rss_mb()


@pytest.mark.skipif(not HAS_PROC, reason="reads the server's memory from /proc")
def test_memory_stays_flat_over_thousands_of_edits(client: LspClient, tmp_path: Path) -> None:
    initialize(client, tmp_path)
    uri = _open(client, tmp_path / "cafe.bp", SAMPLE)
    rss: dict[int, float] = {}
    for version in range(2, EDITS + 2):
        text = EDITED if version % 2 else SAMPLE
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
        # a request after each edit: the server analyses every version
        client.next_id += 1
        client.send(
            {
                "id": client.next_id,
                "method": "textDocument/documentSymbol",
                "params": {"textDocument": {"uri": uri}},
            }
        )
        edits = version - 1
        if edits % 1000 == 0:
            rss[edits] = _caught_up(client, uri, version)
    growth = rss[EDITS] - rss[1000]
    print(f"VmRSS after 1,000 edits {rss[1000]:.1f} MB, after {EDITS:,} {rss[EDITS]:.1f} MB")
    assert growth < MAX_GROWTH_MB, f"{growth:.1f} MB more after {EDITS - 1000} edits: {rss}"
    _assert_well(client)
