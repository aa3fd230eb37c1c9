"""The HTML report without a browser: safety settings, escaping, links, locale, goldens."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from jinja2 import StrictUndefined, UndefinedError

from blueprint_dsl.api import compile_file, compile_text
from blueprint_dsl.report import IndexEntry, build_index_html, build_report_html
from blueprint_dsl.report.html import environment, static_text
from blueprint_dsl.report.links import detail_href, is_relative_href
from blueprint_dsl.report.svg import DiagramError, prepare_svg
from blueprint_dsl.report.targets import TargetFinder

from ..conftest import ROOT, SAMPLES, assert_golden
from ..report_helpers import HOSTILE, TINY_SVG, Tags, sample

HOSTILE_STRINGS = (
    "<script>alert('title')</script> {{ 7*7 }} {% if true %}x{% endif %}",
    "\"><img src=x onerror=alert('id')>",
    "{{ config }}",
    "</title><script>alert('owner')</script>",
    "<img src=x onerror=alert('lane')>",
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=alert('fail')>",
    "{{ ''.__class__.__mro__ }}",
    "<script>alert('metric')</script>",
    "javascript:alert('detail')",
    "{% include '/etc/passwd' %}",
    "</style><style>body{display:none}</style>",
)


def report_for(path: Path | str, svg: str | None = None, **kwargs: object) -> str:
    result = compile_file(path)
    return build_report_html(result, svg, **kwargs)  # type: ignore[arg-type]


# ---- the template environment -------------------------------------------------------


def test_environment_autoescapes_and_is_strict() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.undefined is StrictUndefined
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_templates_are_package_files() -> None:
    names = environment().list_templates()
    assert {"report.html.j2", "index.html.j2"} <= set(names)


def test_compiled_templates_are_kept_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled once, then loaded from bpc's cache folder; a damaged file there is
    compiled again, and no cache folder at all is no error."""
    from jinja2 import Environment

    source = report_for(sample("restaurant.bp"), TINY_SVG.read_text("utf-8"))
    compiled: list[str | None] = []
    real = Environment.compile

    def counted(self: Environment, *args: object, **kwargs: object) -> object:
        compiled.append(str(kwargs.get("name") or (args[1] if len(args) > 1 else None)))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counted)
    monkeypatch.setenv("BPC_CACHE_DIR", str(tmp_path))

    def fresh_report() -> str:
        environment.cache_clear()  # as in a new process
        return report_for(sample("restaurant.bp"), TINY_SVG.read_text("utf-8"))

    try:
        first = fresh_report()
        assert first == source and "report.html.j2" in compiled
        files = sorted((tmp_path / "templates").glob("*.cache"))
        assert files
        compiled.clear()
        assert fresh_report() == source and compiled == []
        for file in files:
            file.write_bytes(b"damaged")
        assert fresh_report() == source and "report.html.j2" in compiled
        monkeypatch.delenv("BPC_CACHE_DIR")
        monkeypatch.delenv("HOME", raising=False)
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        assert fresh_report() == source
    finally:
        environment.cache_clear()


# ---- determinism, content ----------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_report_is_deterministic(path: Path) -> None:
    svg = TINY_SVG.read_text("utf-8")
    first = report_for(path, svg)
    second = report_for(path, svg)
    assert first == second
    assert "bpc 0.1.0" in first
    assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", first), "no timestamp"


def test_report_golden(in_root: Path) -> None:
    """The page around the inlined CSS and script (those are package files of their own)."""
    html = report_for("samples/restaurant.bp", TINY_SVG.read_text("utf-8"))
    for name in ("report.css", "report.js"):
        assert html.count(static_text(name)) == 1
        html = html.replace(static_text(name), f"/* {name} */")
    html = re.sub(r"sha256-[A-Za-z0-9+/=]+", "sha256-…", html)
    assert_golden("report/restaurant.html", html)


def test_figures_carry_the_analysis() -> None:
    result = compile_file(sample("bank-account.bp"))
    assert result.analysis is not None
    html = build_report_html(result, None)
    found = dict(re.findall(r'data-figure="([^"]+)" data-value="([^"]*)"', html))
    data = result.analysis.to_json()
    time = data["customer_time"]
    assert isinstance(time, dict)
    expected = {k: v for k, v in data.items() if k != "customer_time"}
    expected |= {f"customer_time.{k}": v for k, v in time.items()}
    assert {k: eval_json(v) for k, v in found.items()} == expected


def eval_json(text: str) -> object:
    import html
    import json

    return json.loads(html.unescape(text))


def test_chinese_report_speaks_chinese() -> None:
    html = report_for(sample("property-repair.zh.bp"), TINY_SVG.read_text("utf-8"))
    assert '<html lang="zh-CN">' in html
    for heading in ("概要指标", "顾客旅程", "接触点", "失败点与补救措施", "等待点与执行标准"):
        assert heading in html
    for heading in ("角色与泳道", "支持系统", "指标与目标", "诊断信息", "顾客时间", "蓝图编号"):
        assert heading in html
    assert "前台员工行为" in html and "支持过程" in html
    for english in ("Summary figures", "Customer journey", "Fail points", "Diagnostics"):
        assert english not in html


def test_english_report_speaks_english() -> None:
    html = report_for(sample("restaurant.bp"))
    assert '<html lang="en">' in html
    assert "Summary figures" in html and "Touchpoints" in html
    assert "The diagram is not available" in html


def test_report_of_a_file_that_does_not_parse() -> None:
    result = compile_text('blueprint "x" {\n  id "a"\n', "broken.bp")
    assert result.blueprint is None
    html = build_report_html(result, None)
    assert 'data-status="errors"' in html
    assert "BP100" in html
    assert "data-figure" not in html


# ---- safety -------------------------------------------------------------------------


def hostile_html() -> str:
    result = compile_file(HOSTILE)
    assert not result.has_errors
    links = {
        "javascript:alert('detail')": "javascript:alert(1)",
        "//evil.example/x.bp": "//evil.example/x.html",
    }
    return build_report_html(result, TINY_SVG.read_text("utf-8"), detail_links=links)


def test_hostile_strings_are_text() -> None:
    html = hostile_html()
    page = Tags(html)
    text = "".join(page.text)
    for value in HOSTILE_STRINGS:
        assert value in text, value
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"img", "iframe", "marquee", "object", "embed", "foreignobject", "b"}
    scripts = page.named("script")
    assert scripts == [{"type": "application/json", "id": "r-analysis"}, {}]
    styles = page.named("style")
    assert len(styles) == 1
    for tag, attrs in page.tags:
        for name, attr in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "xlink:href"):
                assert attr is not None and is_relative_href(attr), (tag, name, attr)
    assert page.named("a") == [
        {"href": f"#r-{s}"}
        for s in (
            "diagram",
            "figures",
            "simulation",
            "diagnostics",
            "journey",
            "touchpoints",
            "contacts",
            "fails",
            "waits",
            "lanes",
            "support",
            "metrics",
        )
    ]


def test_hostile_text_stays_out_of_script_and_style() -> None:
    html = hostile_html()
    script = static_text("report.js")
    assert html.count("<script") == 2
    assert f"<script>{script}</script>" in html
    assert f"<style>{static_text('report.css')}</style>" in html
    data = html.split('<script type="application/json" id="r-analysis">', 1)[1]
    assert "<" not in data.split("</script>", 1)[0]


def test_content_security_policy_allows_only_our_script() -> None:
    html = hostile_html()
    meta = [m for m in Tags(html).named("meta") if m.get("http-equiv")]
    assert len(meta) == 1 and meta[0]["http-equiv"] == "Content-Security-Policy"
    policy = meta[0]["content"]
    assert policy is not None
    digest = hashlib.sha256(static_text("report.js").encode("utf-8")).digest()
    expected = "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
    assert f"script-src {expected};" in policy
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]


def test_no_network_references() -> None:
    for html in (hostile_html(), report_for(sample("restaurant.bp"))):
        page = Tags(html)
        assert not page.named("link") and not page.named("img")
        urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
        assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_detail_links_only_to_reports_of_this_run() -> None:
    links = {"kitchen.bp": "kitchen.html", "evil.bp": "javascript:alert(1)"}
    assert detail_href("kitchen.bp", links) == "kitchen.html"
    assert detail_href("evil.bp", links) is None
    assert detail_href("other.bp", links) is None
    for bad in ("javascript:x", "JAVASCRIPT:x", "data:x", "//host/x", "/etc/x", "\\\\h\\x", " a"):
        assert not is_relative_href(bad), bad
    for good in ("a.html", "sub/a.html", "../a.html", "a%20b.html"):
        assert is_relative_href(good), good


def test_detail_link_in_report() -> None:
    text = (
        'blueprint "Top" {\n  id "T"\n}\nstep "S" {\n  evidence "E"\n'
        '  customer a "A" { detail "kitchen.bp" }\n  customer b "B" { detail "other.bp" }\n}\n'
    )
    result = compile_text(text, str(ROOT / "top.bp"))
    html = build_report_html(result, None, detail_links={"kitchen.bp": "kitchen.html"})
    assert '<a href="kitchen.html" data-detail>kitchen.bp</a>' in html
    assert "<span data-detail>other.bp</span>" in html


# ---- diagram -----------------------------------------------------------------------


def test_svg_is_cleaned_and_linked() -> None:
    result = compile_file(sample("restaurant.bp"))
    svg = prepare_svg(TINY_SVG.read_text("utf-8"), result.blueprint, "Restaurant <dinner>")
    assert "<script" not in svg and "foreignObject" not in svg
    assert "javascript:" not in svg and "onclick" not in svg and "href" not in svg
    assert 'aria-label="Restaurant &lt;dinner&gt;"' in svg
    assert 'data-bp-viewbox="0 0 300 120"' in svg and 'width="300pt"' not in svg
    assert 'id="bp-svg-action-book" class="node bp-action" data-bp-ref="action:book"' in svg
    assert 'data-bp-ref="action:greet"' in svg  # the fail marker of `greet`
    assert 'data-bp-ref="flow:0"' in svg and 'data-bp-ref="step:1"' in svg
    assert 'fill="url(#bp-svg-l_0)"' in svg and 'id="bp-svg-l_0"' in svg
    assert "<title>Book a table online</title>" in svg  # the link's tooltip kept as a title


def test_rendered_diagram_links_every_action() -> None:
    from ..report_helpers import diagram_svg

    result = compile_file(sample("hotel-room-service.bp"))
    assert result.blueprint is not None
    svg = prepare_svg(diagram_svg(result.blueprint), result.blueprint, "x")
    refs = set(re.findall(r'data-bp-ref="([^"]+)"', svg))
    for action in result.blueprint.actions:
        assert f"action:{action.key}" in refs, action.key
    for index, flow in enumerate(result.blueprint.flows):
        if not flow.implicit:
            assert f"flow:{index}" in refs


def test_bad_diagram_gives_a_placeholder() -> None:
    with pytest.raises(DiagramError):
        prepare_svg("<html><body/></html>", None, "x")
    with pytest.raises(DiagramError):
        prepare_svg("not xml", None, "x")
    html = report_for(sample("restaurant.bp"), "not xml")
    assert "The diagram is not available" in html


@pytest.mark.parametrize(
    ("code", "refs"),
    [
        ("BP502", ("action:take",)),
        ("BP500", ("action:take",)),
        ("BP506", ("action:take",)),
        ("BP301", ("action:order",)),
        ("BP400", ("flow:1", "action:order", "action:brew")),
        ("BP402", ("flow:2", "action:hand", "action:take")),
        ("BP305", ("step:2", "action:stock")),
    ],
)
def test_diagnostics_point_at_diagram_elements(code: str, refs: tuple[str, ...]) -> None:
    path = ROOT / "blueprint_dsl" / "checks" / "rules" / "examples" / f"{code}.bad.bp"
    result = compile_file(path)
    assert result.blueprint is not None
    finder = TargetFinder(result.blueprint)
    found = [finder.refs_for(d) for d in result.diagnostics if d.code == code]
    assert found and set(found[0]) == set(refs), found
    flows = result.blueprint.flows
    for ref in refs:
        if ref.startswith("flow:"):
            flow = flows[int(ref.split(":")[1])]
            assert {f"action:{flow.source}", f"action:{flow.target}"} <= set(refs)


# ---- index --------------------------------------------------------------------------


def test_index_lists_every_blueprint() -> None:
    entries = [IndexEntry.from_result(compile_file(p), p.stem + ".html") for p in SAMPLES]
    hostile = compile_file(HOSTILE)
    entries.append(IndexEntry.from_result(hostile, "javascript:alert(1)"))
    broken = compile_text("nonsense", "broken.bp")
    entries.append(IndexEntry.from_result(broken, None))
    html = build_index_html(entries)
    page = Tags(html)
    hrefs = [a["href"] for a in page.named("a")]
    assert hrefs == [p.stem + ".html" for p in SAMPLES]
    text = "".join(page.text)
    assert HOSTILE_STRINGS[0] in text and "broken.bp" in text
    assert not {tag for tag, _ in page.tags} & {"img", "iframe"}
    assert html == build_index_html(entries)
    assert 'data-status="errors"' in html and 'data-status="clean"' in html
