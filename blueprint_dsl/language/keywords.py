"""Every keyword of the language and its Chinese form; the two are interchangeable.

Statement keywords (blueprint, lane, in, phase, step, evidence, include) are tokens of
the grammar; the rest (zones, attributes, header fields, `recover`, `target`, locale
values) are names that the model pass reads through `canonical`.
"""

from __future__ import annotations

# English keyword -> Chinese form, in the order of the language reference.
STATEMENTS: dict[str, str] = {
    "blueprint": "蓝图",
    "lane": "泳道",
    "in": "属于",
    "phase": "阶段",
    "step": "步骤",
    "evidence": "有形展示",
    "include": "引用",
    "parallel": "并行",
}

ZONES: dict[str, str] = {
    "customer": "顾客",
    "onstage": "前台",
    "backstage": "后台",
    "support": "支持",
}

HEADER_FIELDS: dict[str, str] = {
    "id": "编号",
    "version": "版本",
    "owner": "负责人",
    "persona": "顾客画像",
    "description": "描述",
    "locale": "语言",
    "target": "目标",
    "currency": "币种",
    "scope": "范围",
}

ATTRIBUTES: dict[str, str] = {
    "role": "角色",
    "duration": "时长",
    "standard": "标准",
    "wait": "等待",
    "fail": "失败点",
    "recover": "补救",
    "decision": "决策",
    "moment": "关键时刻",
    "emotion": "情绪",
    "cost": "成本",
    "metric": "指标",
    "target": "目标",
    "note": "备注",
    "detail": "细化",
    "trigger": "触发",
}

LOCALE_VALUES: dict[str, str] = {"en": "英文", "zh": "中文"}

SCOPE_VALUES: dict[str, str] = {"internal": "内部", "customer": "顾客"}

_TO_ENGLISH: dict[str, str] = {
    zh: en
    for table in (STATEMENTS, ZONES, HEADER_FIELDS, ATTRIBUTES, LOCALE_VALUES, SCOPE_VALUES)
    for en, zh in table.items()
}


def canonical(name: str) -> str:
    """The English keyword for `name` (itself when it is not a Chinese keyword)."""
    return _TO_ENGLISH.get(name, name)


def chinese(name: str) -> str | None:
    """The Chinese form of an English keyword, if it has one."""
    for table in (STATEMENTS, ZONES, HEADER_FIELDS, ATTRIBUTES, LOCALE_VALUES, SCOPE_VALUES):
        if name in table:
            return table[name]
    return None
