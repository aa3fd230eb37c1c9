"""The grid: lane order, column alignment, the three lines, no overlaps, orthogonal routes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.api import compile_text
from blueprint_dsl.model.blueprint import Line, Zone
from blueprint_dsl.render.geometry import Layout, Rect
from blueprint_dsl.render.layout import compute_layout
from blueprint_dsl.render.text import text_units, wrap

from ..render_fixtures import A, S, build, generated, property_repair, restaurant

ZONE_ORDER = [Zone.EVIDENCE, Zone.CUSTOMER, Zone.ONSTAGE, Zone.BACKSTAGE, Zone.SUPPORT]


def test_lanes_are_bands_in_zone_order_top_to_bottom() -> None:
    lay = compute_layout(restaurant())
    ids = [b.lane_id for b in lay.bands]
    assert ids == ["evidence", "customer", "onstage", "host", "waiter", "kitchen", "support"]
    levels = [ZONE_ORDER.index(b.zone) for b in lay.bands]
    assert levels == sorted(levels)
    for upper, lower in itertools.pairwise(lay.bands):
        assert upper.rect.y1 == lower.rect.y0  # contiguous, top to bottom
    widths = {(b.rect.x0, b.rect.x1) for b in lay.bands}
    assert widths == {(0, lay.width)}  # every band spans the same full width


def test_unused_zone_lane_is_dropped_when_the_zone_has_declared_lanes() -> None:
    bp = build(
        "t",
        [S("s", [A("customer", "c", "C", [("->", "w")]), A("waiter", "w", "W")], ["e"])],
        lanes=[("waiter", "Waiter", "onstage")],
    )
    ids = [b.lane_id for b in compute_layout(bp).bands]
    assert ids == ["evidence", "customer", "waiter", "backstage", "support"]


def test_every_action_of_a_step_shares_the_column_x_in_written_order() -> None:
    bp = generated(12)
    lay = compute_layout(bp)
    xs: dict[int, set[float]] = {}
    for node in lay.actions:
        xs.setdefault(bp.action(node.key).step_index, set()).add(node.rect.cx)
    for ev in lay.evidence:
        xs.setdefault(ev.step_index, set()).add(ev.rect.cx)
    assert all(len(v) == 1 for v in xs.values())
    columns = [next(iter(xs[i])) for i in sorted(xs)]
    assert columns == sorted(columns) == list(lay.columns)


def test_actions_sit_inside_their_lane_band() -> None:
    bp = restaurant()
    lay = compute_layout(bp)
    band = {b.lane_id: b.rect for b in lay.bands}
    for node in lay.actions:
        r, lane = node.rect, band[bp.action(node.key).lane]
        assert lane.y0 < r.y0 and r.y1 < lane.y1


def test_the_three_lines_lie_between_the_right_zones() -> None:
    lay = compute_layout(restaurant())
    first_of = {}
    last_of = {}
    for b in lay.bands:
        first_of.setdefault(b.zone, b.rect.y0)
        last_of[b.zone] = b.rect.y1
    marks = {m.line: m for m in lay.lines}
    assert set(marks) == {Line.INTERACTION, Line.VISIBILITY, Line.INTERNAL}
    assert marks[Line.INTERACTION].y == last_of[Zone.CUSTOMER] == first_of[Zone.ONSTAGE]
    assert marks[Line.VISIBILITY].y == last_of[Zone.ONSTAGE] == first_of[Zone.BACKSTAGE]
    assert marks[Line.INTERNAL].y == last_of[Zone.BACKSTAGE] == first_of[Zone.SUPPORT]
    for m in marks.values():
        assert (m.x0, m.x1) == (0, lay.width)
        assert m.name and m.labels


def test_locale_names_lanes_and_lines() -> None:
    lay = compute_layout(property_repair())
    names = {m.name for m in lay.lines}
    assert names == {"互动分界线", "可视分界线", "内部互动线"}
    zone_text = {"".join(z.text.lines) for z in lay.zone_labels}
    assert {"有形展示", "顾客行为", "前台员工行为", "后台员工行为", "支持过程"} <= zone_text


def _crosses(seg: tuple[float, float, float, float], r: Rect, diamond: bool) -> bool:
    """Does an axis-parallel segment enter the inside of a box or a diamond?"""
    ax, ay, bx, by = seg
    if ay == by:  # horizontal: the shape's extent at height ay
        dy = abs(ay - r.cy)
        half = (r.w / 2) * (1 - 2 * dy / r.h) if diamond else (r.w / 2 if dy < r.h / 2 else -1)
        return half > 1 and min(ax, bx) < r.cx + half - 1 and max(ax, bx) > r.cx - half + 1
    dx = abs(ax - r.cx)
    half = (r.h / 2) * (1 - 2 * dx / r.w) if diamond else (r.h / 2 if dx < r.w / 2 else -1)
    return half > 1 and min(ay, by) < r.cy + half - 1 and max(ay, by) > r.cy - half + 1


def _assert_clean(lay: Layout) -> None:
    boxes = [n.rect for n in lay.actions] + [e.rect for e in lay.evidence]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    shapes = [(n.rect, n.shape == "diamond") for n in lay.actions]
    shapes += [(e.rect, False) for e in lay.evidence]
    for route in lay.routes:
        for part in route.parts:
            for (ax, ay), (bx, by) in itertools.pairwise(part):
                assert ax == bx or ay == by, f"diagonal segment in {route}"
                for rect, diamond in shapes:
                    crossed = _crosses((ax, ay, bx, by), rect, diamond)
                    assert not crossed, f"flow {route.tooltip} crosses a box"


def test_samples_have_no_overlaps_and_only_orthogonal_routes() -> None:
    for bp in (restaurant(), property_repair(), generated(30)):
        _assert_clean(compute_layout(bp))


def test_flow_labels_are_placed() -> None:
    lay = compute_layout(property_repair())
    labelled = [r for r in lay.routes if r.label is not None]
    assert {r.label.lines[0] for r in labelled if r.label} == {"通过", "不通过"}


lanes = st.sampled_from(["customer", "onstage", "backstage", "support", "clerk", "ops"])


@st.composite
def blueprints(draw: st.DrawFn) -> object:
    n_steps = draw(st.integers(1, 6))
    steps = []
    keys: list[str] = []
    for i in range(n_steps):
        acts = []
        for j in range(draw(st.integers(0, 4))):
            key = f"a{i}_{j}"
            label = draw(
                st.sampled_from(["x", "Long label that wraps twice or more", "维修工上门"])
            )
            acts.append(A(draw(lanes), key, label, decision=draw(st.booleans())))
            keys.append(key)
        steps.append(S(f"s{i}", acts, draw(st.lists(st.sampled_from(["E", "证据"]), max_size=3))))
    extra = []
    if keys:
        for _ in range(draw(st.integers(0, 10))):
            a, b = draw(st.sampled_from(keys)), draw(st.sampled_from(keys))
            extra.append(
                (
                    a,
                    draw(st.sampled_from(["->", "-->", "<->"])),
                    b,
                    draw(st.sampled_from(["", "yes"])),
                )
            )
    return build(
        "generated",
        steps,
        lanes=[("clerk", "Clerk", "onstage"), ("ops", "Ops", "backstage")],
        extra_flows=[(a, k, b, lbl) if lbl else (a, k, b) for a, k, b, lbl in extra],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_any_blueprint_lays_out_cleanly(bp: object) -> None:
    _assert_clean(compute_layout(bp))  # type: ignore[arg-type]


def test_wrap_counts_wide_characters_twice() -> None:
    assert text_units("ab") == 2
    assert text_units("维修") == 4
    lines = wrap("发现维修需要并报修然后等待", 10)
    assert all(text_units(line) <= 10 for line in lines)
    assert "".join(lines) == "发现维修需要并报修然后等待"
    assert wrap("Bring bill and take payment", 12) == ["Bring bill", "and take", "payment"]
    assert wrap("报修，等待", 4)[0] == "报修，"  # no line starts with closing punctuation


@pytest.mark.parametrize(
    "text, width",
    [
        ("顾客满意度调查回访", 8),
        ("顾客满意度调查回访，", 8),
        ("满意度", 4),
        ("请在前台填写顾客满意度", 10),
    ],
)
def test_chinese_wrap_leaves_no_character_alone_on_a_line(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(text_units(line) <= width + 2 for line in lines)
    if len(lines) > 1:
        last = lines[-1].rstrip("，。、；：！？）」』】》")
        assert len(last) >= 2, lines  # "满意/度" is what the issue saw
    assert not any(line[0] in "，。、；：！？）" for line in lines)


def test_nothing_in_a_box_is_cut_off() -> None:
    # Long labels, durations and standards wrap and the box grows: no ellipsis anywhere.
    src = (
        'blueprint "T" {\n}\nlane taker "Order taker with a long lane name that wraps" in onstage\n'
        'step "S" {\n  customer c "Call" -> t\n'
        '  taker t "' + "Take the order and read it back " * 8 + '" {\n'
        '    role "Order taker on the evening shift"\n    duration 5m..10m\n    standard 8m\n'
        "    cost 12\n  }\n}\n"
    )
    bp = compile_text(src).blueprint
    assert bp is not None
    lay = compute_layout(bp)
    box = next(a for a in lay.actions if a.key == "t")
    texts = [*box.text.lines, *(box.meta.lines if box.meta else ())]
    assert not any("…" in line for line in texts)
    joined = " ".join(texts)
    assert "5–10m" in joined.replace(" ", "") or "5m–10m" in joined.replace(" ", "")
    assert "8m" in joined and "12" in joined
    lane = next(ll for ll in lay.lane_labels if ll.lane_id == "taker")
    assert " ".join(lane.text.lines).replace(" ", "") == (
        "Order taker with a long lane name that wraps".replace(" ", "")
    )
    band = next(b for b in lay.bands if b.lane_id == "taker")
    assert band.rect.h >= len(lane.text.lines) * 14
