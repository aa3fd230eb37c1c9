"""Diagram themes: colours, line styles and fonts. Colours are always `#rrggbb`
(Graphviz 2.43 does not know the three-digit form)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.blueprint import Line, Zone

#: CJK-capable fonts first (Debian/Ubuntu: fonts-noto-cjk), then common system fallbacks.
FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "Noto Sans",
    "DejaVu Sans",
    "sans-serif",
)
FONT = ",".join(FONT_FAMILIES)


@dataclass(frozen=True)
class ZoneColors:
    fill: str  # the zone's own lane and odd declared lanes
    alt_fill: str  # every other declared lane, so neighbouring lanes stay apart
    label: str  # zone/lane label text


@dataclass(frozen=True)
class LineStyle:
    color: str
    style: str  # Graphviz style: solid | dashed | dotted
    width: float


@dataclass(frozen=True)
class Theme:
    name: str
    font: str
    background: str
    text: str
    muted: str
    evidence: ZoneColors
    customer: ZoneColors
    onstage: ZoneColors
    backstage: ZoneColors
    support: ZoneColors
    header_fill: str
    phase_fill: str
    phase_text: str
    step_fill: str
    step_text: str
    box_fill: str
    box_stroke: str
    decision_fill: str
    evidence_fill: str
    evidence_stroke: str
    interaction: LineStyle
    visibility: LineStyle
    internal: LineStyle
    flow: str
    info: str
    journey: str
    encounter: str
    encounter_width: float
    fail_fill: str
    fail_text: str
    wait_fill: str
    wait_text: str
    moment_fill: str
    moment_stroke: str
    detail_fill: str
    detail_text: str
    label_fill: str
    critical: str = "#ad1457"  # the critical path, when highlighted (--critical-path)

    def zone(self, zone: Zone) -> ZoneColors:
        return {
            Zone.EVIDENCE: self.evidence,
            Zone.CUSTOMER: self.customer,
            Zone.ONSTAGE: self.onstage,
            Zone.BACKSTAGE: self.backstage,
            Zone.SUPPORT: self.support,
        }[zone]

    def line(self, line: Line) -> LineStyle:
        return {
            Line.INTERACTION: self.interaction,
            Line.VISIBILITY: self.visibility,
            Line.INTERNAL: self.internal,
        }[line]


DEFAULT = Theme(
    name="default",
    font=FONT,
    background="#ffffff",
    text="#1f2933",
    muted="#52606d",
    evidence=ZoneColors("#f2f3f5", "#eaecef", "#3e4c59"),
    customer=ZoneColors("#e3f0fc", "#d6e8fa", "#0b4f8a"),
    onstage=ZoneColors("#e6f4ea", "#d8eedf", "#1e6b34"),
    backstage=ZoneColors("#fff3e0", "#ffe9c7", "#8a4b00"),
    support=ZoneColors("#fce8ef", "#f8dbe6", "#8c1d47"),
    header_fill="#ffffff",
    phase_fill="#37474f",
    phase_text="#ffffff",
    step_fill="#eceff1",
    step_text="#263238",
    box_fill="#ffffff",
    box_stroke="#607080",
    decision_fill="#fffbe6",
    evidence_fill="#ffffff",
    evidence_stroke="#9aa5b1",
    interaction=LineStyle("#0b4f8a", "solid", 2.0),
    visibility=LineStyle("#1e6b34", "dashed", 2.0),
    internal=LineStyle("#8a4b00", "dotted", 2.0),
    flow="#3e4c59",
    info="#52606d",
    journey="#0b4f8a",
    encounter="#1565c0",
    encounter_width=2.4,
    fail_fill="#d32f2f",
    fail_text="#ffffff",
    wait_fill="#f9a825",
    wait_text="#1f2933",
    moment_fill="#ffd54f",
    moment_stroke="#b26a00",
    detail_fill="#e3f2fd",
    detail_text="#0d47a1",
    label_fill="#ffffff",
)

PRINT = Theme(
    name="print",
    critical="#000000",
    font=FONT,
    background="#ffffff",
    text="#000000",
    muted="#333333",
    evidence=ZoneColors("#ffffff", "#ffffff", "#000000"),
    customer=ZoneColors("#f2f2f2", "#e8e8e8", "#000000"),
    onstage=ZoneColors("#ffffff", "#f4f4f4", "#000000"),
    backstage=ZoneColors("#f2f2f2", "#e8e8e8", "#000000"),
    support=ZoneColors("#ffffff", "#f4f4f4", "#000000"),
    header_fill="#ffffff",
    phase_fill="#ffffff",
    phase_text="#000000",
    step_fill="#ffffff",
    step_text="#000000",
    box_fill="#ffffff",
    box_stroke="#000000",
    decision_fill="#ffffff",
    evidence_fill="#ffffff",
    evidence_stroke="#555555",
    interaction=LineStyle("#000000", "solid", 2.0),
    visibility=LineStyle("#000000", "dashed", 2.0),
    internal=LineStyle("#000000", "dotted", 2.0),
    flow="#000000",
    info="#000000",
    journey="#000000",
    encounter="#000000",
    encounter_width=2.6,
    fail_fill="#000000",
    fail_text="#ffffff",
    wait_fill="#ffffff",
    wait_text="#000000",
    moment_fill="#ffffff",
    moment_stroke="#000000",
    detail_fill="#ffffff",
    detail_text="#000000",
    label_fill="#ffffff",
)

# Okabe & Ito (2008) colour-universal-design palette: orange #e69f00, sky blue #56b4e9,
# bluish green #009e73, yellow #f0e442, blue #0072b2, vermillion #d55e00,
# reddish purple #cc79a7, black. Where a colour carries text it is darkened to 4.5:1 or
# more against its fill (WCAG AA): line labels #007a5a and #9a6400, detail text #005f94;
# the fail badge keeps its vermillion with black text (5.4:1; white is 3.9:1).
COLORBLIND = Theme(
    name="colorblind",
    critical="#cc79a7",
    font=FONT,
    background="#ffffff",
    text="#000000",
    muted="#404040",
    evidence=ZoneColors("#f5f5f5", "#ececec", "#000000"),
    customer=ZoneColors("#e0f1fb", "#d0e9f8", "#004a75"),
    onstage=ZoneColors("#dff3ec", "#cdebe1", "#00573f"),
    backstage=ZoneColors("#fdf0d5", "#fbe6bd", "#6b4a00"),
    support=ZoneColors("#f7e6ef", "#f1d7e5", "#6e2e55"),
    header_fill="#ffffff",
    phase_fill="#0072b2",
    phase_text="#ffffff",
    step_fill="#e6eef5",
    step_text="#000000",
    box_fill="#ffffff",
    box_stroke="#404040",
    decision_fill="#fcf8d0",
    evidence_fill="#ffffff",
    evidence_stroke="#808080",
    interaction=LineStyle("#0072b2", "solid", 2.0),
    visibility=LineStyle("#007a5a", "dashed", 2.0),
    internal=LineStyle("#9a6400", "dotted", 2.2),
    flow="#000000",
    info="#404040",
    journey="#0072b2",
    encounter="#0072b2",
    encounter_width=2.6,
    fail_fill="#d55e00",
    fail_text="#000000",
    wait_fill="#e69f00",
    wait_text="#000000",
    moment_fill="#f0e442",
    moment_stroke="#000000",
    detail_fill="#e0f1fb",
    detail_text="#005f94",
    label_fill="#ffffff",
)

THEMES: dict[str, Theme] = {t.name: t for t in (DEFAULT, PRINT, COLORBLIND)}


def get_theme(name: str) -> Theme:
    """The theme called `name`; raises KeyError for an unknown name."""
    return THEMES[name]
