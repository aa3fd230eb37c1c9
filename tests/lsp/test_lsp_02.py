"""Language 0.2 in the editor: completion, hover and the outline of the new constructs.

One server over a real pipe (the client of `editor.py`, as in `test_server.py`), asked as
an editor asks: `parallel` / `并行` and its snippet where a step statement starts,
`trigger` / `触发` among the attributes of an action that is not the customer's, `scope`
/ `范围` and its values, `<=` / `>=` after a metric's `target`; hovers that explain each of
them, a branch's share and the direction, in English or in Chinese as the document is;
the actions of a `parallel` block in the outline; and a half-typed `parallel {` that does
not stop completion elsewhere in the file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp

from blueprint_dsl.api import compile_text
from blueprint_dsl.lsp.completion import completion
from blueprint_dsl.lsp.document import Analysis
from blueprint_dsl.lsp.positions import UTF16, units
from blueprint_dsl.lsp.scanner import close_blocks, scan_context

from ..conftest import ROOT
from .editor import LspClient, position_of

CURSOR = "‸"  # where the cursor is in a typed document

# A hotel check-in with every construct of 0.2, in English keywords.
HOTEL = """\
blueprint "Hotel check-in" {
  target 1h
}
lane clerk "Clerk" in onstage
lane ops "Ops" in backstage
step "Check" {
  evidence "ID"
  customer hand "Hand over the ID" -> check {
    duration 2m
    metric "Complaint rate" 2% target <= 5%
  }
  clerk check "Check the ID" { decision; trigger "a booking arrives" }
}
step "Sign" {
  evidence "Agreement"
  parallel {
    customer sign "Sign" { duration 10m }
    customer pay "Pay the deposit" { metric "NPS" 62% target >= 60% }
  }
  clerk retry "Ask for another document" { duration 5m }
}
check -> sign : "valid" 90%
check -> retry : "invalid" 10%
retry -> sign
"""

# An internal blueprint in Chinese keywords: no customer in it.
INTERNAL_ZH = """\
蓝图 "改签处理" {
  范围 内部
}
泳道 运营 "运营" 属于 后台
步骤 "处理" {
  并行 {
    运营 核对 "核对订单" { 时长 5分钟; 指标 "差错率" 1% 目标 <= 2% }
    运营 登记 "登记来电" { 触发 "客人来电" }
  }
  运营 审批 "审批" { 决策; 指标 "满意度" 92% 目标 >= 90% }
  运营 归档 "归档"
  运营 退回 "退回"
}
核对 -> 审批
登记 -> 审批
审批 -> 归档 : "通过" 80%
审批 -> 退回 : "退回" 20%
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LspClient, Path]]:
    folder = tmp_path_factory.mktemp("lsp02")
    client = LspClient([sys.executable, "-m", "blueprint_dsl.lsp"], ROOT)
    try:
        client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": folder.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "hover": {"contentFormat": ["markdown"]},
                        "completion": {"completionItem": {"snippetSupport": True}},
                        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                    }
                },
            },
        )
        client.notify("initialized", {})
        yield client, folder
    finally:
        client.close()


_opened: dict[str, int] = {}


def open_text(client: LspClient, folder: Path, text: str) -> str:
    """Open `text` as a new document; its URI once its diagnostics are published."""
    number = len(_opened) + 1
    path = folder / f"doc{number}.bp"
    _opened[path.name] = number
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "bp", "version": 1, "text": text}},
    )
    client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    return uri


def complete(server: tuple[LspClient, Path], typed: str) -> dict[str, dict[str, Any]]:
    """The completion items, by label, at the cursor mark of `typed`."""
    client, folder = server
    text = typed.replace(CURSOR, "")
    uri = open_text(client, folder, text)
    at = position_of(typed, CURSOR)
    result = client.request(
        "textDocument/completion", {"textDocument": {"uri": uri}, "position": at}
    )
    return {item["label"]: item for item in result["items"]}


def hover_at(server: tuple[LspClient, Path], text: str, needle: str, skip: int = 0) -> str:
    """The hover text on the first character of the `skip`-th `needle` of `text`."""
    client, folder = server
    uri = open_text(client, folder, text)
    at = position_of(text, needle, skip)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": at})
    assert hover is not None, needle
    value: str = hover["contents"]["value"]
    return value


def test_the_documents_compile_without_errors() -> None:
    for text in (HOTEL, INTERNAL_ZH):
        result = compile_text(text, "t.bp")
        assert not result.has_errors, result.diagnostics


# ---- completion --------------------------------------------------------------------


def test_parallel_and_its_snippet_where_a_step_statement_starts(
    server: tuple[LspClient, Path],
) -> None:
    items = complete(server, HOTEL.replace('  evidence "ID"\n', f'  evidence "ID"\n  {CURSOR}\n'))
    assert {"parallel", "evidence", "customer", "clerk"} <= set(items)
    assert "并行" not in items  # an English document: no Chinese keywords
    snippet = items["parallel { … }"]
    assert snippet["insertTextFormat"] == lsp.InsertTextFormat.Snippet.value
    assert snippet["textEdit"]["newText"] == "parallel {\n\t$0\n}"
    assert snippet["filterText"] == "parallel"
    assert items["parallel"]["textEdit"]["newText"] == "parallel"
    # a prefix is replaced
    items = complete(
        server, HOTEL.replace('  evidence "ID"\n', f'  evidence "ID"\n  par{CURSOR}\n')
    )
    edit = items["parallel"]["textEdit"]
    assert edit["range"]["start"]["character"] == 2 and edit["range"]["end"]["character"] == 5


def test_inside_a_parallel_block_only_actions_start(server: tuple[LspClient, Path]) -> None:
    typed = HOTEL.replace("  parallel {\n", f"  parallel {{\n    {CURSOR}\n")
    items = complete(server, typed)
    assert {"customer", "onstage", "clerk", "ops"} <= set(items)
    assert not {"parallel", "parallel { … }", "evidence"} & set(items)


def test_chinese_parallel_where_a_step_statement_starts(server: tuple[LspClient, Path]) -> None:
    typed = INTERNAL_ZH.replace('  运营 归档 "归档"\n', f'  运营 归档 "归档"\n  {CURSOR}\n')
    items = complete(server, typed)
    assert {"并行", "parallel", "有形展示", "运营"} <= set(items)
    assert items["并行 { … }"]["textEdit"]["newText"] == "并行 {\n\t$0\n}"
    assert items["并行"]["detail"] == items["parallel"]["detail"]


def test_trigger_among_the_attributes_of_a_staff_action(server: tuple[LspClient, Path]) -> None:
    written = '{ decision; trigger "a booking arrives" }'
    typed = HOTEL.replace(written, written[:-1] + f"; {CURSOR} }}")
    staff = complete(server, typed)
    assert "trigger" not in staff  # already written on this action
    typed = HOTEL.replace('"Ask for another document" { duration 5m }', f'"Ask" {{ {CURSOR} }}')
    staff = complete(server, typed)
    assert "trigger" in staff and "duration" in staff
    assert staff["trigger"]["detail"] == 'trigger  or  trigger "what starts it"'
    assert "触发" not in staff


def test_no_trigger_on_a_customer_action(server: tuple[LspClient, Path]) -> None:
    typed = HOTEL.replace('"Sign" { duration 10m }', f'"Sign" {{ duration 10m; {CURSOR} }}')
    items = complete(server, typed)
    assert "emotion" in items and "trigger" not in items
    typed = HOTEL.replace('"Sign" { duration 10m }', '"Sign" { duration 10m }\n' + CURSOR)
    assert "trigger" not in complete(server, typed.replace(CURSOR, f'customer x "X" {{ {CURSOR}'))


def test_chinese_trigger_and_not_on_a_chinese_customer(server: tuple[LspClient, Path]) -> None:
    typed = INTERNAL_ZH.replace('运营 归档 "归档"', f'运营 归档 "归档" {{ {CURSOR} }}')
    items = complete(server, typed)
    assert {"触发", "trigger", "时长"} <= set(items)
    assert items["触发"]["detail"].startswith("trigger: ")
    typed = INTERNAL_ZH.replace('运营 归档 "归档"', f'顾客 看 "看" {{ {CURSOR} }}')
    items = complete(server, typed)
    assert "时长" in items and not {"触发", "trigger"} & set(items)


def test_scope_among_the_header_fields_and_its_values(server: tuple[LspClient, Path]) -> None:
    items = complete(server, HOTEL.replace("  target 1h\n", f"  target 1h\n  {CURSOR}\n"))
    assert {"scope", "id", "locale"} <= set(items) and "target" not in items
    assert items["scope"]["detail"] == "scope internal"
    items = complete(server, HOTEL.replace("  target 1h\n", f"  target 1h\n  scope {CURSOR}\n"))
    assert set(items) == {"internal", "customer"}
    assert "no customer" in items["internal"]["detail"]
    items = complete(server, HOTEL.replace("  target 1h\n", f"  target 1h\n  scope int{CURSOR}\n"))
    assert items["internal"]["textEdit"]["range"]["start"]["character"] == len("  scope ")


def test_chinese_scope_and_its_values(server: tuple[LspClient, Path]) -> None:
    items = complete(server, INTERNAL_ZH.replace("  范围 内部\n", f"  {CURSOR}\n"))
    assert {"范围", "scope", "编号"} <= set(items)
    items = complete(server, INTERNAL_ZH.replace("  范围 内部\n", f"  范围 {CURSOR}\n"))
    assert {"内部", "顾客", "internal", "customer"} == set(items)


def test_direction_after_a_metric_target(server: tuple[LspClient, Path]) -> None:
    typed = HOTEL.replace("2% target <= 5%", f"2% target {CURSOR}")
    items = complete(server, typed)
    assert set(items) == {"<=", ">="}
    assert "lower is better" in items["<="]["detail"]
    assert "higher is better" in items[">="]["detail"]
    # half of it typed: `<` is replaced by `<=`
    typed = HOTEL.replace("2% target <= 5%", f"2% target <{CURSOR}")
    edit = complete(server, typed)["<="]["textEdit"]
    start = position_of(typed, f"<{CURSOR}")
    assert edit["range"]["start"] == start and edit["newText"] == "<="
    # and the value after it gets its units
    typed = HOTEL.replace("2% target <= 5%", f"2% target <= 5{CURSOR}")
    assert "5%" in complete(server, typed)


def test_chinese_direction_after_a_metric_target(server: tuple[LspClient, Path]) -> None:
    typed = INTERNAL_ZH.replace("1% 目标 <= 2%", f"1% 目标 {CURSOR}")
    assert set(complete(server, typed)) == {"<=", ">="}
    typed = INTERNAL_ZH.replace("1% 目标 <= 2%", f"1% 目标 >{CURSOR}")
    assert ">=" in complete(server, typed)


def test_an_unfinished_parallel_block_does_not_stop_completion_elsewhere(
    server: tuple[LspClient, Path],
) -> None:
    typed = HOTEL.replace(
        '  clerk check "Check the ID"',
        '  parallel {\n    clerk half "Half typed"\n  clerk check "Check the ID"',
    ).replace("  clerk retry", f'  customer more "More" -> {CURSOR}\n  clerk retry')
    items = complete(server, typed)
    assert {"hand", "half", "check", "sign", "pay", "retry"} <= set(items)
    assert items["retry"]["sortText"].startswith("0")  # the current step's ids first
    assert items["hand"]["sortText"].startswith("1")


# ---- hover -------------------------------------------------------------------------


def test_hover_explains_parallel(server: tuple[LspClient, Path]) -> None:
    text = hover_at(server, HOTEL, "parallel")
    assert text.startswith("**parallel** (中文 `并行`) — 2 action(s): `sign`, `pay`")
    assert "at the same time" in text and "longest member" in text and "BP509" in text
    text = hover_at(server, INTERNAL_ZH, "并行")
    assert text.startswith("**并行** (= `parallel`) — 2 个行为:`核对`, `登记`")
    assert "同时发生" in text and "最长" in text and "BP509" in text


def test_hover_explains_trigger(server: tuple[LspClient, Path]) -> None:
    text = hover_at(server, HOTEL, "trigger")
    assert text.startswith("**attribute** `trigger` (中文 `触发`)")
    assert "starts by itself" in text and "BP505" in text and "BP102" in text
    text = hover_at(server, INTERNAL_ZH, "触发")
    assert text.startswith("**attribute** `触发` (= `trigger`)")
    assert "由公司主动发起" in text and "BP505" in text


def test_hover_explains_scope_and_its_value(server: tuple[LspClient, Path]) -> None:
    internal = HOTEL.replace("  target 1h\n", "  target 1h\n  scope internal\n")
    text = hover_at(server, internal, "scope")
    assert text.startswith("**header field** `scope` (中文 `范围`)")
    assert "no customer" in text and "BP301" in text and "BP305" in text
    text = hover_at(server, internal, "internal")
    assert text.startswith("**scope** `internal` (中文 `内部`)") and "no customer" in text
    text = hover_at(server, INTERNAL_ZH, "范围")
    assert text.startswith("**header field** `范围` (= `scope`)") and "没有顾客" in text
    text = hover_at(server, INTERNAL_ZH, "内部")
    assert text.startswith("**scope** `内部` (= `internal`)") and "没有顾客" in text


def test_hover_explains_a_branch_share(server: tuple[LspClient, Path]) -> None:
    text = hover_at(server, HOTEL, "90%")
    assert text.startswith("**branch share** `90%`")
    assert "decision `check`" in text and '"valid"' in text and "BP508" in text
    assert "branches of `check`: valid 90%, invalid 10% (total 100%)" in text
    text = hover_at(server, INTERNAL_ZH, "20%")
    assert text.startswith("**分支占比** `20%`") and "决策 `审批`" in text and "“退回”" in text
    assert "`审批` 的分支:通过 80%, 退回 20%(合计 100%)" in text
    # the sum as written, when it is off (BP508 explains itself too)
    text = hover_at(server, HOTEL.replace('"invalid" 10%', '"invalid" 20%'), "90%")
    assert "(total 110%)" in text and "**BP508**" not in text  # BP508 sits on the decision


def test_hover_explains_the_direction_of_a_target(server: tuple[LspClient, Path]) -> None:
    text = hover_at(server, HOTEL, "<=")
    assert text.startswith("**target direction** `<=`: lower is better") and "BP506" in text
    text = hover_at(server, HOTEL, ">=")
    assert text.startswith("**target direction** `>=`: higher is better")
    text = hover_at(server, INTERNAL_ZH, "<=")
    assert text.startswith("**目标方向** `<=`:越低越好")
    text = hover_at(server, INTERNAL_ZH, ">=")
    assert text.startswith("**目标方向** `>=`:越高越好")


def test_an_english_document_with_locale_zh_gets_chinese_hovers(
    server: tuple[LspClient, Path],
) -> None:
    text = HOTEL.replace("  target 1h\n", "  target 1h\n  locale zh\n")
    assert hover_at(server, text, "parallel").startswith("**parallel** (中文 `并行`) — 2 个行为")
    assert hover_at(server, text, "<=").startswith("**目标方向**")


# ---- the outline -------------------------------------------------------------------


def test_the_outline_holds_the_actions_of_parallel_blocks(server: tuple[LspClient, Path]) -> None:
    client, folder = server
    for text, step, expected in (
        (HOTEL, "Sign", ["Agreement", "sign", "pay", "retry"]),
        (INTERNAL_ZH, "处理", ["核对", "登记", "审批", "归档", "退回"]),
    ):
        uri = open_text(client, folder, text)
        symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        (found,) = [s for s in symbols if s["name"] == step]
        assert [child["name"] for child in found["children"]] == expected


# ---- without a server: the scanner and a client without snippets -------------------


def test_scanner_contexts_of_language_02() -> None:
    def context(text: str) -> tuple[str | None, str | None, str]:
        found = scan_context(text, len(text))
        assert found is not None, text
        return found.what, found.lane, found.block

    assert context('step "S" {\n  parallel {\n    ') == ("step-start", None, "parallel")
    assert context('step "S" {\n  并行 {\n    cu') == ("step-start", None, "parallel")
    assert context('step "S" {\n  ') == ("step-start", None, "step")
    assert context('step "S" {\n  clerk a "A" { ') == ("attribute", "clerk", "attributes")
    assert context('步骤 "S" {\n  并行 {\n    顾客 a "A" { ') == ("attribute", "顾客", "attributes")
    assert context('blueprint "A" {\n  scope ')[0] == "scope"
    assert context('蓝图 "A" {\n  范围 ')[0] == "scope"
    assert context('step "S" {\n  customer a "A" { metric "x" 2% target ')[0] == "metric-direction"
    assert context('step "S" {\n  customer a "A" { metric "x" 2% target >')[0] == "metric-direction"
    assert context('step "S" {\n  customer a "A" { metric "x" 2% 目标 ')[0] == "metric-direction"
    # `parallel` opens a block only where a step statement starts
    assert context("parallel {\n  ")[0] == "attribute"
    assert scan_context('step "S" {\n  customer a "A" { wait <', 37) is None


def test_close_blocks_keeps_every_position() -> None:
    typed = 'blueprint "A" {}\nstep "S" {\n  parallel {\n    customer a "A" # x\nstep "T" {\n'
    closed = close_blocks(typed)
    assert closed == (
        'blueprint "A" {}\nstep "S" {\n  parallel {\n    customer a "A" } } # x\nstep "T" {\n\n}'
    )
    assert closed.splitlines()[4] == typed.splitlines()[4]  # the next step: the same columns
    balanced = 'blueprint "A" {}\nstep "S" {\n  parallel { customer a "A"; customer b "B" }\n}\n'
    assert close_blocks(balanced) == balanced


def test_no_snippet_for_a_client_without_snippets() -> None:
    typed = 'blueprint "A" {}\nstep "S" {\n  '
    analysis = Analysis(typed + "\n}\n", "/nowhere/a.bp")
    at = lsp.Position(2, units("  ", UTF16))
    labels = [item.label for item in completion(analysis, at, snippets=False)]
    assert "parallel" in labels and "parallel { … }" not in labels
    with_snippets = [item.label for item in completion(analysis, at)]
    assert "parallel { … }" in with_snippets
