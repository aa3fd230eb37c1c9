"""`bpc render`'s cache: every input that shapes an output is in its key, and the
manifest stays true when several runs write into one folder at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main
from blueprint_dsl.cli.render_manifest import CACHE_FILE

from ..conftest import ROOT

RESTAURANT = ROOT / "samples" / "restaurant.bp"
RUN_TIMEOUT = 240.0  # seconds for one `bpc render` subprocess; every wait is bounded

MAIN = """blueprint "Main" {
}
include "team/lanes.bp"
step "Arrive" {
  evidence "Door"
  customer arrive "Arrive" -> greet
  desk greet "Greet"
}
"""

ASKS_FOR_DETAIL = """blueprint "Top" {
}
step "Ask" {
  evidence "Form"
  customer ask "Ask" { detail "deep.bp" }
}
"""

DEEP = """blueprint "Deep" {
}
step "Look" {
  evidence "Lens"
  customer look "Look closer"
}
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["render", *args], catch_exceptions=False)
    return result.exit_code, result.output


def _bpc(*args: str) -> list[str]:
    return [sys.executable, "-m", "blueprint_dsl", "render", *args]


def _entries(out: Path) -> dict[str, Any]:
    data = json.loads((out / CACHE_FILE).read_text("utf-8"))
    entries: dict[str, Any] = data["entries"]
    return entries


def test_editing_an_included_file_redraws(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "team").mkdir(parents=True)
    (project / "bpc.toml").write_text("", encoding="utf-8")
    (project / "main.bp").write_text(MAIN, encoding="utf-8")
    lanes = project / "team" / "lanes.bp"
    lanes.write_text('include "shared.bp"\nlane desk "Front desk" in onstage\n', "utf-8")
    shared = project / "team" / "shared.bp"
    shared.write_text('support pms "Booking system"\n', encoding="utf-8")
    out = tmp_path / "out"
    args = (str(project / "main.bp"), "-o", str(out), "-f", "svg,dot")

    code, text = _run(*args)
    assert code == 0 and "rendered 1 blueprint" in text, text
    assert "Front desk" in (out / "main.svg").read_text("utf-8")
    code, text = _run(*args)
    assert "rendered 0 blueprints, 1 unchanged" in text

    lanes.write_text('include "shared.bp"\nlane desk "Reception" in onstage\n', "utf-8")
    code, text = _run(*args)
    assert code == 0 and "rendered 1 blueprint" in text and "unchanged" not in text, text
    assert "Reception" in (out / "main.svg").read_text("utf-8")

    # An include of an include counts too.
    shared.write_text('support pms "Property management"\n', encoding="utf-8")
    code, text = _run(*args)
    assert code == 0 and "unchanged" not in text, text
    assert "Property management" in (out / "main.dot").read_text("utf-8")


def test_changed_settings_redraw(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(RESTAURANT, project / "restaurant.bp")
    settings = project / "bpc.toml"
    settings.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    args = (str(project), "-o", str(out), "-f", "svg,html")

    assert _run(*args)[0] == 0
    code, text = _run(*args)
    assert "rendered 0 blueprints, 1 unchanged" in text

    settings.write_text('locale = "zh"\n', encoding="utf-8")  # the default locale
    code, text = _run(*args)
    assert code == 0 and "rendered 1 blueprint" in text and "unchanged" not in text, text
    assert "顾客行为" in (out / "restaurant.svg").read_text("utf-8")

    settings.write_text('locale = "zh"\ntheme = "print"\n', encoding="utf-8")
    code, text = _run(*args)
    assert code == 0 and "unchanged" not in text, text

    # Severities shape the diagnostics the report lists.
    settings.write_text('locale = "zh"\ntheme = "print"\n[severity]\nBP506 = "off"\n', "utf-8")
    code, text = _run(*args)
    assert code == 0 and "unchanged" not in text, text

    # A setting that shapes no output (the output folder) redraws nothing.
    settings.write_text(
        'locale = "zh"\ntheme = "print"\noutput = "elsewhere"\n[severity]\nBP506 = "off"\n',
        encoding="utf-8",
    )
    code, text = _run(*args)
    assert "rendered 0 blueprints, 1 unchanged" in text


def test_detail_links_of_the_run_are_part_of_the_key(tmp_path: Path) -> None:
    (tmp_path / "top.bp").write_text(ASKS_FOR_DETAIL, encoding="utf-8")
    (tmp_path / "deep.bp").write_text(DEEP, encoding="utf-8")
    out = tmp_path / "out"
    top, deep = str(tmp_path / "top.bp"), str(tmp_path / "deep.bp")

    assert _run(top, "-o", str(out), "-f", "html")[0] == 0
    assert 'href="deep.html"' not in (out / "top.html").read_text("utf-8")

    code, text = _run(top, deep, "-o", str(out), "-f", "html")  # deep.bp joins the run
    assert code == 0 and "rendered 2 blueprints" in text, text
    assert 'href="deep.html"' in (out / "top.html").read_text("utf-8")

    code, text = _run(top, "-o", str(out), "-f", "html")  # and leaves it again
    assert code == 0 and "rendered 1 blueprint" in text and "unchanged" not in text, text
    assert 'href="deep.html"' not in (out / "top.html").read_text("utf-8")


def test_an_output_changed_behind_the_cache_is_redrawn(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(str(RESTAURANT), "-o", str(out), "-f", "svg")[0] == 0
    good = (out / "restaurant.svg").read_bytes()
    (out / "restaurant.svg").write_text("<svg>another run's drawing</svg>", encoding="utf-8")
    code, text = _run(str(RESTAURANT), "-o", str(out), "-f", "svg")
    assert code == 0 and "rendered 1 blueprint" in text and "unchanged" not in text, text
    assert (out / "restaurant.svg").read_bytes() == good


def _copies(folder: Path, prefix: str, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    source = RESTAURANT.read_text("utf-8")
    paths = []
    for i in range(count):
        path = folder / f"{prefix}{i}.bp"
        path.write_text(source.replace("Restaurant dinner", f"Dinner {prefix}{i}"), "utf-8")
        paths.append(str(path))
    return paths


def _run_together(*commands: list[str]) -> None:
    """Start every command at once and wait (bounded) for all of them."""
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for cmd in commands
    ]
    try:
        for proc in procs:
            output, _ = proc.communicate(timeout=RUN_TIMEOUT)
            assert proc.returncode == 0, output
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)


def test_two_concurrent_renders_into_one_folder_keep_both_files_entries(tmp_path: Path) -> None:
    src = tmp_path / "src"
    a_files = _copies(src, "a", 5)
    b_files = _copies(src, "b", 5)
    out = tmp_path / "out"
    _run_together(
        _bpc(*a_files, "-o", str(out), "-f", "svg"),
        _bpc(*b_files, "-o", str(out), "-f", "svg"),
    )
    assert set(_entries(out)) == {f"a{i}" for i in range(5)} | {f"b{i}" for i in range(5)}
    # A third run, a fresh process like the first two (its renderer fingerprint is read
    # from the code now, as theirs was).
    third = subprocess.run(
        _bpc(*a_files, *b_files, "-o", str(out), "-f", "svg"),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert third.returncode == 0, third.stderr
    assert "rendered 0 blueprints, 10 unchanged" in third.stderr, third.stderr
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_concurrent_renders_of_the_same_files_leave_no_stale_drawing(tmp_path: Path) -> None:
    files = _copies(tmp_path / "src", "r", 4)
    out, clean = tmp_path / "out", tmp_path / "clean"
    _run_together(
        _bpc(*files, "-o", str(out), "-f", "svg", "--theme", "print"),
        _bpc(*files, "-o", str(out), "-f", "svg", "--theme", "default"),
    )
    code, text = _run(*files, "-o", str(out), "-f", "svg", "--theme", "print")
    assert code == 0, text
    assert _run(*files, "-o", str(clean), "-f", "svg", "--theme", "print")[0] == 0
    for i in range(4):  # whatever the interleaving, the third run leaves the print drawings
        assert (out / f"r{i}.svg").read_bytes() == (clean / f"r{i}.svg").read_bytes()
    code, text = _run(*files, "-o", str(out), "-f", "svg", "--theme", "print")
    assert "rendered 0 blueprints, 4 unchanged" in text


def test_a_drawing_overwritten_by_another_run_is_not_called_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run A draws x.svg; before A saves its manifest, run B draws x.svg with another theme
    and saves. A's entry must not claim B's drawing: a later run in A's theme redraws."""
    from blueprint_dsl.render import pipeline

    source = tmp_path / "x.bp"
    shutil.copy(RESTAURANT, source)
    out = tmp_path / "out"
    real: Callable[..., list[Path]] = pipeline.render_blueprint
    other_runs: list[int] = []

    def render_then_let_another_run_in(*args: Any, **kwargs: Any) -> list[Path]:
        written = real(*args, **kwargs)
        if not other_runs:
            b = _bpc(str(source), "-o", str(out), "-f", "svg", "--theme", "print")
            other_runs.append(subprocess.run(b, timeout=RUN_TIMEOUT, check=False).returncode)
        return written

    monkeypatch.setattr(pipeline, "render_blueprint", render_then_let_another_run_in)
    code, text = _run(str(source), "-o", str(out), "-f", "svg")  # run A: default theme
    assert code == 0 and other_runs == [0], text
    monkeypatch.undo()

    code, text = _run(str(source), "-o", str(out), "-f", "svg")
    assert code == 0 and "rendered 1 blueprint" in text and "unchanged" not in text, text
    clean = tmp_path / "clean"
    assert _run(str(source), "-o", str(clean), "-f", "svg")[0] == 0
    assert (out / "x.svg").read_bytes() == (clean / "x.svg").read_bytes()


def test_the_manifest_records_what_each_output_holds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(str(RESTAURANT), "-o", str(out), "-f", "svg,dot")[0] == 0
    entry = _entries(out)["restaurant"]
    assert set(entry["outputs"]) == {"restaurant.svg", "restaurant.dot"}
    assert all(isinstance(v, str) and len(v) == 64 for v in entry["outputs"].values())
    assert os.path.isfile(out / CACHE_FILE)


def test_an_unchanged_rerun_is_decided_without_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bp"
    folder.mkdir()
    for n in range(3):
        (folder / f"r{n}.bp").write_text(RESTAURANT.read_text("utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    code, text = _run(str(folder), "-o", str(out))
    assert code == 0 and "rendered 3 blueprints" in text
    index = (out / "index.html").read_bytes()
    assert all("inputs" in entry for entry in _entries(out).values())

    import blueprint_dsl.compiler as compiler

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was compiled")

    monkeypatch.setattr(compiler, "compile_bytes", no_compile)
    code, text = _run(str(folder), "-o", str(out))
    assert code == 0 and "rendered 0 blueprints, 3 unchanged" in text, text
    assert (out / "index.html").read_bytes() == index  # its rows came from the record


def test_an_include_that_appears_after_the_last_run_redraws(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "team").mkdir(parents=True)
    (project / "bpc.toml").write_text("", encoding="utf-8")
    (project / "main.bp").write_text(MAIN, encoding="utf-8")
    out = tmp_path / "out"
    args = (str(project / "main.bp"), "-o", str(out), "-f", "svg")
    code, text = _run(*args)
    assert code == 1  # the include is missing: lane `desk` is undeclared
    (project / "team" / "lanes.bp").write_text('lane desk "Front desk" in onstage\n', "utf-8")
    code, text = _run(*args)
    assert code == 0 and "rendered 1 blueprint" in text, text
    (project / "team" / "lanes.bp").write_text('lane desk "Reception" in onstage\n', "utf-8")
    code, text = _run(*args)
    assert code == 0 and "unchanged" not in text and "Reception" in (out / "main.svg").read_text()


def _settle(out: Path) -> None:
    """As if the manifest had been written a while after the outputs (a test renders
    faster than the file system's clock ticks): its stamps are trusted."""
    manifest = out / CACHE_FILE
    later = manifest.stat().st_mtime_ns + 2_000_000_000
    os.utime(manifest, ns=(later, later))


def test_an_unchanged_rerun_reads_no_output_whose_stamp_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blueprint_dsl.core import fsutil

    out = tmp_path / "out"
    assert _run(str(RESTAURANT), "-o", str(out), "-f", "svg,html")[0] == 0
    entry = _entries(out)["restaurant"]
    assert set(entry["stamps"]) == {"restaurant.svg", "restaurant.html"}
    _settle(out)
    real = fsutil.file_digest
    read: list[str] = []

    def counted(path: Path) -> str | None:
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(fsutil, "file_digest", counted)
    code, text = _run(str(RESTAURANT), "-o", str(out), "-f", "svg,html")
    assert code == 0 and "rendered 0 blueprints, 1 unchanged" in text, text
    assert read == []


def test_an_output_rewritten_with_its_size_and_times_kept_is_redrawn(tmp_path: Path) -> None:
    """Same length, modification time set back: the change time (and a new inode, when
    replaced) still tell it, and the output is hashed and found changed."""
    out = tmp_path / "out"
    assert _run(str(RESTAURANT), "-o", str(out), "-f", "svg")[0] == 0
    svg = out / "restaurant.svg"
    good, info = svg.read_bytes(), svg.stat()
    svg.write_bytes(good.replace(b"<svg", b"<SVG", 1))
    os.utime(svg, ns=(info.st_atime_ns, info.st_mtime_ns))
    _settle(out)
    code, text = _run(str(RESTAURANT), "-o", str(out), "-f", "svg")
    assert code == 0 and "rendered 1 blueprint" in text and "unchanged" not in text, text
    assert svg.read_bytes() == good


def test_a_stamp_from_the_manifests_own_tick_is_not_trusted() -> None:
    from blueprint_dsl.cli.render_manifest import trusted_stamps

    entry = {"stamps": {"a.svg": "10:5:100:7", "b.svg": "10:5:99:7", "c.svg": "bad", "d": 3}}
    assert trusted_stamps(entry, 100) == {"b.svg": "10:5:99:7"}
    assert trusted_stamps(entry, 101) == {"a.svg": "10:5:100:7", "b.svg": "10:5:99:7"}
    assert trusted_stamps({"stamps": ["a.svg"]}, 101) == {}
    assert trusted_stamps(None, 101) == {}


def test_an_unchanged_run_records_the_stamps_it_had_to_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest from before stamps (or stamps from the manifest's own tick): the
    unchanged run reads the outputs once and records their stamps; the next reads none."""
    from blueprint_dsl.core import fsutil

    out = tmp_path / "out"
    assert _run(str(RESTAURANT), "-o", str(out), "-f", "svg,dot")[0] == 0
    data = json.loads((out / CACHE_FILE).read_text("utf-8"))
    del data["entries"]["restaurant"]["stamps"]
    (out / CACHE_FILE).write_text(json.dumps(data), "utf-8")
    code, text = _run(str(RESTAURANT), "-o", str(out), "-f", "svg,dot")
    assert code == 0 and "rendered 0 blueprints, 1 unchanged" in text, text
    assert set(_entries(out)["restaurant"]["stamps"]) == {"restaurant.svg", "restaurant.dot"}
    _settle(out)
    read: list[str] = []
    monkeypatch.setattr(fsutil, "file_digest", lambda path: read.append(str(path)))
    code, text = _run(str(RESTAURANT), "-o", str(out), "-f", "svg,dot")
    assert code == 0 and "rendered 0 blueprints, 1 unchanged" in text, text
    assert read == []
