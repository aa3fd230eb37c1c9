"""Shared test helpers: the repository root and golden files (refresh with BPC_ACCEPT=1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted((ROOT / "samples").glob("*.bp"))


def assert_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name>; BPC_ACCEPT=1 rewrites the file."""
    path = GOLDEN / name
    if os.environ.get("BPC_ACCEPT") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with BPC_ACCEPT=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file (BPC_ACCEPT=1 to refresh)"


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository root as the working folder, so paths in output are relative."""
    monkeypatch.chdir(ROOT)
    return ROOT


# ---- no silent skips in CI -----------------------------------------------------------------
# With BPC_NO_SKIPS=1 (set by .ci/run) a skipped test fails the run: a browser, Graphviz or
# parser test that skipped would otherwise pass CI without having run.
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("BPC_NO_SKIPS") == "1" and _skipped:
        names = "\n  ".join(_skipped)
        print(f"\nBPC_NO_SKIPS=1: {len(_skipped)} test(s) skipped, which fails CI:\n  {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
