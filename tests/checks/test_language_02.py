"""Language 0.2 (LANGUAGE.md section 8): every construct, its figures counted by hand."""

from __future__ import annotations

from blueprint_dsl.api import compile_text
from blueprint_dsl.compiler import CompileResult
from blueprint_dsl.exports.json_export import to_json_data
from blueprint_dsl.language.formatter import format_source
from blueprint_dsl.model.blueprint import Blueprint

HEAD = (
    'blueprint "T" {\n  target 1h\n}\nlane clerk "Clerk" in onstage\nlane ops "Ops" in backstage\n'
)


def _compile(body: str, head: str = HEAD) -> CompileResult:
    return compile_text(head + body, "t.bp")


def _bp(body: str, head: str = HEAD) -> Blueprint:
    result = _compile(body, head)
    assert result.blueprint is not None
    return result.blueprint


def _codes(body: str, head: str = HEAD) -> list[str]:
    return [d.code for d in _compile(body, head).diagnostics]


def _analysis(body: str, head: str = HEAD) -> dict[str, object]:
    data = to_json_data(_bp(body, head))["analysis"]
    assert isinstance(data, dict)
    return data


# The Marriott case: the father waits while his son fills in the form.
PARALLEL = """
step "Arrive" {
  evidence "Desk"
  customer arrive "Arrive" -> ask { duration 1m }
  clerk ask "Ask" { duration 2m }
}
step "Form" {
  evidence "Form"
  parallel {
    customer wait_son "Wait for the son" { duration 5m..10m }
    customer form "Fill in the form" { duration 3m }
  }
}
step "Leave" {
  evidence "Key"
  customer leave "Take the key" { duration 1m }
}
"""


def test_parallel_actions_are_one_stop_of_the_journey() -> None:
    bp = _bp(PARALLEL)
    journey = sorted((f.source, f.target) for f in bp.flows if f.implicit)
    # In to each member, out of each member, never from one member to the other.
    assert journey == [
        ("arrive", "form"),
        ("arrive", "wait_son"),
        ("form", "leave"),
        ("wait_son", "leave"),
    ]
    assert [(g.index, g.step_index, g.keys) for g in bp.parallel_groups] == [
        (1, 2, ("wait_son", "form"))
    ]
    assert bp.action("form").parallel_group == 1 and bp.action("arrive").parallel_group is None


def test_a_parallel_group_lasts_as_long_as_its_longest_member() -> None:
    figures = _analysis(PARALLEL)
    # 1m + max(5m..10m, 3m) + 1m = 7m..12m; 0.1 added them up: 10m..15m.
    assert figures["customer_time"] == {"min_seconds": 420, "max_seconds": 720}
    # arrive 1m -> wait_son 5m..10m -> leave 1m beats arrive -> ask (2m, a dead end).
    assert figures["lead_time"] == {"min_seconds": 420, "max_seconds": 720}
    assert figures["critical_path"] == ["arrive", "wait_son", "leave"]


def test_a_parallel_block_needs_two_actions() -> None:
    one = 'step "S" {\n  evidence "E"\n  parallel {\n    customer a "A"\n  }\n}\n'
    assert _codes(one) == ["BP509"]
    two = (
        'step "S" {\n  evidence "E"\n  parallel {\n    customer a "A"\n    customer b "B"\n  }\n}\n'
    )
    assert _codes(two) == []


TRIGGER = """
step "Use" {
  evidence "App"
  customer use "Use the phone" -> shop
  clerk shop "Top up at the desk"
}
step "Remind" {
  evidence "SMS"
  customer read "Read the reminder"
  clerk sms "Send a reminder SMS" { trigger "the balance runs low" }
  ops watch "Watch balances" { trigger }
}
sms <-> read
watch -> sms
"""


def test_a_trigger_starts_reachability() -> None:
    bp = _bp(TRIGGER)
    assert bp.action("sms").trigger == "the balance runs low"
    assert bp.action("watch").trigger == ""
    assert "BP505" not in _codes(TRIGGER)
    assert "BP505" in _codes(TRIGGER.replace(" { trigger }", ""))  # nothing starts `watch`


def test_a_customer_action_cannot_have_a_trigger() -> None:
    body = 'step "S" {\n  evidence "E"\n  customer a "A" { trigger "x" }\n}\n'
    assert _codes(body) == ["BP102"]


DECISION = """
step "Check" {
  evidence "ID"
  customer hand "Hand over the ID" -> check { duration 2m }
  clerk check "Check the ID" { decision }
}
step "Sign" {
  evidence "Agreement"
  customer sign "Sign" { duration 10m }
  clerk retry "Ask for another document" { duration 5m }
}
check -> sign : "valid" 90%
check -> retry : "invalid" 10%
retry -> sign
"""


def test_branch_shares_are_read_and_checked() -> None:
    bp = _bp(DECISION)
    shares = {(f.source, f.target): f.share for f in bp.flows if not f.implicit}
    assert shares[("check", "sign")] == 0.9 and shares[("check", "retry")] == 0.1
    assert _codes(DECISION) == []
    assert _codes(DECISION.replace('"invalid" 10%', '"invalid" 20%')) == ["BP508"]
    assert _codes(DECISION.replace(' : "invalid" 10%', ' : "invalid"')) == ["BP508"]
    assert _codes(DECISION.replace('"invalid" 10%', '"invalid" 9.6%')) == []  # within 0.5 pt
    assert _codes(DECISION.replace('"invalid" 10%', '"invalid" 10m')) == ["BP101"]
    message = next(d.message for d in _compile(DECISION.replace("10%", "20%")).diagnostics)
    assert "110%" in message


def test_a_share_off_a_decision_is_reported() -> None:
    body = DECISION.replace("{ decision }", "")
    assert "BP508" in _codes(body)


def test_metric_direction() -> None:
    def body(metric: str) -> str:
        return f'step "S" {{\n  evidence "E"\n  customer a "A" {{ {metric} }}\n}}\n'

    assert _codes(body('metric "Complaint rate" 2% target <= 5%')) == []
    low = _compile(body('metric "Complaint rate" 7% target <= 5%')).diagnostics
    assert [d.code for d in low] == ["BP506"] and "above its ceiling 5%" in low[0].message
    assert _codes(body('metric "NPS" 62% target >= 80%')) == ["BP506"]
    assert _codes(body('metric "NPS" 62% target 80%')) == ["BP506"]
    assert _codes(body('metric "NPS" 92% target >= 80%')) == []
    metric = _bp(body('metric "Complaint rate" 2% target <= 5%')).actions[0].metrics[0]
    assert metric.lower_is_better


# A customer decision: one branch back to a customer action, one through staff.
CUSTOMER_DECISION = """
step "Choose" {
  evidence "Menu"
  customer look "Look at the menu" { duration 5m }
  customer pick "Pick a dish" { decision }
}
step "Order" {
  evidence "Pad"
  customer order "Order" { duration 2m }
  clerk help "Explain the dishes" { duration 4m }
}
step "Eat" {
  evidence "Plate"
  customer eat "Eat" { duration 30m }
}
pick -> order : "knows"
pick -> help : "unsure"
help -> eat
"""


def test_customer_time_follows_the_shortest_and_longest_branch() -> None:
    figures = _analysis(CUSTOMER_DECISION)
    # look 5m, then "knows": order 2m, eat 30m = 37m; "unsure": help -> eat, so the
    # path continues at eat: 5m + 30m = 35m. 0.1 added every customer action: 37m.
    assert figures["customer_time"] == {"min_seconds": 2100, "max_seconds": 2220}
    # A customer decision gets no journey edge (8.6): pick -> order is its own branch.
    implicit = {(f.source, f.target) for f in _bp(CUSTOMER_DECISION).flows if f.implicit}
    assert ("pick", "order") not in implicit and ("look", "pick") in implicit


def test_a_rework_loop_counts_once_more_at_most() -> None:
    body = CUSTOMER_DECISION + 'eat -> back : "again"\n'
    body = body.replace(
        'customer eat "Eat" { duration 30m }',
        'customer eat "Eat" { duration 30m }\n  customer back "Go back" { decision }',
    )
    body += 'back -> look : "hungry"\n'
    figures = _analysis(body)
    # max: look 5 + order 2 + eat 30, then once more look..back (5 + 2 + 30) = 74m
    assert figures["customer_time"] == {"min_seconds": 2100, "max_seconds": 4440}


def test_lead_time_includes_staff_and_takes_the_longest_branch() -> None:
    figures = _analysis(DECISION)
    # hand 2m -> check -> sign 10m = 12m, or -> retry 5m -> sign 10m = 17m (max);
    # min takes the shortest branch: 12m.
    assert figures["lead_time"] == {"min_seconds": 720, "max_seconds": 1020}
    assert figures["critical_path"] == ["hand", "check", "retry", "sign"]


def test_two_way_flows_written_twice_are_one_flow() -> None:
    once = _bp(DECISION + "hand <-> check\n")
    twice = _bp(DECISION + "hand <-> check\ncheck <-> hand\n")
    assert len([f for f in twice.flows if f.kind.value == "<->"]) == 1
    encounters = [to_json_data(bp)["analysis"]["encounters"] for bp in (once, twice)]
    assert encounters == [4, 4]  # hand->check, check->sign, retry->sign, hand<->check


INTERNAL = """
lane it "IT" in support
step "Receive" {
  ops receive "Receive the call log" { duration 5m }
}
step "Fix" {
  ops fix "Fix the booking" { duration 20m }
  it db "Booking database"
}
receive -> fix
fix --> db
"""


def test_an_internal_blueprint_has_no_customer_rules() -> None:
    head = 'blueprint "Airline call" {\n  scope internal\n}\nlane ops "Ops" in backstage\n'
    assert _codes(INTERNAL, head) == []
    assert set(_codes(INTERNAL, head.replace("  scope internal\n", ""))) >= {
        "BP303",
        "BP305",
        "BP505",
    }
    figures = _analysis(INTERNAL, head)
    assert figures["lead_time"] == {"min_seconds": 1500, "max_seconds": 1500}
    assert figures["critical_path"] == ["receive", "fix", "db"]
    assert to_json_data(_bp(INTERNAL, head))["blueprint"]["scope"] == "internal"


def test_chinese_keywords() -> None:
    head = '蓝图 "内部流程" {\n  范围 内部\n}\n泳道 ops "运营" 属于 后台\n'
    body = (
        '步骤 "处理" {\n  并行 {\n    ops a "核对" { 时长 5m }\n    ops b "登记" { 触发 "来电" }\n'
        "  }\n}\n"
    )
    bp = _bp(body, head)
    assert bp.internal and bp.parallel_groups[0].keys == ("a", "b")
    assert bp.action("b").trigger == "来电"


def test_fmt_keeps_the_new_constructs() -> None:
    source = (
        HEAD
        + DECISION
        + PARALLEL.replace('"Arrive"', '"Arrive 2"')
        .replace("arrive", "arrive2")
        .replace("ask", "ask2")
        .replace("wait_son", "w2")
        .replace("form ", "f2 ")
        .replace("leave", "leave2")
    )
    formatted, problems = format_source(source, "t.bp")
    assert not problems and formatted is not None
    assert (
        'check -> sign  : "valid"   90%' in formatted or 'check -> sign : "valid" 90%' in formatted
    )
    assert "  parallel {\n" in formatted
    again, _ = format_source(formatted, "t.bp")
    assert again == formatted
    before, after = compile_text(source, "t.bp"), compile_text(formatted, "t.bp")
    assert before.blueprint is not None and after.blueprint is not None
    assert to_json_data(before.blueprint)["flows"] == to_json_data(after.blueprint)["flows"]
    assert [g.keys for g in before.blueprint.parallel_groups] == [
        g.keys for g in after.blueprint.parallel_groups
    ]
