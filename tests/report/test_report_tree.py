"""The report inlines the drawing from the tree `svg_post.post_process` wrote the SVG
from, rather than parsing the SVG again: the page must be the one made from the text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.render import blueprint_dot, resolve_engine
from blueprint_dsl.render.svg_post import post_process
from blueprint_dsl.report import build_report_html

from ..conftest import SAMPLES
from ..report_helpers import HOSTILE


@pytest.mark.parametrize("path", [*SAMPLES, HOSTILE], ids=lambda p: p.name)
def test_the_report_from_the_drawings_tree_is_the_report_from_its_text(path: Path) -> None:
    result = compile_file(path)
    bp = result.blueprint
    assert bp is not None
    trees: list[ET.Element] = []
    drawn = resolve_engine("auto", ["svg"]).render(blueprint_dot(bp), "svg")
    svg = post_process(drawn, bp, tree=trees).decode("utf-8")
    assert len(trees) == 1
    assert post_process(drawn, bp) == svg.encode("utf-8")  # the tree changes no byte
    from_text = build_report_html(result, svg)
    assert build_report_html(result, svg, svg_tree=trees[0]) == from_text
    assert build_report_html(result, None, svg_tree=post_tree(drawn, bp)) == from_text


def post_tree(drawn: bytes, bp: object) -> ET.Element:
    trees: list[ET.Element] = []
    post_process(drawn, bp, tree=trees)  # type: ignore[arg-type]
    return trees[0]


def test_no_tree_is_handed_on_when_a_parser_would_read_the_svg_otherwise() -> None:
    """A carriage return in text is read back as a line feed: the report parses the
    written SVG then, as before."""
    result = compile_file(SAMPLES[0])
    bp = result.blueprint
    assert bp is not None
    drawn = resolve_engine("auto", ["svg"]).render(blueprint_dot(bp), "svg")
    marked = drawn.replace(b"</text>", b"&#13;</text>", 1)
    assert marked != drawn
    trees: list[ET.Element] = []
    svg = post_process(marked, bp, tree=trees)
    assert trees == [] and b"\r" in svg


def test_what_a_parser_would_read_back_otherwise() -> None:
    from blueprint_dsl.render.svg_post import _round_trips

    assert _round_trips("<svg>仓库，ok</svg>".encode())  # CJK and full-width forms
    for breaker in ("\r", "\x00", "\x0b", "\x1f", "\ufffe", "\uffff"):
        assert not _round_trips(f"<svg>a{breaker}b</svg>".encode("utf-8", "surrogatepass"))
