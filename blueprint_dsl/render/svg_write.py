"""Writing a drawing's tree in one walk: as the report inlines it and, in the same walk,
as the .svg.

`write_inline` writes the tree as the report inlines it (`report.svg.prepare_svg`): as
`prefix_ids` then `ET.tostring(root, encoding="unicode")` would write it after the
report's sanitizing, byte for byte, without changing the tree. On the way it leaves out
the attributes that could run or load something (`on…`, `href`, `target`, an external
`url(…)`), writes each link as a group (its tooltip as a `<title>`), gives the root the
report's attributes and each group its `data-bp-ref` (what it stands for in the model,
said once where a group inside says the same as the one around it). With `plain`, it
writes the tree as `ET.ElementTree.write(encoding="utf-8")` would too: a big drawing is
walked once for the .svg and the report, not twice; `write_plain` writes the .svg alone.
A drawing has a few hundred thousand elements but a handful of distinct tags and
attribute names: each is judged once.

A tree it cannot write so (a comment, an element outside the SVG namespace, one the
report drops, a namespace without a prefix of ours) raises `Foreign`; the caller then
lets ElementTree write it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import NamedTuple

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ID_PREFIX = "bp-svg-"
REF = "data-bp-ref"
URL_REF = re.compile(r"url\(\s*#")
EXTERNAL_URL = re.compile(r"url\(\s*(?!#)", re.IGNORECASE)

_TEXT_SPECIAL = re.compile("[&<>]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')

#: The prefix each namespace is written with (`xml` is never declared); an element or
#: attribute of any other namespace is `Foreign`.
_PREFIXES = {SVG_NS: "", XLINK_NS: "xlink", "http://www.w3.org/XML/1998/namespace": "xml"}


class Foreign(Exception):
    """A comment, a processing instruction or a namespace without a prefix of ours; for
    `write_inline`, also an element outside the SVG namespace or one the report drops."""


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_unsafe_name(name: str) -> bool:
    """An event handler, or a link's target: never kept."""
    own = local(name).lower()
    return own.startswith("on") or own in ("href", "target")


def is_unsafe(name: str, value: str) -> bool:
    """Whether the attribute could run or load something."""
    return is_unsafe_name(name) or ("(" in value and EXTERNAL_URL.search(value) is not None)


def prefix_ids(root: ET.Element) -> None:
    """Ids carry names from the .bp file: prefix them so none clashes with the report's own,
    and follow the prefix in `url(#…)` references (gradients, clip paths)."""
    for element in list(root.iter()):
        for name, value in element.attrib.items():
            if name == "id":
                element.set(name, ID_PREFIX + value)
            elif "url(" in value:
                element.set(name, URL_REF.sub(f"url(#{ID_PREFIX}", value))


_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTR_ESCAPES = (
    *_TEXT_ESCAPES,
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#09;"),
)


def _escape(value: str, table: tuple[tuple[str, str], ...]) -> str:
    for raw, escaped in table:
        if raw in value:
            value = value.replace(raw, escaped)
    return value


def text_escape(text: str) -> str:
    """Character data escaped as `ET.tostring` escapes it."""
    return _escape(text, _TEXT_ESCAPES)


def attr_escape(value: str) -> str:
    """An attribute value escaped as `ET.tostring` escapes it: as character data, and
    quotes and white space other than spaces too."""
    return _escape(value, _ATTR_ESCAPES)


class _QNames(dict[str, str]):
    """Each tag and attribute name as written (`prefix:local`), worked out at its first
    use; the namespaces used, for the root to declare."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: dict[str, str] = {}  # prefix -> namespace

    def __missing__(self, name: object) -> str:
        if not isinstance(name, str):
            raise Foreign
        if name[:1] != "{":
            self[name] = name
            return name
        uri, own = name[1:].rsplit("}", 1)
        prefix = _PREFIXES.get(uri)
        if prefix is None:
            raise Foreign
        if prefix != "xml":
            self.declared[prefix] = uri
        self[name] = qname = f"{prefix}:{own}" if prefix else own
        return qname


class _Derived(dict[str, str]):
    """`form` filled with each name as written (`_QNames`), made at its first use."""

    def __init__(self, qnames: _QNames, form: str) -> None:
        super().__init__()
        self.qnames = qnames
        self.form = form

    def __missing__(self, name: str) -> str:
        self[name] = made = self.form.format(self.qnames[name])
        return made


#: Elements the report drops with everything inside them: anything that runs, loads or
#: restyles the page (a `<style>` in inline SVG applies to the whole document).
DROP = frozenset(("script", "style", "foreignObject", "iframe", "object", "embed", "image", "use"))
XLINK_TITLE = f"{{{XLINK_NS}}}title"
_SVG = f"{{{SVG_NS}}}"
_TITLE = _SVG + "title"
_FLUSH = 1 << 15  # pieces written before they are joined and encoded: a bounded list

# what an element is to the report
_OTHER, _GROUP, _LINK = 0, 1, 2
# what an attribute name is to the report; from _NAMESPACED on, written ones declare
# their namespace on the root
_PLAIN, _UNSAFE, _ID, _REF, _NAMESPACED, _TIP = 0, 1, 2, 3, 4, 5


class _TagKinds(dict[object, int]):
    def __missing__(self, tag: object) -> int:
        if not isinstance(tag, str) or not tag.startswith(_SVG):
            raise Foreign
        own = tag[len(_SVG) :]
        if own in DROP:
            raise Foreign  # the report drops it: `report.svg` does, before writing
        self[tag] = kind = _GROUP if own == "g" else _LINK if own == "a" else _OTHER
        return kind


class _NameKinds(dict[object, int]):
    def __missing__(self, name: object) -> int:
        if not isinstance(name, str):
            raise Foreign
        if is_unsafe_name(name):
            kind = _UNSAFE
        elif name == XLINK_TITLE:
            kind = _TIP
        elif name[:1] == "{":
            kind = _NAMESPACED
        else:
            kind = _ID if name == "id" else _REF if name == REF else _PLAIN
        self[name] = kind
        return kind


class Inline(NamedTuple):
    """How the report inlines a drawing (`report.svg.inline_for`)."""

    #: The root's attributes in the report (None: the drawing cannot be inlined).
    root: Callable[[ET.Element], dict[str, str] | None]
    #: What a group or a link stands for (its `data-bp-ref`), None for nothing.
    refs: Callable[[ET.Element], str | None] | None
    #: Receives the inlined drawing, as pieces of UTF-8.
    written: list[bytes]


def write_inline(
    root: ET.Element, inline: Inline, *, plain: bool = False
) -> tuple[list[bytes], list[bytes] | None]:
    """The tree as the report inlines it and, with `plain`, as the .svg (as
    `ET.ElementTree(root).write(encoding="utf-8", xml_declaration=False)` writes it;
    None without), both as pieces of UTF-8 (a big drawing's text is not copied once
    more to be joined). The tree is not changed. Raises `Foreign` for a tree it cannot
    write so."""
    report_root = inline.root(root)
    if report_root is None:
        raise Foreign
    refs = inline.refs
    qnames = _QNames()
    reported = _QNames()  # the names the report writes: the namespaces it declares
    tag_kinds, name_kinds = _TagKinds(), _NameKinds()
    pieces: list[str] = []  # the .svg's
    ours: list[str] = []  # the report's
    encoded: tuple[list[bytes], list[bytes]] = ([], [])
    put, say_it = pieces.append, ours.append
    url, moved = URL_REF.sub, f"url(#{ID_PREFIX}"
    search_external = EXTERNAL_URL.search
    attr_needs, text_needs = _ATTR_SPECIAL.search, _TEXT_SPECIAL.search
    opening = _Derived(qnames, "<{}")
    closing = _Derived(qnames, "</{}>")
    naming = _Derived(qnames, ' {}="')

    def flush() -> None:
        for done, into in ((pieces, encoded[0]), (ours, encoded[1])):
            into.append(_encode("".join(done)))
            done.clear()

    def transformed(name: str, value: str) -> str:
        """A report attribute's ' name="value"' with its id or references prefixed."""
        if name == "id":
            value = ID_PREFIX + value
        elif "url(" in value:
            value = url(moved, value)
        return naming[name] + (attr_escape(value) if attr_needs(value) else value) + '"'

    def element(e: ET.Element, around: str | None) -> None:
        tag = e.tag
        kind = tag_kinds[tag]
        ref = refs(e) if refs is not None and kind else None
        say = ref if ref is not None and ref != around else None
        tip: str | None = None
        start = opening[tag]
        if plain:
            put(start)
        say_it("<g" if kind == _LINK else start)
        for name, value in e.attrib.items():
            piece = naming[name] + (attr_escape(value) if attr_needs(value) else value) + '"'
            if plain:
                put(piece)
            what = name_kinds[name]
            if what == _PLAIN and "(" not in value:
                say_it(piece)
                continue
            if what == _UNSAFE or ("(" in value and search_external(value)):
                continue
            if what == _TIP and kind == _LINK:
                tip = value  # becomes the group's <title>
            elif what == _REF and say is not None:
                say_it(naming[name] + attr_escape(say) + '"')  # said where it already was
                say = None
            else:
                say_it(transformed(name, value))
                if what >= _NAMESPACED:
                    reported[name]  # written: its namespace is declared
        if say is not None:
            say_it(f' {REF}="{attr_escape(say)}"')
        text, inner = e.text, len(e)
        titled = bool(tip) and not any(child.tag == _TITLE for child in e)
        if plain:
            put(">" if text or inner else " />")
        if text or inner or titled:
            say_it(">")
            if text:
                text = text_escape(text) if text_needs(text) else text
                if plain:
                    put(text)
                say_it(text)
            if titled:
                assert tip is not None
                say_it(f"<title>{text_escape(tip)}</title>")
            for child in e:
                element(child, ref)  # noqa: F821  (deleted only once the walk is over)
            if plain and (text or inner):
                put(closing[tag])
            say_it("</g>" if kind == _LINK else closing[tag])
        else:
            say_it(" />")
        tail = e.tail
        if tail:
            tail = text_escape(tail) if text_needs(tail) else tail
            if plain:
                put(tail)
            say_it(tail)
        if len(ours) > _FLUSH:
            flush()

    if tag_kinds[root.tag] != _OTHER:
        raise Foreign
    text, tail, content = root.text, root.tail, root.text or len(root)
    for out in (pieces, ours):
        out.append(">" if content else " />")
        if text:
            out.append(text_escape(text) if text_needs(text) else text)
    try:
        for child in root:
            element(child, None)
    finally:
        del element  # it refers to itself: a cycle, which would outlive a frozen walk
    for out in (pieces, ours):
        if content:
            out.append(closing[root.tag])
        if tail:
            out.append(text_escape(tail) if text_needs(tail) else tail)
    flush()
    # the root's start tag last, the namespaces known: declared first, before attributes
    report_start = "".join(transformed(name, value) for name, value in report_root.items())
    for name in (root.tag, *report_root):
        reported[name]  # written: its namespace is declared
    head = opening[root.tag] + _declarations(reported.declared) + report_start
    report = [_encode(head), *encoded[1]]
    if not plain:
        return report, None
    start = "".join(naming[n] + attr_escape(v) + '"' for n, v in root.attrib.items())
    head = opening[root.tag] + _declarations(qnames.declared) + start
    return report, [_encode(head), *encoded[0]]


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "xmlcharrefreplace")


def write_plain(root: ET.Element) -> list[bytes]:
    """The tree as `ET.ElementTree(root).write(encoding="utf-8", xml_declaration=False)`
    writes it, in pieces of UTF-8: the .svg when no report inlines it (`write_inline`
    writes both at once). Raises `Foreign` for a tree it cannot write so."""
    qnames = _QNames()
    pieces: list[str] = []
    encoded: list[bytes] = []
    put = pieces.append
    attr_needs, text_needs = _ATTR_SPECIAL.search, _TEXT_SPECIAL.search
    opening = _Derived(qnames, "<{}")
    closing = _Derived(qnames, "</{}>")
    naming = _Derived(qnames, ' {}="')

    def element(e: ET.Element) -> None:
        tag = e.tag
        put(opening[tag])
        for name, value in e.attrib.items():
            put(naming[name] + (attr_escape(value) if attr_needs(value) else value) + '"')
        text = e.text
        if text or len(e):
            put(">")
            if text:
                put(text_escape(text) if text_needs(text) else text)
            for child in e:
                element(child)  # noqa: F821  (deleted only once the walk is over)
            put(closing[tag])
        else:
            put(" />")
        tail = e.tail
        if tail:
            put(text_escape(tail) if text_needs(tail) else tail)
        if len(pieces) > _FLUSH:
            encoded.append(_encode("".join(pieces)))
            pieces.clear()

    try:
        element(root)
    finally:
        del element  # it refers to itself: a cycle, which would outlive a frozen walk
    encoded.append(_encode("".join(pieces)))
    # the root's start tag last, the namespaces known: declared first, before attributes
    start = _encode(opening[root.tag])
    declared = _encode(_declarations(qnames.declared))
    return [start, declared, encoded[0][len(start) :], *encoded[1:]]


def _declarations(namespaces: dict[str, str]) -> str:
    return "".join(
        f' xmlns{":" + prefix if prefix else ""}="{attr_escape(namespaces[prefix])}"'
        for prefix in sorted(namespaces)
    )
