"""Incremental parsing for the language server: re-parse only the blocks an edit touched.

The text is cut into *blocks* at the start of every line that begins at brace depth 0
(outside strings and comments): the header, each lane, include or chain line, and each
`phase { … }` or top-level `step { … }` with all its lines. A statement of the language
never goes on past the end of a line at depth 0, and no token but a separator holds a line
end, so the tokens of the whole text are those of its blocks one after the other (the
separators at a cut aside): when every block parses alone, the tree of the whole text is
the blocks' trees end to end, with their lines moved down by the lines above them. That
holds whatever the cut; the cut only decides how much is parsed again.

`IncrementalParser.parse(text)` answers as `parser.parse(text, path)` does. It keeps the
tree of each block of the last version, keyed by the block's text: a block whose text is
unchanged is not parsed again, only moved when lines were inserted or deleted above it:
its spans are shifted in place (see `_Parsed`), so the tree of the version before must
not be used any more. The blocks themselves are found again only between those the text
still starts and ends with (`_split_again`). When a block does not parse alone, the whole
text is parsed, so the syntax errors are exactly those of a full parse. `tolerant()` then
gives a tree all the same: the blocks that parse, and a tolerant re-parse
(`document.tolerant_parse`) of the others only.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.spans import Span, normalise_newlines
from ..language import ast
from ..language.parser import parse
from .scanner import depth_change

# A block whose text is not in the cache is parsed alone, unless most of the text is
# new (a first version, or a paste of everything): then the whole text is parsed once.
FULL_PARSE_SHARE = 0.5


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


# ---- moving a parsed block -----------------------------------------------------------

_Shift = Callable[[Any, int], Any]
_SHIFTS: dict[type, _Shift] = {}
_PLAIN = frozenset({"str", "int", "bool", "float", "None"})  # types that hold no span
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})
_NAMES: dict[type, tuple[str, ...]] = {}


def _holds_spans(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "?")
    return not {part.strip() for part in str(text).split("|")} <= _PLAIN


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold spans."""
    names = _NAMES.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)
        names = _NAMES[cls] = tuple(f.name for f in fields if _holds_spans(f.type))
    return names


def _keep(value: Any, delta: int) -> Any:
    return value


def _shift_span(span: Span, delta: int) -> Span:
    return Span(span.file, span.line + delta, span.column, span.end_line + delta, span.end_column)


def _shift_tuple(values: tuple[Any, ...], delta: int) -> tuple[Any, ...]:
    return tuple([shift(value, delta) for value in values])


def _shift_list(values: list[Any], delta: int) -> list[Any]:
    return [shift(value, delta) for value in values]


def _dataclass_shift(cls: type) -> _Shift:
    moving = _field_names(cls)

    def shift_node(node: Any, delta: int) -> Any:
        return dataclasses.replace(
            node, **{name: shift(getattr(node, name), delta) for name in moving}
        )

    return shift_node


def shift(value: Any, delta: int) -> Any:
    """A copy of `value` (a node of the syntax tree, a tuple or list of them, a span …)
    with every span moved `delta` lines down."""
    cls = type(value)
    mover = _SHIFTS.get(cls)
    if mover is None:
        if cls is Span:
            mover = _shift_span
        elif cls is tuple:
            mover = _shift_tuple
        elif cls is list:
            mover = _shift_list
        elif dataclasses.is_dataclass(cls):
            mover = _dataclass_shift(cls)
        else:
            mover = _keep
        _SHIFTS[cls] = mover
    return mover(value, delta)


def _spans_of(root: Any) -> list[Span]:
    """Every span in a tree, each once."""
    found: list[Span] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        value = stack.pop()
        cls = type(value)
        if cls is Span:
            if id(value) not in seen:
                seen.add(id(value))
                found.append(value)
        elif cls is list or cls is tuple:
            stack.extend(value)
        elif cls not in _PLAIN_TYPES and dataclasses.is_dataclass(value):
            stack.extend([getattr(value, name) for name in _field_names(cls)])
    return found


def _setter(name: str) -> Callable[[Span, int], None]:
    """A function that sets a field of a (frozen) span: its slot's own setter when it has
    one (called through `map`, the fastest), else `object.__setattr__`."""
    slot = vars(Span).get(name)
    if type(slot).__name__ == "member_descriptor":
        return slot.__set__  # type: ignore[no-any-return,union-attr]
    return lambda span, value: object.__setattr__(span, name, value)


_set_line = _setter("line")
_set_end_line = _setter("end_line")


# ---- the parser ----------------------------------------------------------------------


class _Parsed:
    """The tree of one block, with the spans it has while the block starts at `line`.

    It belongs to one block of one version: moving it to another line (`move_to`)
    changes its spans in place, the spans of the tree of the version before, which the
    language server no longer uses. Shifting copies instead would cost more than the
    rest of an edit: a 2,000-step document has some 80,000 spans in 70,000 nodes."""

    __slots__ = ("_spans", "comments", "items", "line", "repaired")

    def __init__(
        self,
        line: int,
        items: list[ast.Item],
        comments: list[ast.Comment],
        repaired: bool = False,  # a tolerant parse of a block that does not parse
    ) -> None:
        self.line = line
        self.items = items
        self.comments = comments
        self.repaired = repaired
        self._spans: list[Span] | None = None

    def move_to(self, line: int) -> None:
        delta = line - self.line
        if delta:
            spans = self.spans()
            deque(map(_set_line, spans, [span.line + delta for span in spans]), maxlen=0)
            deque(map(_set_end_line, spans, [span.end_line + delta for span in spans]), 0)
            self.line = line

    def spans(self) -> list[Span]:
        """Every span of the tree, each once."""
        if self._spans is None:
            self._spans = _spans_of([self.items, self.comments])
        return self._spans

    def copy_at(self, line: int) -> _Parsed:
        """A tree of its own for another block of the same text (moved to `line`)."""
        delta = line - self.line
        return _Parsed(line, shift(self.items, delta), shift(self.comments, delta))


@dataclass
class Stats:
    """What the last `parse` did (for tests and the benchmark)."""

    blocks: int = 0
    reused: int = 0  # blocks taken from the last version, moved or not
    moved: int = 0  # of those, the blocks that lines inserted or deleted above moved
    parsed: int = 0  # blocks parsed alone
    full: bool = False  # the whole text was parsed


class IncrementalParser:
    """`parse(text, path)` for one document, version after version."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._cache: dict[str, list[_Parsed]] = {}  # block text -> trees, one per block
        self._depths: dict[str, int] = {}  # split_blocks's memo
        self._blocks: list[Block] = []  # the blocks of the last version
        self.stats = Stats()

    def parse(self, text: str) -> tuple[ast.Document | None, list[Diagnostic]]:
        """What `parser.parse(text, self.path)` gives, parsing as little as it can."""
        text = normalise_newlines(text)
        blocks = self._split(text)
        self.stats = Stats(blocks=len(blocks))
        missing = sum(len(b.text) for b in blocks if b.text not in self._cache)
        if missing > FULL_PARSE_SHARE * len(text):
            return self._parse_whole(text, blocks)
        found = self._reuse(blocks, self._parse_block)
        if found is None:
            return self._parse_whole(text, blocks)
        return self._document(found), []

    def tolerant(self, text: str) -> ast.Document:
        """After `parse` failed on `text`: a tree of the blocks that parse and of the
        others' lines that do (`tolerant_parse`, block by block)."""
        found = self._reuse(self._split(normalise_newlines(text)), self._parse_tolerantly)
        return self._document(found or [])

    def warm(self) -> None:
        """Find the spans of every block now (the server does it after a whole text was
        parsed, once the diagnostics are out), not at the first edit that moves them."""
        for trees in self._cache.values():
            for tree in trees:
                tree.spans()

    # ---- helpers ----------------------------------------------------------------
    def _split(self, text: str) -> list[Block]:
        """`split_blocks(text)`, from the blocks of the last version: those it starts and
        ends with are kept, and only the text between them is split again."""
        old = self._blocks
        if len(self._depths) > 4 * (len(old) + 16):  # lines of old versions
            self._depths = {}
        blocks = self._blocks = _split_again(text, old, self._depths)
        return blocks

    def _reuse(
        self, blocks: list[Block], parse_block: Callable[[Block], _Parsed | None]
    ) -> list[_Parsed] | None:
        """The trees of `blocks`: the last version's, moved, and `parse_block`'s for new
        text; None when `parse_block` fails on one. The cache keeps the trees of the blocks
        that parse alone, for the next version."""
        stats = self.stats
        pool = self._cache
        cache: dict[str, list[_Parsed]] = {}
        found: list[_Parsed] = []
        failed = False
        for block in blocks:
            known = pool.get(block.text)
            placed = cache.get(block.text)
            parsed: _Parsed | None
            if known:
                stats.reused += 1
                parsed = _closest(known, block.line)
                stats.moved += parsed.line != block.line
                parsed.move_to(block.line)
            elif placed:  # the text of a block placed already: copy its tree
                stats.reused += 1
                parsed = placed[0].copy_at(block.line)
            else:
                stats.parsed += 1
                parsed = parse_block(block)
                if parsed is None:
                    failed = True
                    continue
            if not parsed.repaired:
                cache.setdefault(block.text, []).append(parsed)
            found.append(parsed)
        self._cache = cache
        return None if failed else found

    def _parse_block(self, block: Block) -> _Parsed | None:
        document, _ = parse(block.text, self.path)
        if document is None:
            return None
        parsed = _Parsed(1, document.items, document.comments)
        parsed.move_to(block.line)
        return parsed

    def _parse_tolerantly(self, block: Block) -> _Parsed | None:
        from .document import tolerant_parse

        parsed = self._parse_block(block)
        if parsed is not None:
            return parsed
        repaired = tolerant_parse(block.text, self.path) or ast.Document(self.path)
        found = _Parsed(1, repaired.items, repaired.comments, repaired=True)
        found.move_to(block.line)
        return found

    def _parse_whole(
        self, text: str, blocks: list[Block]
    ) -> tuple[ast.Document | None, list[Diagnostic]]:
        self.stats.full = True
        document, problems = parse(text, self.path)
        if document is not None:
            self._cache = _partition(document, blocks)
        # else `tolerant` parses the blocks, and keeps those that parse
        return document, problems

    def _document(self, found: list[_Parsed]) -> ast.Document:
        items: list[ast.Item] = []
        comments: list[ast.Comment] = []
        for parsed in found:
            items += parsed.items
            comments += parsed.comments
        return ast.Document(self.path, items, comments)


def _split_again(text: str, old: list[Block], memo: dict[str, int]) -> list[Block]:
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


def _closest(trees: list[_Parsed], line: int) -> _Parsed:
    """Take from `trees` (the trees of blocks of one text, in the order of the last
    version) the first: blocks keep their order, so it is that of the same block."""
    return trees.pop(0)


def _partition(document: ast.Document, blocks: list[Block]) -> dict[str, list[_Parsed]]:
    """The tree of a whole text cut into the trees of its blocks. A block whose items do
    not lie within its lines (a cut that a statement crosses) is left out."""
    cache: dict[str, list[_Parsed]] = {}
    items = document.items
    comments = document.comments
    i = j = 0
    for block in blocks:
        end = block.line + block.line_count  # the first line after the block
        own_items: list[ast.Item] = []
        own_comments: list[ast.Comment] = []
        crossed = False
        while i < len(items) and items[i].span.line < end:
            own_items.append(items[i])
            crossed = crossed or items[i].span.end_line >= end
            i += 1
        while j < len(comments) and comments[j].span.line < end:
            own_comments.append(comments[j])
            j += 1
        if not crossed:
            cache.setdefault(block.text, []).append(_Parsed(block.line, own_items, own_comments))
    return cache
