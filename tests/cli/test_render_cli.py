"""`bpc render`: formats, errors, incremental cache, parallel jobs, engine messages."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main
from blueprint_dsl.cli.render_cache import render_sources
from blueprint_dsl.cli.render_manifest import CACHE_FILE
from blueprint_dsl.cli.render_options import output_stems

from ..conftest import ROOT

RESTAURANT = ROOT / "samples" / "restaurant.bp"
BAD = 'blueprint "Bad" {\n}\nstep "x" {\n  customer a "A" -> nowhere\n}\n'


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["render", *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "bps"
    (src / "sub").mkdir(parents=True)
    shutil.copy(RESTAURANT, src / "restaurant.bp")
    shutil.copy(ROOT / "samples" / "property-repair.zh.bp", src / "sub" / "repair.bp")
    return src


def test_renders_a_folder_and_skips_unchanged_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = _run(str(project), "-o", str(out), "-f", "svg,dot")
    assert code == 0, text
    assert (out / "restaurant.svg").exists() and (out / "sub" / "repair.svg").exists()
    assert (out / "sub" / "repair.dot").read_text("utf-8").startswith("// bpc")
    manifest = json.loads((out / CACHE_FILE).read_text("utf-8"))
    assert set(manifest["entries"]) == {"restaurant", "sub/repair"}
    assert "rendered 2 blueprints" in text

    code, text = _run(str(project), "-o", str(out), "-f", "svg,dot")
    assert code == 0 and "rendered 0 blueprints, 2 unchanged" in text

    with open(project / "restaurant.bp", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    code, text = _run(str(project), "-o", str(out), "-f", "svg,dot")
    assert "rendered 1 blueprint, 1 unchanged" in text

    (out / "sub" / "repair.svg").unlink()  # a missing output is rendered again
    code, text = _run(str(project), "-o", str(out), "-f", "svg,dot")
    assert "rendered 1 blueprint, 1 unchanged" in text

    code, text = _run(str(project), "-o", str(out), "-f", "svg,dot", "--force")
    assert "rendered 2 blueprints" in text

    code, text = _run(str(project), "-o", str(out), "-f", "svg,dot", "--theme", "print")
    assert "rendered 2 blueprints" in text  # options are part of the cache key


def test_files_with_errors_are_reported_and_not_rendered(project: Path, tmp_path: Path) -> None:
    (project / "bad.bp").write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    code, text = _run(str(project), "-o", str(out), "-f", "svg")
    assert code == 1
    assert "error[BP201]" in text and "bad.bp has errors; not rendered" in text
    assert (out / "restaurant.svg").exists() and not (out / "bad.svg").exists()
    assert "Traceback" not in text


def test_parallel_jobs_write_the_same_files(project: Path, tmp_path: Path) -> None:
    code1, _ = _run(str(project), "-o", str(tmp_path / "a"), "-f", "dot,svg")
    code2, _ = _run(str(project), "-o", str(tmp_path / "b"), "-f", "dot,svg", "-j", "2")
    assert code1 == code2 == 0
    for name in ("restaurant.dot", "restaurant.svg", "sub/repair.dot", "sub/repair.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_png_without_system_graphviz_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, text = _run(str(RESTAURANT), "-o", str(tmp_path / "out"), "-f", "svg,png")
    assert code == 2  # a usage problem, like every missing tool
    assert "PNG output needs the system Graphviz" in text and "apt-get install graphviz" in text
    # SVG alone works: the embedded engine.
    code, text = _run(str(RESTAURANT), "-o", str(tmp_path / "out"), "-f", "svg")
    assert code == 0 and (tmp_path / "out" / "restaurant.svg").exists()


def test_default_formats_are_svg_and_html(tmp_path: Path) -> None:
    code, text = _run(str(RESTAURANT), "-o", str(tmp_path / "d"))
    assert code == 0, text
    assert (tmp_path / "d/restaurant.svg").exists()
    page = (tmp_path / "d/restaurant.html").read_text("utf-8")
    assert "<svg" in page and "Restaurant dinner" in page


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, text = _run(str(RESTAURANT), "-o", str(tmp_path), "-f", "svg,gif")
    assert code == 2 and "unknown format 'gif'" in text
    code, text = _run(str(tmp_path / "missing.bp"), "-o", str(tmp_path))
    assert code == 2 and "no such file" in text


def test_output_stems_do_not_collide() -> None:
    stems = output_stems([Path("a/x.bp"), Path("b/x.bp"), Path("b/c/y.bp")])
    assert stems == ["a/x", "b/x", "b/c/y"]
    assert output_stems([Path("samples/restaurant.bp")]) == ["restaurant"]


def test_html_reports_and_index_for_a_folder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = _run(str(project), "-o", str(out))  # default formats: svg,html
    assert code == 0, text
    assert (out / "restaurant.html").exists() and (out / "sub" / "repair.html").exists()
    index = (out / "index.html").read_text("utf-8")
    assert "restaurant.html" in index and "sub/repair.html" in index


def test_the_cache_fingerprint_covers_the_drawing_code() -> None:
    # A changed drawing must redraw cached outputs: the fingerprint reads the render package.
    names = {path.name for path in render_sources()}
    assert {"layout.py", "dot.py", "themes.py", "pipeline.py"} <= names


def test_observed_times_reach_the_report_and_the_key(tmp_path: Path) -> None:
    examples = ROOT / "blueprint_dsl" / "checks" / "rules" / "examples"
    bp, data = tmp_path / "dinner.bp", tmp_path / "times.csv"
    shutil.copy(examples / "BP510.bad.bp", bp)
    shutil.copy(examples / "BP510.csv", data)
    out = tmp_path / "out"
    code, text = _run(str(bp), "-o", str(out), "-f", "html", "--observed", str(data))
    assert code == 0, text
    page = (out / "dinner.html").read_text("utf-8")
    assert "observed p90" in page
    code, text = _run(str(bp), "-o", str(out), "-f", "html", "--observed", str(data))
    assert "1 unchanged" in text
    data.write_text(data.read_text("utf-8") + "greet,3m,1m\n", encoding="utf-8")
    code, text = _run(str(bp), "-o", str(out), "-f", "html", "--observed", str(data))
    assert code == 0 and "unchanged" not in text  # new measurements redraw the report
    code, text = _run(str(bp), "-o", str(out), "--observed", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file" in text


def test_resolved_paths_are_the_files_resolved(tmp_path: Path) -> None:
    from blueprint_dsl.cli.render_plan import resolved_paths

    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    for name in ("a.bp", "sub/b.bp", "target.bp"):
        (real / name).write_text("", encoding="utf-8")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    (real / "alias.bp").symlink_to(real / "sub" / "b.bp")
    files = [
        real / "a.bp",
        tmp_path / "link" / "a.bp",
        tmp_path / "link" / "sub" / ".." / "target.bp",
        real / "alias.bp",
        Path(os.path.relpath(real / "sub" / "b.bp")),
    ]
    assert resolved_paths(files) == [str(f.resolve()) for f in files]
