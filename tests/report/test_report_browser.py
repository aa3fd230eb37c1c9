"""The HTML reports in a real browser: the system Chromium driven by Playwright.

Every sample's report and the index are opened from file:// URLs. A missing Chromium
fails these tests (it never skips them, and never downloads a browser).
`BPC_ACCEPT=1` also refreshes the screenshots in docs/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, sync_playwright

from blueprint_dsl.api import CompileResult, compile_file
from blueprint_dsl.core.fsutil import atomic_write
from blueprint_dsl.report import IndexEntry, build_index_html, build_report_html

from ..conftest import ROOT, SAMPLES
from ..report_helpers import HOSTILE, diagram_svg

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The screenshots in docs/: a report with an action selected, and one with a diagnostic
# shown in the diagram.
SCREENSHOTS = {
    "en": ("restaurant.bp", '#r-viewport [data-bp-ref="action:greet"] >> nth=0'),
    "zh": ("property-repair.zh.bp", 'tr.diag[data-code="BP506"] button'),
}

FIGURES_JS = """() => Object.fromEntries(
  [...document.querySelectorAll('[data-figure]')]
    .map(e => [e.dataset.figure, JSON.parse(e.dataset.value)]))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        # Reported as a skip on a developer's machine; CI sets BPC_NO_SKIPS=1, which makes
        # any skip fail the run (tests/conftest.py).
        pytest.skip(
            f"the system Chromium is missing ({CHROMIUM}): install it with "
            "`apt-get install chromium` (.ci/run does); these tests never download a browser"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Site:
    folder: Path
    results: dict[str, CompileResult] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return (self.folder / name).as_uri()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Every sample and the hostile blueprint as reports, plus the index, in one folder."""
    out = Site(tmp_path_factory.mktemp("site"))
    entries = []
    for path in [*SAMPLES, HOSTILE]:
        result = compile_file(path)
        assert result.blueprint is not None and not result.has_errors
        stem = path.name.removesuffix(".bp")
        links = {"javascript:alert('detail')": "javascript:alert('link')"}
        html = build_report_html(
            result, diagram_svg(result.blueprint), detail_links=links, source_display=path.name
        )
        atomic_write(out.folder / f"{stem}.html", html)
        out.results[f"{stem}.html"] = result
        entries.append(IndexEntry.from_result(result, f"{stem}.html"))
    atomic_write(out.folder / "index.html", build_index_html(entries))
    return out


@dataclass
class Watched:
    """A page and everything that went wrong on it."""

    page: Page
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert self.problems == []
        assert self.dialogs == []


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Any]:
    pages: list[Page] = []

    def opener(url: str, **options: Any) -> Watched:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, **options)
        pages.append(page)
        watched = Watched(page)

        def on_console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                watched.problems.append(f"console {message.type}: {message.text}")

        def on_failed(request: Request) -> None:
            watched.problems.append(f"request failed: {request.url} {request.failure}")

        def on_dialog(dialog: Dialog) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
        page.on("requestfailed", on_failed)
        page.on("dialog", on_dialog)
        page.goto(url)
        return watched

    yield opener
    for page in pages:
        page.close()


def flat_analysis(result: CompileResult) -> dict[str, object]:
    assert result.analysis is not None
    data = result.analysis.to_json()
    time = data.pop("customer_time")
    assert isinstance(time, dict)
    return data | {f"customer_time.{k}": v for k, v in time.items()}


def view_box(page: Page) -> list[float]:
    text = page.get_attribute("#r-viewport svg", "viewBox")
    assert text is not None
    return [float(v) for v in text.split()]


# ---- every report -------------------------------------------------------------------


@pytest.mark.parametrize("name", [p.name.removesuffix(".bp") + ".html" for p in SAMPLES])
def test_sample_report_opens_cleanly_with_the_analysis(
    site: Site, open_page: Any, name: str
) -> None:
    w = open_page(site.url(name))
    page = w.page
    result = site.results[name]
    assert result.blueprint is not None
    assert page.evaluate(FIGURES_JS) == flat_analysis(result)
    analysis = page.evaluate("() => JSON.parse(document.getElementById('r-analysis').textContent)")
    assert result.analysis is not None and analysis == result.analysis.to_json()
    steps = page.locator('[data-figure="steps"]').inner_text()
    assert steps == str(len(result.blueprint.steps))
    assert page.locator("h1").inner_text() == result.blueprint.header.title
    linked = page.evaluate(
        """() => new Set([...document.querySelectorAll('#r-viewport [data-bp-ref]')]
                 .flatMap(e => e.dataset.bpRef.split(' '))).size"""
    )
    assert linked >= len(result.blueprint.actions)
    w.clean()


def test_index_lists_and_sorts(site: Site, open_page: Any) -> None:
    w = open_page(site.url("index.html"))
    page = w.page
    hrefs = page.eval_on_selector_all(
        "#r-index tbody a", "as => as.map(a => a.getAttribute('href'))"
    )
    assert sorted(hrefs) == sorted(site.results)

    def column(index: int) -> list[str]:
        values = page.eval_on_selector_all(
            f"#r-index tbody tr td:nth-child({index + 1})", "tds => tds.map(td => td.dataset.sort)"
        )
        return [str(v) for v in values]

    page.click("#r-index th[data-column='0'] button")
    titles = column(0)
    assert titles == sorted(titles, key=str.casefold) or titles == sorted(titles)
    page.click("#r-index th[data-column='0'] button")
    assert column(0) == list(reversed(titles))
    page.click("#r-index th[data-column='6'] button")  # steps, numeric
    steps = [float(v) for v in column(6)]
    assert steps == sorted(steps)
    assert page.get_attribute("#r-index th[data-column='6']", "aria-sort") == "ascending"
    page.click("#r-index tbody a >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith(".html") and "index.html" not in page.url
    w.clean()


# ---- interaction --------------------------------------------------------------------


def test_clicking_an_action_shows_its_attributes(site: Site, open_page: Any) -> None:
    w = open_page(site.url("restaurant.html"))
    page = w.page
    assert page.is_hidden("#r-details")
    page.click('#r-viewport [data-bp-ref="action:greet"] >> nth=0')
    card = page.locator('.card[data-key="greet"]')
    assert card.is_visible()
    text = card.inner_text()
    assert "Greet and seat" in text and "No table ready" in text and "10m" in text
    assert page.locator(".card:visible").count() == 1
    assert page.is_visible("#r-details")
    assert page.locator('#r-viewport .bp-selected[data-bp-ref="action:greet"]').count() >= 1
    # Table entries select too.
    page.click('#r-journey [data-bp-select="action:take_order"]')
    assert page.locator('.card[data-key="take_order"]').is_visible()
    page.click("#r-details [data-close]")
    assert page.is_hidden("#r-details")
    assert page.locator("#r-viewport .bp-selected").count() == 0
    w.clean()


def test_clicking_a_diagnostic_highlights_its_element(site: Site, open_page: Any) -> None:
    w = open_page(site.url("property-repair.zh.html"))
    page = w.page
    result = site.results["property-repair.zh.html"]
    diagnostic = next(d for d in result.diagnostics if d.code == "BP506")
    row = page.locator('tr.diag[data-code="BP506"]')
    assert f"第 {diagnostic.span.line} 行" in row.inner_text()
    assert page.locator("#r-viewport .bp-hl").count() == 0
    row.locator("button").click()
    highlighted = page.eval_on_selector_all(
        "#r-viewport .bp-hl", "els => els.map(e => e.getAttribute('data-bp-ref'))"
    )
    assert "action:回访" in highlighted
    stroke = page.eval_on_selector(
        "#r-viewport .bp-hl polygon, #r-viewport .bp-hl path",
        "e => getComputedStyle(e).strokeWidth",
    )
    assert stroke == "4px"
    assert "active" in (row.get_attribute("class") or "")
    assert page.locator('.card[data-key="回访"]').is_visible()
    w.clean()


def test_hostile_diagnostics_point_at_the_right_action(site: Site, open_page: Any) -> None:
    w = open_page(site.url("hostile.html"))
    page = w.page
    page.locator('tr.diag[data-code="BP502"] button').click()
    refs = page.eval_on_selector_all("#r-viewport .bp-hl", "els => els.map(e => e.dataset.bpRef)")
    assert refs and set(refs) == {"action:take"}
    w.clean()


def test_the_drawing_bpc_render_writes_links_up(open_page: Any, tmp_path: Path) -> None:
    """`bpc render -f svg,html` inlines the drawing after render.svg_post, whose flows
    and evidence have readable ids: clicking into it and out of the tables still works."""
    from blueprint_dsl.render.pipeline import render_blueprint
    from blueprint_dsl.render.svg_post import element_ids

    result = compile_file(ROOT / "blueprint_dsl" / "checks" / "rules" / "examples" / "BP402.bad.bp")
    bp = result.blueprint
    assert bp is not None and not result.has_errors
    (svg,) = render_blueprint(bp, ["svg"], tmp_path, stem="drawn")
    atomic_write(tmp_path / "drawn.html", build_report_html(result, svg.read_text("utf-8")))
    w = open_page((tmp_path / "drawn.html").as_uri())
    page = w.page
    # A diagnostic about a flow lights the flow, found by its readable id, and its actions.
    page.locator('tr.diag[data-code="BP402"] button').click()
    lit = page.eval_on_selector_all(
        "#r-viewport .bp-hl", "els => els.map(e => [e.id, e.dataset.bpRef])"
    )
    flows, _ = element_ids(bp)
    index = next(i for i, f in enumerate(bp.flows) if (f.source, f.target) == ("hand", "take"))
    assert [f"bp-svg-{flows[index]}", f"flow:{index}"] in lit
    assert {ref for _, ref in lit} == {f"flow:{index}", "action:hand", "action:take"}
    assert page.locator('.card[data-key="hand"]').is_visible()
    # The diagram selects an action, and a table entry selects it in the diagram.
    page.click('#r-viewport [data-bp-ref="action:order"] >> nth=0')
    assert page.locator('.card[data-key="order"]').is_visible()
    page.click('#r-journey [data-bp-select="action:collect"]')
    assert page.locator('#r-viewport .bp-selected[data-bp-ref="action:collect"]').count() >= 1
    assert page.locator('.card[data-key="collect"]').is_visible()
    w.clean()


def test_zoom_pan_and_fit(site: Site, open_page: Any) -> None:
    w = open_page(site.url("bank-account.html"))
    page = w.page
    home = view_box(page)
    page.click("[data-zoom=in]")
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(home[2] / 1.25, abs=0.05)
    assert zoomed[3] == pytest.approx(home[3] / 1.25, abs=0.05)
    page.click("[data-zoom=out]")
    assert view_box(page)[2] == pytest.approx(home[2], abs=0.05)
    # The wheel scrolls the page until Ctrl is held (or the diagram has focus), then zooms.
    box = page.locator("#r-viewport").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + 300
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(100)
    assert view_box(page) == pytest.approx(home)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    page.wait_for_function(
        "w => document.querySelector('#r-viewport svg').viewBox.baseVal.width < w", arg=home[2] - 1
    )
    wheeled = view_box(page)
    # Dragging pans: the view box moves against the pointer.
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 150, cy - 40, steps=5)
    page.mouse.up()
    panned = view_box(page)
    assert panned[0] > wheeled[0] and panned[1] > wheeled[1]
    assert panned[2:] == wheeled[2:]
    assert page.is_hidden(".card:visible") or page.locator(".card:visible").count() == 0
    # Keys pan and zoom; fit restores the whole diagram.
    page.focus("#r-viewport")
    page.keyboard.press("ArrowRight")
    assert view_box(page)[0] > panned[0]
    page.click("[data-zoom=fit]")
    assert view_box(page) == pytest.approx(home)
    w.clean()


def drag(page: Page, x: float, y: float, dx: float, dy: float) -> None:
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def test_the_first_click_after_a_drag_selects(site: Site, open_page: Any) -> None:
    w = open_page(site.url("restaurant.html"))
    page = w.page
    box = page.locator("#r-viewport").bounding_box()
    assert box is not None
    before = view_box(page)
    drag(page, box["x"] + 30, box["y"] + 30, 90, 40)
    assert view_box(page) != before  # it panned
    assert page.is_hidden("#r-details")
    # The very first click after the drag shows the action's details.
    page.click('#r-viewport [data-bp-ref="action:greet"] >> nth=0')
    assert page.is_visible("#r-details")
    assert page.locator('.card[data-key="greet"]').is_visible()
    # A drag that starts on an action pans and does not select it; the next click does.
    page.click("#r-details [data-close]")
    node = page.locator('#r-viewport [data-bp-ref="action:take_order"] >> nth=0').bounding_box()
    assert node is not None
    drag(page, node["x"] + node["width"] / 2, node["y"] + node["height"] / 2, -60, 20)
    assert page.is_hidden("#r-details")
    page.click('#r-viewport [data-bp-ref="action:take_order"] >> nth=0')
    assert page.locator('.card[data-key="take_order"]').is_visible()
    # And a plain click after a drag that ended outside the diagram.
    page.click("#r-details [data-close]")
    page.click("[data-zoom=fit]")
    drag(page, box["x"] + box["width"] / 2, box["y"] + 5, 0, -25)
    page.click('#r-viewport [data-bp-ref="action:greet"] >> nth=0')
    assert page.locator('.card[data-key="greet"]').is_visible()
    w.clean()


# ---- safety -------------------------------------------------------------------------


def test_hostile_report_runs_nothing(site: Site, open_page: Any) -> None:
    w = open_page(site.url("hostile.html"))
    page = w.page
    result = site.results["hostile.html"]
    assert result.blueprint is not None
    title = result.blueprint.header.title
    assert page.title() == f"{title} · Service blueprint report"
    assert page.locator("h1").inner_text() == title
    body = page.evaluate("() => document.body.innerText")
    for text in (
        title,
        "\"><img src=x onerror=alert('id')>",
        "</title><script>alert('owner')</script>",
        "<img src=x onerror=alert('lane')>",
        "{% for x in range(3) %}{{ x }}{% endfor %}",
        "<script>alert('metric')</script>",
    ):
        assert text in body, text
    found = page.evaluate(
        """() => ({
          tags: [...document.querySelectorAll(
                  'img, iframe, marquee, object, embed, b, a[href^="javascript"]')]
                  .map(e => e.tagName),
          handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                  .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
          scripts: document.scripts.length,
          display: getComputedStyle(document.body).display,
          color: getComputedStyle(document.querySelector('h1')).color,
        })"""
    )
    assert found["tags"] == [] and found["handlers"] == []
    assert found["scripts"] == 2
    assert found["display"] != "none" and found["color"] != "rgb(255, 0, 0)"
    # The `detail` link mapped to a javascript: URL is shown as text.
    assert page.locator("a[data-detail]").count() == 0
    assert "javascript:alert('detail')" in page.locator('.card[data-key="take"]').inner_text()
    # Click and hover everything the report offers; nothing may run.
    for button in page.locator("[data-bp-refs], [data-bp-select]").all():
        button.click()
        button.hover()
    for node in page.locator('#r-viewport [data-bp-ref^="action:"]').all():
        node.click(force=True)
    page.mouse.move(10, 10)
    assert page.title() == f"{title} · Service blueprint report"
    w.clean()


# ---- print, dark mode, screenshots -------------------------------------------------


# An A3 landscape page with 12 mm margins, in CSS pixels: 396 mm x 273 mm.
A3_CONTENT = (1497, 1032)


@pytest.mark.parametrize("name", ["restaurant.html", "hotel-room-service.html"])
def test_print_is_a3_landscape_with_the_diagram_first(
    site: Site, browser: Browser, name: str
) -> None:
    width, height = A3_CONTENT
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(site.url(name))
    page.emulate_media(media="print")
    assert page.is_hidden(".diagram-tools") and page.is_hidden("#r-details")
    assert page.eval_on_selector("#r-diagram", "e => getComputedStyle(e).breakAfter") == "page"
    # The header and the whole diagram fit on the first page.
    bottom = page.eval_on_selector("#r-diagram", "e => e.getBoundingClientRect().bottom")
    assert bottom <= height
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    page_w, page_h = (float(v) for v in boxes[0])
    assert page_w == pytest.approx(1190.55, abs=2) and page_h == pytest.approx(841.89, abs=2)
    assert len(boxes) >= 2  # tables after the diagram's page
    page.close()


def test_dark_mode(site: Site, open_page: Any) -> None:
    w = open_page(site.url("restaurant.html"), color_scheme="dark")
    background = w.page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", background)[:3])
    assert red + green + blue < 150
    w.clean()


def cjk_fonts(page: Page, selector: str) -> set[str]:
    """The fonts Chromium actually drew an element's text with."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {f["familyName"] for f in fonts if f["glyphCount"] > 0}


@pytest.mark.parametrize("locale", sorted(SCREENSHOTS))
def test_screenshot(site: Site, open_page: Any, locale: str, tmp_path: Path) -> None:
    source, click = SCREENSHOTS[locale]
    w = open_page(site.url(source.removesuffix(".bp") + ".html"))
    page = w.page
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.click(click)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(3600)  # let the highlight's pulse finish
    if locale == "zh":
        fonts = cjk_fonts(page, "h1") | cjk_fonts(page, "#r-journey-title")
        assert any("CJK" in f or "Hei" in f or "Han" in f for f in fonts), fonts
    shot = tmp_path / f"report-{locale}.png"
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    if os.environ.get("BPC_ACCEPT") == "1":
        atomic_write(ROOT / "docs" / f"report-{locale}.png", data)
    w.clean()
