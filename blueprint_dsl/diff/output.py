"""`bpc diff` output: plain text for a terminal, Markdown for a pull-request comment, JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from .result import SECTION_TITLES, BlueprintDiff, Change, sections

# Fields whose values are free text from the .bp file, shown in quotes.
QUOTED_FIELDS = frozenset(
    {"label", "title", "owner", "persona", "description", "phase", "recovery", "role", "detail"}
)

# Inline markup, HTML, tables, strikethrough, entities, @mentions and #issue links.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@#])")


def md_text(text: str) -> str:
    """Free text for Markdown, tables included: every markup character is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_code(text: str) -> str:
    if "`" in text or "\n" in text:
        return md_text(text)
    return f"`{text}`"


def _plain(text: str) -> str:
    return " ".join(text.split())


def _describe(change: Change, text: Callable[[str], str], code: Callable[[str], str]) -> str:
    """'step “Pay”: position 5 → 6 (…)' in the given escaping."""
    parts = [change.what]
    if change.ref:
        parts.append(code(change.ref))
    if change.label:
        parts.append(text(f"“{change.label}”"))
    line = " ".join(parts)
    if change.parent_ref or change.parent_label:
        owner = [code(change.parent_ref)] if change.parent_ref else []
        if change.parent_label:
            owner.append(text(f"“{change.parent_label}”"))
        line += " on " + " ".join(owner)
    if change.field:
        quoted = change.field in QUOTED_FIELDS

        def value(v: str | None) -> str:
            if v is None or v == "none":
                return "none"
            return text(f"“{v}”" if quoted else v)

        if change.old is not None or change.new is not None:
            line += f": {change.field} {value(change.old)} → {value(change.new)}"
        else:
            line += f": {change.field}"
    if change.context:
        line += f" ({text(change.context)})"
    return line


def _summary(diff: BlueprintDiff) -> str:
    count = len(diff.changes)
    return f"{count} change{'s' if count != 1 else ''}"


def format_text(diff: BlueprintDiff) -> str:
    title = (
        diff.new_title
        if diff.old_title == diff.new_title
        else (f"{diff.old_title} → {diff.new_title}")
    )
    lines = [f"{_plain(title)}: {diff.old_path} → {diff.new_path}"]
    if not diff.has_changes:
        lines.append("No semantic differences (layout and comments are not compared).")
        return "\n".join(lines) + "\n"
    lines[0] += f": {_summary(diff)}"
    changed = [f for f in diff.figures if f.changed]
    if changed:
        lines.append("")
        lines.append("Figures")
        width = max(len(f.title) for f in changed)
        lines += [f"  {f.title:<{width}}  {f.old} → {f.new}" for f in changed]
    for name, changes in sections(diff):
        lines.append("")
        lines.append(SECTION_TITLES[name])
        lines += [f"  {c.kind:<8} {_describe(c, _plain, _plain)}" for c in changes]
    return "\n".join(lines) + "\n"


def format_markdown(diff: BlueprintDiff) -> str:
    title = (
        diff.new_title
        if diff.old_title == diff.new_title
        else (f"{diff.old_title} → {diff.new_title}")
    )
    lines = [f"### Blueprint changes: {md_text(title)}", ""]
    paths = f"{_md_code(diff.old_path)} → {_md_code(diff.new_path)}"
    if not diff.has_changes:
        lines.append(f"{paths}: no semantic differences (layout and comments are not compared).")
        return "\n".join(lines) + "\n"
    lines.append(f"{paths}: **{_summary(diff)}**.")
    changed = [f for f in diff.figures if f.changed]
    unchanged = [f for f in diff.figures if not f.changed]
    if changed:
        lines += ["", "| Figure | Before | After |", "|---|---:|---:|"]
        lines += [f"| {f.title} | {md_text(f.old)} | {md_text(f.new)} |" for f in changed]
    if unchanged:
        listed = ", ".join(f"{f.title.lower()} {md_text(f.old)}" for f in unchanged)
        lines += ["", f"Unchanged: {listed}."]
    for name, changes in sections(diff):
        lines += ["", f"#### {SECTION_TITLES[name]}", ""]
        lines += [f"- **{c.kind}** {_describe(c, md_text, _md_code)}" for c in changes]
    return "\n".join(lines) + "\n"


def format_json(diff: BlueprintDiff) -> str:
    data = {
        "old": {"path": diff.old_path, "title": diff.old_title},
        "new": {"path": diff.new_path, "title": diff.new_title},
        "changed": diff.has_changes,
        "figures": [
            {"name": f.name, "title": f.title, "old": f.old, "new": f.new, "changed": f.changed}
            for f in diff.figures
        ],
        "changes": [c.to_json() for c in diff.changes],
        "analysis": {"old": diff.old_analysis.to_json(), "new": diff.new_analysis.to_json()},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[BlueprintDiff], str]] = {
    "text": format_text,
    "md": format_markdown,
    "json": format_json,
}
