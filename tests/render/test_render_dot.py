"""The DOT text: structure, markers, escaping, determinism."""

from __future__ import annotations

import os
import subprocess
import sys

from blueprint_dsl.api import compile_text
from blueprint_dsl.render.pipeline import blueprint_dot
from blueprint_dsl.render.quoting import dot_string, safe_link

from ..conftest import ROOT
from ..render_fixtures import A, S, build, property_repair, restaurant
from ..render_helpers import by_class, edges, nodes, pos


def test_pinned_nodes_and_explicit_edge_splines() -> None:
    dot = blueprint_dot(restaurant())
    assert "splines=true" in dot and "outputorder=nodesfirst" in dot
    for ident, node in nodes(dot).items():
        assert node["pos"].endswith("!"), ident
    for _, _, edge in edges(dot):
        points = [p for p in edge["pos"].split() if not p.startswith(("e,", "s,"))]
        assert len(points) % 3 == 1  # cubic Bézier: 3n + 1 points


def test_lanes_top_to_bottom_and_columns_aligned() -> None:
    dot = blueprint_dot(restaurant())
    bands = [pos(n)[1] for n in by_class(dot, "bp-band")]
    assert bands == sorted(bands, reverse=True)  # Graphviz y grows upwards
    actions = {n["id"].removeprefix("action-"): pos(n) for n in by_class(dot, "bp-action")}
    assert actions["book"][0] == actions["confirm"][0] == actions["bookings"][0]
    assert actions["order"][0] == actions["take_order"][0] == actions["pos"][0]
    assert actions["book"][0] < actions["arrive"][0] < actions["order"][0] < actions["pay"][0]
    assert actions["book"][1] > actions["confirm"][1] > actions["bookings"][1]


def test_lines_are_drawn_between_the_zones_with_their_names() -> None:
    dot = blueprint_dot(restaurant())
    lines = by_class(dot, "bp-line")
    assert [n["class"].split()[-1] for n in lines] == [
        "bp-line-interaction",
        "bp-line-visibility",
        "bp-line-internal",
    ]
    labels = [n["label"] for n in by_class(dot, "bp-line-label")]
    assert labels.count("Line of interaction") == 2
    assert "Line of visibility" in labels and "Line of internal interaction" in labels
    customer = pos(next(n for n in by_class(dot, "bp-action") if n["id"] == "action-book"))
    onstage = pos(next(n for n in by_class(dot, "bp-action") if n["id"] == "action-confirm"))
    line_y = pos(lines[0])[1] - 2  # an `underline` node draws its bottom edge
    assert onstage[1] < line_y < customer[1]


def test_markers_shapes_and_flow_styles() -> None:
    dot = blueprint_dot(restaurant())
    # Badges are numbered as in the key under the legend.
    assert any(n["label"] == "F1" and n["id"] == "fail-greet" for n in by_class(dot, "bp-fail"))
    wait = by_class(dot, "bp-marker")
    assert [n["label"] for n in wait if n["id"].startswith("wait-")] == ["W1 0m–10m"]
    moments = [n for n in by_class(dot, "bp-marker") if n["id"].startswith("moment-")]
    assert [(n["shape"], n["label"]) for n in moments] == [("star", "1")]
    flows = edges(dot)
    dashed = [
        e for _, _, e in flows if e.get("style") == "dashed" and "bp-legend" not in e["class"]
    ]
    assert len(dashed) == 1 and "Ticket to kitchen" in dashed[0]["tooltip"]
    both = [e for _, _, e in flows if e["dir"] == "both" and "bp-legend" not in e["class"]]
    assert len(both) == 1 and "Payment gateway" in both[0]["tooltip"]
    encounters = [e for _, _, e in flows if "bp-encounter" in e["class"].split()]
    assert encounters and all(float(e["penwidth"]) > 2 for e in encounters)
    journey = [e for _, _, e in flows if "bp-journey" in e["class"].split()]
    journey = [e for e in journey if "bp-legend" not in e["class"]]
    assert len(journey) == 4  # book -> arrive -> order -> eat -> pay


def test_the_key_writes_out_every_badge() -> None:
    # One text per entry, its badge's number first (set off by an en space), in the
    # model's action order: no second node per entry for a badge shape.
    dot = blueprint_dot(restaurant())
    assert not by_class(dot, "bp-key-badge")
    texts = [n["label"] for n in by_class(dot, "bp-key")]
    assert texts == [
        "F1\u2002No table ready → Offer a bar seat and a drink\\l",
        "W1\u20020m–10m, standard 10m\\l",
        "★1\u2002Moment of truth\\l",
        "F2\u2002Order misheard → Read the order back\\l",
    ]


def test_a_fail_point_without_recovery_says_so_in_the_key() -> None:
    src = 'blueprint "T" {\n}\nstep "S" {\n  customer c "Call" { fail "Line busy" }\n}\n'
    bp = compile_text(src).blueprint
    assert bp is not None
    texts = [n["label"] for n in by_class(blueprint_dot(bp), "bp-key")]
    assert texts == ["F1\u2002Line busy → no recovery\\l"]


def test_the_legend_lists_only_what_the_diagram_uses() -> None:
    legend = [
        n["label"] for n in by_class(blueprint_dot(restaurant()), "bp-legend") if n.get("label")
    ]
    assert "decision" not in legend and "detailed blueprint" not in legend
    assert {"customer journey", "flow", "information", "two-way", "encounter"} <= set(legend)
    assert {"physical evidence", "fail point", "wait point", "moment of truth"} <= set(legend)
    legend = [
        n["label"]
        for n in by_class(blueprint_dot(property_repair()), "bp-legend")
        if n.get("label")
    ]
    assert "决策" in legend


def test_decisions_are_diamonds_with_labelled_branches() -> None:
    dot = blueprint_dot(property_repair())
    assert [n["shape"] for n in by_class(dot, "bp-decision")] == ["diamond"]
    assert sorted(n["label"] for n in by_class(dot, "bp-flow-label")) == ["不通过", "通过"]


def test_detail_links_are_clickable_and_safe() -> None:
    steps = [
        S(
            "s",
            [
                A("customer", "a", "A", detail="sub/other flow.bp"),
                A("onstage", "b", "B", detail="javascript:alert(1)"),
            ],
        )
    ]
    dot = blueprint_dot(build("t", steps))
    links = [n for n in nodes(dot).values() if "URL" in n]
    assert {n["URL"] for n in links} == {"sub/other%20flow.svg"}
    assert len(by_class(dot, "bp-detail")) == 2  # both show the marker, one is a link
    assert "javascript" not in "".join(n.get("URL", "") for n in nodes(dot).values())
    assert safe_link("/etc/passwd") is None and safe_link("//host/x.bp") is None


NASTY = 'Say "hi" \\ back\\slash {braces} <b>tag</b> & &amp; \\N\nnew line'


def test_escaping_one_place() -> None:
    assert dot_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert dot_string("x\ny") == '"x\\ny"'
    assert dot_string("a & b") == '"a &amp; b"'
    assert dot_string("{<>}") == '"{<>}"'
    assert dot_string("a\\Nb", "tooltip") == '"a＼Nb"'
    assert dot_string('x"<y>', "url") == '"x%22%3Cy%3E"'
    assert dot_string("a\x00b\x07c") == '"abc"'


def test_nasty_labels_stay_inside_their_strings() -> None:
    steps = [S(NASTY, [A("customer", "a", NASTY, [("->", "b", NASTY)]), A("onstage", "b", NASTY)])]
    dot = blueprint_dot(build("T " + NASTY, steps))
    # Every line is a statement; quotes balance (escaped quotes excluded) on every line.
    for line in dot.splitlines():
        bare = line.replace("\\\\", "").replace('\\"', "")
        assert bare.count('"') % 2 == 0, line
    assert "\n" not in "".join(n.get("label", "") for n in nodes(dot).values())


def test_same_bytes_twice() -> None:
    assert blueprint_dot(property_repair()) == blueprint_dot(property_repair())


def test_same_bytes_across_hash_seeds() -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r});"
        "from tests.render_fixtures import property_repair, restaurant;"
        "from blueprint_dsl.render.pipeline import blueprint_dot;"
        "sys.stdout.write(blueprint_dot(property_repair()) + blueprint_dot(restaurant(), 'print'))"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, env=env, check=True, cwd=ROOT
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_themes_change_colours_only() -> None:
    a = blueprint_dot(restaurant(), "default")
    b = blueprint_dot(restaurant(), "print")
    c = blueprint_dot(restaurant(), "colorblind")
    assert len({a, b, c}) == 3
    assert [pos(n) for n in nodes(a).values()] == [pos(n) for n in nodes(b).values()]
    assert "#d55e00" in c  # Okabe-Ito vermillion for fail points
    assert "Noto Sans CJK SC" in a


def test_a_long_key_entry_wraps_after_its_badge_and_notes_say_so() -> None:
    what = "The guest waits far too long at the door " * 3
    src = (
        'blueprint "T" {\n  locale zh\n}\nstep "S" {\n'
        f'  customer c "敲门" {{\n    fail "{what}" recover "致歉"\n    note "先敲三下"\n  }}\n}}\n'
    )
    result = compile_text(src)
    bp = result.blueprint
    assert bp is not None and not result.has_errors, result.diagnostics
    texts = [n["label"] for n in by_class(blueprint_dot(bp), "bp-key")]
    fail, note = (t.removesuffix("\\l").split("\\l") for t in texts)
    assert len(fail) > 1 and fail[0].startswith("F1\u2002The guest waits")
    assert not any(line.startswith("F1") for line in fail[1:])
    assert fail[-1].endswith("→ 致歉")
    assert note == ["备注\u2002敲门: 先敲三下"]
