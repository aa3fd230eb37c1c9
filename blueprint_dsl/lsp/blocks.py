"""The blocks of a text for the incremental parse (`incremental.py`): where it is cut.

A cut goes before every line that begins at brace depth 0 (outside strings and comments)
and is not blank: the header, each lane, include or chain line, and each `phase { … }` or
top-level `step { … }` with all its lines, blank lines going with the block above them.
`split_blocks` scans a whole text; `split_again` splits again only the part of a text
that an edit changed, keeping the blocks of the version before that it starts and ends
with.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scanner import depth_change


@dataclass(frozen=True)
class Block:
    """Some whole lines of the text, from `line` (1-based), that start at depth 0."""

    line: int
    text: str

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + (0 if self.text.endswith("\n") else 1)


def split_blocks(text: str, memo: dict[str, int] | None = None) -> list[Block]:
    """The blocks of `text` (newlines normalised): a cut before each line that starts at
    brace depth 0 and is not blank (blank lines go with the block above them). `memo`
    keeps the `depth_change` of lines, from one version to the next."""
    lines = text.split("\n")
    memo = {} if memo is None else memo
    blocks: list[Block] = []
    depth = 0
    start = 0
    for number, line in enumerate(lines):
        if depth == 0 and number > start and line and not line.isspace():
            blocks.append(Block(start + 1, "\n".join(lines[start:number]) + "\n"))
            start = number
        if "{" in line or "}" in line:
            change = memo.get(line)
            if change is None:
                change = memo[line] = depth_change(line)
            depth = max(depth + change, 0)
    last = "\n".join(lines[start:])
    if last:
        blocks.append(Block(start + 1, last))
    return blocks


def split_again(text: str, old: list[Block], memo: dict[str, int]) -> list[Block]:
    """`split_blocks(text, memo)`, knowing `old`, the blocks of a text before an edit.

    The blocks that `text` starts with are kept, but for the last of `old` (the depth
    may not be 0 after it) and one that a blank line now follows (the line would go with
    it); so are those it ends with, from a line start on, but for the first of `old` (it
    may start with a blank line), once the text between splits into blocks that end at
    depth 0 (else all is split again). The scan of the whole text would cut there too."""
    head = 0  # blocks of `old` that `text` starts with
    at = 0
    while head < len(old) - 1 and text.startswith(old[head].text, at):
        at += len(old[head].text)
        head += 1
    while head and _blank_line_at(text, at):
        head -= 1
        at -= len(old[head].text)
    tail = 0  # blocks of `old` that `text` ends with, after the head, at line starts
    end = len(text)
    while tail < len(old) - max(head, 1):  # not the first: it may start with a blank line
        start = end - len(old[-1 - tail].text)
        if start < at or not text.endswith(old[-1 - tail].text, 0, end):
            break
        if start > 0 and text[start - 1] != "\n":
            break
        end = start
        tail += 1
    if head == 0 and tail == 0:
        return split_blocks(text, memo)
    first_line = old[head - 1].line + old[head - 1].line_count if head else 1
    middle = split_blocks(text[at:end], memo)
    if tail and middle and _depth_after(middle[-1].text, memo) != 0:
        return split_blocks(text, memo)
    blocks = old[:head]
    blocks += [Block(block.line + first_line - 1, block.text) for block in middle]
    if tail:
        lines_before = first_line - 1 + text.count("\n", at, end)
        moved = lines_before + 1 - old[-tail].line
        blocks += [Block(block.line + moved, block.text) for block in old[-tail:]]
    return blocks


def _blank_line_at(text: str, at: int) -> bool:
    end = text.find("\n", at)
    line = text[at:] if end < 0 else text[at:end]
    return at < len(text) and (not line or line.isspace())


def _depth_after(text: str, memo: dict[str, int]) -> int:
    depth = 0
    for line in text.split("\n"):
        if "{" in line or "}" in line:
            change = memo.get(line)
            if change is None:
                change = memo[line] = depth_change(line)
            depth = max(depth + change, 0)
    return depth
