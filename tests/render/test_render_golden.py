"""Snapshots of the DOT of every sample (refresh: BPC_ACCEPT=1 pytest on this file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file
from blueprint_dsl.render.pipeline import blueprint_dot

from ..conftest import SAMPLES, assert_golden


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_dot_is_golden(sample: Path) -> None:
    result = compile_file(sample)
    assert result.blueprint is not None and not result.has_errors
    assert_golden(f"dot/{sample.name.removesuffix('.bp')}.dot", blueprint_dot(result.blueprint))
