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
its spans are shifted in place (see `_Parsed` and `spans_move.py`), so the tree of the
version before must not be used any more. The blocks themselves (`blocks.py`) are found
again only between those the text still starts and ends with (`blocks.split_again`).
When a block does not parse alone, the whole text is parsed, so the syntax errors are
exactly those of a full parse. `tolerant()` then gives a tree all the same: the blocks
that parse, and a tolerant re-parse (`repair.tolerant_parse`) of the others only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic
from ..core.spans import Span, normalise_newlines
from ..language import ast
from ..language.parser import parse
from .blocks import Block, split_again
from .repair import tolerant_parse
from .spans_move import move_spans, shift, spans_of

# A block whose text is not in the cache is parsed alone, unless most of the text is
# new (a first version, or a paste of everything): then the whole text is parsed once.
FULL_PARSE_SHARE = 0.5


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
            move_spans(self.spans(), delta)
            self.line = line

    def spans(self) -> list[Span]:
        """Every span of the tree, each once."""
        if self._spans is None:
            self._spans = spans_of([self.items, self.comments])
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
        blocks = self._blocks = split_again(text, old, self._depths)
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
