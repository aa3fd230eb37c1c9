"""Give the SVG Graphviz wrote the blueprint's meaning: titles, a description, whole labels.

Graphviz names the drawing after the DOT graph, titles every element with its internal
node name (`a12`, `n3`) and writes one `<text>` per line of a wrapped label. This pass,
on the SVG bytes, makes the file say what it shows:

- the root `<svg>` starts with `<title>` (the blueprint's title) and `<desc>` (persona,
  steps, customer time against the target); it scales to its container (`width="100%"`,
  the `viewBox` kept) unless `fixed_size` is asked for;
- an action's `<title>` is its label, any other node's is its text (or none at all), an
  edge's is `<tail title>-><head title>`;
- the lines of a label become one `<text>` with a `<tspan>` per line, so find-in-page
  finds the whole label;
- flows get readable ids, `flow-<source>-<target>` (then `-2`, `-3`, ... in written
  order; the second half of a labelled flow adds `-end`), evidence `evidence-<its id>`
  where it has one, in place of the renderer's index-based ids (`flow-<n>`, `bp-flow-<n>`,
  `evidence-<n>`). `element_ids` says which id each flow and evidence gets, from the
  model alone: the report links its cards to the drawing by these ids. (For now the
  index-based ids stay on the link groups just inside, `flow-<n>`, `bp-flow-<n>` and
  `bp-evidence-<n>`, for diff/visual_svg.py, which still finds flows by them.)

Everything is parsed and serialised with `xml.etree`, so all text is escaped and the same
input always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import xml.etree.ElementTree as ET

from ..analysis.figures import analyse
from ..model.blueprint import Blueprint
from ..model.values import format_seconds
from .svg_write import Foreign, Inline, write_inline, write_plain
from .words import word

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_S = f"{{{SVG_NS}}}"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_SLUG_DROP = re.compile(r"[^\w-]+")
_INDEXED = re.compile(r"^(bp-)?(flow|evidence)-(\d+)$")
_TEXT_KEYS = ("text-anchor", "x", "font-family", "font-size", "fill", "font-weight")


def _slug(text: str) -> str:
    return _SLUG_DROP.sub("", text.replace(" ", "_")).strip("-")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _join(lines: list[str]) -> str:
    """The lines of a wrapped label read as one text (no space between CJK lines)."""
    out = ""
    for line in lines:
        if out and line and not (_wide(out[-1]) or _wide(line[0])):
            out += " "
        out += line
    return out


def _merge_texts(parent: ET.Element) -> None:
    """Runs of `<text>` siblings of one label become one `<text>` of `<tspan>` lines."""
    children = list(parent)
    i = 0
    while i < len(children):
        first = children[i]
        if first.tag != _S + "text":
            i += 1
            continue
        j = i + 1
        key = [first.get(k) for k in _TEXT_KEYS]
        while (
            j < len(children)
            and children[j].tag == _S + "text"
            and [children[j].get(k) for k in _TEXT_KEYS] == key
        ):
            j += 1
        if j - i > 1:
            run = children[i:j]
            lines = [t.text or "" for t in run]
            merged = ET.Element(_S + "text", dict(first.attrib))
            merged.text = None
            for n, (t, line) in enumerate(zip(run, lines, strict=True)):
                span = ET.SubElement(
                    merged, _S + "tspan", {"x": t.get("x", ""), "y": t.get("y", "")}
                )
                nxt = lines[n + 1] if n + 1 < len(lines) else ""
                space = nxt and line and not (_wide(line[-1]) or _wide(nxt[0]))
                span.text = line + (" " if space else "")
            merged.tail = run[-1].tail
            at = list(parent).index(first)
            for t in run:
                parent.remove(t)
            parent.insert(at, merged)
        i = j


def _texts(g: ET.Element) -> str:
    lines: list[str] = []
    for t in g.iter(_S + "text"):
        spans = list(t.iter(_S + "tspan"))
        lines += [(s.text or "").strip() for s in spans] if spans else [(t.text or "").strip()]
    return _join([line for line in lines if line])


def describe(bp: Blueprint) -> str:
    """The `<desc>`: persona, number of steps, customer time against the target."""
    loc = bp.header.locale
    a = analyse(bp)
    parts = []
    if bp.header.persona:
        parts.append(f"{word('persona', loc)}: {bp.header.persona}")
    parts.append(f"{word('steps', loc)}: {a.steps}")
    low, high = format_seconds(a.customer_time_min), format_seconds(a.customer_time_max)
    time = low if low == high else f"{low}–{high}"
    target = (
        word("no_target", loc) if a.target_seconds is None else format_seconds(a.target_seconds)
    )
    parts.append(f"{word('customer_time', loc)}: {time} ({word('target', loc)}: {target})")
    return "; ".join(parts)


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str, also: str = "") -> str:
        """`base`, or `base-2`, `base-3`, ...: the first free one (and, with `also`, whose
        `<id><also>` is free too: it is kept for the same element)."""
        ident, n = base, 2
        while ident in self.used or (also and ident + also in self.used):
            ident, n = f"{base}-{n}", n + 1
        self.used.add(ident)
        if also:
            self.used.add(ident + also)
        return ident


#: What the second half of a labelled flow (the edge out of its label) adds to its id.
END = "-end"


def element_ids(bp: Blueprint) -> tuple[list[str], list[str]]:
    """The readable ids of `bp`'s flows and evidence, by their index in `bp.flows` and
    `bp.evidence`: `flow-<source>-<target>` (a second flow between the same two gets `-2`,
    in written order; `<id>-end` is kept for its second half), `evidence-<its id>`, or
    `evidence-<n>` for evidence without an id. The same model always gives the same ids."""
    ids = _Ids()
    flows = [
        ids.take(f"flow-{_slug(f.source) or 'x'}-{_slug(f.target) or 'x'}", END) for f in bp.flows
    ]
    evidence = [
        ids.take(f"evidence-{_slug(ev.id)}" if ev.id and _slug(ev.id) else f"evidence-{n}")
        for n, ev in enumerate(bp.evidence)
    ]
    return flows, evidence


def _readable_ids(root: ET.Element, bp: Blueprint) -> None:
    flows, evidence = element_ids(bp)
    found = [(g, m) for g in root.iter(_S + "g") if (m := _INDEXED.match(g.get("id", "")))]
    for g, m in found:  # all found first: a group renamed here is not found again
        kind, index, second = m.group(2), int(m.group(3)), m.group(1) is not None
        if kind == "flow" and index < len(flows):
            new = flows[index] + (END if second else "")
        elif kind == "evidence" and index < len(evidence) and not second:
            new = evidence[index]
        else:
            continue
        g.set("id", new)
        inner = next((c for c in g if c.tag == _S + "g" and c.get("id", "").startswith("a_")), None)
        if inner is not None:
            inner.set("id", f"a_{new}")  # Graphviz's anchor group, named after its element


def post_process(
    svg: bytes | ET.Element,
    bp: Blueprint,
    *,
    fixed_size: bool = False,
    inline: Inline | None = None,
) -> bytes:
    """The SVG bytes with titles, description, whole labels and readable ids.

    `svg` is Graphviz's SVG, as bytes or already parsed (`ET.fromstring`: a caller that
    lets the bytes go then keeps a big drawing once in memory, not twice; the tree is
    changed in place). With `inline` (`report.svg.inline_for`), the drawing as the
    report inlines it is written in the same walk and appended to `inline.written`,
    provided that it is what the report would make of the bytes returned (no carriage
    return or control character in their text, which a parser would change or refuse):
    the report then neither parses nor walks a big drawing again."""
    root = ET.fromstring(svg) if isinstance(svg, bytes) else svg
    title = bp.header.title
    names: dict[str, str] = {}
    edges: list[ET.Element] = []
    keys = {a.key for a in bp.actions}
    for g in list(root.iter(_S + "g")):
        _merge_texts(g)
        for a in g.findall(_S + "a"):
            _merge_texts(a)
    for g in root.iter(_S + "g"):
        classes = g.get("class", "").split()
        t = g.find(_S + "title")
        if t is None:
            continue
        if "graph" in classes:
            g.remove(t)
        elif "edge" in classes:
            edges.append(g)
        elif "node" in classes:
            ident = g.get("id", "")
            key = ident.removeprefix("bp-").removeprefix("action-")
            if ident.removeprefix("bp-").startswith("action-") and key in keys:
                text = bp.action(key).label
            else:
                text = _texts(g)
            names[t.text or ""] = text
            if text:
                t.text = text
            else:
                g.remove(t)
    for g in edges:
        t = g.find(_S + "title")
        assert t is not None
        tail, _, head = (t.text or "").partition("->")
        if names.get(tail) and names.get(head):
            t.text = f"{names[tail]}->{names[head]}"
        else:
            g.remove(t)
    _readable_ids(root, bp)
    desc = ET.Element(_S + "desc")
    desc.text = describe(bp)
    head_title = ET.Element(_S + "title")
    head_title.text = title
    root.insert(0, desc)
    root.insert(0, head_title)
    root.set("role", "img")
    for element in root.iter():  # the dropped comments leave blank lines behind
        if element.tail is not None and not element.tail.strip():
            element.tail = "\n"
    if not fixed_size:
        root.set("width", "100%")
        root.attrib.pop("height", None)
    inlined = written = None
    with contextlib.suppress(Foreign):  # not writable so: ElementTree writes it
        if inline is not None:
            inlined, written = write_inline(root, inline, plain=True)
        else:
            written = write_plain(root)
    if written is not None:
        data = b"".join([_XML_HEAD, *written, b"\n"])
        del written
    else:
        # A tree the walks cannot write (a comment, a namespace of its own): ElementTree
        # writes it, as UTF-8 straight into one buffer.
        out = io.BytesIO()
        out.write(_XML_HEAD)
        ET.ElementTree(root).write(
            out, encoding="utf-8", xml_declaration=False, short_empty_elements=True
        )
        out.write(b"\n")
        data = out.getvalue()
    if inline is not None and inlined is not None and _round_trips(data):
        inline.written.extend(inlined)
    return data


_XML_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'


#: What a parser of the written SVG would read otherwise than the tree holds it: a
#: carriage return in text (read as a line feed) and control characters (refused).
_ROUND_TRIP_BREAKERS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")


def _round_trips(data: bytes) -> bool:
    """Whether parsing `data` (UTF-8) gives back the tree it was written from: none of
    `_ROUND_TRIP_BREAKERS`, nor U+FFFE or U+FFFF (EF BF BE, EF BF BF), which a parser
    refuses (two plain searches: one pattern with both took four times as long)."""
    return (
        _ROUND_TRIP_BREAKERS.search(data) is None
        and b"\xef\xbf\xbe" not in data
        and b"\xef\xbf\xbf" not in data
    )


__all__ = ["END", "describe", "element_ids", "post_process"]
