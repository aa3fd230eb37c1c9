"""The diagram's own words (legend, badges) in each locale; zone and line names are in
`blueprint_dsl.model.locale`."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "general": "General",
        "standard": "std",
        "detail": "detail",
        "legend_flow": "flow",
        "legend_info": "information",
        "legend_two_way": "two-way",
        "legend_encounter": "encounter",
        "legend_fail": "fail point",
        "legend_wait": "wait point",
        "legend_moment": "moment of truth",
        "legend_detail": "detailed blueprint",
        "fail": "Fail point",
        "recover": "recovery",
        "no_recovery": "no recovery",
        "wait": "Wait",
        "duration": "Duration",
        "moment": "Moment of truth",
        "step": "Step",
        "version": "version",
        "persona": "Persona",
        "steps": "Steps",
        "customer_time": "Customer time",
        "target": "target",
        "no_target": "none",
    },
    "zh": {
        "general": "通用",
        "standard": "标准",
        "detail": "细化",
        "legend_flow": "流程",
        "legend_info": "信息流",
        "legend_two_way": "双向互动",
        "legend_encounter": "服务接触",
        "legend_fail": "失败点",
        "legend_wait": "等待点",
        "legend_moment": "关键时刻",
        "legend_detail": "细化蓝图",
        "fail": "失败点",
        "recover": "补救",
        "no_recovery": "无补救措施",
        "wait": "等待",
        "duration": "时长",
        "moment": "关键时刻",
        "step": "步骤",
        "version": "版本",
        "persona": "顾客画像",
        "steps": "步骤数",
        "customer_time": "顾客时间",
        "target": "目标",
        "no_target": "未设目标",
    },
}


def word(key: str, locale: str) -> str:
    return WORDS.get(locale, WORDS["en"])[key]
