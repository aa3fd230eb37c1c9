"""Names a spreadsheet uses: zone rows, lane rows, header rows and the three lines; ids.

Zone names are matched case-insensitively, with runs of blanks as one space and trailing
colons (`:` or `：`) and blanks ignored. A row named `ZONE: LANE` (`前台:服务员`) is the
lane LANE in that zone.

Ids come from labels (`make_id`): letters and digits are kept (accents dropped, so
`Café` gives `cafe`; Chinese stays Chinese, as the language allows), any other run of
characters becomes `_`, ASCII is lower-cased, and the id is cut to 24 characters. A
label with no letter or digit gives `a1`, `a2`… (by position); an id starting with a
digit gets `a_` in front; a keyword or zone name, or an id already taken, gets `_2`,
`_3`… after it.
"""

from __future__ import annotations

import re
import unicodedata

from ..language.keywords import STATEMENTS, ZONES
from ..model.blueprint import Zone

ZONE_ALIASES: dict[Zone, tuple[str, ...]] = {
    Zone.EVIDENCE: (
        "evidence", "physical evidence", "physical evidences", "props", "touchpoints",
        "有形展示", "有形证据", "实体证据", "证据", "有形展示物",
    ),
    Zone.CUSTOMER: (
        "customer", "customers", "customer actions", "customer action", "customer journey",
        "user", "user actions", "guest", "顾客", "顾客行为", "客户", "客户行为", "用户",
        "用户行为",
    ),
    Zone.ONSTAGE: (
        "onstage", "on-stage", "on stage", "onstage actions", "onstage action",
        "onstage contact", "onstage employee actions", "frontstage", "front-stage",
        "front stage", "frontstage actions", "visible contact employee actions",
        "contact employee actions (visible)", "前台", "前台员工行为", "前台行为", "前台员工",
        "前台接触员工行为",
    ),
    Zone.BACKSTAGE: (
        "backstage", "back-stage", "back stage", "backstage actions", "backstage action",
        "backstage employee actions", "invisible contact employee actions",
        "contact employee actions (invisible)", "后台", "后台员工行为", "后台行为",
        "后台员工",
    ),
    Zone.SUPPORT: (
        "support", "support processes", "support process", "supporting processes",
        "support systems", "support system", "support actions", "支持", "支持过程",
        "支持流程", "支持系统", "支持行为", "支持性过程",
    ),
}  # fmt: skip

LINE_NAMES: tuple[str, ...] = (
    "line of interaction", "interaction line", "line of visibility", "visibility line",
    "line of internal interaction", "internal interaction line", "互动分界线", "交互线",
    "互动线", "可视分界线", "可视线", "内部互动线", "内部交互线", "内部互动分界线",
)  # fmt: skip

PHASE_ROW_NAMES: tuple[str, ...] = ("phase", "phases", "stage", "stages", "阶段", "服务阶段")
STEP_ROW_NAMES: tuple[str, ...] = ("step", "steps", "步骤", "环节", "服务步骤")

_BY_NAME: dict[str, Zone] = {n: zone for zone, names in ZONE_ALIASES.items() for n in names}
_SPACES = re.compile(r"\s+")
_RULE = re.compile(r"^[-=_─━—–·.\s]+$")
_LANE_SPLIT = re.compile(r"[:：]")


def normal(text: str) -> str:
    """`text` for matching names: one space between words, lower case, no trailing colon."""
    return _SPACES.sub(" ", text).strip().rstrip(":：").strip().casefold()


def zone_of(name: str) -> Zone | None:
    return _BY_NAME.get(normal(name))


def zone_and_lane(name: str) -> tuple[Zone, str | None] | None:
    """`Onstage` -> (onstage, None); `Onstage: Waiter` -> (onstage, "Waiter"); else None."""
    zone = zone_of(name)
    if zone is not None:
        return zone, None
    parts = _LANE_SPLIT.split(name, maxsplit=1)
    if len(parts) == 2:
        zone = zone_of(parts[0])
        lane = _SPACES.sub(" ", parts[1]).strip()
        if zone is not None:
            return zone, lane or None
    return None


def is_line_row(name: str) -> bool:
    """A row for one of the three lines (`Line of visibility`, `可视分界线`, `-----`)."""
    return normal(name) in LINE_NAMES or bool(_RULE.match(name))


def zone_names_hint() -> str:
    return (
        "a row is named evidence, customer, onstage, backstage or support (or 有形展示, "
        "顾客, 前台, 后台, 支持); a lane is written 'Onstage: Waiter'"
    )


def known_row_names() -> list[str]:
    return [*_BY_NAME, *PHASE_ROW_NAMES, *STEP_ROW_NAMES]


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def guess_locale(labels: list[str]) -> str:
    """zh when most labels hold Chinese characters."""
    texts = [t for t in labels if t.strip()]
    chinese = sum(1 for t in texts if has_chinese(t))
    return "zh" if texts and chinese * 2 > len(texts) else "en"


# ---- ids -------------------------------------------------------------------------------
MAX_ID = 24
_IDENTIFIER = re.compile(r"^[^\W\d](?:\w|-(?![->]))*$")
RESERVED: frozenset[str] = frozenset(
    [*STATEMENTS, *STATEMENTS.values(), *ZONES, *ZONES.values(), "evidence", "frontstage"]
)


def is_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.match(text))


def slug(label: str) -> str:
    """The id part of `label`: see the module docstring; "" when nothing is left."""
    decomposed = unicodedata.normalize("NFKD", label)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [w for w in re.split(r"[\W_]+", kept) if w]
    text = "_".join(w.lower() if w.isascii() else w for w in words)
    if len(text) > MAX_ID:
        cut = text[:MAX_ID]
        text = cut[: cut.rfind("_")] if "_" in cut[MAX_ID // 2 :] else cut
    if text and not is_identifier(text):  # starts with a digit
        text = "a_" + text
    return text if is_identifier(text) else ""


class Ids:
    """One namespace for lanes, actions and evidence, as in the language."""

    def __init__(self) -> None:
        self.taken: set[str] = set(RESERVED)
        self.count = 0

    def take(self, wanted: str) -> bool:
        """Claim `wanted` exactly; False when it is taken or reserved."""
        if wanted in self.taken:
            return False
        self.taken.add(wanted)
        return True

    def make(self, label: str, prefix: str = "a") -> str:
        self.count += 1
        base = slug(label) or f"{prefix}{self.count}"
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}_{number}"
        self.taken.add(candidate)
        return candidate
