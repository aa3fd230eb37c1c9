"""Writing a diagram's tree for the report, in one walk.

`write_svg` writes the tree as `prefix_ids` then `ET.tostring(root, encoding="unicode")`
would, byte for byte; for the report (`report.svg.prepare_svg`) it also leaves out, on
the way, the attributes that could run or load something (`on…`, `href`, `target`, an
external `url(…)`: what `report.svg` strips), and writes each group's `data-bp-ref`
(what its element stands for in the model, said once where a group inside says the same
as the one around it). A drawing has a few hundred thousand elements but a handful of
distinct tags and attribute names: each name is judged once.

A tree it cannot write so (a comment, a namespace without a prefix of ours) raises
`Foreign`; the caller then changes the tree and lets ElementTree write it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection

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
    """A comment, a processing instruction or a namespace without a prefix of ours."""


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


class _Unsafe(dict[str, bool]):
    """`is_unsafe_name` of each attribute name, worked out once."""

    def __missing__(self, name: str) -> bool:
        self[name] = verdict = is_unsafe_name(name)
        return verdict


def write_svg(
    root: ET.Element,
    *,
    sanitize: bool = False,
    refs: Callable[[ET.Element], str | None] | None = None,
    groups: Collection[str] = (),
) -> str:
    """The tree as `prefix_ids` then `ET.tostring` write it; with `sanitize`, without the
    unsafe attributes of the elements below the root; with `refs`, each element whose tag
    is in `groups` and that stands for something (`refs(element)`, None when nothing)
    says so in its `data-bp-ref`, unless the group around it says the same. Raises
    `Foreign` for a tree it cannot write so."""
    qnames = _QNames()
    unsafe = _Unsafe()
    out: list[str] = []
    write = out.append
    url = URL_REF.sub
    moved = f"url(#{ID_PREFIX}"
    search_external = EXTERNAL_URL.search
    # most values and texts need no escaping: one search of the characters that do
    attr_needs = _ATTR_SPECIAL.search
    text_needs = _TEXT_SPECIAL.search

    # each tag's "<tag" and "</tag>", each name's ' name="', made at its first use
    opening = _Derived(qnames, "<{}")
    closing = _Derived(qnames, "</{}>")
    naming = _Derived(qnames, ' {}="')

    def element(e: ET.Element, around: str | None, check: bool) -> None:
        tag = e.tag
        write(opening[tag])
        ref = refs(e) if refs is not None and tag in groups else None
        say = ref if ref is not None and ref != around else None
        for name, value in e.attrib.items():
            if check and (unsafe[name] or ("(" in value and search_external(value))):
                continue
            if name == REF and say is not None:
                value, say = say, None  # said where the attribute already was
            elif name == "id":
                value = ID_PREFIX + value
            elif "url(" in value:
                value = url(moved, value)
            if attr_needs(value):
                value = attr_escape(value)
            write(naming[name] + value + '"')
        if say is not None:
            write(f' {REF}="{attr_escape(say)}"')
        text = e.text
        if text or len(e):
            write(">")
            if text:
                write(text_escape(text) if text_needs(text) else text)
            for child in e:
                element(child, ref, sanitize)
            write(closing[tag])
        else:
            write(" />")
        tail = e.tail
        if tail:
            write(text_escape(tail) if text_needs(tail) else tail)

    element(root, None, False)
    declared = qnames.declared
    head = "".join(
        f' xmlns{":" + prefix if prefix else ""}="{attr_escape(declared[prefix])}"'
        for prefix in sorted(declared)
    )
    if head:  # the namespaces are declared first on the root, before its attributes
        out[0] = f"<{qnames[root.tag]}{head}"
    return "".join(out)
