"""The HTML report shows language 0.2: lead time and the critical path, parallel groups,
triggers and the company-initiated contacts, branch shares, metric direction, internal
blueprints, the simulation's histogram (inline SVG) and written against observed.

The figures of TOPUP are counted by hand in the comments beside it.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprint_dsl.analysis.observed import read_observed
from blueprint_dsl.api import compile_text
from blueprint_dsl.compiler import CompileResult
from blueprint_dsl.report import build_report_html
from blueprint_dsl.report.histogram import (
    LEFT,
    PLOT_W,
    HistogramText,
    bins_of,
    domain_seconds,
    histogram_svg,
)
from blueprint_dsl.report.simulation import BUDGET, MIN_RUNS, runs_for
from blueprint_dsl.report.words import WORDS

from ..report_helpers import Tags

# Weights: sms 1m, read 1m, pay 2m..4m, code 3m, check 1m, refund 2m, done 1m.
# Customer time: read 1m + max(pay 2m..4m, code 3m) + done 1m = 5m..6m (target 10m).
# Lead time, high: sms 1 -> read 1 -> pay 4 -> check 1 -> refund 2 -> done 1 = 10m
#   (the critical path, 6 actions); low: sms 1 + read 1 + max(pay 2 + min(check 1 + done 1,
#   check 1 + refund 2 + done 1), code 3 + done 1) = 6m.
# Encounters: sms->read, pay->check, check->done, refund->done = 4.
TOPUP = """\
blueprint "Prepaid top-up" {
  id      "BP-TOPUP-02"
  version "A/0"
  target  10m
}

lane channel "SMS channel" in onstage
lane clerk   "Clerk"       in onstage

step "Remind" {
  evidence "Reminder SMS"
  channel  sms  "Send a reminder SMS" -> read { trigger "the balance runs low"; duration 1m }
  customer read "Read the reminder" { duration 1m }
}

step "Top up" {
  evidence "App screen"
  parallel {
    customer pay  "Pay in the app" -> check { duration 2m..4m }
    customer code "Ask a friend for the code" { duration 3m }
  }
  clerk check "Check the payment" {
    decision
    duration 1m
    standard 2m
    metric "Failed payments" 12% target <= 10%
    metric "Paid first time" 88% target >= 85%
  }
}

step "Done" {
  evidence "New balance"
  clerk    refund "Refund and apologise" -> done { duration 2m }
  customer done   "See the new balance" { duration 1m }
}

check -> done   : "paid"   90%
check -> refund : "failed" 10%
"""

# One customer action drawn uniformly from 0m..10m against a target of 5m: half the runs
# are over it, and the histogram's bins are spread evenly.
UNIFORM = """\
blueprint "Uniform" {
  target 5m
}
step "Wait" {
  evidence "Sign"
  customer a "Wait at the desk" { duration 0m..10m }
}
"""

INTERNAL = """\
blueprint "Back office" {
  scope  internal
  target 15m
}
lane ops "Ops" in backstage
lane sys "Ledger" in support
step "Book" {
  ops book "Book the payment" -> ledger { trigger "a payment arrives"; duration 2m..5m }
  sys ledger "Ledger"
}
"""


def _compile(text: str, name: str = "topup.bp") -> CompileResult:
    result = compile_text(text, name)
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    return result


@pytest.fixture(scope="module")
def page() -> str:
    return build_report_html(_compile(TOPUP), None)


def _figure(page: str, key: str) -> tuple[object, str]:
    """(JSON value, text shown) of the element with `data-figure="key"`."""
    match = re.search(rf'data-figure="{re.escape(key)}" data-value="([^"]*)">([^<]*)<', page)
    assert match, key
    return json.loads(htmllib.unescape(match.group(1))), htmllib.unescape(match.group(2))


def _section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}">(.*?)</section>', page, re.S)
    assert match, ident
    return match.group(1)


def _card(page: str, key: str) -> str:
    match = re.search(rf'<div class="card" data-key="{key}" hidden>(.*?)</div>', page, re.S)
    assert match, key
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# ---- lead time and the critical path ----------------------------------------------------


def test_lead_time_beside_customer_time(page: str) -> None:
    assert _figure(page, "lead_time") == ({"min_seconds": 360, "max_seconds": 600}, "6m–10m")
    assert _figure(page, "customer_time.min_seconds") == (300, "5m")
    assert _figure(page, "customer_time.max_seconds") == (360, "6m")
    figures = _section(page, "r-figures")
    assert figures.index("r-lead-time") > figures.index('data-figure="customer_time.min_seconds"')


def test_critical_path_in_order_linked_to_cards(page: str) -> None:
    path = ["sms", "read", "pay", "check", "refund", "done"]
    assert _figure(page, "critical_path") == (path, "6 actions, 10m")
    block = re.search(r'id="r-critical-path">(.*?)</div>', page, re.S)
    assert block
    assert re.findall(r'data-bp-select="action:([^"]+)"', block.group(1)) == path
    assert "Send a reminder SMS" in block.group(1) and "See the new balance" in block.group(1)


# ---- parallel groups, triggers, shares, metric direction --------------------------------


def test_parallel_actions_name_each_other(page: str) -> None:
    assert "Runs in parallel with Ask a friend for the code" in " ".join(_card(page, "pay").split())
    assert "Runs in parallel with Pay in the app" in " ".join(_card(page, "code").split())
    assert "Runs in parallel with" not in _card(page, "read")


def test_triggered_action_and_contacts_section(page: str) -> None:
    assert "Starts by itself the balance runs low" in " ".join(_card(page, "sms").split())
    contacts = _section(page, "r-contacts")
    assert "Company-initiated contacts" in contacts and "(1)" in contacts
    rows = re.findall(r"<tr>(.*?)</tr>", contacts.split("<tbody>")[1], re.S)
    assert len(rows) == 1
    assert _text(rows[0]) == "1 Send a reminder SMS SMS channel the balance runs low " + (
        "Read the reminder (Customer actions)"
    )


def test_decision_card_lists_branches_with_shares(page: str) -> None:
    card = " ".join(_card(page, "check").split())
    assert "Branches paid → See the new balance · 90% failed → Refund and apologise · 10%" in card


def test_metric_direction_and_missed_ceiling(page: str) -> None:
    rows = re.findall(r'<tr class="(\w+)">(.*?)</tr>', _section(page, "r-metrics"), re.S)
    assert [(state, _text(cells)) for state, cells in rows] == [
        ("above", "Check the payment Failed payments 12% ≤ 10% (ceiling) above ceiling"),
        ("met", "Check the payment Paid first time 88% ≥ 85% target met"),
    ]
    card = " ".join(_card(page, "check").split())
    assert "Failed payments: 12% / ≤ 10% (ceiling)" in card and "88% / ≥ 85%" in card


# ---- the simulation ----------------------------------------------------------------------


def _svg(page: str) -> ET.Element:
    match = re.search(r"<svg [^>]*class=\"histogram\".*?</svg>", page, re.S)
    assert match
    return ET.fromstring(match.group(0))


SVG = "{http://www.w3.org/2000/svg}"


def test_histogram_parses_counts_every_run_and_is_accessible(page: str) -> None:
    svg = _svg(page)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "r-hist-title r-hist-desc"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Customer time over 10,000 runs"
    assert desc is not None and desc.text is not None
    # By hand: 2m + max(U(2m, 4m), 3m): the mean is 5.25m, half the runs are exactly 5m,
    # p90 is 2m + 3.8m, p95 2m + 3.9m, the max 6m.
    mean = re.search(r"mean (5\.[23]m), p50 5m, p90 5\.8m, p95 5\.9m, max 6m\.", desc.text)
    assert mean, desc.text
    assert "Target 10m: 0.0% of the runs exceed it." in desc.text
    bars = svg.findall(f".//{SVG}rect")
    assert (
        sum(int(b.get("data-count", "0")) for b in bars) == 10_000 == int(svg.get("data-runs", 0))
    )
    assert all(b.find(f"{SVG}title") is not None for b in bars)
    # every run lies in 5m..6m: every bar touches that range
    assert all(float(b.get("data-high", 0)) > 300 > 0 for b in bars)
    assert all(float(b.get("data-low", 999)) < 360 for b in bars)
    sim = _section(page, "r-simulation")
    rows = dict(re.findall(r'<tr data-sim="(\w+)"[^>]*><td>[^<]*</td><td[^>]*>([^<]*)<', sim))
    assert rows == {
        "mean": mean.group(1),
        "p50": "5m",
        "p90": "5.8m",
        "p95": "5.9m",
        "max": "6m",
    } | {"p_over_target": "0.0%"}
    assert re.search(r'data-sim="p_over_target" data-value="0.0">.*?0\.0%', sim, re.S)
    assert "10,000 runs (seed 1)" in sim


def test_target_line_at_the_right_x_for_a_known_distribution() -> None:
    page = build_report_html(_compile(UNIFORM, "uniform.bp"), None)
    svg = _svg(page)
    domain = float(svg.get("data-domain-seconds", 0))
    bins = svg.findall(f".//{SVG}rect")
    width = float(svg.get("data-bin-seconds", 0))
    assert domain == pytest.approx(width * 40, rel=1e-3)
    line = svg.find(f".//{SVG}g[@class='hist-target']/{SVG}line")
    assert line is not None and float(line.get("data-seconds", 0)) == 300
    assert float(line.get("x1", 0)) == pytest.approx(LEFT + 300 / domain * PLOT_W, abs=0.01)
    counts = [int(b.get("data-count", 0)) for b in bins]
    assert sum(counts) == 10_000
    over = sum(c for b, c in zip(bins, counts, strict=True) if "over" in b.get("class", ""))
    assert 4_700 < over < 5_300  # the bars past the target are about half the runs
    rows = re.search(r'data-sim="p_over_target" data-value="([0-9.]+)"', page)
    assert rows and 0.47 < float(rows.group(1)) < 0.53


def test_histogram_svg_geometry_from_known_bins() -> None:
    text = HistogramText("T <&>", "D", "X", "Y", "Target 2m", "{low}-{high}: {count} ({share})")
    svg = ET.fromstring(str(histogram_svg(60.0, [1, 2, 3, 4], 120.0, text)))
    assert domain_seconds(60.0, 4, 120.0) == 240.0
    line = svg.find(f".//{SVG}g[@class='hist-target']/{SVG}line")
    assert line is not None and float(line.get("x1", 0)) == LEFT + PLOT_W / 2
    bars = svg.findall(f".//{SVG}rect")
    assert [int(b.get("data-count", 0)) for b in bars] == [1, 2, 3, 4]
    classes = ["hist-bar", "hist-bar", "hist-bar over", "hist-bar over"]
    assert [b.get("class") for b in bars] == classes
    tip = bars[3].find(f"{SVG}title")
    assert tip is not None and tip.text == "3-4: 4 (40.0%)"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == "T <&>"  # escaped in the markup, text again here
    assert bins_of([0.0, 30.0, 60.0, 120.0], 4) == (30.0, [1, 1, 1, 1])


def test_runs_stay_within_the_budget_for_big_blueprints() -> None:
    small, big = _compile(TOPUP).blueprint, _compile(TOPUP).blueprint
    assert small is not None and big is not None
    assert runs_for(small) == 10_000
    big.actions.extend(big.actions[0] for _ in range(500))
    assert runs_for(big) == 1_000  # 600,000 // ~510 actions, in thousands
    big.actions.extend(big.actions[0] for _ in range(1_500))
    assert runs_for(big) == 200  # in hundreds below 1,000 runs
    assert runs_for(big) * len(big.actions) <= BUDGET
    big.actions.extend(big.actions[0] for _ in range(20_000))
    assert runs_for(big) == MIN_RUNS == 100  # a floor for a huge blueprint


# ---- internal blueprints ----------------------------------------------------------------


def test_internal_blueprint_shows_no_customer_figures() -> None:
    page = build_report_html(_compile(INTERNAL, "internal.bp"), None)
    assert 'id="r-internal"' in page and "scope internal" in page
    assert _figure(page, "customer_time.min_seconds") == (0, "—")
    assert _figure(page, "evidence_coverage") == (0.0, "—")
    assert _figure(page, "lead_time") == ({"min_seconds": 120, "max_seconds": 300}, "2m–5m")
    assert 'class="histogram"' not in page
    sim = _section(page, "r-simulation")
    assert "an internal blueprint has no customer time" in sim
    assert re.search(r'data-sim="p90"><td>p90</td><td class="num nowrap">—</td>', sim)
    lead = re.search(r'id="r-lead-time" data-state="(\w+)"', page)
    assert lead and lead.group(1) == "ok"  # 5m against the target of 15m


# ---- observed, locale, determinism ------------------------------------------------------


def test_written_against_observed() -> None:
    result = _compile(TOPUP)
    assert result.blueprint is not None
    rows = "action,duration\n" + "".join(f"check,{m}m\n" for m in (1, 1, 2, 2, 3, 3, 3, 4, 4, 5))
    found = read_observed(rows.encode(), "seen.csv", result.blueprint)
    assert found.problems == []
    page = build_report_html(result, None, observed=found)
    # p90 of 1,1,2,2,3,3,3,4,4,5 minutes: 4m + 0.1 × 1m = 4.1m
    card = " ".join(_card(page, "check").split())
    assert "Duration written 1m · observed p90 4.1m (n=10)" in card
    rows_html = re.findall(r'<tr class="(\w+)">(.*?)</tr>', _section(page, "r-observed"), re.S)
    assert [(s, _text(c)) for s, c in rows_html] == [
        (
            "breached",
            "2 Check the payment Duration 1m observed p90 4.1m (n=10) 2m p90 over standard",
        )
    ]
    assert "Observed values replace the written ranges" in page
    assert 'id="r-observed"' not in build_report_html(result, None)


def test_chinese_report_speaks_chinese_in_0_2() -> None:
    text = TOPUP.replace("  target  10m\n", "  target  10m\n  locale  zh\n")
    page = build_report_html(_compile(text), None)
    for words in (
        "前置时间",
        "关键路径",
        "企业主动发起的接触",
        "并行于",
        "自行开始",
        "分支",
        "上限",
    ):
        assert words in page, words
    assert "模拟 10,000 次(种子 1)" in page and "顾客时间(分钟)" in page
    for english in ("Lead time", "Critical path", "Company-initiated", "Runs in parallel"):
        assert english not in page


def test_every_new_word_in_both_locales() -> None:
    assert WORDS["en"].keys() == WORDS["zh"].keys()


def test_report_is_byte_deterministic(page: str) -> None:
    assert build_report_html(_compile(TOPUP), None) == page


def test_hostile_labels_stay_text_in_the_new_sections() -> None:
    hostile = TOPUP.replace("the balance runs low", "<script>alert(1)</script>").replace(
        '"paid"', '"<img src=x onerror=alert(2)>"'
    )
    page = build_report_html(_compile(hostile), None)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tags = Tags(page)
    assert not [t for t in tags.named("img")]


# ---- in a browser -------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"the system Chromium is missing ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_report_02_in_a_browser(chromium: object, tmp_path: Path, scheme: str) -> None:
    from playwright.sync_api import Browser

    from ..report_helpers import diagram_svg

    assert isinstance(chromium, Browser)
    result = _compile(TOPUP)
    assert result.blueprint is not None
    path = tmp_path / "topup.html"
    path.write_text(build_report_html(result, diagram_svg(result.blueprint)), "utf-8")
    page = chromium.new_page(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)  # type: ignore[arg-type]
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    box = page.locator("#r-hist").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    bar = page.locator("#r-hist rect >> nth=0").bounding_box()
    assert bar is not None and bar["height"] > 0
    page.click('#r-critical-path [data-bp-select="action:check"]')
    assert page.locator('.card[data-key="check"]').is_visible()
    page.locator("#r-simulation").screenshot(path=str(tmp_path / f"simulation-{scheme}.png"))
    page.emulate_media(media="print")
    assert (page.locator("#r-hist").bounding_box() or {"width": 0})["width"] > 0
    page.close()
    assert problems == []
