"""Just enough of an editor for the language-server tests.

`LspClient` starts the server and speaks JSON-RPC to it over a real pipe, with LSP
messages (Content-Length framing), as an editor would. Every wait is bounded, so a hang
fails the test instead of blocking it. `send_raw` writes bytes as they are (for malformed
frames), `responses` keeps every response seen, and `rss_mb`, `tracebacks` and `stop` tell
how the server process fared. `position_of` and `apply_edits` turn text into LSP positions
and LSP edits back into text, in UTF-16 as editors count.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from blueprint_dsl.lsp.positions import UTF16, LineIndex, units

TIMEOUT = 20.0  # seconds for any one answer; the first includes the server's start
TRACEBACK = "Traceback (most recent call last)"


class LspClient:
    """Just enough of an LSP client: requests, notifications, and a message inbox."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []  # every response, in the order they came
        self.stderr: list[bytes] = []
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.err_reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                headers: dict[str, str] = {}
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    key, _, value = line.decode("ascii").partition(":")
                    headers[key.strip().lower()] = value.strip()
                body = stream.read(int(headers["content-length"]))
                self.inbox.put(json.loads(body.decode("utf-8")))
        finally:
            self.inbox.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(frame(message))

    def send_raw(self, data: bytes) -> None:
        """Write bytes to the server as they are (e.g. a malformed frame)."""
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def _next(self, deadline: float, what: str) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"timed out waiting for {what}; stderr: {self._errors()}")
        try:
            message = self.inbox.get(timeout=remaining)
        except queue.Empty:
            raise AssertionError(f"timed out waiting for {what}: {self._errors()}") from None
        if message is None:
            raise AssertionError(f"the server closed the pipe; stderr: {self._errors()}")
        if "method" in message and "id" in message:  # a request from the server: accept it
            self.send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)
        else:
            self.responses.append(message)
        return message

    def _errors(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")[-2000:]

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        message = self.call(method, params, timeout)
        assert "error" not in message, f"{method} failed: {message['error']}"
        return message.get("result")

    def call(self, method: str, params: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The whole response to a request: its `result` or its `error`."""
        self.next_id += 1
        request_id = self.next_id
        self.send({"id": request_id, "method": method, "params": params})
        return self.wait_for_response(lambda m: m.get("id") == request_id, timeout, method)

    def wait_for_response(
        self,
        where: Callable[[dict[str, Any]], bool],
        timeout: float = TIMEOUT,
        what: str = "a response",
    ) -> dict[str, Any]:
        """The first response (seen or coming) that fits `where`; it stays in `responses`."""
        for seen in self.responses:
            if where(seen):
                return seen
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline, what)
            if "method" not in message and where(message):
                return message

    def wait_for(
        self,
        method: str,
        where: Callable[[dict[str, Any]], bool] = lambda params: True,
        timeout: float = TIMEOUT,
    ) -> dict[str, Any]:
        """The params of the first notification `method` (seen or coming) that fits `where`."""
        for seen in self.notifications:
            if seen["method"] == method and where(seen["params"]):
                self.notifications.remove(seen)
                return dict(seen["params"])
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline, method)
            if message.get("method") == method and where(message["params"]):
                self.notifications.remove(message)
                return dict(message["params"])

    def rss_mb(self) -> float:
        """The server's resident memory (VmRSS, Linux), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        (line,) = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        return int(line.split()[1]) / 1024

    def stderr_text(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")

    def tracebacks(self) -> list[str]:
        """The Python tracebacks the server wrote on stderr (after `stop`: all of them)."""
        text = self.stderr_text()
        return [part[:1000] for part in text.split(TRACEBACK)[1:]]

    def stop(self) -> int:
        """Shut the server down as an editor does (shutdown, exit) and wait for its end and
        for the last of its stderr; the exit code."""
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            code = self.process.wait(timeout=TIMEOUT)
        finally:
            self.close()
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        self.reader.join(timeout=TIMEOUT)
        self.err_reader.join(timeout=TIMEOUT)


def frame(message: dict[str, Any]) -> bytes:
    """One JSON-RPC message as an LSP frame."""
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body


def initialize(client: LspClient, root: Path) -> dict[str, Any]:
    result = client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": {
                "textDocument": {
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "completion": {"completionItem": {"snippetSupport": False}},
                    "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                    "publishDiagnostics": {"relatedInformation": True},
                }
            },
        },
    )
    client.notify("initialized", {})
    return dict(result)


def position_of(text: str, needle: str, skip: int = 0, after: bool = False) -> dict[str, int]:
    """The LSP position (UTF-16) of the `skip`-th occurrence of `needle` in `text`."""
    at = -1
    for _ in range(skip + 1):
        at = text.index(needle, at + 1)
    if after:
        at += len(needle)
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return {"line": line, "character": units(text[start:at], UTF16)}


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    index = LineIndex(text, UTF16)

    def offset(position: dict[str, int]) -> int:
        return index.offset((position["line"], position["character"]))

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


# A café blueprint with no errors; step "Drink" has no evidence (BP301) and the layout is
# not canonical. The server tests and the robustness tests both edit it.
CAFE = """\
blueprint "Café" {
  target 30m
}
lane barista "Barista" in onstage
phase "At the counter" {
  step order "Order" {
    evidence menu "Menu"
    customer ask "Ask for coffee" -> take
    barista take "Take the order" -> brew { duration 2m }
    backstage brew "Brew" -> serve
    barista serve "Serve" -> drink
  }
  step "Drink" {
    customer drink "Drink"
  }
}
"""
