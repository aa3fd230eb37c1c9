"""`bpc simulate`'s figures (section 8.8) on blueprints whose answers are known exactly."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.analysis.paths import customer_path, lead_time
from blueprint_dsl.analysis.simulate import simulate
from blueprint_dsl.analysis.simulate_stats import Histogram
from blueprint_dsl.api import compile_file, compile_text
from blueprint_dsl.model.blueprint import Blueprint

from ..conftest import ROOT

SAMPLES = sorted((ROOT / "samples").glob("*.bp"))
MINUTE = 60.0


def model(text: str) -> Blueprint:
    result = compile_text(text, "t.bp")
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert not errors and result.blueprint is not None, errors
    return result.blueprint


def one_action(attributes: str, header: str = "") -> Blueprint:
    return model(
        f'blueprint "One" {{\n{header}}}\nstep "S" {{\n  evidence "E"\n'
        f'  customer a "A" {{ {attributes} }}\n}}\n'
    )


def near(value: float, expected: float, relative: float) -> bool:
    return abs(value - expected) <= relative * abs(expected)


# ---- exactly known answers ---------------------------------------------------------------
def test_a_uniform_range_has_its_mean_and_percentiles() -> None:
    sim = simulate(one_action("duration 0m..10m"), runs=40_000)
    assert near(sim.customer_time.mean, 5 * MINUTE, 0.01)
    assert near(sim.customer_time.p50, 5 * MINUTE, 0.01)
    assert near(sim.customer_time.p90, 9 * MINUTE, 0.01)
    assert near(sim.customer_time.p95, 9.5 * MINUTE, 0.01)
    assert 9.9 * MINUTE < sim.customer_time.max <= 10 * MINUTE
    assert near(sim.lead_time.mean, 5 * MINUTE, 0.01)  # the only action: the whole service


BRANCHES = """
blueprint "Branches" {
}
step "Choose" {
  evidence "Sign"
  customer d "Choose" { decision }
}
step "Do" {
  evidence "Form"
  customer x "Short way" -> z { duration 10m; cost 4 }
  customer y "Long way" -> z { duration 20m; cost 8 }
}
step "End" {
  evidence "Door"
  customer z "Leave"
}
"""


def test_two_equal_branches_average_their_times() -> None:
    bp = model(BRANCHES + 'd -> x : "short"\nd -> y : "long"\n')
    sim = simulate(bp, runs=40_000)
    assert near(sim.customer_time.mean, 15 * MINUTE, 0.01)
    assert sim.customer_time.max == 20 * MINUTE
    by_key = {a.key: a for a in sim.actions}
    assert near(by_key["x"].probability, 0.5, 0.02)
    assert by_key["z"].probability == 1.0
    assert near(sim.expected_cost, 6.0, 0.02)  # 4 and 8, half the time each


def test_branch_shares_weigh_the_branches() -> None:
    bp = model(BRANCHES + 'd -> x : "short" 80%\nd -> y : "long" 20%\n')
    sim = simulate(bp, runs=40_000)
    assert near(sim.customer_time.mean, 12 * MINUTE, 0.01)  # 0.8 * 10 + 0.2 * 20
    assert near({a.key: a for a in sim.actions}["y"].executions, 0.2, 0.03)


LOOP = """
blueprint "Rework" {
}
step "Fill in" {
  evidence "Form"
  customer fill "Fill in the form" { duration 4m }
}
step "Check" {
  evidence "Desk"
  customer check "Hand it in" { decision; duration 1m }
}
step "Done" {
  evidence "Receipt"
  customer done "Take the receipt"
}
check -> fill : "incomplete" 50%
check -> done : "complete" 50%
"""


def test_a_rework_loop_of_half_runs_twice_on_average() -> None:
    sim = simulate(model(LOOP), runs=40_000)
    by_key = {a.key: a for a in sim.actions}
    assert near(by_key["fill"].executions, 2.0, 0.02)
    assert near(by_key["check"].executions, 2.0, 0.02)
    assert by_key["fill"].probability == 1.0
    assert near(by_key["done"].executions, 1.0, 1e-9)  # every run leaves the loop at last
    assert near(sim.customer_time.mean, 10 * MINUTE, 0.02)  # 2 rounds of 5 minutes
    assert sim.cut_short == 0


def test_a_loop_that_never_ends_is_cut_short_not_hung() -> None:
    text = LOOP.replace('"incomplete" 50%', '"incomplete" 100%').replace(
        '"complete" 50%', '"complete" 0%'
    )
    sim = simulate(model(text), runs=100)
    assert sim.cut_short == 100
    assert {a.key: a for a in sim.actions}["done"].probability == 0.0


@pytest.mark.parametrize("target", [2, 7, 9.5])
def test_the_chance_of_missing_the_target_is_the_share_of_the_range_above_it(
    target: float,
) -> None:
    sim = simulate(one_action("duration 0m..10m", f"  target {target}m\n"), runs=40_000)
    assert sim.p_over_target is not None
    assert abs(sim.p_over_target - (10 - target) / 10) <= 0.01


def test_no_target_no_chance() -> None:
    assert simulate(one_action("duration 5m"), runs=10).p_over_target is None


def test_a_parallel_group_lasts_as_long_as_its_longest_member() -> None:
    bp = model(
        'blueprint "Pickup" {\n}\nlane clerk "Clerk" in onstage\n'
        'step "Prepare" {\n  evidence "Form"\n  parallel {\n'
        '    customer form "Fill in the form" { duration 5m }\n'
        '    customer wait "Wait for the son" { duration 8m }\n  }\n}\n'
        'step "Go" {\n  evidence "Car"\n  customer go "Leave" { duration 1m }\n}\n'
    )
    sim = simulate(bp, runs=50)
    assert sim.customer_time.mean == pytest.approx(9 * MINUTE)
    assert customer_path(bp) == (9 * MINUTE, 9 * MINUTE)


def test_waits_of_staff_are_the_customers_time_in_their_step() -> None:
    bp = model(
        'blueprint "Desk" {\n}\nlane desk "Desk" in onstage\nstep "Ask" {\n  evidence "Sign"\n'
        '  customer ask "Ask" -> serve { duration 1m }\n'
        '  desk serve "Serve" { duration 2m; wait 0m..4m }\n}\n'
    )
    sim = simulate(bp, runs=40_000)
    assert near(sim.customer_time.mean, 3 * MINUTE, 0.01)  # 1m + a 0..4m wait
    assert near(sim.lead_time.mean, 5 * MINUTE, 0.01)  # ask, then the wait and the service
    assert {x.id: x for x in sim.lanes}["desk"].busy == pytest.approx(2 * MINUTE)


# ---- the deterministic limit agrees with paths.py -------------------------------------------
def fixed(text: str) -> str:
    """Every range at its upper end."""
    return re.sub(r"(\d+(?:\.\d+)?[^\W\d_]+)\.\.(\d+(?:\.\d+)?[^\W\d_]+)", r"\2", text)


def generated(steps: int) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_check import generate

    return generate(steps)


DETERMINISTIC = [p for p in SAMPLES if "decision" not in p.read_text("utf-8")]


@pytest.mark.parametrize("name", [p.name for p in DETERMINISTIC] + ["generated-30"])
def test_without_ranges_and_decisions_the_figures_are_paths_figures(name: str) -> None:
    text = generated(30) if name == "generated-30" else (ROOT / "samples" / name).read_text("utf-8")
    result = compile_text(fixed(text), str(ROOT / "samples" / name))
    assert result.blueprint is not None and not result.has_errors
    bp = result.blueprint
    sim = simulate(bp, runs=200)
    low, high = customer_path(bp)
    assert low == high
    assert sim.customer_time.mean == pytest.approx(high)
    assert sim.customer_time.p50 == pytest.approx(high)
    assert sim.customer_time.max == pytest.approx(high)
    lead = lead_time(bp)
    assert sim.lead_time.mean == pytest.approx(lead.max_seconds)
    assert sim.encounters == pytest.approx(result.analysis.encounters if result.analysis else 0)


# ---- determinism ------------------------------------------------------------------------
def test_the_same_seed_gives_the_same_figures_and_another_seed_others() -> None:
    bp = compile_file(ROOT / "samples" / "property-repair.zh.bp").blueprint
    assert bp is not None
    first, again = simulate(bp, 3_000, seed=7), simulate(bp, 3_000, seed=7)
    assert first.to_json() == again.to_json()
    assert simulate(bp, 3_000, seed=8).to_json() != first.to_json()


# ---- every sample ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_simulates_and_its_figures_make_sense(path: Path) -> None:
    result = compile_file(path)
    assert result.blueprint is not None and not result.has_errors
    bp, analysis = result.blueprint, result.analysis
    assert analysis is not None
    sim = simulate(bp, runs=2_000)
    for summary in (sim.customer_time, sim.lead_time):
        assert 0 <= summary.p50 <= summary.p90 <= summary.p95 <= summary.max
        assert summary.mean <= summary.max
    # without loops a run can take no longer than the longest way, nor less than the shortest
    assert sim.customer_time.max <= analysis.customer_time_max + 1e-6
    assert sim.lead_time.max <= analysis.lead_time_max + 1e-6
    assert sim.lead_time.mean >= analysis.lead_time_min - 1e-6
    assert all(0 <= a.probability <= 1 and a.executions >= a.probability for a in sim.actions)
    assert sim.encounters <= analysis.encounters + 1e-9
    assert sim.cut_short == 0
    assert sum(sim.histogram) == sim.runs


def test_property_repair_rework_ends_the_journey_as_paths_says() -> None:
    """验收 -> 维修 : "不通过" leads back to staff with no forward flow out: by 8.5 the
    journey ends there, so half the runs never pay (the sample's model says so)."""
    bp = compile_file(ROOT / "samples" / "property-repair.zh.bp").blueprint
    assert bp is not None
    by_key = {a.key: a for a in simulate(bp, runs=20_000).actions}
    assert near(by_key["维修"].executions, 1.5, 0.02)
    assert near(by_key["交费"].probability, 0.5, 0.03)


# ---- streaming statistics ---------------------------------------------------------------
def test_the_histogram_adapts_to_values_beyond_its_range() -> None:
    histogram = Histogram(bins=64)
    histogram.add([1.0] * 10)
    histogram.add([float(v) for v in range(1000)])
    assert histogram.total == 1010 and histogram.high == 999.0
    assert abs(histogram.quantile(0.5) - 495) < 999 / 64 * 2
    assert math.isclose(histogram.mean, (10 + sum(range(1000))) / 1010)


def test_memory_does_not_grow_with_the_runs() -> None:
    import tracemalloc

    bp = model(LOOP)
    tracemalloc.start()
    simulate(bp, runs=8_192)  # two chunks of runs
    small = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    simulate(bp, runs=40_960)  # ten
    large = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert large < small * 1.5 + 200_000


# ---- generated blueprints never crash the simulator -------------------------------------------
ZONES = ("customer", "onstage", "backstage", "support")
ALLOWED = {  # flows that are not errors (BP400, BP401)
    "customer": ("customer", "onstage"),
    "onstage": ZONES,
    "backstage": ("onstage", "backstage", "support"),
    "support": ("onstage", "backstage", "support"),
}


@st.composite
def blueprints(draw: st.DrawFn) -> str:
    steps = draw(st.integers(1, 5))
    actions: list[tuple[str, str, int]] = []
    lines = ['blueprint "Generated" {', f"  target {draw(st.integers(1, 90))}m", "}"]
    body: list[str] = []
    for s in range(steps):
        body.append(f'step "S{s}" {{\n  evidence "E{s}"')
        count = draw(st.integers(1, 3))
        group = count >= 2 and draw(st.booleans())
        if group:
            body.append("  parallel {")
        for k in range(count):
            zone = draw(st.sampled_from(ZONES))
            key = f"a{s}_{k}"
            attrs = []
            if draw(st.booleans()):
                low = draw(st.integers(0, 20))
                attrs.append(f"duration {low}m..{low + draw(st.integers(0, 20))}m")
            if draw(st.booleans()):
                attrs.append(f"wait 0m..{draw(st.integers(0, 30))}m")
            if draw(st.booleans()):
                attrs.append(f"cost {draw(st.integers(0, 50))}")
            if zone != "customer" and draw(st.integers(0, 4)) == 0:
                attrs.append('trigger "timer"')
            actions.append((key, zone, s))
            body.append(
                f'  {zone} {key} "{key}" {{ {"; ".join(attrs)} }}'
                if attrs
                else f'  {zone} {key} "{key}"'
            )
        if group:
            body.append("  }")
        body.append("}")
    flows: list[str] = []
    for key, zone, s in actions:
        targets = [k for k, z, t in actions if z in ALLOWED[zone] and t > s and k != key]
        if targets and draw(st.booleans()):
            flows.append(f"{key} -> {draw(st.sampled_from(targets))}")
    deciders = [a for a in actions if a[1] in ("customer", "onstage")]
    if deciders and draw(st.booleans()):
        key, zone, s = draw(st.sampled_from(deciders))
        allowed = [k for k, z, _ in actions if z in ALLOWED[zone] and k != key]
        if len(allowed) >= 2:
            picks = draw(st.lists(st.sampled_from(allowed), min_size=2, max_size=3, unique=True))
            shares: list[str] = [""] * len(picks)
            if draw(st.booleans()):
                cuts = sorted(
                    draw(
                        st.lists(
                            st.integers(0, 100), min_size=len(picks) - 1, max_size=len(picks) - 1
                        )
                    )
                )
                edges = [0, *cuts, 100]
                shares = [f" {edges[i + 1] - edges[i]}%" for i in range(len(picks))]
            body = [_as_decision(line, key) for line in body]
            flows += [f'{key} -> {t} : "b{i}"{shares[i]}' for i, t in enumerate(picks)]
    return "\n".join(lines + body + flows) + "\n"


def _as_decision(line: str, key: str) -> str:
    head = f' {key} "{key}"'
    if head not in line:
        return line
    if line.endswith("}"):
        return line.replace(head + " { ", head + " { decision; ", 1)
    return line + " { decision }"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints(), st.integers(0, 2**32))
def test_generated_blueprints_never_crash_the_simulator(text: str, seed: int) -> None:
    result = compile_text(text, "gen.bp")
    if result.blueprint is None:
        return
    sim = simulate(result.blueprint, runs=60, seed=seed)  # with errors too: never a crash
    assert sim.runs == 60
    assert all(0 <= a.probability <= 1 for a in sim.actions)
    if not result.has_errors and sim.cut_short == 0:
        assert 0 <= sim.customer_time.p50 <= sim.customer_time.max
        assert sim.lead_time.max >= 0


def test_a_trigger_starts_at_time_zero_and_counts_for_the_lead_time() -> None:
    bp = model(
        'blueprint "Reminder" {\n}\nlane sms "SMS system" in support\nlane desk "Desk" in onstage\n'
        'step "Remind" {\n  evidence "SMS"\n  customer read "Read the reminder" { duration 1m }\n'
        '  desk call "Call back" { duration 2m }\n'
        '  sms send "Send the reminder" -> call { trigger "balance low"; duration 30m }\n}\n'
    )
    sim = simulate(bp, runs=20)
    assert sim.lead_time.mean == pytest.approx(32 * MINUTE)  # send, then call
    assert sim.customer_time.mean == pytest.approx(1 * MINUTE)
    assert lead_time(bp).max_seconds == pytest.approx(32 * MINUTE)


def test_encounters_count_the_branches_taken() -> None:
    bp = model(
        'blueprint "Desk" {\n}\nlane desk "Desk" in onstage\nstep "Ask" {\n  evidence "Sign"\n'
        '  customer ask "Ask" { decision }\n  desk help "Help"\n  desk sell "Sell"\n}\n'
        'ask -> help : "help" 75%\nask -> sell : "buy" 25%\n'
    )
    sim = simulate(bp, runs=40_000)
    assert sim.written_encounters == 2
    assert near(sim.encounters, 1.0, 1e-9)  # one of the two, every run
    assert near({a.key: a for a in sim.actions}["help"].probability, 0.75, 0.02)
