"""The rows layout (bpc's own CSV export): the round trip for every sample, in CSV and
in xlsx, and the checks on each value."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file, export
from blueprint_dsl.exports.csv_export import COLUMNS
from blueprint_dsl.importing import ImportProblem, import_file, import_table
from blueprint_dsl.importing.problems import Place
from blueprint_dsl.importing.rows import COLUMNS as IMPORT_COLUMNS
from blueprint_dsl.importing.table import parse_csv

from ..conftest import SAMPLES
from .helpers import compiled, errors, write_csv, write_xlsx
from .roundtrip import comparable

HEADER = list(COLUMNS)


def test_the_importer_knows_the_exporters_columns() -> None:
    assert IMPORT_COLUMNS == COLUMNS


def _csv_of(sample: Path) -> str:
    result = compile_file(sample)
    assert result.blueprint is not None
    return export(result.blueprint, "csv")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_round_trip_through_csv(sample: Path, tmp_path: Path) -> None:
    original = compile_file(sample).blueprint
    assert original is not None
    path = tmp_path / f"{sample.stem}.csv"
    path.write_bytes(_csv_of(sample).encode("utf-8"))  # with its BOM, CRLF rows
    result = import_file(path)
    assert result.layout == "rows"
    again = compiled(result.text)
    assert again.blueprint is not None
    assert comparable(again.blueprint) == comparable(original)
    # errors only where the data deserves them: a decision whose branches the CSV lost
    decisions = sum(1 for a in original.actions if a.decision)
    assert errors(result.text) == ["BP504"] * decisions
    assert [n.message.split(":")[0] for n in result.notices] == ["a decision"] * decisions


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_round_trip_through_xlsx(sample: Path, tmp_path: Path) -> None:
    original = compile_file(sample).blueprint
    assert original is not None
    rows = list(csv.reader(io.StringIO(_csv_of(sample).removeprefix("\ufeff"))))
    path = write_xlsx(tmp_path / f"{sample.stem}.xlsx", rows)  # type: ignore[arg-type]
    again = compiled(import_file(path).text).blueprint
    assert again is not None
    assert comparable(again) == comparable(original)


def _row(**cells: str) -> list[str]:
    base = {"step_index": "1", "step": "Ask", "zone": "customer", "label": "Ask"}
    base.update(cells)
    return [base.get(c, "") for c in COLUMNS]


def _import(tmp_path: Path, *rows: list[str], header: list[str] | None = None):  # type: ignore[no-untyped-def]
    return import_file(write_csv(tmp_path / "rows.csv", [header or HEADER, *rows]))


def test_values_become_attributes(tmp_path: Path) -> None:
    row = _row(
        zone="onstage", lane_id="desk", lane="Front desk", id="answer", label="Answer",
        role="Clerk", duration="2m..4m", wait="1m", standard="5m",
        fail_points="Line busy\nNo clerk", recoveries="Call back\n—", moment="yes",
        emotion="+1", cost="2.5", metrics="NPS 42 (target 50)\nShare 96%",
        notes="Why it matters\nA note",
    )  # fmt: skip
    result = _import(tmp_path, _row(), row)
    action = compiled(result.text).blueprint.action("answer")  # type: ignore[union-attr]
    assert (action.lane, action.role, action.duration.text) == ("desk", "Clerk", "2m..4m")  # type: ignore[union-attr]
    assert [(f.what, f.recover) for f in action.fails] == [
        ("Line busy", "Call back"),
        ("No clerk", None),
    ]
    assert (action.moment, action.moment_note, action.notes) == (True, "Why it matters", ["A note"])
    assert (action.emotion, action.cost) == (1, 2.5)
    assert [(m.name, m.value.text, m.target and m.target.text) for m in action.metrics] == [
        ("NPS", "42", "50"),
        ("Share", "96%", None),
    ]


def test_columns_in_any_order_and_only_the_required_ones(tmp_path: Path) -> None:
    header = ["label", "zone", "step", "step_index"]
    result = _import(
        tmp_path, ["Ask", "customer", "One", "1"], ["Go", "顾客", "Two", "2"], header=header
    )
    bp = compiled(result.text).blueprint
    assert bp is not None
    assert [(a.label, a.step_index) for a in bp.actions] == [("Ask", 1), ("Go", 2)]
    assert [a.id for a in bp.actions] == [None, None]  # no id column: actions without ids


def test_unknown_column_is_ignored_with_a_warning(tmp_path: Path) -> None:
    result = _import(tmp_path, [*_row(), "x"], header=[*HEADER, "comment"])
    assert [str(n) for n in result.notices] == [
        f"{tmp_path / 'rows.csv'}, row 1, column W: warning: an unknown column 'comment': ignored"
    ]


def test_formula_guard_is_removed(tmp_path: Path) -> None:
    result = _import(tmp_path, _row(label="'=SUM(A1)"))
    assert '"=SUM(A1)"' in result.text


def test_steps_follow_step_index_and_gaps_close(tmp_path: Path) -> None:
    result = _import(
        tmp_path, _row(step_index="5", step="Late"), _row(step_index="2", step="Early")
    )
    bp = compiled(result.text).blueprint
    assert bp is not None
    assert [(s.index, s.label) for s in bp.steps] == [(1, "Early"), (2, "Late")]


@pytest.mark.parametrize(
    "cells, message",
    [
        ({"duration": "5 minutes"}, "row 2, column J: duration '5 minutes': "),
        ({"wait": "10m..5m"}, "row 2, column K: wait '10m..5m': "),
        ({"emotion": "3"}, "row 2, column Q: emotion '3': write a whole number −2 … +2"),
        ({"cost": "cheap"}, "row 2, column R: cost 'cheap': "),
        ({"zone": "kitchen"}, "row 2, column D: zone 'kitchen': write customer, onstage, "),
        ({"zone": "evidence"}, "row 2, column D: zone 'evidence': "),
        ({"step_index": "first"}, "row 2, column A: step_index 'first': write a whole number"),
        ({"step_index": "²"}, "row 2, column A: step_index '²': write a whole number from 1"),
        ({"label": ""}, "row 2, column H: the action has no label"),
        ({"decision": "maybe"}, "row 2, column O: decision 'maybe': write yes or leave it"),
        ({"metrics": "NPS"}, "row 2, column S: metric 'NPS': write NAME VALUE [(target T)]"),
        ({"lane_id": "onstage"}, "row 2, column E: lane 'onstage' is a zone, not a lane in "),
    ],
)  # fmt: skip
def test_bad_values_name_their_cell(tmp_path: Path, cells: dict[str, str], message: str) -> None:
    with pytest.raises(ImportProblem) as caught:
        _import(tmp_path, _row(**cells))
    assert str(caught.value).startswith(f"{tmp_path / 'rows.csv'}, {message}")
    assert "\n" not in str(caught.value)


def test_duplicate_id(tmp_path: Path) -> None:
    with pytest.raises(
        ImportProblem, match=r"row 3, column G: duplicate id 'a' \(first in row 2\)$"
    ):
        _import(tmp_path, _row(id="a"), _row(id="a", label="Again"))


def test_lane_in_two_zones(tmp_path: Path) -> None:
    rows = [_row(zone="onstage", lane_id="desk"), _row(zone="backstage", lane_id="desk")]
    with pytest.raises(
        ImportProblem, match=r"row 3, column D: lane 'desk' is in onstage, not in backstage$"
    ):
        _import(tmp_path, *rows)


def test_missing_required_column(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match=r"rows.csv, row 1: the header has no column step$"):
        _import(tmp_path, ["1", "customer", "Ask"], header=["step_index", "zone", "label"])


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(
        ImportProblem, match=r"row 1: no actions: the rows below the header are empty$"
    ):
        _import(tmp_path)


def test_layout_rows_forced_on_a_grid(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Customer", "Ask"]])
    with pytest.raises(ImportProblem, match=r"g.csv, row 1: the first row is not bpc's CSV header"):
        import_file(path, layout="rows")


def test_invalid_ids_are_made_valid(tmp_path: Path) -> None:
    result = _import(tmp_path, _row(id="take order", lane_id="front desk", zone="onstage"))
    bp = compiled(result.text).blueprint
    assert bp is not None
    assert (bp.actions[0].id, bp.actions[0].lane) == ("take_order", "front_desk")
    assert [n.message for n in result.notices] == [
        "lane 'front desk' written as id front_desk",
        "id 'take order' written as take_order",
    ]


def test_import_table_in_memory() -> None:
    table = parse_csv("step_index,step,zone,label\r\n1,One,customer,Ask\r\n", Place("mem.csv"))
    result = import_table(table)
    assert (result.layout, result.draft.action_count) == ("rows", 1)


def test_xlsx_cell_types_become_text(tmp_path: Path) -> None:
    import datetime as dt

    header = ["step_index", "step", "zone", "label", "duration", "cost", "emotion", "moment"]
    row: list[object] = [1, "One", "customer", "Ask", dt.timedelta(minutes=10), 2.5, -1, True]
    path = write_xlsx(tmp_path / "typed.xlsx", [header, row])  # type: ignore[list-item]
    bp = compiled(import_file(path).text).blueprint
    assert bp is not None
    action = bp.actions[0]
    assert (action.duration and action.duration.text, action.cost) == ("10m", 2.5)
    assert (action.emotion, action.moment) == (-1, True)
