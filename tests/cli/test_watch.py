"""`bpc watch --serve`, run for real: re-render on save, keep the last good output on an
error, and served pages poll for reloads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ..conftest import ROOT


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the watcher")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def test_watch_rerenders_and_serves(tmp_path: Path) -> None:
    source = tmp_path / "restaurant.bp"
    source.write_text((ROOT / "samples/restaurant.bp").read_text("utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "blueprint_dsl", "watch", str(source), "-o", str(out),
             "-f", "svg,html", "--serve", "--port", "0", "--color", "never"],
            cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
    try:
        svg = out / "restaurant.svg"
        wait_for(lambda: "watching" in log.read_text())
        port = re.search(r"127\.0\.0\.1:(\d+)", log.read_text())
        assert port is not None
        base = f"http://127.0.0.1:{port.group(1)}"
        first = svg.read_text("utf-8")
        assert fetch(f"{base}/__bpc/version") == "0"
        assert "/__bpc/version" in fetch(f"{base}/restaurant.html")

        source.write_text(source.read_text("utf-8").replace('"Eat"', '"Eat slowly"'))
        wait_for(lambda: "Eat slowly" in svg.read_text("utf-8"))
        wait_for(lambda: fetch(f"{base}/__bpc/version") == "1")

        good = svg.read_text("utf-8")
        source.write_text(source.read_text("utf-8").replace("-> bill", "-> bll"))
        wait_for(lambda: "did you mean `bill`?" in log.read_text())
        assert svg.read_text("utf-8") == good  # the last good output stays
        assert proc.poll() is None  # an error never stops the watcher
        assert good != first
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert "Traceback" not in log.read_text()
