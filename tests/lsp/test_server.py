"""The language server, driven over a real pipe with LSP messages (Content-Length framing).

The client in `editor.py` starts `python -m blueprint_dsl.lsp` and speaks to it as an
editor would. The tests below are one session with one server: they run in order, and a
later test reads documents that an earlier one opened. The parts that need no server are
unit-tested in the other test modules of this folder.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.api import compile_text
from blueprint_dsl.language.formatter import format_source

from ..conftest import ROOT
from .editor import CAFE, TIMEOUT, LspClient, apply_edits, initialize, position_of

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

GOOD = CAFE  # no errors; BP301 on step "Drink"; not in the canonical layout

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


def test_did_you_mean_fix_in_a_chinese_locale(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    typed = CHINESE.replace("  目标 30分钟\n", "  语言 zh\n  目标 30分钟\n")
    typed = typed.replace("-> 接单\n", "-> 接\n")
    uri, diagnostics = open_document(client, folder, "错字.zh.bp", typed)
    (bp201,) = diagnostics
    assert bp201["code"] == "BP201"
    assert "是不是 `接单`?" in bp201["message"] and "did you mean" not in bp201["message"]
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": doc(uri),
            "range": bp201["range"],
            "context": {"diagnostics": [bp201], "only": ["quickfix"]},
        },
    )
    (action,) = actions
    assert action["title"] == "Replace `接` with `接单`"
    assert action["diagnostics"][0]["code"] == "BP201"
    fixed = apply_edits(typed, action["edit"]["changes"][uri])
    assert fixed == typed.replace("-> 接\n", "-> 接单\n")
    assert not compile_text(fixed).has_errors


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
