"""`bpc watch --serve`, run for real: re-render on save, keep the last good output on an
error, and served pages poll for reloads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from ..conftest import ROOT
from ..report.test_report_browser import CHROMIUM, CHROMIUM_ARGS


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


# ---- live reload in the system Chromium ---------------------------------------------


@contextmanager
def watching(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """`bpc watch --serve` on a copy of the restaurant sample, on a free port.

    Yields the base URL, the .bp file and the log; the watcher is stopped afterwards.
    """
    source = tmp_path / "restaurant.bp"
    source.write_text((ROOT / "samples/restaurant.bp").read_text("utf-8"), encoding="utf-8")
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "blueprint_dsl", "watch", str(source), "-o",
             str(tmp_path / "out"), "-f", "svg,html", "--serve", "--port", "0",
             "--color", "never"],
            cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
    try:
        wait_for(lambda: "watching" in log.read_text())
        port = re.search(r"127\.0\.0\.1:(\d+)", log.read_text())
        assert port is not None
        yield f"http://127.0.0.1:{port.group(1)}", source, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert "Traceback" not in log.read_text()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        # As in tests/report/test_report_browser.py: BPC_NO_SKIPS=1 makes this skip fail.
        pytest.skip(f"the system Chromium is missing ({CHROMIUM}); these tests never download one")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_served_page_reloads_after_a_save(tmp_path: Path, browser: Browser) -> None:
    with watching(tmp_path) as (base, source, _log):
        page = browser.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"page error: {error}"))
        try:
            page.goto(f"{base}/restaurant.html")
            assert "Greet and seat" in page.inner_text("body")
            assert "Greet and seat warmly" not in page.inner_text("body")
            # Let the page see the current version before the save.
            page.wait_for_timeout(1500)
            text = source.read_text("utf-8")
            source.write_text(text.replace('"Greet and seat"', '"Greet and seat warmly"'))
            page.wait_for_function(
                "() => document.body && document.body.innerText.includes('Greet and seat warmly')",
                timeout=20_000,
            )
            # It reloaded by itself, and the report's own script still runs.
            assert page.url == f"{base}/restaurant.html"
            page.click('#r-viewport [data-bp-ref="action:greet"] >> nth=0')
            assert "Greet and seat warmly" in page.locator('.card[data-key="greet"]').inner_text()
        finally:
            page.close()
    violations = [m for m in console if "Content Security Policy" in m or "Refused" in m]
    assert violations == []
    assert [m for m in console if m.startswith(("error", "page error"))] == []
