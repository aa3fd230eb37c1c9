"""The report inlines the drawing `svg_post.post_process` wrote for it in the walk that
wrote the SVG, rather than parsing the SVG again: the page must be the one made from the
text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.api import compile_file
from blueprint_dsl.cli import main
from blueprint_dsl.render import blueprint_dot, resolve_engine
from blueprint_dsl.render.svg_post import post_process
from blueprint_dsl.render.svg_write import Inline
from blueprint_dsl.report import build_report_html
from blueprint_dsl.report.context import report_title
from blueprint_dsl.report.svg import inline_for

from ..conftest import SAMPLES
from ..report_helpers import HOSTILE


@pytest.mark.parametrize("path", [*SAMPLES, HOSTILE], ids=lambda p: p.name)
def test_the_report_of_the_drawing_written_once_is_the_report_from_its_text(path: Path) -> None:
    result = compile_file(path)
    bp = result.blueprint
    assert bp is not None
    drawn = resolve_engine("auto", ["svg"]).render(blueprint_dot(bp), "svg")
    inline = inline_for(bp, report_title(result))
    svg = post_process(drawn, bp, inline=inline)
    assert inline.written  # the drawing, in pieces
    assert post_process(drawn, bp) == svg  # the report's walk changes no byte of the SVG
    from_text = build_report_html(result, svg.decode("utf-8"))
    assert build_report_html(result, None, inlined=inline.written) == from_text


@pytest.mark.parametrize("path", [SAMPLES[0], HOSTILE], ids=lambda p: p.name)
def test_render_writes_the_report_it_would_make_from_the_svg_it_wrote(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def render(out: Path) -> bytes:
        args = ["render", str(path), "-o", str(out), "-f", "svg,html", "-q"]
        run = CliRunner().invoke(main, args)
        assert run.exit_code == 0, run.output
        return (out / path.name.replace(".bp", ".html")).read_bytes()

    once = render(tmp_path / "once")
    from blueprint_dsl.report import svg as report_svg

    asked: list[str] = []

    def cannot_inline(bp: object, label: str) -> Inline:
        asked.append(label)
        return Inline(lambda root: None, None, [])  # the .svg is read back then

    monkeypatch.setattr(report_svg, "inline_for", cannot_inline)
    assert render(tmp_path / "read-back") == once
    assert asked  # each file drawn was asked for, and read back


def test_no_drawing_is_handed_on_when_a_parser_would_read_the_svg_otherwise() -> None:
    """A carriage return in text is read back as a line feed: the report parses the
    written SVG then, as before."""
    result = compile_file(SAMPLES[0])
    bp = result.blueprint
    assert bp is not None
    drawn = resolve_engine("auto", ["svg"]).render(blueprint_dot(bp), "svg")
    marked = drawn.replace(b"</text>", b"&#13;</text>", 1)
    assert marked != drawn
    inline = inline_for(bp, report_title(result))
    svg = post_process(marked, bp, inline=inline)
    assert inline.written == [] and b"\r" in svg


def test_what_a_parser_would_read_back_otherwise() -> None:
    from blueprint_dsl.render.svg_post import _round_trips

    assert _round_trips("<svg>仓库，ok</svg>".encode())  # CJK and full-width forms
    for breaker in ("\r", "\x00", "\x0b", "\x1f", "\ufffe", "\uffff"):
        assert not _round_trips(f"<svg>a{breaker}b</svg>".encode("utf-8", "surrogatepass"))
