"""Chinese wording of diagnostics, for blueprints written with `locale zh`.

The English message is the key (as with gettext's msgid); each entry is a pattern of
an English message, with named parts for the names and numbers it carries, and the
Chinese wording that puts them back. A message with no entry stays in English. The test
suite checks that every rule's example message is covered.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..core.diagnostics import Diagnostic

# (English pattern, Chinese template); the pattern must match the whole text.
_ENTRIES: tuple[tuple[str, str], ...] = (
    # ---- syntax (BP100) ------------------------------------------------------------
    (r"unterminated string: this label has no closing quote", "字符串没有结束:这个标签缺少右引号"),
    (
        r'close the label with `"` on the same line \(write \\" for a quote inside it\)',
        '在同一行用 `"` 结束标签(标签内的引号写作 \\")',
    ),
    (
        r"unexpected end of the file: a `\{` block is not closed",
        "文件意外结束:有一个 `{{` 块没有闭合",
    ),
    (r"add the missing `\}`", "补上缺少的 `}}`"),
    (r"unexpected end of the file", "文件意外结束"),
    (r"unexpected end of line: expected (?P<e>.+)", "此处不应换行:应为 {e}"),
    (r"unexpected (?P<g>.+?): expected (?P<e>.+)", "意外的 {g}:应为 {e}"),
    (r"unexpected character (?P<c>.+)", "意外的字符 {c}"),
    (r"remove it, or put text inside a quoted label", "删除它,或把文字写进带引号的标签"),
    (r"put the opening `\{` on the same line as its statement", "把 `{{` 写在语句的同一行"),
    (
        r"an action needs a quoted label before its flows: LANE ID \"Label\" -> TARGET",
        '行为在流程之前需要带引号的标签:泳道 编号 "标签" -> 目标',
    ),
    (r"add a quoted label, e\.g\. \"(?P<x>.+)\"", '加上带引号的标签,例如 "{x}"'),
    (r"this `\}` has no matching `\{`", "这个 `}}` 没有对应的 `{{`"),
    (
        r"blocks only follow blueprint, phase, step and action statements",
        "只有蓝图、阶段、步骤和行为语句后面才能跟 `{{ }}` 块",
    ),
    (
        r"the file is not valid UTF-8 text \(byte (?P<b>\S+) at offset (?P<o>\d+)\)",
        "文件不是有效的 UTF-8 文本(偏移 {o} 处的字节 {b})",
    ),
    (
        r"the file contains a NUL byte: is it a binary file\? \(byte (?P<b>\S+) at offset "
        r"(?P<o>\d+)\)",
        "文件含有 NUL 字节,是二进制文件吗?(偏移 {o} 处的字节 {b})",
    ),
    (
        r"save the file as UTF-8 \(most editors: File › Save with Encoding › UTF-8\)",
        "请把文件另存为 UTF-8 编码",
    ),
    # ---- values, attributes, header (BP101–BP103) ---------------------------------------
    (r"unknown attribute `(?P<n>.+)`", "未知的属性 `{n}`"),
    (r"unknown header field `(?P<n>.+)`", "未知的蓝图字段 `{n}`"),
    (r"did you mean `(?P<n>.+)`\?", "是不是 `{n}`?"),
    (r"known attributes: (?P<l>.+)", "已知的属性:{l}"),
    (r"known header fields: (?P<l>.+)", "已知的蓝图字段:{l}"),
    (
        r"(?P<w>attribute|header field) `(?P<n>.+)` is given twice \(first at line (?P<l>\d+)\)",
        "`{n}` 重复出现(第一次在第 {l} 行)",
    ),
    (r"keep one of them", "只保留其中一个"),
    (r"write it as: (?P<f>.+)", "写法:{f}"),
    (
        r"`(?P<t>.+)` has an unknown unit `(?P<u>.+)`: use s, m \(or min\), h or d",
        "`{t}` 的单位 `{u}` 无法识别:请用 s、m(或 min)、h、d,或 秒、分钟、小时、天",
    ),
    (
        r"`(?P<t>.+)` has no unit: write e\.g\. `(?P<e>.+)` \(s, m, h or d\)",
        "`{t}` 缺少单位:例如写成 `{e}`",
    ),
    (
        r"the range `(?P<t>.+)` runs backwards: write `(?P<w>.+)`",
        "区间 `{t}` 前大后小:应写作 `{w}`",
    ),
    (r"emotion (?P<v>.+) is out of range: use -2 … \+2", "情绪值 {v} 超出范围:请用 -2 … +2"),
    (r"unknown locale `(?P<v>.+)`: use `en` or `zh`", "未知的语言 `{v}`:请用 `en` 或 `zh`"),
    (r"`(?P<n>.+)` takes one quoted text", "`{n}` 需要一段带引号的文字"),
    (r"`(?P<n>.+)` takes a duration such as 5m", "`{n}` 需要一个时长,例如 5m"),
    (r"`(?P<n>.+)` takes a single duration, not a range", "`{n}` 只能是单个时长,不能是区间"),
    (r"`(?P<n>.+)` takes no value", "`{n}` 不带值"),
    (r"`(?P<t>.+)` is not a whole number", "`{t}` 不是整数"),
    (r"`(?P<t>.+)` is not a number", "`{t}` 不是数字"),
    (r"`(?P<t>.+)` is negative: a duration cannot be below zero", "`{t}` 是负数:时长不能小于零"),
    (
        r"a file holds exactly one `blueprint` header; this is a second one",
        "一个文件只能有一个蓝图头部,这是第二个",
    ),
    (
        r"merge the headers, or split the file into two blueprints",
        "合并两个头部,或把文件拆成两个蓝图",
    ),
    (r"this file has no `blueprint` header", "文件缺少 `蓝图`(blueprint)头部"),
    (r"the file is empty", "文件是空的"),
    (
        r"start the file with: blueprint \"Title\" \{ id \"…\" version \"A/0\" \}",
        '文件以 蓝图 "标题" {{ 编号 "…" 版本 "A/0" }} 开头',
    ),
    (r"the `blueprint` header must be the first statement", "蓝图头部必须是第一条语句"),
    (r"move the `blueprint \{ … \}` block to the top of the file", "把蓝图头部移到文件开头"),
    # ---- ids, lanes, flows (BP104–BP300) ------------------------------------------------
    (
        r"duplicate id `(?P<i>.+)`: already used by the (?P<k>\w+) at line (?P<l>\d+)",
        "编号 `{i}` 重复:第 {l} 行已经用过",
    ),
    (
        r"rename this (?P<k>\w+); lanes, steps, actions and evidence share one set of ids",
        "请改名:泳道、步骤、行为和有形展示共用同一套编号",
    ),
    (r"flow refers to an undefined id `(?P<i>.+)`", "流程指向未定义的编号 `{i}`"),
    (r"define an action with this id, or fix the spelling", "定义一个使用该编号的行为,或修正拼写"),
    (
        r"`(?P<i>.+)` is a (?P<k>lane|step), not an action: a flow joins two actions",
        "`{i}` 不是行为:流程只能连接两个行为",
    ),
    (r"point the flow at an action id", "让流程指向一个行为的编号"),
    (r"action in undeclared lane `(?P<n>.+)`", "行为所在的泳道 `{n}` 没有声明"),
    (
        r"declare it first: lane (?P<n>.+) \"Label\" in onstage",
        '先声明:泳道 {n} "名称" 属于 前台',
    ),
    (
        r"lane `(?P<n>.+)` is declared in an unknown zone `(?P<z>.+)`",
        "泳道 `{n}` 声明在未知的区域 `{z}` 中",
    ),
    (r"lane `(?P<n>.+)` is declared twice", "泳道 `{n}` 声明了两次"),
    (r"remove one of the declarations", "删除其中一个声明"),
    (
        r"`(?P<n>.+)` is a zone name and cannot be declared as a lane",
        "`{n}` 是区域名称,不能声明为泳道",
    ),
    (r"give the lane another id", "给泳道换一个编号"),
    (r"the evidence zone holds no declared lanes", "有形展示区域不能声明泳道"),
    (
        r"declare the lane in customer, onstage, backstage or support",
        "把泳道声明在 顾客、前台、后台 或 支持 区域",
    ),
    (
        r"zones are customer, onstage, backstage and support",
        "区域有:顾客(customer)、前台(onstage)、后台(backstage)、支持(support)",
    ),
    (r"the action \"(?P<a>.+)\" has flows but no id", '行为 "{a}" 有流程但没有编号'),
    (r"give it an id: (?P<x>.+)", "给它一个编号:{x}"),
    (
        r"lane `(?P<n>.+)` is used before its declaration at line (?P<l>\d+)",
        "泳道 `{n}` 在声明(第 {l} 行)之前就被使用",
    ),
    (r"move the `lane` declaration above its first use", "把泳道声明移到第一次使用之前"),
    (
        r"the action \"(?P<a>.+)\" stands outside a step, but only support processes may",
        '行为 "{a}" 写在了步骤之外:只有支持过程可以这样写',
    ),
    (r"move it into the step where it happens", "把它移到发生的步骤里"),
    (
        r"support process \"(?P<a>.+)\" has no step to be drawn in: the blueprint has no steps",
        '支持过程 "{a}" 无处可画:蓝图还没有步骤',
    ),
    (
        r"add the steps of the service, with the actions that use it",
        "加上服务的步骤,以及使用它的行为",
    ),
    (r"evidence `(?P<n>.+)` cannot be the end of a flow", "有形展示 `{n}` 不能作为流程的端点"),
    (
        r"point the flow at the action that uses the evidence",
        "让流程指向使用这个有形展示的行为",
    ),
    (r"include cycle: (?P<c>.+)", "循环引用:{c}"),
    (r"include \"(?P<p>.+)\": no such file (?P<f>.+)", '引用的文件 "{p}" 不存在:{f}'),
    (
        r"include \"(?P<p>.+)\" leaves the project root (?P<r>.+)",
        '引用 "{p}" 超出了项目根目录 {r}',
    ),
    (r"keep shared files inside the project folder", "共享文件应放在项目文件夹内"),
    (
        r"an included file holds only lanes, support processes and includes",
        "被引用的文件只能包含泳道、支持过程和引用",
    ),
    (
        r"move this statement into the blueprint that includes the file",
        "把这条语句移到引用该文件的蓝图中",
    ),
    (r"remove one of the includes", "删除其中一个引用"),
    (r"the path is relative to the including file", "路径相对于引用它的文件"),
    # ---- rules (BP301–BP507) ---------------------------------------------------------------
    (
        r"customer action (?P<a>.+) is in step \"(?P<s>.+)\", which has no physical evidence",
        '顾客行为 {a} 所在的步骤"{s}"没有有形展示',
    ),
    (
        r"add an `evidence \"…\"` line to step \"(?P<s>.+)\"",
        '在步骤"{s}"中加一行 `有形展示 "…"`',
    ),
    (
        r"onstage action (?P<a>.+) has no flow to or from any customer action",
        "前台行为 {a} 与任何顾客行为之间都没有流程",
    ),
    (
        r"add a flow from the customer action it serves, or move it to a backstage lane",
        "从它服务的顾客行为加一条流程,或把它移到后台泳道",
    ),
    (
        r"backstage action (?P<a>.+) has no flow path to any onstage action",
        "后台行为 {a} 没有任何流程通向前台行为",
    ),
    (
        r"add a flow to or from the onstage action this work supports",
        "加一条与它所支持的前台行为之间的流程",
    ),
    (r"support process (?P<a>.+) is not used by any action", "支持过程 {a} 没有被任何行为使用"),
    (
        r"add a flow such as `(?P<f>.+)`, or remove it",
        "加一条流程,例如 `{f}`,或删除它",
    ),
    (r"step \"(?P<s>.+)\" has no customer action", '步骤"{s}"中没有顾客行为'),
    (
        r"add what the customer does here, or merge the step into a neighbour",
        "写出顾客在这一步做什么,或把这一步并入相邻步骤",
    ),
    (
        r"flow (?P<f>.+) joins a customer action and a backstage action: it crosses the "
        r"line of visibility",
        "流程 {f} 连接了顾客行为和后台行为:它穿过了可视分界线",
    ),
    (
        r"route it through an onstage action, or move the backstage action onstage",
        "经由前台行为连接,或把后台行为移到前台",
    ),
    (
        r"flow (?P<f>.+) joins a customer action and a support process",
        "流程 {f} 连接了顾客行为和支持过程",
    ),
    (
        r"put customer-facing technology in an onstage lane",
        "面向顾客的技术(如 App、自助机)应放在前台泳道",
    ),
    (
        r"flow (?P<f>.+) goes back from step \"(?P<a>.+)\" to the earlier step \"(?P<b>.+)\"",
        '流程 {f} 从步骤"{a}"回到了更早的步骤"{b}"',
    ),
    (
        r"move one of the actions, or mark the source `decision` if this is a loop back",
        "移动其中一个行为;如果这是回环,把起点标为 `决策`",
    ),
    (
        r"fail point \"(?P<w>.+)\" on (?P<a>.+) has no recovery",
        '{a} 的失败点"{w}"没有补救措施',
    ),
    (
        r"write: fail \"(?P<w>.+)\" recover \"what staff do then\"",
        '写成:失败点 "{w}" 补救 "员工此时怎么做"',
    ),
    (r"wait point on (?P<a>.+) has no standard", "{a} 的等待点没有执行标准"),
    (
        r"add `standard (?P<d>.+)` \(the longest acceptable wait\)",
        "加上 `标准 {d}`(可接受的最长等待)",
    ),
    (
        r"(?P<k>duration|wait) (?P<v>.+) of (?P<a>.+) exceeds its standard (?P<s>.+)",
        "{a} 的{k_zh} {v} 超过了标准 {s}",
    ),
    (r"shorten the step, or agree a realistic standard", "缩短这一步,或制定切实的标准"),
    (
        r"customer time (?P<t>.+) exceeds the target (?P<g>.+)",
        "顾客时间 {t} 超过了目标 {g}",
    ),
    (
        r"cut waits or durations on the customer's path, or revise the target",
        "缩短顾客路径上的等待或时长,或调整目标",
    ),
    (
        r"decision (?P<a>.+) has (?P<n>\d+) outgoing flows?; a decision needs at least two",
        "决策 {a} 只有 {n} 条出发的流程;决策至少需要两条",
    ),
    (r"decision (?P<a>.+) has an unlabelled outgoing flow", "决策 {a} 有一条出发的流程没有标签"),
    (r"add labelled flows: (?P<x>.+)", "加上带标签的流程:{x}"),
    (r"label each branch: (?P<x>.+)", "给每个分支加标签:{x}"),
    (
        r"action (?P<a>.+) cannot be reached from any customer action",
        "从任何顾客行为出发都到不了行为 {a}",
    ),
    (
        r"add a flow into it from the action that triggers it",
        "从触发它的行为加一条指向它的流程",
    ),
    (
        r"metric \"(?P<m>.+)\" on (?P<a>.+) is (?P<v>.+), below its target (?P<t>.+)",
        '{a} 的指标"{m}"为 {v},低于目标 {t}',
    ),
    (
        r"detail file \"(?P<p>.+)\" of (?P<a>.+) does not exist",
        '{a} 的细化蓝图文件"{p}"不存在',
    ),
    (
        r"create it \(bpc new (?P<p>.+)\) or fix the path; it is relative to this file",
        "新建它(bpc new {p})或修正路径;路径相对于本文件",
    ),
    (
        r"detail file \"(?P<p>.+)\" of (?P<a>.+) is not a valid blueprint",
        '{a} 的细化蓝图文件"{p}"不是有效的蓝图',
    ),
    (r"run `bpc check (?P<p>.+)` and fix it", "运行 `bpc check {p}` 并修正"),
    (
        r"`# bpc: ignore\[(?P<c>.+)\]` silences nothing on this line",
        "`# bpc: ignore[{c}]` 在这一行没有屏蔽任何提示",
    ),
    (r"remove the comment \(or the code from it\)", "删除这条注释(或其中的代码)"),
    (
        r"`# bpc: ignore\[(?P<c>.+)\]` names an unknown rule",
        "`# bpc: ignore[{c}]` 指定了未知的规则",
    ),
)

# The parser's words for what it found or expected, inside "unexpected …: expected …".
_TOKEN_WORDS: tuple[tuple[str, str], ...] = (
    ('a quoted label such as "Pay"', '带引号的标签(如 "付款")'),
    ("an arrow (->, --> or <->)", "箭头(->、--> 或 <->)"),
    ("a number or a duration such as 5m", "数字或时长(如 5m)"),
    ("the end of the line", "换行"),
    ("the end of the file", "文件结尾"),
    ("end of line", "换行"),
    ("end of file", "文件结尾"),
    ("one of: ", "以下之一:"),
    ("a name", "名称"),
    ("the label ", "标签 "),
)

_COMPILED = tuple((re.compile(pattern, re.S), template) for pattern, template in _ENTRIES)
_KINDS = {"duration": "时长", "wait": "等待"}


def translate(text: str | None) -> str | None:
    """The Chinese wording of an English message or help text, or the text unchanged."""
    if text is None:
        return None
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            parts = {k: _token_words(v) if k in "ge" else v for k, v in match.groupdict().items()}
            parts["k_zh"] = _KINDS.get(parts.get("k") or "", "")
            return template.format(**parts)
    return text


def _token_words(text: str) -> str:
    for english, chinese in _TOKEN_WORDS:
        text = text.replace(english, chinese)
    return text


def localise(diagnostics: list[Diagnostic], locale: str) -> list[Diagnostic]:
    """Diagnostics in the blueprint's language (English is the source language)."""
    if locale != "zh":
        return diagnostics
    return [
        replace(d, message=translate(d.message) or d.message, help=translate(d.help))
        for d in diagnostics
    ]
