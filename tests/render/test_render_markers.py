"""Fail and wait badges differ in shape as well as colour (print is black and white)."""

from __future__ import annotations

import re

import pytest

from blueprint_dsl.render.pipeline import blueprint_dot

from ..render_fixtures import A, S, build


def _shape(dot: str, cls: str) -> set[str]:
    return {
        m.group(1)
        for line in dot.splitlines()
        if f'class="{cls}"' in line
        for m in [re.search(r"shape=(\w+)", line)]
        if m
    }


@pytest.mark.parametrize("theme", ["default", "print", "colorblind"])
def test_fail_and_wait_are_different_shapes(theme: str) -> None:
    steps = [S("s", [A("customer", "a", "A", wait="5m", fails=[("lost", None)])])]
    dot = blueprint_dot(build("T", steps), theme)
    fail, wait = _shape(dot, "bp-marker bp-fail"), _shape(dot, "bp-marker bp-wait")
    assert fail == {"octagon"} and wait == {"ellipse"}
    legend = [line for line in dot.splitlines() if 'class="bp-legend"' in line]
    assert any("shape=octagon" in line and 'label="F"' in line for line in legend)
    assert any("shape=ellipse" in line and 'label="W"' in line for line in legend)
