"""Long blueprints fit their medium: rows of N steps, PDF pages, PNG resolution."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from blueprint_dsl.api import compile_text
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render.fit import MAX_BITMAP_PX, Fit, png_scale, steps_per_row
from blueprint_dsl.render.pdf_pages import join_pages
from blueprint_dsl.render.pipeline import blueprint_dot
from blueprint_dsl.render.rows import split_rows, wrapped_layout

from ..conftest import ROOT

needs_system = pytest.mark.skipif(shutil.which("neato") is None, reason="no system Graphviz")
needs_pdfinfo = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="no pdfinfo (poppler)")


def _generated(steps: int) -> Blueprint:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_check import generate
    finally:
        sys.path.pop(0)
    result = compile_text(generate(steps), f"gen{steps}.bp")
    assert result.blueprint is not None
    return result.blueprint


def test_rows_hold_every_action_once_and_repeat_the_lanes() -> None:
    bp = _generated(25)
    rows = split_rows(bp, 10)
    assert [len(r.blueprint.steps) for r in rows] == [10, 10, 5]
    lay = wrapped_layout(bp, 10)
    assert sorted(a.key for a in lay.actions) == sorted(a.key for a in bp.actions)
    # Every row has its own lane names and the three lines.
    names = [label.lane_id for label in lay.lane_labels]
    assert all(names.count(lane) == 3 for lane in set(names))
    assert len(lay.lines) == 3 * 3
    assert all(m.x1 == lay.width for m in lay.lines)
    # Rows do not overlap: each row's bands lie under the previous row's.
    tops = sorted({b.rect.y0 for b in lay.bands if b.lane_id == "evidence"})
    assert len(tops) == 3 and tops == sorted(tops)
    # Routes keep the index of their flow in the whole blueprint.
    for route in lay.routes:
        flow = bp.flows[route.index]
        assert (flow.source, flow.target) == (route.source, route.target)


def test_a_flow_between_rows_becomes_a_pair_of_connectors() -> None:
    bp = _generated(12)
    lay = wrapped_layout(bp, 6)
    links = [m for m in lay.markers if m.kind == "link"]
    crossing = [
        f
        for f in bp.flows
        if (bp.action(f.source).step_index - 1) // 6 != (bp.action(f.target).step_index - 1) // 6
    ]
    assert crossing and len(links) == 2 * len(crossing)
    assert {m.text for m in links} >= {"→ 7", "6 →"}


def test_badge_numbers_and_the_key_cover_the_whole_blueprint_once() -> None:
    bp = _generated(25)
    lay = wrapped_layout(bp, 10)
    fails = [e.badge_text for e in lay.key if e.kind == "fail"]
    assert fails == [f"F{n}" for n in range(1, len(fails) + 1)]
    assert len(fails) == sum(len(a.fails) for a in bp.actions)
    assert lay.header is not None and lay.header.title.lines == (bp.header.title,)
    assert sum(1 for item in lay.legend if item.kind == "fail") == 1


def test_when_rows_are_used() -> None:
    assert steps_per_row(Fit(), "svg", 200) == 0
    assert steps_per_row(Fit(), "png", 200) == 30 and steps_per_row(Fit(), "pdf", 31) == 30
    assert steps_per_row(Fit(), "png", 30) == 0
    assert steps_per_row(Fit(wrap=0), "png", 200) == 0
    assert steps_per_row(Fit(wrap=8), "svg", 200) == 8
    assert 2 <= steps_per_row(Fit(page="a4", landscape=True), "pdf", 200) <= 10
    assert blueprint_dot(_generated(8), per_row=20) == blueprint_dot(_generated(8))


def test_a_png_too_large_for_graphviz_is_scaled_down_with_a_warning() -> None:
    assert png_scale(Fit(scale=2), 1000, 500) == (2, None)
    scale, warning = png_scale(Fit(), 40_000, 800)
    assert (40_000 + 28.8) * 4 / 3 * scale <= MAX_BITMAP_PX  # 96 dpi: 4/3 px a point
    assert warning is not None and "53,372 px wide" in warning and "--wrap" in warning


def _pdf(graph: str) -> bytes:
    done = subprocess.run(["dot", "-Tpdf"], input=graph.encode(), capture_output=True, check=True)
    return done.stdout


@needs_system
@needs_pdfinfo
def test_joined_pdf_pages_are_a_valid_pdf_of_the_page_size() -> None:
    pdf = join_pages(
        [_pdf("digraph a { x -> y }"), _pdf("digraph b { rankdir=LR; p -> q -> r }")],
        (842.0, 595.0),
        28.0,
    )
    assert re.findall(rb"/Count (\d+)", pdf) == [b"2"]
    assert pdf.count(b"/MediaBox [0 0 842 595]") == 2
    assert b"CreationDate" not in pdf
    # Every xref offset points at its object.
    start = int(re.findall(rb"startxref\n(\d+)", pdf)[0])
    table = pdf[start:].split(b"trailer")[0].splitlines()[3:]
    for number, row in enumerate(table, start=1):
        offset = int(row.split()[0])
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    assert b"Pages:           2" in info.stdout


def _bpc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", *args], cwd=cwd, capture_output=True, text=True
    )


def test_page_and_landscape_need_what_they_act_on(tmp_path: Path) -> None:
    src = tmp_path / "r.bp"
    src.write_text((ROOT / "samples" / "restaurant.bp").read_text("utf-8"), encoding="utf-8")
    done = _bpc("render", "r.bp", "--page", "a4", cwd=tmp_path)
    assert done.returncode == 2 and "--page paginates a PDF: add -f pdf" in done.stderr
    done = _bpc("render", "r.bp", "-f", "pdf", "--landscape", cwd=tmp_path)
    assert done.returncode == 2 and "--landscape needs --page" in done.stderr


@needs_system
def test_render_pages_and_scale_from_the_command_line(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_check import generate
    finally:
        sys.path.pop(0)
    (tmp_path / "g.bp").write_text(generate(14), encoding="utf-8")
    done = _bpc("render", "g.bp", "-f", "pdf,png", "--page", "a4", "--landscape",
                "--wrap", "5", "--scale", "2", "-o", "out", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "out" / "g.pdf").read_bytes()
    assert re.findall(rb"/Count (\d+)", pdf) == [b"4"]  # 3 rows of 5 steps and the key
    assert pdf.count(b"/MediaBox [0 0 842 595]") == 4
    png = (tmp_path / "out" / "g.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    one = _bpc("render", "g.bp", "-f", "png", "--wrap", "5", "-o", "one", cwd=tmp_path)
    assert one.returncode == 0
    w1, h1 = struct.unpack(">II", (tmp_path / "one" / "g.png").read_bytes()[16:24])
    assert abs(width - 2 * w1) <= 2 and abs(height - 2 * h1) <= 2
