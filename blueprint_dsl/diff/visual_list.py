"""The change list of a visual diff: the lines of `bpc diff --format text`, each with its
role (title, heading, figure, change, note) and, for a change, its kind, so the SVG
panel and the HTML list say exactly what the text diff says, in its words."""

from __future__ import annotations

from dataclasses import dataclass

from .output import format_text
from .result import BlueprintDiff

KINDS = ("added", "removed", "changed", "moved", "renamed")

#: The mark a change of each kind gets: in the drawing and in the list alike.
STATE_OF_KIND = {
    "added": "added",
    "removed": "removed",
    "changed": "changed",
    "moved": "changed",
    "renamed": "changed",
}


@dataclass(frozen=True)
class ListLine:
    role: str  # title | heading | figure | change | note
    text: str  # the text line, its indentation and column padding collapsed
    kind: str | None = None  # for a change: added | removed | changed | moved | renamed

    @property
    def state(self) -> str | None:
        """added | changed | removed: the mark of a change line."""
        return STATE_OF_KIND.get(self.kind or "")

    @property
    def rest(self) -> str:
        """A change line after its kind word."""
        return self.text[len(self.kind) :].lstrip() if self.kind else self.text


def change_lines(diff: BlueprintDiff) -> list[ListLine]:
    """The text diff's lines (blank ones dropped), in order."""
    out: list[ListLine] = []
    heading = ""
    for n, raw in enumerate(format_text(diff).splitlines()):
        text = " ".join(raw.split())
        if not text:
            continue
        if n == 0:
            out.append(ListLine("title", text))
        elif not raw.startswith(" "):
            heading = text
            role = "heading" if diff.has_changes else "note"
            out.append(ListLine(role, text))
        elif heading == "Figures":
            out.append(ListLine("figure", text))
        else:
            kind = text.split(" ", 1)[0]
            out.append(ListLine("change", text, kind if kind in KINDS else None))
    return out
