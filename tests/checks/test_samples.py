"""Every sample checks without errors; its diagnostics and JSON export are golden."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.cli.output import format_text
from blueprint_dsl.exports.json_export import to_json, to_json_data

from ..conftest import ROOT, SAMPLES, assert_golden

SCHEMA = json.loads((ROOT / "blueprint_dsl/schemas/export.schema.json").read_text("utf-8"))
NAMES = [p.name for p in SAMPLES]


def test_there_are_at_least_five_samples_one_chinese() -> None:
    assert {"restaurant.bp", "property-repair.zh.bp"} <= set(NAMES)
    assert len(NAMES) >= 5
    assert sum(1 for n in NAMES if ".zh." in n) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_sample_checks_without_errors(name: str, in_root: Path) -> None:
    result = compile_file(Path("samples") / name)
    assert not result.has_errors, format_text([result])
    assert_golden(f"samples/{name}.diagnostics.txt", format_text([result]))


@pytest.mark.parametrize("name", NAMES)
def test_sample_json_export(name: str, in_root: Path) -> None:
    result = compile_file(Path("samples") / name)
    assert result.blueprint is not None
    data = to_json_data(result.blueprint)
    jsonschema.validate(data, SCHEMA)
    assert_golden(f"export/{name}.json", to_json(result.blueprint))


def test_restaurant_analysis_figures(in_root: Path) -> None:
    result = compile_file("samples/restaurant.bp")
    assert result.blueprint is not None
    analysis = to_json_data(result.blueprint)["analysis"]
    assert analysis == {
        "steps": 5,
        "customer_actions": 5,
        # book->confirm, arrive->greet, order->take_order, serve->eat, pay->bill
        "encounters": 5,
        # confirm->bookings, send_order-->pos, bill<->gateway
        "internal_encounters": 3,
        "fail_points": 2,
        "fail_points_without_recovery": 0,
        "wait_points": 1,
        "customer_time": {"min_seconds": 0, "max_seconds": 600},
        "target_seconds": 7200,
        "evidence_coverage": 1.0,
        # take_order 3m + cook 15m..25m on the longest forward path; greet's wait is on a
        # branch that ends there (arrive -> greet), not on the way to the end.
        "lead_time": {"min_seconds": 1080, "max_seconds": 1680},
        "critical_path": [
            "book",
            "arrive",
            "order",
            "take_order",
            "send_order",
            "cook",
            "serve",
            "eat",
            "pay",
            "bill",
            "gateway",
        ],
    }


def test_property_repair_journey_and_decision(in_root: Path) -> None:
    result = compile_file("samples/property-repair.zh.bp")
    assert result.blueprint is not None
    flows = {(f.source, f.target): f for f in result.blueprint.flows}
    # the decision's branches carry their labels
    assert flows[("验收", "交费")].label == "通过"
    assert flows[("验收", "维修")].label == "不通过"
    # the decision already leads to a later customer action: no implicit flow from it
    assert ("验收", "反馈") not in flows
    implicit = [(f.source, f.target) for f in result.blueprint.flows if f.implicit]
    assert implicit == [
        ("报修", "确认时间"),
        ("确认时间", "等待"),
        ("等待", "陪同"),
        ("陪同", "验收"),
        ("交费", "反馈"),
    ]
    assert [lane.label for lane in result.blueprint.lanes][:2] == ["有形展示", "顾客行为"]
