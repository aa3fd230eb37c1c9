"""Hand-built `Blueprint` models for the render tests (independent of the parser)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from blueprint_dsl.core.spans import Span
from blueprint_dsl.model.blueprint import (
    Action,
    Blueprint,
    Duration,
    Evidence,
    FailPoint,
    Flow,
    FlowKind,
    Header,
    Lane,
    Phase,
    Step,
    Zone,
    lines_between,
)

ZONE_KEYWORDS = {z.value: z for z in Zone if z is not Zone.EVIDENCE}


def span(line: int = 1) -> Span:
    return Span("<fixture>", line, 1, line, 2)


def dur(text: str) -> Duration:
    """'5m', '2h..1d' -> Duration (seconds)."""
    units = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}

    def one(t: str) -> float:
        for suffix in ("min", "s", "m", "h", "d"):
            if t.endswith(suffix):
                return float(t[: -len(suffix)]) * units[suffix]
        raise ValueError(t)

    lo, _, hi = text.partition("..")
    return Duration(one(lo), one(hi or lo), text)


@dataclass
class A:
    """An action spec: lane keyword or lane id, key, label, attributes, outgoing flows."""

    lane: str
    key: str
    label: str
    flows: list[tuple[str, str] | tuple[str, str, str]] = field(default_factory=list)
    duration: str | None = None
    standard: str | None = None
    wait: str | None = None
    fails: list[tuple[str, str | None]] = field(default_factory=list)
    decision: bool = False
    moment: bool = False
    detail: str | None = None
    role: str | None = None


@dataclass
class S:
    label: str
    actions: list[A]
    evidence: list[str] = field(default_factory=list)
    phase: str | None = None


def build(
    title: str,
    steps: list[S],
    lanes: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    extra_flows: list[tuple[str, str, str] | tuple[str, str, str, str]] = (),  # type: ignore[assignment]
    locale: str = "en",
    journey: bool = True,
) -> Blueprint:
    from blueprint_dsl.model.locale import zone_name

    header = Header(title=title, id="BP-T-01", version="A/0", owner="Tests", locale=locale)
    lane_objs: list[Lane] = [
        Lane("evidence", zone_name(Zone.EVIDENCE, locale), Zone.EVIDENCE, False)
    ]
    declared = [Lane(i, label, Zone(z), True, span()) for i, label, z in lanes]
    for zone in (Zone.CUSTOMER, Zone.ONSTAGE, Zone.BACKSTAGE, Zone.SUPPORT):
        lane_objs.append(Lane(zone.value, zone_name(zone, locale), zone, False))
        lane_objs.extend(lane for lane in declared if lane.zone is zone)
    lane_zone = {lane.id: lane.zone for lane in lane_objs}
    phases: list[Phase] = []
    step_objs: list[Step] = []
    actions: list[Action] = []
    evidence: list[Evidence] = []
    raw_flows: list[tuple[str, str, FlowKind, str | None, bool]] = []
    for i, s in enumerate(steps, start=1):
        step_objs.append(Step(i, None, s.label, s.phase, span(i)))
        if s.phase is not None:
            if phases and phases[-1].label == s.phase and phases[-1].last_step == i - 1:
                phases[-1].last_step = i
            else:
                phases.append(Phase(s.phase, span(i), i, i))
        for ev in s.evidence:
            evidence.append(Evidence(None, ev, i, span(i)))
        for a in s.actions:
            zone = lane_zone[a.lane]
            actions.append(
                Action(
                    key=a.key,
                    id=a.key,
                    label=a.label,
                    zone=zone,
                    lane=a.lane,
                    step_index=i,
                    span=span(i),
                    role=a.role,
                    duration=dur(a.duration) if a.duration else None,
                    standard=dur(a.standard) if a.standard else None,
                    wait=dur(a.wait) if a.wait else None,
                    fails=[FailPoint(w, r, span(i)) for w, r in a.fails],
                    decision=a.decision,
                    moment=a.moment,
                    detail=a.detail,
                )
            )
            for f in a.flows:
                arrow, target = f[0], f[1]
                label = f[2] if len(f) > 2 else None  # type: ignore[misc]
                raw_flows.append((a.key, target, FlowKind(arrow), label, False))
    for f in extra_flows:
        raw_flows.append((f[0], f[2], FlowKind(f[1]), f[3] if len(f) > 3 else None, False))  # type: ignore[misc]
    if journey:
        customer = [a for a in actions if a.zone is Zone.CUSTOMER]
        for a, b in itertools.pairwise(customer):
            if not any(src == a.key and dst == b.key for src, dst, *_ in raw_flows):
                raw_flows.append((a.key, b.key, FlowKind.FLOW, None, True))
    by_key = {a.key: a for a in actions}
    flows = [
        Flow(
            src,
            dst,
            kind,
            label,
            implicit,
            lines_between(by_key[src].zone, by_key[dst].zone),
            span(),
        )
        for src, dst, kind, label, implicit in raw_flows
    ]
    return Blueprint("<fixture>", header, lane_objs, phases, step_objs, actions, evidence, flows)


def restaurant() -> Blueprint:
    """The restaurant blueprint of LANGUAGE.md §1."""
    return build(
        "Restaurant dinner",
        [
            S(
                "Book a table",
                [
                    A("customer", "book", "Book a table online", [("->", "confirm")]),
                    A(
                        "onstage",
                        "confirm",
                        "Confirm booking by SMS",
                        [("->", "bookings")],
                        duration="1m",
                    ),
                    A("support", "bookings", "Booking system"),
                ],
                ["Website", "Confirmation SMS"],
                "Before the visit",
            ),
            S(
                "Arrive",
                [
                    A("customer", "arrive", "Arrive", [("->", "greet")]),
                    A(
                        "host",
                        "greet",
                        "Greet and seat",
                        wait="0m..10m",
                        standard="10m",
                        fails=[("No table ready", "Offer a bar seat and a drink")],
                        moment=True,
                    ),
                ],
                ["Entrance sign", "Host stand"],
                "At the restaurant",
            ),
            S(
                "Order",
                [
                    A("customer", "order", "Order food and drinks", [("->", "take_order")]),
                    A(
                        "waiter",
                        "take_order",
                        "Take order",
                        [("->", "send_order")],
                        duration="3m",
                        fails=[("Order misheard", "Read the order back")],
                    ),
                    A("kitchen", "send_order", "Ticket to kitchen", [("-->", "pos")]),
                    A("support", "pos", "POS"),
                ],
                ["Menu"],
                "At the restaurant",
            ),
            S(
                "Eat",
                [
                    A("customer", "eat", "Eat"),
                    A(
                        "kitchen",
                        "cook",
                        "Cook",
                        [("->", "serve")],
                        duration="15m..25m",
                        standard="25m",
                    ),
                    A("waiter", "serve", "Serve dishes", [("->", "eat")]),
                ],
                ["Food", "Plates"],
                "At the restaurant",
            ),
            S(
                "Pay",
                [
                    A("customer", "pay", "Pay", [("->", "bill")]),
                    A("waiter", "bill", "Bring bill and take payment", [("<->", "gateway")]),
                    A("support", "gateway", "Payment gateway"),
                ],
                ["Bill", "Card terminal"],
                "At the restaurant",
            ),
        ],
        lanes=[
            ("host", "Host", "onstage"),
            ("waiter", "Waiter", "onstage"),
            ("kitchen", "Kitchen staff", "backstage"),
        ],
        extra_flows=[("send_order", "->", "cook")],
    )


def property_repair() -> Blueprint:
    """The Chinese property-repair sample (with a decision loop)."""
    return build(
        "物业维修服务",
        [
            S(
                "报修",
                [
                    A("customer", "报修", "发现维修需要并报修", [("->", "记录")]),
                    A("客服", "记录", "接听并记录", [("->", "派工")], duration="3m", standard="5m"),
                ],
                ["服务热线", "业主App"],
                "报修",
            ),
            S(
                "预约",
                [
                    A("customer", "确认时间", "确认上门时间", [("<->", "时间确认")]),
                    A("客服", "时间确认", "与业主确认时间"),
                    A("调度", "派工", "派工", [("->", "领配件"), ("->", "登记")]),
                    A("support", "登记", "维修信息登录"),
                ],
                ["确认短信"],
                "报修",
            ),
            S(
                "等待",
                [
                    A(
                        "customer",
                        "等待",
                        "等待上门",
                        [("->", "到达")],
                        wait="2h..1d",
                        standard="1d",
                    ),
                    A("调度", "领配件", "领取配件", [("-->", "采购")]),
                    A("support", "采购", "配件采购"),
                ],
                ["上门提醒短信"],
                "上门维修",
            ),
            S(
                "维修",
                [
                    A("customer", "陪同", "陪同维修", [("<->", "维修")]),
                    A(
                        "维修工",
                        "到达",
                        "按时到达",
                        [("->", "维修")],
                        fails=[("未按时到达", "提前致电致歉并改约")],
                        moment=True,
                    ),
                    A(
                        "维修工",
                        "维修",
                        "实施维修",
                        duration="1h",
                        fails=[("一次修不好", "升级给主管跟进")],
                    ),
                ],
                ["工作服与工牌", "工具包"],
                "上门维修",
            ),
            S("验收", [A("customer", "验收", "验收", decision=True)], ["维修单"], "上门维修"),
            S(
                "交费",
                [
                    A("customer", "交费", "确认并交费", [("->", "结算")]),
                    A("维修工", "结算", "费用结算", [("-->", "登记")]),
                ],
                ["收费单", "收据"],
                "结算与回访",
            ),
            S(
                "回访",
                [
                    A("customer", "反馈", "反馈使用情况", [("<->", "回访")]),
                    A("客服", "回访", "电话回访"),
                ],
                ["回访电话"],
                "结算与回访",
            ),
        ],
        lanes=[
            ("客服", "客服中心", "onstage"),
            ("维修工", "维修工", "onstage"),
            ("调度", "维修调度", "backstage"),
        ],
        extra_flows=[("验收", "->", "交费", "通过"), ("验收", "->", "维修", "不通过")],
        locale="zh",
    )


def generated(n_steps: int, locale: str = "en") -> Blueprint:
    """The benchmark shape: evidence, customer and onstage actions in every step,
    backstage on even steps, a support process on every third step."""
    steps: list[S] = []
    for i in range(1, n_steps + 1):
        acts = [A("customer", f"c{i}", f"Customer action {i}", [("->", f"o{i}")])]
        onstage = A("onstage", f"o{i}", f"Onstage action {i}")
        acts.append(onstage)
        if i % 2 == 0:
            onstage.flows.append(("->", f"b{i}"))
            acts.append(A("backstage", f"b{i}", f"Backstage action {i}", duration="5m"))
            if i % 3 == 0:
                acts[-1].flows.append(("-->", f"s{i}"))
        if i % 3 == 0:
            acts.append(A("support", f"s{i}", f"Support process {i}"))
            if i % 2:
                onstage.flows.append(("-->", f"s{i}"))
        if i % 7 == 0:
            acts[0].wait = "5m..10m"
            onstage.fails.append(("Something fails", "Recover"))
        steps.append(S(f"Step {i}", acts, [f"Evidence {i}"], f"Phase {(i - 1) // 10 + 1}"))
    return build(f"Generated {n_steps}", steps, locale=locale)
