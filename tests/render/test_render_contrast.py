"""Every text colour of every theme reads on its fill: WCAG AA, 4.5:1 or more."""

from __future__ import annotations

import pytest

from blueprint_dsl.model.blueprint import Line, Zone
from blueprint_dsl.render.themes import THEMES, Theme

AA = 4.5


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_pairs(th: Theme) -> dict[str, tuple[str, str]]:
    """Each text the diagram draws: (text colour, the fill under it)."""
    pairs = {
        "title": (th.text, th.background),
        "subtitle": (th.muted, th.background),
        "legend": (th.muted, th.background),
        "phase": (th.phase_text, th.phase_fill),
        "step": (th.step_text, th.step_fill),
        "action": (th.text, th.box_fill),
        "action meta": (th.muted, th.box_fill),
        "decision": (th.text, th.decision_fill),
        "decision meta": (th.muted, th.decision_fill),
        "evidence": (th.text, th.evidence_fill),
        "flow label": (th.text, th.label_fill),
        "fail badge": (th.fail_text, th.fail_fill),
        "wait badge": (th.wait_text, th.wait_fill),
        "detail badge": (th.detail_text, th.detail_fill),
    }
    for zone in Zone:
        colors = th.zone(zone)
        pairs[f"{zone.value} label"] = (colors.label, colors.fill)
        pairs[f"{zone.value} label (alt lane)"] = (colors.label, colors.alt_fill)
    for line in Line:
        pairs[f"{line.value} line label"] = (th.line(line).color, th.background)
    return pairs


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_meets_wcag_aa(name: str) -> None:
    th = THEMES[name]
    low = {
        what: round(contrast(fg, bg), 2)
        for what, (fg, bg) in text_pairs(th).items()
        if contrast(fg, bg) < AA
    }
    assert not low, f"{name}: below {AA}:1: {low}"
