"""An output bpc cannot write is the user's problem: one line, exit 2, nothing half-written.

Tests run as root in CI, where a read-only folder is still writable: a path below a
regular file (`somefile.txt/sub`) gives a real "Not a directory", and permission and
full-disk errors are simulated in-process (monkeypatching) or with a /dev/full-like
device node.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

from ..conftest import ROOT

RESTAURANT = ROOT / "samples" / "restaurant.bp"


def _bpc(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("bpc: error:")]


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def somefile(tmp_path: Path) -> Path:
    path = tmp_path / "somefile.txt"
    path.write_text("keep me\n", encoding="utf-8")
    return path


def test_render_below_a_regular_file_is_a_usage_error(somefile: Path, tmp_path: Path) -> None:
    out = somefile / "sub"
    code, text = _bpc("render", str(RESTAURANT), "-o", str(out), "-f", "svg")
    assert code == 2, text
    assert _error_lines(text) == [f"bpc: error: cannot write {out}/restaurant.svg: Not a directory"]
    assert "internal error" not in text and "Traceback" not in text
    assert somefile.read_text("utf-8") == "keep me\n"
    assert _files(tmp_path) == ["somefile.txt"]


def test_render_of_a_folder_below_a_regular_file_is_a_usage_error(
    somefile: Path, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    shutil.copy(RESTAURANT, src / "a.bp")
    shutil.copy(RESTAURANT, src / "sub" / "b.bp")
    code, text = _bpc("render", str(src), "-o", str(somefile / "sub"))  # svg,html + index
    assert code == 2, text
    lines = _error_lines(text)
    assert len(lines) == 1 and lines[0].endswith(": Not a directory"), text
    assert lines[0].startswith(f"bpc: error: cannot write {somefile}/sub/")
    assert "internal error" not in text
    assert _files(tmp_path) == ["somefile.txt", "src/a.bp", "src/sub/b.bp"]


def test_render_without_permission_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # what fsutil calls
    out = tmp_path / "out"
    code, text = _bpc("render", str(RESTAURANT), "-o", str(out), "-f", "svg")
    assert code == 2, text
    assert _error_lines(text) == [
        f"bpc: error: cannot write {out}/restaurant.svg: Permission denied"
    ]


def test_render_on_a_full_disk_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _bpc("render", str(RESTAURANT), "-o", str(out), "-f", "svg,dot")[0] == 0
    before = {name: (out / name).read_bytes() for name in _files(out)}

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # what fsutil calls
    code, text = _bpc("render", str(RESTAURANT), "-o", str(out), "-f", "svg,dot", "--force")
    assert code == 2, text
    assert _error_lines(text) == [
        f"bpc: error: cannot write {out}/restaurant.svg: No space left on device"
    ]
    # The old outputs and the manifest are untouched; no temporary file is left.
    assert {name: (out / name).read_bytes() for name in _files(out)} == before


def test_png_with_no_system_graphviz_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, text = _bpc("render", str(RESTAURANT), "-o", str(tmp_path / "o"), "-f", "png")
    assert code == 2 and "PNG output needs the system Graphviz" in text, text
    code, text = _bpc("render", str(RESTAURANT), "-o", str(tmp_path / "o"), "--engine", "system")
    assert code == 2 and "the system Graphviz (`neato`) was not found" in text, text
    assert not (tmp_path / "o").exists()


def test_export_to_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    code, text = _bpc("export", str(RESTAURANT), "-o", str(folder))
    assert code == 2, text
    assert _error_lines(text) == [f"bpc: error: cannot write {folder}: Is a directory"]
    assert _files(tmp_path) == []


def test_export_below_a_regular_file_is_a_usage_error(somefile: Path, tmp_path: Path) -> None:
    target = somefile / "x.json"
    code, text = _bpc("export", str(RESTAURANT), "-o", str(target))
    assert code == 2, text
    assert _error_lines(text) == [f"bpc: error: cannot write {target}: Not a directory"]
    assert _files(tmp_path) == ["somefile.txt"]


def test_export_report_on_a_full_disk_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # what fsutil calls
    report = tmp_path / "lost.txt"
    code, text = _bpc("export", str(RESTAURANT), "--to", "mermaid", "--report", str(report))
    assert code == 2, text
    assert _error_lines(text) == [f"bpc: error: cannot write {report}: No space left on device"]
    assert _files(tmp_path) == []


def _device(path: Path, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), made in tmp."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (OSError, AttributeError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    return path


def test_export_to_a_full_device_is_a_usage_error_and_keeps_the_device(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 7)
    code, text = _bpc("export", str(RESTAURANT), "-o", str(full))
    assert code == 2, text
    assert _error_lines(text) == [f"bpc: error: cannot write {full}: No space left on device"]
    assert stat.S_ISCHR(full.lstat().st_mode), "the device was replaced by a file"
    assert _files(tmp_path) == []


def test_export_to_a_null_device_writes_into_it(tmp_path: Path) -> None:
    null = _device(tmp_path / "null", 3)
    code, text = _bpc("export", str(RESTAURANT), "-o", str(null))
    assert code == 0, text
    assert stat.S_ISCHR(null.lstat().st_mode), "the device was replaced by a file"


def test_a_failed_export_leaves_no_report_behind(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    report = tmp_path / "lost.txt"
    code, text = _bpc(
        "export", str(RESTAURANT), "--to", "mermaid", "-o", str(folder), "--report", str(report)
    )
    assert code == 2, text
    assert _error_lines(text) == [f"bpc: error: cannot write {folder}: Is a directory"]
    assert not report.exists()
