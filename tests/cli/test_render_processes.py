"""`bpc render` as a real process: files after an odd one in the same process, and the
worker processes of `-j N` when bpc itself is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import ROOT

RUN_TIMEOUT = 240.0
ODD = """blueprint "Odd" {
}
lane quiet "" in onstage
step "s" {
  evidence "\\n\U0001f642"
  customer a "A" -> b
  quiet b "B"
}
"""


def _bpc(*args: str) -> list[str]:
    return [sys.executable, "-m", "blueprint_dsl", "render", *args]


def test_an_odd_file_does_not_break_the_files_after_it(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "samples" / "property-repair.zh.bp", src / "a-first.bp")
    (src / "b-odd.bp").write_text(ODD, encoding="utf-8")
    shutil.copy(ROOT / "samples" / "restaurant.bp", src / "c-next.bp")
    out = tmp_path / "out"
    proc = subprocess.run(
        _bpc(str(src), "-o", str(out), "-f", "svg", "--engine", "embedded"),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "rendered 3 blueprints" in proc.stderr and "wasm" not in proc.stderr
    for name in ("a-first", "b-odd", "c-next"):
        assert (out / f"{name}.svg").read_bytes().rstrip().endswith(b"</svg>")


# ---- worker processes ------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of a live process, from /proc; None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _stat(int(entry))
            if info is not None and info[0] == pid and info[1] != "Z":
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    info = _stat(pid)
    return info is not None and info[1] != "Z"  # a zombie has exited, only not been reaped


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_workers_exit_when_bpc_render_is_killed(tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(80):
        shutil.copy(ROOT / "samples" / "restaurant.bp", src / f"r{i:02}.bp")
    proc = subprocess.Popen(
        _bpc(str(src), "-o", str(tmp_path / "out"), "-j", "2", "-f", "svg", "--force"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers |= _children(proc.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "the workers did not start"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors = sorted(pid for pid in workers if _alive(pid))
        assert not survivors, f"workers still running after bpc was killed: {survivors}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for pid in workers:  # only processes this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
