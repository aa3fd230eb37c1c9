"""What the drawing carries besides boxes and lines: the header band and the emotion row."""

from __future__ import annotations

from blueprint_dsl.api import compile_text
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render.layout import compute_layout
from blueprint_dsl.render.pipeline import blueprint_dot

from ..render_fixtures import restaurant
from ..render_helpers import by_class


def _bp(header: str, body: str) -> Blueprint:
    result = compile_text(f'blueprint "Quick lunch" {{\n{header}}}\n{body}')
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    bp = result.blueprint
    return bp


STEPS = (
    'step "Order" {\n  customer order "Order at the counter" {\n    duration 20m..30m\n'
    "    emotion -1\n  }\n}\n"
    'step "Eat" {\n  customer eat "Eat" {\n    duration 10m\n    emotion +2\n  }\n}\n'
)


def test_the_header_band_gives_the_facts_and_the_customer_time_against_the_target() -> None:
    bp = _bp(
        '  id "L-1"\n  version "B"\n  owner "Ops"\n  persona "Office worker"\n  target 1h\n', STEPS
    )
    band = compute_layout(bp).header
    assert band is not None
    assert band.title.lines == ("Quick lunch",)
    assert band.facts is not None
    assert band.facts.lines == ("L-1 · version B · Ops · Persona: Office worker",)
    assert band.time is not None and band.time.lines == ("Customer time 30m–40m · target 1h",)
    assert band.status == "ok" and band.status_text is None


def test_a_breached_target_is_marked_in_the_band() -> None:
    over = compute_layout(_bp("  target 25m\n", STEPS)).header
    assert over is not None and over.status == "over"
    assert over.status_text is not None and over.status_text.lines == ("over target",)
    maybe = compute_layout(_bp("  target 35m\n", STEPS)).header
    assert maybe is not None and maybe.status == "may"
    dot = blueprint_dot(_bp("  target 25m\n", STEPS))
    assert [n["label"] for n in by_class(dot, "bp-target-status")] == ["over target"]


def test_the_emotion_row_has_one_point_per_rated_step() -> None:
    lay = compute_layout(_bp("", STEPS))
    (chart,) = lay.emotion
    assert [(p.step_index, p.value) for p in chart.points] == [(1, -1.0), (2, 2.0)]
    below, above = chart.points
    assert below.y > chart.zero_y > above.y  # −1 under the zero line, +2 over it
    assert above.y >= chart.rect.y0 and below.y <= chart.rect.y1
    customer = next(b for b in lay.bands if b.zone.value == "customer")
    assert chart.rect.y1 <= customer.rect.y0  # above the customer band
    assert [x.x for x in chart.points] == list(lay.columns)
    assert len(by_class(blueprint_dot(_bp("", STEPS)), "bp-emotion-point")) == 2


def test_no_emotion_no_row() -> None:
    assert compute_layout(restaurant()).emotion == ()
    assert "bp-emotion" not in blueprint_dot(restaurant())


LANG02 = (
    'blueprint "Pickup" {\n  target 30m\n}\n'
    'lane clerk "Clerk" in onstage\nlane ops "Ops" in backstage\n'
    'step "Prepare" {\n  evidence "Form"\n  parallel {\n    customer wait "Wait for the bags" {\n'
    '      duration 5m..10m\n    }\n    customer sign "Sign the form" {\n      duration 3m\n'
    '    }\n  }\n  clerk ask "Ask" {\n    duration 2m\n  }\n}\n'
    'step "Check" {\n  evidence "Ticket"\n  customer check "Check the booking" {\n    decision\n'
    '  }\n  ops sms "Send a reminder SMS" {\n    trigger "the flight is delayed"\n  }\n}\n'
    'step "Leave" {\n  evidence "Taxi"\n  customer leave "Leave"\n'
    '  clerk redo "Fix the booking" {\n'
    "    duration 5m\n  }\n}\n"
    'check -> leave : "ok" 90%\ncheck -> redo : "wrong" 10%\nredo -> leave\nsms --> ask\n'
    "wait <-> ask\n"
)


def test_the_drawing_shows_parallel_groups_triggers_and_shares() -> None:
    result = compile_text(LANG02)
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    dot = blueprint_dot(result.blueprint)
    assert len(by_class(dot, "bp-parallel")) == 1  # one group, in one lane
    triggers = [n for n in by_class(dot, "bp-marker") if n["id"] == "trigger-sms"]
    assert [n["label"] for n in triggers] == ["↯1"]
    assert sorted(n["label"] for n in by_class(dot, "bp-flow-label")) == [
        "ok · 90%",
        "wrong · 10%",
    ]
    keys = [n["label"].replace("\\l", " ").strip() for n in by_class(dot, "bp-key-trigger")]
    assert keys == ["↯1\u2002Starts by itself: the flight is delayed"]
    legend = [n["label"] for n in by_class(dot, "bp-legend") if n.get("label")]
    assert {"starts by itself", "at the same time"} <= set(legend)
    assert "critical path" not in legend


def test_critical_path_is_highlighted_on_request() -> None:
    bp = compile_text(LANG02).blueprint
    assert bp is not None
    assert "bp-critical" not in blueprint_dot(bp)
    dot = blueprint_dot(bp, critical=True)
    # wait 10m -> check -> redo 5m -> leave: the longest way (the journey from sign is 3m).
    on_path = sorted(
        n["id"] for n in by_class(dot, "bp-critical") if "id" in n and n["id"].startswith("action-")
    )
    assert on_path == ["action-check", "action-leave", "action-redo", "action-wait"]
    legend = [n["label"] for n in by_class(dot, "bp-legend") if n.get("label")]
    assert "critical path" in legend


def test_an_internal_blueprint_has_no_customer_band_and_no_line_of_interaction() -> None:
    src = (
        'blueprint "Airline call" {\n  scope internal\n}\nlane ops "Ops" in backstage\n'
        'step "Receive" {\n  ops receive "Receive the call log"\n'
        '  onstage tell "Tell the desk"\n}\n'
        "receive -> tell\n"
    )
    bp = compile_text(src).blueprint
    assert bp is not None
    lay = compute_layout(bp)
    assert [b.zone.value for b in lay.bands] == ["evidence", "onstage", "backstage", "support"]
    assert [m.line.value for m in lay.lines] == ["visibility", "internal"]
