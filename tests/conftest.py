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
