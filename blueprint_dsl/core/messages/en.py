"""English wording of every diagnostic, keyed by message id (`str.format` templates:
`{name}` is an argument, `{{` a literal brace). The source language: every id is here."""

TEMPLATES: dict[str, str] = {
    # ---- the file and its syntax (BP100) ---------------------------------------------
    "file.empty": "the file is empty",
    "file.too-large": "the file is {size} MB; bpc reads files up to {limit} MB",
    "file.too-large.help": "split the blueprint into several files linked with `detail`",
    "file.not-utf8": "the file is not valid UTF-8 text (byte {byte} at offset {offset})",
    "file.nul-byte": (
        "the file contains a NUL byte: is it a binary file? (byte {byte} at offset {offset})"
    ),
    "file.not-utf8.help": (
        "save the file as UTF-8 (most editors: File › Save with Encoding › UTF-8)"
    ),
    "syntax.unterminated-string": "unterminated string: this label has no closing quote",
    "syntax.unterminated-string.help": (
        'close the label with `"` on the same line (write \\" for a quote inside it)'
    ),
    "syntax.curly-quote": "unexpected quote {quote}: labels are written in straight double quotes",
    "syntax.curly-quote.help": 'write the label as "…"',
    "syntax.unexpected": "unexpected {got}",
    "syntax.unexpected-character": "unexpected character {character}",
    "syntax.unexpected-character.help": "remove it, or put text inside a quoted label",
    "syntax.expected": "unexpected {got}: expected {expected}",
    "syntax.expected-at-line-end": "unexpected end of line: expected {expected}",
    "syntax.unexpected-end": "unexpected end of the file",
    "syntax.unclosed-block": "unexpected end of the file: a `{{` block is not closed",
    "syntax.unclosed-block.help": "add the missing `}}`",
    "syntax.brace-on-next-line.help": "put the opening `{{` on the same line as its statement",
    "syntax.label-before-flows.help": (
        'an action needs a quoted label before its flows: LANE ID "Label" -> TARGET'
    ),
    "syntax.add-label.help": "add a quoted label, e.g. {example}",
    "syntax.block-after.help": "blocks only follow blueprint, phase, step and action statements",
    "syntax.unmatched-brace.help": "this `}}` has no matching `{{`",
    "syntax.separate-targets.help": (
        "separate flow targets with `,` (a, b) and start a new flow with an arrow"
    ),
    "syntax.keyword-typo": "unknown keyword `{word}`",
    "chain.label": "a label belongs to a single flow, but this chain has {count} flows",
    "chain.label.help": 'split the chain: a -> b : "label" on a line of its own',
    # what the parser found or expected
    "token.end-of-file": "end of file",
    "token.end-of-line": "end of line",
    "token.the-label": "the label {label}",
    "token.quoted-label": 'a quoted label such as "Pay"',
    "token.name": "a name",
    "token.arrow": "an arrow (->, --> or <->)",
    "token.quantity": "a number or a duration such as 5m",
    "token.line-end": "the end of the line",
    "token.file-end": "the end of the file",
    "token.one-of": "one of: {names}",
    # ---- values, attributes, header (BP101–BP103) ---------------------------------------
    "value.not-a-number": "`{text}` is not a number",
    "value.no-unit": "`{text}` has no unit: write e.g. `{example}` (s, m, h or d)",
    "value.unknown-unit": "`{text}` has an unknown unit `{unit}`: use s, m (or min), h or d",
    "value.negative-duration": "`{text}` is negative: a duration cannot be below zero",
    "value.backwards-range": "the range `{text}` runs backwards: write `{fixed}`",
    "value.not-whole": "`{text}` is not a whole number",
    "value.not-plain-number": "`{text}` is not a plain number",
    "value.too-large": "`{text}` is too large: bpc takes values up to {limit}",
    "value.duration-limit": "3650d (10 years)",
    "attr.takes-text": "`{name}` takes one quoted text",
    "attr.takes-duration": "`{name}` takes a duration such as 5m",
    "attr.takes-single-duration": "`{name}` takes a single duration, not a range",
    "attr.takes-no-value": "`{name}` takes no value",
    "attr.fail-form": '`fail` is written `fail "what goes wrong" recover "recovery"`',
    "attr.moment-form": '`moment` takes an optional quoted reason: moment "why"',
    "attr.emotion-form": "`emotion` takes a whole number from -2 to +2",
    "attr.emotion-not-whole": "{problem}: `emotion` takes -2, -1, 0, +1 or +2",
    "attr.emotion-range": "emotion {value} is out of range: use -2 … +2",
    "attr.cost-form": "`cost` takes a number, e.g. cost 12.5",
    "attr.metric-value": "a metric value is a number, a percentage or a duration",
    "attr.metric-form": '`metric` is written `metric "name" VALUE [target [>=|<=] VALUE]`',
    "attr.metric-target-kind": "the metric and its target must be of the same kind",
    "attribute.unknown": "unknown attribute `{name}`",
    "attribute.known": "known attributes: {names}",
    "attribute.twice": "attribute `{name}` is given twice (first at line {line})",
    "header.unknown-field": "unknown header field `{name}`",
    "header.known-fields": "known header fields: {names}",
    "header.field-twice": "header field `{name}` is given twice (first at line {line})",
    "header.locale-takes": "`locale` takes `en` or `zh`",
    "header.unknown-locale": "unknown locale `{value}`: use `en` or `zh`",
    "header.missing": "this file has no `blueprint` header",
    "header.missing.help": 'start the file with: blueprint "Title" {{ id "…" version "A/0" }}',
    "header.not-first": "the `blueprint` header must be the first statement",
    "header.not-first.help": "move the `blueprint {{ … }}` block to the top of the file",
    "header.second": "a file holds exactly one `blueprint` header; this is a second one",
    "header.second.help": "merge the headers, or split the file into two blueprints",
    "hint.did-you-mean": "did you mean `{name}`?",
    "hint.keep-one": "keep one of them",
    "hint.write-as": "write it as: {form}",
    # ---- ids, lanes, flows, includes (BP104–BP300) --------------------------------------
    "kind.lane": "lane",
    "kind.step": "step",
    "kind.action": "action",
    "kind.evidence": "evidence",
    "kind.duration": "duration",
    "kind.wait": "wait",
    "id.duplicate": "duplicate id `{id}`: already used by the {kind} at line {line}",
    "id.duplicate.help": (
        "rename this {kind}; lanes, steps, actions and evidence share one set of ids"
    ),
    "flow.undefined-id": "flow refers to an undefined id `{id}`",
    "flow.undefined-id.help": "define an action with this id, or fix the spelling",
    "flow.not-an-action": "`{id}` is a {kind}, not an action: a flow joins two actions",
    "flow.not-an-action.help": "point the flow at an action id",
    "flow.evidence-end": "evidence `{name}` cannot be the end of a flow",
    "flow.evidence-end.help": "point the flow at the action that uses the evidence",
    "action.flows-without-id": 'the action "{label}" has flows but no id',
    "action.flows-without-id.help": "give it an id: {example}",
    "action.outside-step": (
        'the action "{label}" stands outside a step, but only support processes may'
    ),
    "action.outside-step.help": "move it into the step where it happens",
    "support.no-steps": (
        'support process "{label}" has no step to be drawn in: the blueprint has no steps'
    ),
    "support.no-steps.help": "add the steps of the service, with the actions that use it",
    "lane.undeclared": "action in undeclared lane `{lane}`",
    "lane.undeclared.help": 'declare it first: lane {lane} "Label" in onstage',
    "lane.evidence-form": (
        'evidence is written `evidence "A", "B"` and has no id or flows before its label'
    ),
    "lane.unknown-zone": "lane `{lane}` is declared in an unknown zone `{zone}`",
    "lane.zones": "zones are customer, onstage, backstage and support",
    "lane.evidence-zone": "the evidence zone holds no declared lanes",
    "lane.evidence-zone.help": "declare the lane in customer, onstage, backstage or support",
    "lane.zone-name": "`{lane}` is a zone name and cannot be declared as a lane",
    "lane.zone-name.help": "give the lane another id",
    "lane.twice": "lane `{lane}` is declared twice",
    "lane.twice.help": "remove one of the declarations",
    "lane.used-before": "lane `{lane}` is used before its declaration at line {line}",
    "lane.used-before.help": "move the `lane` declaration above its first use",
    "include.bad-name": 'include "{path}" is not a file name this system can open',
    "include.bad-name.help": "write the path with ordinary characters, relative to this file",
    "include.too-deep": 'include "{path}" is more than {limit} files deep',
    "include.too-deep.help": "include the shared files from fewer levels",
    "include.not-read": "includes are not read here",
    "include.unreadable": "cannot read: {error}",
    "include.outside-root": 'include "{path}" leaves the project root {root}',
    "include.outside-root.help": "keep shared files inside the project folder",
    "include.cycle": "include cycle: {chain}",
    "include.cycle.help": "remove one of the includes",
    "include.missing": 'include "{path}": no such file {file}',
    "include.missing.help": "the path is relative to the including file",
    "include.not-shareable": "an included file holds only lanes, support processes and includes",
    "include.not-shareable.help": "move this statement into the blueprint that includes the file",
    "note.first-defined": "first defined here",
    "note.first-given": "first given here",
    "note.first-header": "first header here",
    "note.first-declared": "first declared here",
    "note.included-from": "included from",
    "ignore.unknown-rule": "`# bpc: ignore[{code}]` names an unknown rule",
    "ignore.unknown-rule.help": "see `bpc rules` for the codes",
    "ignore.unused": "`# bpc: ignore[{code}]` silences nothing on this line",
    "ignore.unused.help": "remove the comment (or the code from it)",
    # ---- rules (BP301–BP507) -------------------------------------------------------------
    "evidence.missing": (
        'customer action {action} is in step "{step}", which has no physical evidence'
    ),
    "evidence.missing.help": 'add an `evidence "…"` line to step "{step}"',
    "onstage.no-customer": "onstage action {action} has no flow to or from any customer action",
    "onstage.no-customer.help": (
        "add a flow from the customer action it serves, or move it to a backstage lane"
    ),
    "backstage.no-onstage": "backstage action {action} has no flow path to any onstage action",
    "backstage.no-onstage.help": "add a flow to or from the onstage action this work supports",
    "support.unused": "support process {action} is not used by any action",
    "support.unused.help": "add a flow such as `{flow}`, or remove it",
    "step.no-customer": 'step "{step}" has no customer action',
    "step.no-customer.help": (
        "add what the customer does here, or merge the step into a neighbour"
    ),
    "flow.customer-joins": "flow {flow} joins a customer action and {what}",
    "flow.customer-joins.backstage": "a backstage action: it crosses the line of visibility",
    "flow.customer-joins.backstage.help": (
        "route it through an onstage action, or move the backstage action onstage"
    ),
    "flow.customer-joins.support": "a support process",
    "flow.customer-joins.support.help": "put customer-facing technology in an onstage lane",
    "flow.back-in-time": (
        'flow {flow} goes back from step "{later}" to the earlier step "{earlier}"'
    ),
    "flow.back-in-time.help": (
        "move one of the actions, or mark the source `decision` if this is a loop back"
    ),
    "fail.no-recovery": 'fail point "{what}" on {action} has no recovery',
    "fail.no-recovery.help": 'write: fail "{what}" recover "what staff do then"',
    "wait.no-standard": "wait point on {action} has no standard",
    "wait.no-standard.help": "add `standard {standard}` (the longest acceptable wait)",
    "standard.exceeded": "{kind} {value} of {action} exceeds its standard {standard}",
    "standard.exceeded.help": "shorten the step, or agree a realistic standard",
    "target.exceeded": "customer time {time} exceeds the target {target}",
    "target.exceeded.help": "cut waits or durations on the customer's path, or revise the target",
    "decision.one-branch": (
        "decision {action} has {count} outgoing flow; a decision needs at least two"
    ),
    "decision.no-branches": "decision {action} has 0 outgoing flows; a decision needs at least two",
    "decision.branches.help": "add labelled flows: {example}",
    "decision.unlabelled": "decision {action} has an unlabelled outgoing flow",
    "decision.unlabelled.help": "label each branch: {example}",
    "action.unreachable": "action {action} cannot be reached from any customer action",
    "action.unreachable.help": "add a flow into it from the action that triggers it",
    "metric.below-target": 'metric "{metric}" on {action} is {value}, below its target {target}',
    "detail.missing": 'detail file "{path}" of {action} does not exist',
    "detail.missing.help": (
        "create it (bpc new {path}) or fix the path; it is relative to this file"
    ),
    "detail.outside-root": 'detail file "{path}" of {action} leaves the project root',
    "detail.outside-root.help": "keep detail blueprints inside the project folder",
    "detail.invalid": 'detail file "{path}" of {action} is not a valid blueprint',
    "detail.invalid.help": "run `bpc check {path}` and fix it",
    # ---- the summary line ----------------------------------------------------------------
    "summary.checked": "checked {files}: {errors}, {warnings}, {infos}",
    "summary.files": "{count} files",
    "summary.file": "{count} file",
    "summary.errors": "{count} errors",
    "summary.error": "{count} error",
    "summary.warnings": "{count} warnings",
    "summary.warning": "{count} warning",
    "summary.infos": "{count} info",
    # ---- language 0.2 ------------------------------------------------------------
    "syntax.unexpected-character-expected": "unexpected character {character}: expected {expected}",
    "attr.trigger-form": '`trigger` is written `trigger` or `trigger "what starts it"`',
    "attr.trigger-customer": (
        'the customer action "{label}" cannot have a `trigger`: a trigger is a contact the '
        "company starts"
    ),
    "attr.trigger-customer.help": (
        "move `trigger` to the onstage, backstage or support action that starts by itself"
    ),
    "header.scope-takes": (
        "`scope` takes `internal` (a blueprint with no customer in it) or `customer`"
    ),
    "header.unknown-scope": "unknown scope `{value}`: use `internal` or `customer`",
    "flow.share-form": "a branch's share is a percentage from 0% to 100%, not `{value}`",
    "flow.share-form.help": 'write it after the label, e.g. check -> sign : "valid" 90%',
    "decision.shares-partial": (
        "decision {action} gives a share on {given} of its {count} branches: give one on "
        "every branch or on none"
    ),
    "decision.shares-partial.help": "add a share to each labelled branch, e.g. {example}",
    "decision.shares-sum": "the shares of decision {action}'s branches add up to {total}, not 100%",
    "decision.shares-sum.help": "make the shares of its branches add up to 100%",
    "flow.share-not-decision": "{flow} has a share but does not leave a decision",
    "flow.share-not-decision.help": (
        "shares belong on the labelled branches of a `decision`; remove it or mark the "
        "source `decision`"
    ),
    "parallel.too-few": (
        "this `parallel` block holds {count} action(s): parallel work needs two or more"
    ),
    "parallel.too-few.help": (
        "put the actions that happen at the same time together in one block, or remove the block"
    ),
    "metric.above-ceiling": 'metric "{metric}" on {action} is {value}, above its ceiling {target}',
    # ---- observed data (bpc check/simulate --observed) -----------------------------
    "observed.not-utf8": "the observed-data file is not UTF-8 text",
    "observed.empty": (
        "the observed-data file is empty: it needs a header row and one observation a row"
    ),
    "observed.no-action-column": "the header row has no `action` column",
    "observed.no-value-column": "the header row has a `metric` column but no `value` column",
    "observed.no-data-columns": (
        "the header row has none of the columns `duration`, `wait` or `metric` + `value`"
    ),
    "observed.header.help": "write a header row such as `action,duration,wait,metric,value`",
    "observed.missing-cell": "this row has no `{column}` cell",
    "observed.no-action": "this row names no action",
    "observed.unknown-action": "unknown action `{id}`: the blueprint has no action with this id",
    "observed.bad-duration": "unreadable duration `{text}`: {reason}",
    "observed.duration.help": (
        "write a duration such as `7m` or `1.5h`, or seconds as a plain number"
    ),
    "observed.value-without-metric": "this row has a value but names no metric",
    "observed.unknown-metric": 'action {action} has no metric "{metric}"',
    "observed.no-value": 'this row names metric "{metric}" but gives no value',
    "observed.bad-value": "unreadable value `{text}`: {reason}",
    "observed.value-kind": (
        'value `{text}` is not written like metric "{metric}" (e.g. `{example}`)'
    ),
    "observed.more-problems": "{count} more rows with problems were left out",
    "observed.kind-duration": "duration",
    "observed.kind-wait": "wait",
    "observed.over-standard": (
        "observed {what} of {action}: the 90th percentile of {count} observations is "
        "{p90}, over its standard {standard}"
    ),
    "observed.over-standard.help": (
        "shorten the work or the queue, or set a standard the service can keep"
    ),
    "observed.below-target": (
        'observed metric "{metric}" on {action} averages {value} over {count} '
        "observations, below its target {target}"
    ),
    "observed.above-ceiling": (
        'observed metric "{metric}" on {action} averages {value} over {count} '
        "observations, above its ceiling {target}"
    ),
    "observed.misses-target.help": (
        "the written value may be out of date: update it, or act on the gap"
    ),
}
