"""The language server, driven over a real pipe with LSP messages (Content-Length framing).

A tiny JSON-RPC client below starts `python -m blueprint_dsl.lsp` and speaks to it as an
editor would. Every wait is bounded, so a hang fails the test instead of blocking it.
The pure parts (position conversion, completion contexts) are unit-tested at the end.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.api import compile_text
from blueprint_dsl.core.spans import Span
from blueprint_dsl.language.formatter import format_source
from blueprint_dsl.lsp.analysis import Analysis, scan_context
from blueprint_dsl.lsp.positions import UTF8, UTF16, UTF32, LineIndex, units

from ..conftest import ROOT

TIMEOUT = 20.0  # seconds for any one answer; the first includes the server's start


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
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
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
        return message

    def _errors(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")[-2000:]

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        self.next_id += 1
        request_id = self.next_id
        self.send({"id": request_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline, f"the answer to {method}")
            if message.get("id") == request_id and "method" not in message:
                assert "error" not in message, f"{method} failed: {message['error']}"
                return message.get("result")

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

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        self.reader.join(timeout=TIMEOUT)
        self.err_reader.join(timeout=TIMEOUT)


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


# ---- documents ---------------------------------------------------------------------

# BP201 on line 8, after a CJK label and an emoji (two UTF-16 units).
BROKEN = """\
blueprint "Café 咖啡" {
  target 30m
}

lane barista "Barista" in onstage

step order "Order" {
  evidence menu "Menu 🍜"
  customer ask  "要咖啡 ☕🍜" -> tak
  barista  take "Take the order" -> brew { duration 2m }
  backstage brew "Brew"
}
"""

# No errors; step "Drink" has no evidence (BP301); the layout is not canonical.
GOOD = """\
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

CHINESE = """\
蓝图 "咖啡店" {
  目标 30分钟
}
泳道 店员 "店员" 属于 前台
步骤 "点单" {
  有形展示 "菜单"
  顾客 点单 "点一杯咖啡" -> 接单
  店员 接单 "接单" { 时长 2分钟 }
}
"""


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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LspClient, Path]]:
    folder = tmp_path_factory.mktemp("lsp")
    client = LspClient([sys.executable, "-m", "blueprint_dsl.lsp"], ROOT)
    try:
        capabilities = initialize(client, folder)["capabilities"]
        assert capabilities["positionEncoding"] == "utf-16"
        for provider in (
            "hoverProvider",
            "completionProvider",
            "definitionProvider",
            "referencesProvider",
            "documentSymbolProvider",
            "documentFormattingProvider",
            "codeActionProvider",
        ):
            assert capabilities.get(provider), provider
        yield client, folder
    finally:
        client.close()


def open_document(client: LspClient, folder: Path, name: str, text: str) -> tuple[str, Any]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "bp", "version": 1, "text": text}},
    )
    published = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    return uri, published["diagnostics"]


def doc(uri: str) -> dict[str, str]:
    return {"uri": uri}


# ---- the session --------------------------------------------------------------------


def test_diagnostics_on_open_have_the_codes_and_utf16_ranges(
    server: tuple[LspClient, Path],
) -> None:
    client, folder = server
    _, diagnostics = open_document(client, folder, "broken.bp", BROKEN)
    expected = compile_text(BROKEN, str(folder / "broken.bp")).diagnostics
    assert [d["code"] for d in diagnostics] == [d.code for d in expected] == ["BP201"]
    (bp201,) = diagnostics
    assert bp201["severity"] == 1
    assert bp201["source"] == "bpc"
    assert bp201["message"].startswith("flow refers to an undefined id `tak`")
    assert "help: did you mean `take`?" in bp201["message"]
    start = position_of(BROKEN, "tak\n")
    assert bp201["range"] == {
        "start": start,
        "end": {"line": start["line"], "character": start["character"] + 3},
    }
    # "要咖啡 ☕🍜" -> : the emoji 🍜 is two UTF-16 units, ☕ and the CJK one each
    assert start["character"] == len('  customer ask  "要咖啡 ☕🍜" -> ') + 1


def test_completion_after_an_arrow_offers_action_ids(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "broken.bp").as_uri()
    at = position_of(BROKEN, "-> tak", after=False)
    at["character"] += 3  # just after "-> "
    result = client.request("textDocument/completion", {"textDocument": doc(uri), "position": at})
    labels = [item["label"] for item in result["items"]]
    assert {"ask", "take", "brew"} <= set(labels)
    assert "barista" not in labels  # a lane is not a flow end
    # typing: the prefix "tak" is replaced
    end = position_of(BROKEN, "tak\n")
    end["character"] += 3
    result = client.request("textDocument/completion", {"textDocument": doc(uri), "position": end})
    take = next(item for item in result["items"] if item["label"] == "take")
    assert take["textEdit"]["range"]["start"] == position_of(BROKEN, "tak\n")
    assert "Take the order" in take["detail"]


def test_hover_on_a_diagnostic_explains_the_rule(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "broken.bp").as_uri()
    at = position_of(BROKEN, "tak\n")
    hover = client.request("textDocument/hover", {"textDocument": doc(uri), "position": at})
    text = hover["contents"]["value"]
    assert "**BP201**" in text and "undefined id" in text
    assert "did you mean `take`?" in text


def test_quick_fix_for_bp201_replaces_the_id(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "broken.bp").as_uri()
    at = position_of(BROKEN, "tak\n")
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": doc(uri),
            "range": {"start": at, "end": at},
            "context": {"diagnostics": [], "only": ["quickfix"]},
        },
    )
    (action,) = actions
    assert action["kind"] == "quickfix"
    assert action["title"] == "Replace `tak` with `take`"
    assert action["diagnostics"][0]["code"] == "BP201"
    fixed = apply_edits(BROKEN, action["edit"]["changes"][uri])
    assert "-> take\n" in fixed
    assert not compile_text(fixed).has_errors


def test_typing_a_syntax_error_is_reported_and_completion_still_works(
    server: tuple[LspClient, Path],
) -> None:
    client, folder = server
    uri = (folder / "broken.bp").as_uri()
    typed = BROKEN.replace('  backstage brew "Brew"\n', '  backstage brew "Brew"\n  brew -> \n')
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": typed}]},
    )
    published = client.wait_for(
        "textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == 2
    )
    assert [d["code"] for d in published["diagnostics"]] == ["BP100"]
    at = position_of(typed, "brew -> ", after=True)
    result = client.request("textDocument/completion", {"textDocument": doc(uri), "position": at})
    assert {"ask", "take", "brew"} <= {item["label"] for item in result["items"]}
    # a file with syntax errors is not formatted
    edits = client.request(
        "textDocument/formatting",
        {"textDocument": doc(uri), "options": {"tabSize": 2, "insertSpaces": True}},
    )
    assert edits == []


def test_definition_references_and_hover_of_an_action(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri, diagnostics = open_document(client, folder, "good.bp", GOOD)
    assert [d["code"] for d in diagnostics] == ["BP301"]
    target = position_of(GOOD, "-> brew")
    target["character"] += 4
    found = client.request(
        "textDocument/definition", {"textDocument": doc(uri), "position": target}
    )
    assert found == [
        {
            "uri": uri,
            "range": {
                "start": position_of(GOOD, "brew", skip=1),
                "end": position_of(GOOD, "brew", skip=1, after=True),
            },
        }
    ]
    refs = client.request(
        "textDocument/references",
        {
            "textDocument": doc(uri),
            "position": position_of(GOOD, "take", skip=1),
            "context": {"includeDeclaration": True},
        },
    )
    assert sorted(r["range"]["start"]["line"] for r in refs) == [7, 8]
    hover = client.request(
        "textDocument/hover",
        {"textDocument": doc(uri), "position": position_of(GOOD, "take", skip=1)},
    )
    text = hover["contents"]["value"]
    assert '**action** `take` "Take the order"' in text
    assert 'lane `barista` "Barista"' in text and "zone **onstage**" in text
    assert 'step 1 "Order" in phase "At the counter"' in text
    assert "`duration 2m`" in text
    lane = client.request(
        "textDocument/hover",
        {"textDocument": doc(uri), "position": position_of(GOOD, "barista take")},
    )
    assert '**lane** `barista` "Barista" — zone **onstage**' in lane["contents"]["value"]
    lane_def = client.request(
        "textDocument/definition",
        {"textDocument": doc(uri), "position": position_of(GOOD, "barista take")},
    )
    assert lane_def[0]["range"]["start"] == position_of(GOOD, "barista")


def test_document_symbols_are_phases_steps_actions(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "good.bp").as_uri()
    symbols = client.request("textDocument/documentSymbol", {"textDocument": doc(uri)})
    assert [s["name"] for s in symbols] == ["Café", "barista", "At the counter"]
    phase = symbols[2]
    assert [s["name"] for s in phase["children"]] == ["Order", "Drink"]
    order = phase["children"][0]
    assert [s["name"] for s in order["children"]] == ["Menu", "ask", "take", "brew", "serve"]
    assert order["detail"] == "step 1 `order`"


def test_formatting_gives_the_canonical_layout(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "good.bp").as_uri()
    edits = client.request(
        "textDocument/formatting",
        {"textDocument": doc(uri), "options": {"tabSize": 2, "insertSpaces": True}},
    )
    formatted, _ = format_source(GOOD)
    assert formatted is not None and formatted != GOOD
    assert apply_edits(GOOD, edits) == formatted


def test_quick_fix_for_bp301_adds_an_evidence_line(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "good.bp").as_uri()
    at = position_of(GOOD, "drink", skip=1)
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": doc(uri),
            "range": {"start": at, "end": at},
            "context": {"diagnostics": []},
        },
    )
    (action,) = actions
    assert action["title"] == 'Add `evidence "…"` to step "Drink"'
    fixed = apply_edits(GOOD, action["edit"]["changes"][uri])
    assert '  step "Drink" {\n    evidence "…"\n    customer drink' in fixed
    assert compile_text(fixed).diagnostics == []


def test_chinese_keywords_complete_and_fix(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    typed = CHINESE.replace('  有形展示 "菜单"\n', "")
    uri, diagnostics = open_document(client, folder, "咖啡.zh.bp", typed)
    assert [d["code"] for d in diagnostics] == ["BP301"]
    assert diagnostics[0]["range"]["start"] == position_of(typed, "点单", skip=1)
    # statement start in a step: zones (both forms) and the declared lane
    at = position_of(typed, "  顾客", after=False)
    at["character"] += 2
    items = client.request("textDocument/completion", {"textDocument": doc(uri), "position": at})
    labels = {item["label"] for item in items["items"]}
    assert {"顾客", "customer", "前台", "店员", "有形展示", "evidence"} <= labels
    # inside an attribute block: the attribute names, with how each is written
    at = position_of(typed, "{ ", after=True)
    items = client.request("textDocument/completion", {"textDocument": doc(uri), "position": at})
    by_label = {item["label"]: item for item in items["items"]}
    assert "时长" in by_label and "duration" in by_label and "失败点" in by_label
    assert by_label["时长"]["detail"].startswith("duration: duration 5m")
    # the evidence quick fix writes the Chinese keyword
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": doc(uri),
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics},
        },
    )
    fixed = apply_edits(typed, actions[0]["edit"]["changes"][uri])
    assert '步骤 "点单" {\n  有形展示 "…"\n  顾客 点单' in fixed


def test_a_changed_included_file_is_checked_again(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    (folder / "bpc.toml").write_text("")
    lanes = folder / "lanes.bp"
    lanes.write_text('lane desk "Desk" in onstage\n')
    text = (
        'blueprint "Hotel" {\n}\ninclude "lanes.bp"\nstep "Arrive" {\n'
        '  evidence "Lobby"\n  customer arrive "Arrive" -> greet\n  desk greet "Greet"\n}\n'
    )
    uri, diagnostics = open_document(client, folder, "hotel.bp", text)
    assert diagnostics == []
    lanes.write_text('lane frontdesk "Desk" in onstage\n')
    client.notify(
        "workspace/didChangeWatchedFiles",
        {"changes": [{"uri": lanes.as_uri(), "type": 2}]},
    )
    published = client.wait_for(
        "textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p["diagnostics"]
    )
    assert [d["code"] for d in published["diagnostics"]] == ["BP202"]
    assert "did you mean `frontdesk`?" in published["diagnostics"][0]["message"]


def test_close_clears_diagnostics(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    uri = (folder / "good.bp").as_uri()
    client.notifications.clear()  # forget diagnostics published before
    client.notify("textDocument/didClose", {"textDocument": doc(uri)})
    published = client.wait_for(
        "textDocument/publishDiagnostics", lambda p: p["uri"] == uri and not p["diagnostics"]
    )
    assert "version" not in published or published["version"] is None


def test_shutdown_and_exit() -> None:
    client = LspClient(
        [sys.executable, "-c", "from blueprint_dsl.cli.lsp import lsp_command; lsp_command()"],
        ROOT,
    )
    try:
        initialize(client, ROOT)
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.process.wait(timeout=TIMEOUT) == 0
    finally:
        client.close()


# ---- the pure parts ---------------------------------------------------------------------


def test_code_units_of_cjk_and_emoji() -> None:
    assert units("点餐", UTF16) == 2
    assert units("🍜", UTF16) == 2
    assert units("🍜", UTF8) == 4
    assert units("点", UTF8) == 3
    assert units("🍜点", UTF32) == 2


def test_span_to_lsp_range_counts_utf16_units() -> None:
    text = 'a\n  顾客 🍜x "y"\n'
    index = LineIndex(text, UTF16)
    # bpc columns count code points: `x` is column 7 on line 2
    x = Span("f", 2, 7, 2, 8)
    assert index.span_range(x) == ((1, 7), (1, 8))
    assert LineIndex(text, UTF8).span_range(x) == ((1, 13), (1, 14))
    assert LineIndex(text, UTF32).span_range(x) == ((1, 6), (1, 7))
    # and back: the UTF-16 position (1, 7) is the code point offset of `x`
    assert text[index.offset((1, 7))] == "x"
    # a position inside the surrogate pair (units 5 and 6) rounds down to the emoji
    assert text[index.offset((1, 6))] == "🍜"
    assert text[index.offset((1, 5))] == "🍜"
    # beyond the end of a line: clamped to the line's end
    assert index.offset((0, 99)) == 1


def test_line_breaks_crlf_lone_cr_and_bom() -> None:
    crlf = 'a\r\nbb "点"\r\n'
    index = LineIndex(crlf)
    assert index.span_range(Span("f", 2, 4, 2, 7)) == ((1, 3), (1, 6))
    assert index.end == (2, 0)
    # a lone CR ends a line for bpc and for LSP alike
    lone = "a\rbc\n"
    index = LineIndex(lone)
    assert index.span_range(Span("f", 2, 2, 2, 3)) == ((1, 1), (1, 2))
    cr_only = 'blueprint "A" {\r}\rstep "S" {\r  customer a "A" -> b\r}\r'
    (problem,) = compile_text(cr_only).diagnostics
    assert problem.span == Span("<string>", 4, 21, 4, 22)
    assert LineIndex(cr_only).span_range(problem.span) == ((3, 20), (3, 21))
    # the compiler does not see a byte-order mark
    bom = "\ufeffab\n"
    index = LineIndex(bom, skip=1)
    assert index.span_range(Span("f", 1, 1, 1, 2)) == ((0, 1), (0, 2))


def test_completion_contexts() -> None:
    def what(text: str) -> str | None:
        context = scan_context(text, len(text))
        return context.what if context is not None else None

    assert what("") == "top-start"
    assert what("la") == "top-start"
    assert what('step "A" {\n  ') == "step-start"
    assert what('step "A" {\n  cust') == "step-start"
    assert what('step "A" {\n  customer a "A" -> ') == "target"
    assert what('step "A" {\n  customer a "A" -> b, ') == "target"
    assert what('step "A" {\n  a --> b -> ') == "target"
    assert what('step "A" {\n  customer a "A" { ') == "attribute"
    assert what('step "A" {\n  customer a "A" { duration 5') == "unit"
    assert what('step "A" {\n  customer a "A" { duration 5mi') == "unit"
    assert what('step "A" {\n  customer a "A" { fail "x" ') == "recover"
    assert what('blueprint "A" {\n  ') == "field"
    assert what('blueprint "A" {\n  locale ') == "locale"
    assert what('lane a "A" ') == "in"
    assert what('lane a "A" in ') == "zone"
    assert what('phase "P" {\n  ') == "phase-start"
    assert what('step "A" {\n  customer a "in a lab') is None  # inside a label
    assert what("# a comment ") is None
    assert what('步骤 "A" {\n  顾客 a "A" { 时长 5') == "unit"


def test_units_complete_with_the_number() -> None:
    text = 'blueprint "A" {\n  target 5'
    analysis = Analysis(text + "\n}\n", "/nowhere/a.bp")
    items = analysis.completion(analysis_position(text))
    labels = [item.label for item in items]
    assert "5min" in labels and "5h" in labels and "5分钟" not in labels


def analysis_position(text: str) -> Any:
    from lsprotocol import types as lsp

    line = text.count("\n")
    return lsp.Position(line, units(text[text.rfind("\n") + 1 :], UTF16))


def test_tolerant_analysis_keeps_ids_when_a_line_is_broken() -> None:
    text = (
        'blueprint "A" {\n}\nstep "S" {\n'
        '  customer a "A"\n  onstage b "B" -> \n  backstage c "C"\n}\n'
    )
    analysis = Analysis(text, "/nowhere/a.bp")
    assert analysis.result.has_errors
    assert {"a", "c"} <= set(analysis.index.definitions)


def _fix(analysis: Analysis, code: str) -> str:
    from lsprotocol import types as lsp

    (problem,) = [d for d in analysis.diagnostics if d.code == code]
    (action,) = analysis.code_actions(analysis.range(problem.span))
    assert action.edit is not None and action.edit.changes is not None
    edits = [
        {
            "range": {
                "start": {"line": e.range.start.line, "character": e.range.start.character},
                "end": {"line": e.range.end.line, "character": e.range.end.character},
            },
            "newText": e.new_text,
        }
        for e in action.edit.changes[analysis.uri]
    ]
    assert isinstance(action.kind, lsp.CodeActionKind)
    return apply_edits(analysis.text, edits)


STEPPED = 'blueprint "A" {\n}\nstep "S" {\n    customer a "A"\n}\n'


def test_evidence_fix_keeps_line_breaks_and_layout() -> None:
    fixed = _fix(Analysis(STEPPED, "/nowhere/a.bp"), "BP301")
    assert fixed == 'blueprint "A" {\n}\nstep "S" {\n    evidence "…"\n    customer a "A"\n}\n'
    crlf = STEPPED.replace("\n", "\r\n")
    assert _fix(Analysis(crlf, "/nowhere/a.bp"), "BP301") == fixed.replace("\n", "\r\n")
    cr = STEPPED.replace("\n", "\r")
    assert _fix(Analysis(cr, "/nowhere/a.bp"), "BP301") == fixed.replace("\n", "\r")
    one_line = 'blueprint "A" {\n}\nstep "S" { customer a "A" }\n'
    assert _fix(Analysis(one_line, "/nowhere/a.bp"), "BP301") == (
        'blueprint "A" {\n}\nstep "S" { evidence "…"; customer a "A" }\n'
    )


def test_a_byte_order_mark_shifts_the_first_line_only() -> None:
    text = '\ufeffblueprint "A" { idd "x" }\n'
    analysis = Analysis(text, "/nowhere/a.bp")
    (problem,) = analysis.lsp_diagnostics()
    assert problem.code == "BP102"
    start = problem.range.start
    assert text[analysis.offset(start) :].startswith("idd")
    assert _fix(analysis, "BP102") == '\ufeffblueprint "A" { id "x" }\n'


def test_definitions_and_problems_in_included_files(tmp_path: Path) -> None:
    from lsprotocol import types as lsp

    (tmp_path / "bpc.toml").write_text("")
    (tmp_path / "team").mkdir()
    lanes = tmp_path / "team" / "lanes.bp"
    lanes.write_text('# shared\nlane desk "Front desk" in onstage\nlane hk "HK" in nowhere\n')
    main = tmp_path / "hotel.bp"
    text = (
        'blueprint "Hotel" {\n}\ninclude "team/lanes.bp"\nstep "Arrive" {\n'
        '  evidence "Lobby"\n  customer arrive "Arrive" -> greet\n  desk greet "Greet"\n}\n'
    )
    main.write_text(text)
    analysis = Analysis(text, str(main))
    at = position_of(text, "desk greet")
    (found,) = analysis.definition(lsp.Position(at["line"], at["character"]))
    assert found.uri == lanes.resolve().as_uri()
    assert (found.range.start.line, found.range.start.character) == (1, 5)
    hover = analysis.hover(lsp.Position(at["line"], at["character"]))
    assert hover is not None and "defined in" in hover.contents.value  # type: ignore[union-attr]
    # go to the included file from its path
    at = position_of(text, "team/lanes.bp")
    (opened,) = analysis.definition(lsp.Position(at["line"], at["character"] + 2))
    assert opened.uri == lanes.resolve().as_uri()
    # a problem in the included file is shown on the include line, and points there
    (problem,) = [d for d in analysis.lsp_diagnostics() if d.code == "BP202"]
    assert problem.range.start.line == 2
    assert "lanes.bp:3:" in problem.message
    assert problem.related_information is not None
    assert problem.related_information[0].location.uri == lanes.resolve().as_uri()
    assert problem.related_information[0].location.range.start.line == 2
