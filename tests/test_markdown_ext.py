"""The Python-Markdown extension (blueprint_dsl.markdown): ```bp fences in documentation.

Blocks are drawn with the embedded Graphviz, so these tests need no system Graphviz; the
MkDocs sites are built with `python -m mkdocs build` in a subprocess, and the built page is
opened in the system Chromium (skipped without it, like tests/report/test_report_browser.py).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest

from blueprint_dsl.markdown import (
    BlueprintExtension,
    Settings,
    fence_bp_format,
    fence_bp_validator,
    prepare_svg,
    render_block,
)

from .report_helpers import HOSTILE, Tags

EMBEDDED = {"blueprint_dsl.markdown": {"engine": "embedded"}}
GOOD = """\
blueprint "Coffee to go" {}
lane barista "Barista" in onstage
step "Order" {
  evidence "Menu board"
  customer order "Order a flat white" -> take
  barista  take  "Take the order" { detail "sub/brew.bp" }
}
"""
BROKEN = """\
blueprint "Broken" {
  bogus "x"
}
"""
CHROMIUM = Path("/usr/bin/chromium")


def fence(source: str, header: str = "```bp", close: str = "```") -> str:
    return f"{header}\n{source}{close}\n"


def convert(text: str, **config: Any) -> str:
    configs = {"blueprint_dsl.markdown": {"engine": "embedded", **config}}
    html = markdown.markdown(text, extensions=["blueprint_dsl.markdown"], extension_configs=configs)
    return str(html)


def ids(html: str) -> list[str]:
    return [str(attrs["id"]) for _, attrs in Tags(html).tags if attrs.get("id")]


def classes(html: str, tag: str) -> list[str]:
    return [str(attrs.get("class")) for attrs in Tags(html).named(tag)]


# -- plain Python-Markdown -------------------------------------------------------------------
def test_a_bp_fence_becomes_an_inline_svg_in_a_diagram_div() -> None:
    html = convert(f"# Coffee\n\n{fence(GOOD)}\nAfter the diagram.\n")
    tags = [tag for tag, _ in Tags(html).tags]
    assert tags.index("div") < tags.index("svg")
    assert "bp-diagram" in classes(html, "div")
    assert html.count("<svg") == 1
    assert "<pre" not in html and "<code" not in html  # drawn, not shown as code
    assert "<title>Coffee to go</title>" in html
    assert "<p>After the diagram.</p>" in html
    assert "<?xml" not in html


@pytest.mark.parametrize(
    ("header", "close"),
    [
        ("```blueprint", "```"),
        ("~~~bp", "~~~"),
        ("````bp", "````"),
        ('```{.bp theme="print"}', "```"),
    ],
)
def test_every_fence_spelling_is_drawn(header: str, close: str) -> None:
    html = convert(fence(GOOD, header, close))
    assert html.count("<svg") == 1 and "bp-diagram" in classes(html, "div")


def test_other_fences_are_left_alone() -> None:
    example = fence(fence(GOOD), "````markdown", "````")  # a ```bp block shown as an example
    html = markdown.markdown(
        fence("print(1)\n", "```python") + fence(GOOD, "```bpx") + example,
        extensions=["fenced_code", "blueprint_dsl.markdown"],
        extension_configs=EMBEDDED,
    )
    assert "<svg" not in html
    assert 'class="language-python"' in html and 'class="language-bpx"' in html
    assert 'class="language-markdown"' in html and "```bp\nblueprint &quot;Coffee" in html


def test_a_broken_block_shows_its_diagnostics_instead(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        html = convert(fence(BROKEN))
    assert "<svg" not in html
    tags = Tags(html)
    box = [a for a in tags.named("div") if a.get("class") == "bp-error"]
    assert box and box[0]["role"] == "alert"
    item = next(a for a in tags.named("li") if a.get("data-code"))
    assert item["data-code"] == "BP102"
    text = "".join(tags.text)
    assert "2:3 BP102 error: unknown header field `bogus`" in text
    assert 'bogus "x"' in text  # the source, under the list
    assert any("BP102" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert caplog.records[0].name.startswith("mkdocs.")  # counted by `mkdocs build --strict`


def test_blocks_that_cannot_be_drawn_never_raise() -> None:
    cases = {
        "": "BP103",  # empty
        'lane a "A" in onstage\n': "nothing to draw",  # only shared declarations
        "blueprint {\n": "BP100",  # syntax error
    }
    for source, expected in cases.items():
        html = convert(fence(source))
        assert "<svg" not in html and 'class="bp-error"' in html and expected in html


def test_bad_settings_give_the_error_box() -> None:
    assert "unknown theme &#x27;neon&#x27;" in convert(fence(GOOD), theme="neon")
    assert "unknown engine &#x27;gpu&#x27;" in convert(fence(GOOD), engine="gpu")
    per_block = convert(fence(GOOD, "```bp colour=red"))
    assert "unknown option &#x27;colour&#x27;" in per_block and "<svg" not in per_block


def test_a_missing_graphviz_is_an_error_box(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    html = convert(fence(GOOD), engine="system")
    assert "<svg" not in html and "the diagram could not be drawn" in html
    assert "neato" in html


def test_two_blocks_on_a_page_share_no_id() -> None:
    html = convert(fence(GOOD) + "\ntext\n\n" + fence(GOOD))
    found = ids(html)
    assert len(found) > 20
    assert [n for n, c in Counter(found).items() if c > 1] == []
    assert {i.split("-", 1)[0] for i in found} == {"bp1", "bp2"}
    assert "bp1-action-take" in found and "bp2-action-take" in found
    blocks = [a["data-bp-block"] for a in Tags(html).named("div") if a.get("data-bp-block")]
    assert blocks == ["1", "2"]


def test_the_count_starts_again_for_each_document() -> None:
    md = markdown.Markdown(extensions=["blueprint_dsl.markdown"], extension_configs=EMBEDDED)
    first = md.convert(fence(GOOD))
    second = md.reset().convert(fence(GOOD))
    assert first == second and 'id="bp1-' in first
    assert convert(fence(GOOD) * 1) == first  # the same input, the same bytes


def test_theme_option_changes_the_drawing() -> None:
    default, printed = convert(fence(GOOD)), convert(fence(GOOD), theme="print")
    per_block = convert(fence(GOOD, "```bp theme=print"))
    assert default != printed and printed == per_block


def test_ids_and_references_are_prefixed_together() -> None:
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<defs><linearGradient id="g"/><marker id="m"/></defs>
<path id="p" fill="url(#g)" marker-end="url('#m')" style="filter:url(#g)"/>
<use href="#p"/><use xlink:href="#p"/><text><textPath href="#p">x</textPath></text>
<rect fill="url(http://evil.example/x)" onclick="alert(1)"/>
<script>alert(1)</script><foreignObject><p>x</p></foreignObject><style>*{}</style>
<a xlink:href="javascript:alert(1)" xlink:title="tip"><text>link</text></a>
</svg>"""
    out = prepare_svg(svg, "bp7-")
    tags = Tags(out)
    assert sorted(ids(out)) == ["bp7-g", "bp7-m", "bp7-p"]
    path = tags.named("path")[0]
    assert path["fill"] == "url(#bp7-g)" and path["marker-end"] == "url('#bp7-m')"
    assert path["style"] == "filter:url(#bp7-g)"
    assert [u.get("href") or u.get("xlink:href") for u in tags.named("use")] == ["#bp7-p"] * 2
    assert tags.named("textpath")[0]["href"] == "#bp7-p"
    assert "fill" not in tags.named("rect")[0] and "onclick" not in tags.named("rect")[0]
    for gone in ("script", "foreignobject", "style", "a", "p"):
        assert tags.named(gone) == [], gone
    assert "<title>tip</title>" in out


def test_detail_links_only_with_report_links() -> None:
    def hrefs(html: str) -> list[str]:
        return [str(a.get("xlink:href")) for a in Tags(html).named("a")]

    assert hrefs(convert(fence(GOOD))) == []  # a link to a file the site does not have
    assert set(hrefs(convert(fence(GOOD), report_links="reports"))) == {"reports/sub/brew.html"}
    assert set(hrefs(convert(fence(GOOD), report_links=True))) == {"sub/brew.html"}
    assert hrefs(convert(fence(GOOD), report_links="javascript:alert(1)//")) == []
    with_target = convert(fence(GOOD), report_links="https://docs.example/bp/")
    assert set(hrefs(with_target)) == {"https://docs.example/bp/sub/brew.html"}
    assert ' target="' not in with_target


def test_includes_resolve_from_base_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "lanes.bp").write_text('lane barista "Barista" in onstage\n', "utf-8")
    source = GOOD.replace('lane barista "Barista" in onstage\n', 'include "team/lanes.bp"\n')
    drawn = convert(fence(source), base_dir=str(tmp_path))
    assert "<svg" in drawn and "bp1-action-take" in drawn
    monkeypatch.chdir(tmp_path)
    assert convert(fence(source)) == drawn  # the working folder by default
    monkeypatch.chdir(tmp_path / "team")
    missing = convert(fence(source))
    assert "<svg" not in missing and "BP105" in missing


def test_hostile_labels_are_escaped() -> None:
    html = convert(fence(HOSTILE.read_text("utf-8")), report_links=True)
    tags = Tags(html)
    assert html.count("<svg") == 1
    for tag in ("script", "img", "iframe", "style", "marquee", "b", "foreignobject", "image"):
        assert tags.named(tag) == [], tag
    for _, attrs in tags.tags:
        assert not [name for name in attrs if name.startswith("on")]
        assert all(
            "javascript:" not in str(v) and "evil.example" not in str(v) for v in attrs.values()
        )
    assert "<script>alert('title')</script> {{ 7*7 }}" in "".join(tags.text)


def test_hostile_text_in_the_error_box_is_escaped() -> None:
    source = '</code></pre><script>alert(1)</script>\nblueprint "<img src=x onerror=alert(2)>" {\n'
    html = convert(fence(source))
    tags = Tags(html)
    assert tags.named("script") == [] and tags.named("img") == []
    assert "<script>alert(1)</script>" in "".join(tags.text)


def test_render_block_numbers_ids_by_block() -> None:
    html = render_block(GOOD, 4, Settings(engine="embedded"))
    assert 'data-bp-block="4"' in html and all(i.startswith("bp4-") for i in ids(html))


# -- pymdownx.superfences --------------------------------------------------------------------
def superfences(**bp_config: Any) -> markdown.Markdown:
    custom = {"name": "bp", "class": "bp", "format": fence_bp_format}
    custom["validator"] = fence_bp_validator
    extensions: list[Any] = ["pymdownx.superfences"]
    if bp_config:
        extensions.append(BlueprintExtension(**bp_config))
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={"pymdownx.superfences": {"custom_fences": [custom]}},
    )


def test_superfences_custom_fence() -> None:
    text = "- a list item\n\n    " + fence(GOOD).replace("\n", "\n    ") + "\n" + fence(GOOD)
    html = superfences(engine="embedded").convert(text)
    assert html.count("<svg") == 2 and "<pre" not in html
    assert [n for n, c in Counter(ids(html)).items() if c > 1] == []
    assert Tags(html).named("li")  # the first diagram is inside the list item


def test_superfences_options_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no system Graphviz: `auto` draws with the embedded one
    md = superfences()
    plain = md.convert(fence(GOOD))
    printed = md.reset().convert(fence(GOOD, '```bp theme="print"'))
    assert "<svg" in plain and "<svg" in printed and plain != printed
    broken = md.reset().convert(fence(BROKEN))
    assert 'data-code="BP102"' in broken and "<svg" not in broken
    unknown = md.reset().convert(fence(GOOD, '```bp size="3"'))
    assert "unknown option &#x27;size&#x27;" in unknown


# -- MkDocs ----------------------------------------------------------------------------------
PAGE = f"# Coffee\n\n{fence(GOOD)}\nSecond:\n\n{fence(GOOD)}"
PLAIN_YML = "site_name: My service blueprints\nmarkdown_extensions: [blueprint_dsl.markdown]\n"
SUPERFENCES_YML = """\
site_name: Blueprints
markdown_extensions:
  - blueprint_dsl.markdown:
      engine: embedded
  - pymdownx.superfences:
      custom_fences:
        - name: bp
          class: bp
          format: !!python/name:blueprint_dsl.markdown.fence_bp_format
          validator: !!python/name:blueprint_dsl.markdown.fence_bp_validator
"""


def mkdocs_build(folder: Path, config: str, page: str) -> subprocess.CompletedProcess[str]:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    (folder / "docs" / "index.md").write_text(page, "utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, env=env, check=False)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mkdocs")
    proc = mkdocs_build(folder, PLAIN_YML, PAGE)
    assert proc.returncode == 0, proc.stderr
    return folder / "site" / "index.html"


def test_mkdocs_site_holds_the_diagrams(built_site: Path) -> None:
    html = built_site.read_text("utf-8")
    assert html.count("<svg") >= 2 and 'class="bp-diagram"' in html
    bp_ids = [i for i in ids(html) if i.startswith(("bp1-", "bp2-"))]
    assert "bp1-action-take" in bp_ids and "bp2-action-take" in bp_ids
    assert [n for n, c in Counter(ids(html)).items() if c > 1] == []


def test_mkdocs_with_superfences(tmp_path: Path) -> None:
    page = PAGE + "\n- item\n\n    " + fence(GOOD).replace("\n", "\n    ")
    proc = mkdocs_build(tmp_path, SUPERFENCES_YML, page)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert html.count('class="bp-diagram"') == 3 and "bp3-action-take" in html


def test_mkdocs_strict_fails_on_a_broken_block(tmp_path: Path) -> None:
    proc = mkdocs_build(tmp_path, PLAIN_YML, fence(BROKEN))
    assert proc.returncode != 0
    assert "BP102" in proc.stderr and "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"the system Chromium is missing ({CHROMIUM}): apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def test_the_built_page_draws_in_chromium(chromium: Any, built_site: Path) -> None:
    # (the MkDocs theme's own scripts load highlight.js from a CDN, unreachable here)
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    page.goto(built_site.as_uri())
    boxes = page.eval_on_selector_all(
        ".bp-diagram > svg",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height] })",
    )
    action = page.locator("#bp2-action-take").bounding_box()
    ids_in_dom = page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return [ids.length, new Set(ids).size] }"
    )
    page.close()
    assert len(boxes) == 2
    assert all(width > 100 and height > 50 for width, height in boxes)
    assert action is not None and action["width"] > 10 and action["height"] > 10
    assert ids_in_dom[0] == ids_in_dom[1] > 40


DOCS = Path(__file__).resolve().parent.parent / "docs" / "markdown.md"


def docs_configs() -> list[str]:
    """The `mkdocs.yml` examples of docs/markdown.md (```yaml blocks with a site_name)."""
    blocks = DOCS.read_text("utf-8").split("```yaml\n")[1:]
    return [b.split("```", 1)[0] for b in blocks if b.startswith("site_name:")]


def test_docs_configs_build_as_written(tmp_path: Path) -> None:
    configs = docs_configs()
    assert len(configs) >= 2 and PLAIN_YML in configs
    assert any("fence_bp_format" in c for c in configs)
    for n, config in enumerate(configs):
        proc = mkdocs_build(tmp_path / str(n), config, PAGE)
        assert proc.returncode == 0, (config, proc.stderr)
        html = (tmp_path / str(n) / "site" / "index.html").read_text("utf-8")
        assert html.count('class="bp-diagram"') == 2, config
