"""The grid layout: zones and lanes down, steps across, phases on top; flows written
`→ X` in the cells; English and Chinese zone names; CSV and xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_dsl.importing import import_file
from blueprint_dsl.model.blueprint import Zone

from ..conftest import ROOT
from .helpers import compiled, errors, write_csv, write_xlsx

GRID = [
    ["Phase", "Visit", "", "Leave"],
    ["Step", "Arrive", "Order", "Pay"],
    ["Physical evidence", "Sign\nDoor", "Menu", "Bill"],
    ["Customer actions", "Arrive → Greet", "Order food → Take order", "Pay -> Take payment"],
    ["Line of interaction"],
    ["Onstage: Waiter", "Greet", "Take order --> Kitchen ticket", "Take payment <-> POS"],
    ["Line of visibility", "", "", ""],
    ["Backstage: Kitchen", "", "Kitchen ticket\nCook\n→ Serve", ""],
    ["Onstage: Waiter", "", "Serve -> Order food", ""],
    ["Support", "", "", "POS"],
]


def model(path: Path):  # type: ignore[no-untyped-def]
    result = import_file(path)
    bp = compiled(result.text).blueprint
    assert bp is not None
    return result, bp


def test_csv_grid_becomes_steps_phases_lanes_actions_and_flows(tmp_path: Path) -> None:
    result, bp = model(write_csv(tmp_path / "dinner.csv", GRID))
    assert result.layout == "grid"
    assert [s.label for s in bp.steps] == ["Arrive", "Order", "Pay"]
    # a blank phase cell continues the phase on its left
    assert [s.phase for s in bp.steps] == ["Visit", "Visit", "Leave"]
    assert [(lane.id, lane.zone) for lane in bp.lanes if lane.declared] == [
        ("waiter", Zone.ONSTAGE),
        ("kitchen", Zone.BACKSTAGE),
    ]
    assert [(e.label, e.step_index) for e in bp.evidence] == [
        ("Sign", 1),
        ("Door", 1),
        ("Menu", 2),
        ("Bill", 3),
    ]
    cook = bp.action("cook")
    assert (cook.label, cook.lane, cook.step_index) == ("Cook", "kitchen", 2)
    explicit = {(f.source, f.target, f.kind.value) for f in bp.flows if not f.implicit}
    assert explicit == {
        ("arrive", "greet", "->"),
        ("order_food", "take_order", "->"),
        ("pay", "take_payment", "->"),
        ("take_order", "kitchen_ticket", "-->"),
        ("take_payment", "pos", "<->"),
        ("cook", "serve", "->"),  # "→ Serve" on a line of its own: from the action above
        ("serve", "order_food", "->"),
    }
    assert result.notices == []
    assert errors(result.text) == []
    assert result.text.startswith('blueprint "Dinner" {\n}\n')


def test_output_is_in_fmt_layout(tmp_path: Path) -> None:
    from blueprint_dsl.language.formatter import format_source

    result = import_file(write_csv(tmp_path / "g.csv", GRID))
    assert format_source(result.text)[0] == result.text


def test_the_shipped_xlsx_sample_checks_clean() -> None:
    result = import_file(ROOT / "samples" / "restaurant-grid.xlsx", title="Restaurant dinner")
    done = compiled(result.text)
    assert done.diagnostics == []
    bp = done.blueprint
    assert bp is not None
    assert [(p.label, p.first_step, p.last_step) for p in bp.phases] == [
        ("Before the visit", 1, 1),
        ("At the restaurant", 2, 5),
    ]
    assert len(bp.actions) == 15
    assert ("ticket_to_kitchen", "pos") in {(f.source, f.target) for f in bp.flows}


def test_the_sample_xlsx_is_what_its_generator_writes(tmp_path: Path) -> None:
    import runpy

    generator = runpy.run_path(str(ROOT / "tests" / "data" / "make_grid_xlsx.py"))
    generator["main"]([str(tmp_path / "again.xlsx")])
    shipped = (ROOT / "samples" / "restaurant-grid.xlsx").read_bytes()
    assert (tmp_path / "again.xlsx").read_bytes() == shipped


def test_xlsx_merged_phases_are_exact(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["", "Before", None, None, "After"],
        ["", "One", "Two", "Three", "Four"],
        ["Customer", "a", "b", "c", "d"],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", rows, merges=("B1:C1",))
    _, bp = model(path)
    # with merges in the phase row a blank unmerged cell is a step outside any phase
    assert [s.phase for s in bp.steps] == ["Before", "Before", None, "After"]


def test_xlsx_without_merges_continues_blank_phase_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["", "Before", None, "After"],
        ["", "One", "Two", "Three"],
        ["Customer", "a", "b", "c"],
    ]
    _, bp = model(write_xlsx(tmp_path / "p.xlsx", rows))
    assert [s.phase for s in bp.steps] == ["Before", "Before", "After"]


def test_repeated_phase_names_make_one_phase(tmp_path: Path) -> None:
    rows = [["", "A", "A", "B"], ["", "1", "2", "3"], ["customer", "x", "y", "z"]]
    _, bp = model(write_csv(tmp_path / "r.csv", rows))
    assert [(p.label, p.first_step, p.last_step) for p in bp.phases] == [("A", 1, 2), ("B", 3, 3)]


def test_xlsx_lane_name_merged_down_the_first_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Step", "One", "Two"],
        ["Customer", "Ask", "Leave"],
        ["Onstage: Clerk", "Answer → Leave", ""],
        [None, "", "Wave"],
    ]
    _, bp = model(write_xlsx(tmp_path / "m.xlsx", rows, merges=("A3:A4",)))
    assert [(a.label, a.lane) for a in bp.actions if a.lane == "clerk"] == [
        ("Answer", "clerk"),
        ("Wave", "clerk"),
    ]


def test_chinese_zone_names_and_lanes(tmp_path: Path) -> None:
    rows = [
        ["阶段", "到店", ""],
        ["步骤", "取号", "办理"],
        ["有形展示", "取号机", "柜台"],
        ["顾客行为:", "取号 → 出号", "办理业务 → 受理"],
        ["前台：营业员", "", "受理"],
        ["前台", "出号", ""],
        ["后台员工行为", "", "写卡"],
        ["支持过程", "", "号卡系统"],
    ]
    result, bp = model(write_csv(tmp_path / "营业厅.csv", rows))
    assert bp.header.locale == "zh"
    assert bp.header.title == "营业厅"
    assert [lane.label for lane in bp.lanes if lane.declared] == ["营业员"]
    assert {a.id: a.zone for a in bp.actions} == {
        "取号": Zone.CUSTOMER,
        "办理业务": Zone.CUSTOMER,
        "受理": Zone.ONSTAGE,
        "出号": Zone.ONSTAGE,
        "写卡": Zone.BACKSTAGE,
        "号卡系统": Zone.SUPPORT,
    }
    assert result.text.startswith('蓝图 "营业厅" {\n  语言 中文\n}\n')
    assert '泳道 营业员 "营业员" 属于 前台' in result.text


@pytest.mark.parametrize(
    "name, zone",
    [
        ("EVIDENCE", Zone.EVIDENCE),
        ("有形展示", Zone.EVIDENCE),
        ("Customer:", Zone.CUSTOMER),
        ("  customer   actions : ", Zone.CUSTOMER),
        ("顾客", Zone.CUSTOMER),
        ("Frontstage", Zone.ONSTAGE),
        ("前台员工行为", Zone.ONSTAGE),
        ("Back stage", Zone.BACKSTAGE),
        ("后台", Zone.BACKSTAGE),
        ("Support processes", Zone.SUPPORT),
        ("支持", Zone.SUPPORT),
    ],
)
def test_zone_names(name: str, zone: Zone) -> None:
    from blueprint_dsl.importing.names import zone_and_lane

    assert zone_and_lane(name) == (zone, None)
    assert zone_and_lane(f"{name.rstrip(': ')}: Desk") == (zone, "Desk")


def test_semicolon_separator_and_bom(tmp_path: Path) -> None:
    rows = [["Step", "One; with a semicolon", "Two"], ["Customer", "Ask, politely", "Go"]]
    path = write_csv(tmp_path / "semi.csv", rows, separator=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    _, bp = model(path)
    assert [s.label for s in bp.steps] == ["One; with a semicolon", "Two"]
    assert [a.label for a in bp.actions] == ["Ask, politely", "Go"]


def test_tab_separated_utf16_from_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "tabs.txt"
    path.write_bytes("Step\tOne\r\nCustomer\tAsk\r\n".encode("utf-16"))
    _, bp = model(path)
    assert [a.label for a in bp.actions] == ["Ask"]


def test_without_step_row_steps_are_numbered(tmp_path: Path) -> None:
    # an empty column is no step; the others are numbered in order
    _, bp = model(write_csv(tmp_path / "n.csv", [["Customer", "Ask", "", "Go"]]))
    assert [s.label for s in bp.steps] == ["Step 1", "Step 2"]


def test_empty_columns_are_skipped_and_blank_rows_ignored(tmp_path: Path) -> None:
    rows = [["Step", "One", "", "Two", ""], [], ["Customer", "Ask", "", "Go", ""], [""]]
    _, bp = model(write_csv(tmp_path / "e.csv", rows))
    assert [s.label for s in bp.steps] == ["One", "Two"]


def test_continuation_row_and_line_rows(tmp_path: Path) -> None:
    rows = [
        ["Step", "One"],
        ["Customer", "Ask"],
        ["-----------", ""],
        ["Onstage", "Answer"],
        ["", "Smile"],
        ["可视分界线", ""],
    ]
    _, bp = model(write_csv(tmp_path / "c.csv", rows))
    assert [(a.label, a.zone) for a in bp.actions] == [
        ("Ask", Zone.CUSTOMER),
        ("Answer", Zone.ONSTAGE),
        ("Smile", Zone.ONSTAGE),
    ]


def test_flow_to_an_unknown_name_is_dropped_with_a_warning(tmp_path: Path) -> None:
    rows = [["Step", "One"], ["Customer", "Ask → Nobody"], ["Onstage", "Answer"]]
    result, bp = model(write_csv(tmp_path / "u.csv", rows))
    assert [str(n) for n in result.notices] == [
        f"{tmp_path / 'u.csv'}, row 2, column B: warning: flow to 'Nobody' dropped: "
        "no cell is called that"
    ]
    assert "# bpc import: flow -> 'Nobody' dropped: no cell is called that" in result.text
    assert [f for f in bp.flows if not f.implicit] == []


def test_a_flow_to_evidence_is_dropped_and_says_why(tmp_path: Path) -> None:
    rows = [["Step", "One"], ["Evidence", "Sign"], ["Customer", "Ask → sign"]]
    result, _ = model(write_csv(tmp_path / "ev.csv", rows))
    assert [n.message for n in result.notices] == [
        "flow to 'sign' dropped: evidence cannot be the end of a flow"
    ]


def test_flow_by_id_and_nearest_of_equal_labels(tmp_path: Path) -> None:
    rows = [
        ["Step", "One", "Two", "Three"],
        ["Customer", "Check → Help", "Wait", "Leave → check"],
        ["Onstage", "Help", "Help", "Help"],
    ]
    _, bp = model(write_csv(tmp_path / "n.csv", rows))
    explicit = {(f.source, f.target) for f in bp.flows if not f.implicit}
    # the label "Help" names the action in the same step; "check" is an id
    assert explicit == {("check", "help"), ("leave", "check")}
    assert [a.id for a in bp.actions if a.label == "Help"] == ["help", "help_2", "help_3"]


def test_a_flow_out_of_evidence_is_dropped(tmp_path: Path) -> None:
    rows = [["Step", "One"], ["Evidence", "Sign → Ask"], ["Customer", "Ask"]]
    result, bp = model(write_csv(tmp_path / "ev.csv", rows))
    assert [e.label for e in bp.evidence] == ["Sign"]
    assert [n.message for n in result.notices] == ["a flow from evidence is dropped"]


@pytest.mark.parametrize(
    "label, wanted",
    [
        ("Take order", "take_order"),
        ("Café crème", "cafe_creme"),
        ("24h call-back", "a_24h_call_back"),
        ("接听并记录", "接听并记录"),
        ("迎候问询，预审证件", "迎候问询_预审证件"),
        ("!!!", "a1"),
        ("Support", "support_2"),  # a zone name is not an action id
        ("step", "step_2"),  # nor is a keyword
        ("Bring the bill and take the payment", "bring_the_bill_and_take"),
    ],
)
def test_ids_from_labels(label: str, wanted: str) -> None:
    from blueprint_dsl.importing.names import Ids

    assert Ids().make(label) == wanted


def test_title_and_locale_options(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Customer", "Ask"]])
    result = import_file(path, title="My service", locale="zh")
    assert result.text.startswith('蓝图 "My service" {\n  语言 中文\n}')
