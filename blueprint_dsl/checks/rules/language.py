"""Rules reported while reading a file: syntax, values, ids, lanes, flow ends.

The parser and the model pass emit these codes; they are listed here so that
`bpc rules`, `bpc explain` and the configuration know them.
"""

from __future__ import annotations

from ...core.diagnostics import Severity
from .base import Rule, cleandoc


def _rule(code: str, title: str, explanation: str) -> Rule:
    return Rule(code, Severity.ERROR, title, cleandoc(explanation))


BP100 = _rule(
    "BP100",
    "syntax error",
    """
    The file does not follow the grammar of the .bp language. The message says what was
    found and what was expected there, at line:column. Common causes: a missing quote,
    a `{` on the next line instead of the end of the statement, a missing `}`, an action
    without a quoted label, or a file that is not UTF-8 text.
    """,
)
BP101 = _rule(
    "BP101",
    "bad value",
    """
    A value does not fit its place: a duration without a known unit (use s, m or min, h, d),
    a range that runs backwards, a percentage or number that is malformed, an emotion
    outside -2 … +2, or an unknown locale (use en or zh).
    """,
)
BP102 = _rule(
    "BP102",
    "unknown or repeated attribute or header field",
    """
    An action attribute or a header field is not one the language knows, or it is given
    twice. Only `fail`, `metric` and `note` may repeat. The help line suggests the closest
    known name.
    """,
)
BP103 = _rule(
    "BP103",
    "missing or misplaced blueprint header",
    """
    Every file starts with exactly one `blueprint "Title" { … }` header. An empty file, a
    file of only comments, a header that is not the first statement, or a second header
    is reported here.
    """,
)
BP104 = _rule(
    "BP104",
    "action outside a step",
    """
    Only support processes (systems and departments that persist across steps) may stand
    outside a step, at the top level of a file or in an included file; they are drawn in
    the first step of an action that uses them. Every other action happens in a step.
    """,
)
BP105 = _rule(
    "BP105",
    "include problem",
    """
    `include "path.bp"` brings lane declarations and support processes from a shared
    file. The path is relative to the including file and must stay inside the project
    (the folder with bpc.toml, pyproject.toml or .git); the file must exist, must not
    include itself through a cycle, and may hold only lanes, support processes and
    includes.
    """,
)
BP106 = Rule(
    "BP106",
    Severity.WARNING,
    "ignore comment that silences nothing",
    cleandoc(
        """
        A `# bpc: ignore[CODE]` comment silences CODE on its own line. One that names an
        unknown code, or silences nothing there, hides nothing and misleads the reader:
        remove it. (Unused ignores are judged once the file has no errors.)
        """
    ),
)
BP200 = _rule(
    "BP200",
    "duplicate id",
    """
    Lanes, steps, actions and evidence share one set of ids per file. An id used twice
    makes flows ambiguous; rename one of them.
    """,
)
BP201 = _rule(
    "BP201",
    "flow to or from an undefined id",
    """
    A flow names an id that no action defines (or names a lane or step instead of an
    action), or an action without an id has flows. The help line suggests the closest
    existing action id.
    """,
)
BP202 = _rule(
    "BP202",
    "undeclared lane, unknown zone or duplicate lane",
    """
    An action is placed in a lane that is neither a zone keyword (customer, onstage,
    frontstage, backstage, support) nor declared with `lane ID "Label" in ZONE` above its
    first use; or a lane is declared in an unknown zone, or declared twice.
    """,
)
BP300 = _rule(
    "BP300",
    "evidence cannot be the end of a flow",
    """
    Physical evidence is what the customer sees or touches; it is not an action, so it has
    no attributes and no flows. Point the flow at the action that uses the evidence.
    """,
)
