"""The simulation's figures as text and as Markdown, labelled in the blueprint's locale."""

from __future__ import annotations

from ..core.textwidth import display_width
from .simulate_result import Simulation
from .simulate_stats import Summary

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": 'Simulation of "{title}" ({path}): {runs} runs, seed {seed}',
        "observed": "durations and waits drawn from {path} where an action has {n}+ observations",
        "customer": "customer time",
        "lead": "lead time",
        "over": "P(customer time > target {target})",
        "encounters": "expected encounters",
        "written": "{n} written",
        "cost": "expected cost per service",
        "lanes": "mean busy time per service",
        "action": "action",
        "lane": "lane",
        "p_run": "P(runs)",
        "executions": "expected executions",
        "observations": "observed",
        "cut": "{n} runs were cut short after 1,000 rework rounds",
        "columns": "mean p50 p90 p95 max",
    },
    "zh": {
        "title": '"{title}"({path})的模拟:{runs} 次运行,种子 {seed}',
        "observed": "行为有 {n} 条以上观测时,时长和等待取自 {path}",
        "customer": "顾客时间",
        "lead": "前置时间",
        "over": "顾客时间超过目标 {target} 的概率",
        "encounters": "预期接触次数",
        "written": "写明 {n} 次",
        "cost": "每次服务的预期成本",
        "lanes": "每次服务的平均忙碌时间",
        "action": "行为",
        "lane": "泳道",
        "p_run": "发生概率",
        "executions": "预期执行次数",
        "observations": "观测",
        "cut": "有 {n} 次运行在 1,000 轮返工后被截断",
        "columns": "均值 p50 p90 p95 最大",
    },
}
COLUMNS = ("mean", "p50", "p90", "p95", "max")


def duration_text(seconds: float) -> str:
    """A duration to read at a glance: 42s, 5.2m, 1.75h, 2.50d."""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.1f}m"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.2f}h"
    return f"{seconds / 86400:.2f}d"


def _cells(summary: Summary) -> list[str]:
    return [duration_text(getattr(summary, name)) for name in COLUMNS]


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def _table(rows: list[list[str]], right_from: int) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(_pad(cell, widths[i], i >= right_from) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def _lines(sim: Simulation, words: dict[str, str], observed: str | None, n: int) -> list[str]:
    """The sentences both formats share, after the title."""
    out = []
    if observed is not None:
        out.append(words["observed"].format(path=observed, n=n))
    if sim.target_seconds is not None and sim.p_over_target is not None:
        label = words["over"].format(target=duration_text(sim.target_seconds))
        out.append(f"{label}: {sim.p_over_target:.1%}")
    written = words["written"].format(n=sim.written_encounters)
    out.append(f"{words['encounters']}: {sim.encounters:.2f} ({written})")
    currency = f" {sim.currency}" if sim.currency else ""
    out.append(f"{words['cost']}: {sim.expected_cost:.2f}{currency}")
    if sim.cut_short:
        out.append(words["cut"].format(n=sim.cut_short))
    return out


def _title(sim: Simulation, words: dict[str, str]) -> str:
    return words["title"].format(
        title=sim.title, path=sim.path, runs=f"{sim.runs:,}", seed=sim.seed
    )


def _action_rows(sim: Simulation, words: dict[str, str]) -> list[list[str]]:
    rows = [[words["action"], "", words["lane"], words["p_run"], words["executions"]]]
    for a in sim.actions:
        seen = a.observed_durations + a.observed_waits
        note = f" ({words['observations']} {seen})" if seen else ""
        rows.append([a.key, a.label + note, a.lane, f"{a.probability:.1%}", f"{a.executions:.2f}"])
    return rows


def render_text(sim: Simulation, observed: str | None, n: int) -> str:
    words = WORDS.get(sim.locale, WORDS["en"])
    out = [_title(sim, words), ""]
    rows = [["", *words["columns"].split()]]
    rows.append([words["customer"], *_cells(sim.customer_time)])
    rows.append([words["lead"], *_cells(sim.lead_time)])
    out += _table(rows, 1)
    out += ["", *_lines(sim, words, observed, n), "", words["lanes"] + ":"]
    lane_rows = [[x.label, x.id, duration_text(x.busy)] for x in sim.lanes if x.busy > 0]
    out += ["  " + line for line in _table(lane_rows, 2)] if lane_rows else []
    out.append("")
    out += _table(_action_rows(sim, words), 3)
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(sim: Simulation, observed: str | None, n: int) -> str:
    words = WORDS.get(sim.locale, WORDS["en"])
    out = [f"## {_md(_title(sim, words))}", ""]
    out.append("| | " + " | ".join(words["columns"].split()) + " |")
    out.append("|---|" + "---:|" * len(COLUMNS))
    for label, summary in ((words["customer"], sim.customer_time), (words["lead"], sim.lead_time)):
        out.append(f"| {label} | " + " | ".join(_cells(summary)) + " |")
    out += [""] + [f"- {_md(line)}" for line in _lines(sim, words, observed, n)] + [""]
    out += [f"**{words['lanes']}**", "", f"| {words['lane']} | | |", "|---|---|---:|"]
    out += [
        f"| {_md(x.label)} | `{x.id}` | {duration_text(x.busy)} |" for x in sim.lanes if x.busy > 0
    ]
    rows = _action_rows(sim, words)
    out += ["", "| " + " | ".join(rows[0]) + " |", "|---|---|---|---:|---:|"]
    out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows[1:]]
    return "\n".join(out) + "\n"
