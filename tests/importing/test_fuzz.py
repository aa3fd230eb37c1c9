"""No sheet makes the import crash: random grids, random rows and damaged workbooks give
either a blueprint that parses or one clean `ImportProblem`."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.exports.csv_export import COLUMNS
from blueprint_dsl.importing import ImportProblem, import_file, import_table
from blueprint_dsl.importing.problems import Place
from blueprint_dsl.importing.table import Table, parse_csv

from .helpers import compiled, csv_text, write_xlsx

NAMES = [
    "", "Phase", "Step", "步骤", "Evidence", "Customer", "顾客行为", "Onstage", "Onstage: Waiter",
    "前台：营业员", "Backstage", "后台: 厨房", "Support", "Line of visibility", "----", "Waiter",
    "customer:", "支持过程",
]  # fmt: skip
PIECES = [
    "Ask", "Serve", "→ Serve", "Ask -> Nobody", "-->", "<->", "\n", "接听", "\"", "\\", "{", "}",
    "#", ";", ",", "=1", "'", "step", "support", "\t", "\r", "\x00", "→", "  ", "🙂", "a\u2028b",
]  # fmt: skip
cells = st.lists(st.sampled_from(PIECES), max_size=4).map("".join) | st.text(max_size=8)
grids = st.lists(
    st.tuples(st.sampled_from(NAMES) | st.text(max_size=6), st.lists(cells, max_size=5)).map(
        lambda pair: [pair[0], *pair[1]]
    ),
    max_size=8,
)
FUZZ = settings(
    max_examples=int(__import__("os").environ.get("BPC_FUZZ", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _survives(table: Table | str) -> None:
    try:
        if isinstance(table, str):
            table = parse_csv(table, Place("fuzz.csv"))
        result = import_table(table)
    except ImportProblem as problem:
        assert "\n" not in str(problem)
        return
    parsed = compiled(result.text)
    assert not any(d.code == "BP100" for d in parsed.diagnostics), result.text


@FUZZ
@given(grids)
def test_random_grids_never_crash(rows: list[list[str]]) -> None:
    _survives(Table(Place("fuzz.csv"), rows))


@FUZZ
@given(grids, st.sampled_from([",", ";", "\t"]))
def test_random_grids_through_csv_text(rows: list[list[str]], separator: str) -> None:
    clean = [[c.replace("\x00", "") for c in row] for row in rows]
    _survives(csv_text(clean, separator))


VALUES = [
    "", "1", "-1", "x", "yes", "5m", "1m..2m", "2..1", "∞", "customer", "onstage", "a b", "96%",
    "NPS 4 (target 5)", "—", "'=1", "1e400", "²",
]  # fmt: skip
values = st.sampled_from(VALUES)


@FUZZ
@given(st.lists(st.lists(values | cells, min_size=20, max_size=20), max_size=6))
def test_random_rows_never_crash(rows: list[list[str]]) -> None:
    _survives(Table(Place("rows.csv"), [list(COLUMNS), *rows]))


def _workbook_bytes(tmp: Path) -> bytes:
    rows: list[list[object]] = [
        ["Phase", "A", None],
        ["Step", "One", "Two"],
        ["Customer", "x → y", "y"],
    ]
    return write_xlsx(tmp / "seed.xlsx", rows, merges=("B1:C1",)).read_bytes()


SEED: dict[str, bytes] = {}


def _seed(tmp: Path) -> bytes:
    if "xlsx" not in SEED:
        SEED["xlsx"] = _workbook_bytes(tmp)
    return SEED["xlsx"]


@FUZZ
@given(st.data())
def test_damaged_workbooks_give_one_clean_message(
    tmp_path_factory: object, data: st.DataObject
) -> None:
    tmp = tmp_path_factory.mktemp("xlsx")  # type: ignore[attr-defined]
    seed = _seed(tmp)
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    name = data.draw(st.sampled_from(sorted(members)))
    content = bytearray(members[name])
    for _ in range(data.draw(st.integers(1, 4))):
        if not content:
            break
        at = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["replace", "delete", "cut"]))
        if action == "replace":
            content[at] = data.draw(st.sampled_from(list(b"<>\"'=/ax0\x00\xff")))
        elif action == "delete":
            del content[at]
        else:
            del content[at:]
    members[name] = bytes(content)
    if data.draw(st.booleans()):
        del members[data.draw(st.sampled_from(sorted(members)))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, body in members.items():
            archive.writestr(member, body)
    raw = buffer.getvalue()
    if data.draw(st.booleans()):  # damage the archive itself too
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ 0x5A]) + raw[at + 1 :]
    path = tmp / "damaged.xlsx"
    path.write_bytes(raw)
    try:
        result = import_file(path)
    except ImportProblem as problem:
        assert "\n" not in str(problem)
        return
    assert not any(d.code == "BP100" for d in compiled(result.text).diagnostics)
