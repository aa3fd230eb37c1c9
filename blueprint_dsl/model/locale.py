"""Generated names (zones, lines) in the blueprint's locale."""

from __future__ import annotations

from .blueprint import Line, Zone

LOCALES: tuple[str, ...] = ("en", "zh")

ZONE_NAMES: dict[str, dict[Zone, str]] = {
    "en": {
        Zone.EVIDENCE: "Physical evidence",
        Zone.CUSTOMER: "Customer actions",
        Zone.ONSTAGE: "Onstage actions",
        Zone.BACKSTAGE: "Backstage actions",
        Zone.SUPPORT: "Support processes",
    },
    "zh": {
        Zone.EVIDENCE: "有形展示",
        Zone.CUSTOMER: "顾客行为",
        Zone.ONSTAGE: "前台员工行为",
        Zone.BACKSTAGE: "后台员工行为",
        Zone.SUPPORT: "支持过程",
    },
}

LINE_NAMES: dict[str, dict[Line, str]] = {
    "en": {
        Line.INTERACTION: "Line of interaction",
        Line.VISIBILITY: "Line of visibility",
        Line.INTERNAL: "Line of internal interaction",
    },
    "zh": {
        Line.INTERACTION: "互动分界线",
        Line.VISIBILITY: "可视分界线",
        Line.INTERNAL: "内部互动线",
    },
}


def zone_name(zone: Zone, locale: str) -> str:
    return ZONE_NAMES.get(locale, ZONE_NAMES["en"])[zone]


def line_name(line: Line, locale: str) -> str:
    return LINE_NAMES.get(locale, LINE_NAMES["en"])[line]
