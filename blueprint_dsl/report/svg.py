"""Prepare a diagram's SVG text for inlining in a report.

The SVG comes from our own renderer, but it carries text from the .bp file, so it is
parsed and written out again rather than pasted: the result is well-formed, holds no
script, event handler, foreign object or link, and its fixed size is replaced by a
`viewBox` the report's script zooms and pans.

Every diagram element that stands for a model element gets a `data-bp-ref` attribute
(see `targets`), found from the ids of the drawing `bpc render` writes (render.svg_post,
whose `element_ids` gives each flow and piece of evidence its readable id):

    node  id="action-<key>"                 -> action:<key>
          "bp-action-<key>"                    (the text of an action box with a meta line)
    node  id="fail-<key>" / "wait-<key>" /
          "moment-<key>" / "detail-<key>"   -> action:<key>  (markers of that action)
    edge  id="flow-<source>-<target>"       -> flow:<n>      (index in Blueprint.flows;
          "flow-<source>-<target>-end"                        the second half of a
                                                              labelled flow)
    node  id="evidence-<its id>"            -> evidence:<n>  (index in Blueprint.evidence)
    node  id="step-<n>"                     -> step:<n>      (1-based step index)

The drawing straight from Graphviz, before render.svg_post, links up too: its flows are
`flow-<n>` and `bp-flow-<n>` (the second half), its evidence `evidence-<n>`. As a
fallback, a Graphviz node whose `<title>` (the DOT node name) is an action key, and an
edge titled `<source>-><target>`, are mapped too, so a diagram drawn with plain node
names still links up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model.blueprint import Blueprint
from ..render.svg_post import END, element_ids
from . import targets

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_S = f"{{{SVG_NS}}}"
_XLINK_TITLE = f"{{{XLINK_NS}}}title"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: Elements dropped with everything inside them: anything that runs, loads or restyles
#: the page (a `<style>` in inline SVG applies to the whole document).
_DROP = frozenset(("script", "style", "foreignObject", "iframe", "object", "embed", "image", "use"))
_MARKER_KINDS = ("fail", "wait", "moment", "detail")
_ID_PREFIX = "bp-svg-"
_URL_REF = re.compile(r"url\(\s*#")
_EXTERNAL_URL = re.compile(r"url\(\s*(?!#)", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class DiagramError(ValueError):
    """The diagram text is not an SVG document."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk(parent: ET.Element) -> list[ET.Element]:
    """`parent` and everything inside it, in document order (a list: the caller may change
    the tree as it goes)."""
    return list(parent.iter())


def _sanitize(root: ET.Element) -> set[str]:
    """Drop what could run, load or restyle; the tags left in the tree."""
    # The tags and attribute names are few: each is judged once, each element then looked up.
    elements = list(root.iter())
    tags = {e.tag for e in elements}
    dropped = {t for t in tags if _local(t) in _DROP}
    links = {t for t in tags if _local(t) == "a"}
    if dropped:
        for parent in elements:
            for child in [c for c in parent if c.tag in dropped]:
                parent.remove(child)
        elements = list(root.iter())
        tags = {e.tag for e in elements}
    names: set[str] = set()
    for element in elements:
        names.update(element.attrib)
    unsafe = {n for n in names if _local(n).lower().startswith("on")}
    unsafe |= {n for n in names if _local(n).lower() in ("href", "target")}
    for element in elements:
        attrib = element.attrib
        if unsafe.isdisjoint(attrib) and "(" not in "".join(attrib.values()):
            pass  # nothing to drop: most elements
        else:
            bad = [
                name
                for name, value in attrib.items()
                if name in unsafe or ("(" in value and _EXTERNAL_URL.search(value))
            ]
            for name in bad:
                del attrib[name]
        if element.tag in links:
            # A link without its target is a group; its tooltip becomes a <title>.
            element.tag = _S + "g"
            tip = element.attrib.pop(_XLINK_TITLE, None)
            if tip and not any(_local(c.tag) == "title" for c in element):
                title = ET.Element(_S + "title")
                title.text = tip
                element.insert(0, title)
    if links:
        tags = (tags - links) | {_S + "g"}
    return tags


def _prefix_ids(root: ET.Element) -> None:
    """Ids carry names from the .bp file: prefix them so none clashes with the report's own,
    and follow the prefix in `url(#…)` references (gradients, clip paths)."""
    for element in _walk(root):
        for name, value in element.attrib.items():
            if name == "id":
                element.set(name, _ID_PREFIX + value)
            elif "url(" in value:
                element.set(name, _URL_REF.sub(f"url(#{_ID_PREFIX}", value))


#: The prefix each namespace is written with (`xml` is never declared); an element or
#: attribute of any other namespace sends the drawing to `ET.tostring` instead.
_PREFIXES = {SVG_NS: "", XLINK_NS: "xlink", "http://www.w3.org/XML/1998/namespace": "xml"}


def _text(text: str) -> str:
    """Character data escaped as `ET.tostring` escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(value: str) -> str:
    """An attribute value escaped as `ET.tostring` escapes it: as character data, and
    quotes and white space other than spaces too."""
    value = _text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#09;")
    return value


class _Foreign(Exception):
    """A comment, a processing instruction or a namespace without a prefix of ours."""


class _QNames(dict[str, str]):
    """Each tag and attribute name as written (`prefix:local`), worked out at its first
    use; the namespaces used, for the root to declare."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: dict[str, str] = {}  # prefix -> namespace

    def __missing__(self, name: object) -> str:
        if not isinstance(name, str):
            raise _Foreign
        if name[:1] != "{":
            self[name] = name
            return name
        uri, local = name[1:].rsplit("}", 1)
        prefix = _PREFIXES.get(uri)
        if prefix is None:
            raise _Foreign
        if prefix != "xml":
            self.declared[prefix] = uri
        self[name] = qname = f"{prefix}:{local}" if prefix else local
        return qname


def _serialize(root: ET.Element) -> str:
    """The tree as `_prefix_ids` then `ET.tostring(root, encoding="unicode")` write it,
    byte for byte, in one walk instead of their three: a drawing has a few hundred
    thousand elements, but only a handful of distinct tags and attribute names."""
    qnames = _QNames()
    out: list[str] = []
    write = out.append
    url = _URL_REF.sub
    moved = f"url(#{_ID_PREFIX}"

    def element(e: ET.Element, start: str) -> None:
        tag = qnames[e.tag]
        write(start + tag)
        for name, value in e.attrib.items():
            if name == "id":
                value = _ID_PREFIX + value
            elif "url(" in value:
                value = url(moved, value)
            write(f' {qnames[name]}="{_attr(value)}"')
        text = e.text
        if text or len(e):
            write(">")
            if text:
                write(_text(text))
            for child in e:
                element(child, "<")
            write(f"</{tag}>")
        else:
            write(" />")
        if e.tail:
            write(_text(e.tail))

    try:
        element(root, "<")
    except _Foreign:  # not a drawing of ours: ElementTree writes it
        _prefix_ids(root)
        return ET.tostring(root, encoding="unicode", short_empty_elements=True)
    declared = qnames.declared
    head = "".join(
        f' xmlns{":" + prefix if prefix else ""}="{_attr(declared[prefix])}"'
        for prefix in sorted(declared)
    )
    if head:  # the namespaces are declared first on the root, before its attributes
        out[0] = f"<{qnames[root.tag]}{head}"
    return "".join(out)


def _view_box(root: ET.Element) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return numbers[0], numbers[1], numbers[2], numbers[3]
    sizes = [_NUMBER.findall(root.get(name, "")) for name in ("width", "height")]
    if all(sizes):
        return 0.0, 0.0, float(sizes[0][0]), float(sizes[1][0])
    raise DiagramError("the SVG has neither a viewBox nor a width and height")


def _fmt(value: float) -> str:
    return f"{value:g}"


class _RefIndex:
    """What a Graphviz id or title means in the model."""

    def __init__(self, bp: Blueprint) -> None:
        keys = {a.key for a in bp.actions}
        self.by_id: dict[str, str] = {}
        for key in keys:
            ref = targets.action_ref(key)
            self.by_id[f"action-{key}"] = ref
            self.by_id[f"bp-action-{key}"] = ref
            for kind in _MARKER_KINDS:
                self.by_id[f"{kind}-{key}"] = ref
        flow_ids, evidence_ids = element_ids(bp)
        for index, ident in enumerate(flow_ids):
            ref = targets.flow_ref(index)
            for name in (f"flow-{index}", f"bp-flow-{index}", ident, ident + END):
                self.by_id[name] = ref
        for index, ident in enumerate(evidence_ids):
            self.by_id[f"evidence-{index}"] = targets.evidence_ref(index)
            self.by_id[ident] = targets.evidence_ref(index)
        for step in bp.steps:
            self.by_id[f"step-{step.index}"] = targets.step_ref(step.index)
        self.node_titles = {key: targets.action_ref(key) for key in keys}
        self.edge_titles: dict[str, list[str]] = {}
        for index, flow in enumerate(bp.flows):
            title = f"{flow.source}->{flow.target}"
            self.edge_titles.setdefault(title, []).append(targets.flow_ref(index))

    def refs(self, element: ET.Element) -> list[str]:
        element_id = element.get("id")
        if element_id is not None:
            ref = self.by_id.get(element_id)
            if ref is not None:
                return [ref]
        classes = element.get("class", "").split()
        node, edge = "node" in classes, "edge" in classes
        if not (node or edge):
            return []
        title = next((c.text or "" for c in element if _local(c.tag) == "title"), None)
        if title is None:
            return []
        if node and title in self.node_titles:
            return [self.node_titles[title]]
        if edge:
            return list(self.edge_titles.get(title, ()))
        return []


def prepare_svg(
    svg_text: str, bp: Blueprint | None, label: str, *, tree: ET.Element | None = None
) -> str:
    """The SVG as safe, well-formed markup with `data-bp-ref`s, ready to inline.

    `label` is the accessible name of the diagram (the blueprint's title). `tree`, when
    given, is the element tree that parsing `svg_text` would give (the one
    `render.svg_post.post_process` wrote it from, handed on so that a big drawing is not
    parsed again); it is changed in place. Raises `DiagramError` when the text is not an
    SVG document.
    """
    if tree is not None:
        root = tree
    else:
        try:
            root = ET.fromstring(svg_text)
        except ET.ParseError as error:
            raise DiagramError(f"the diagram is not well-formed XML: {error}") from None
    if _local(root.tag) != "svg":
        raise DiagramError("the diagram is not an SVG document")
    tags = _sanitize(root)
    x, y, w, h = _view_box(root)
    view_box = " ".join(_fmt(v) for v in (x, y, w, h))
    for name in ("width", "height", "style", "x", "y"):
        root.attrib.pop(name, None)
    root.set("viewBox", view_box)
    root.set("data-bp-viewbox", view_box)
    root.set("preserveAspectRatio", "xMidYMid meet")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "bp-diagram")
    if bp is not None:
        index = _RefIndex(bp)
        groups = {t for t in tags if _local(t) == "g"}
        linked: dict[int, str] = {}  # a group (by `id()`) -> the refs it stands for
        for parent in root.iter():
            around = linked.get(id(parent))
            for element in parent:
                if element.tag not in groups:
                    continue
                refs = index.refs(element)
                if not refs:
                    continue
                linked[id(element)] = text = " ".join(refs)
                if text != around:  # a group inside one that says the same says it once
                    element.set("data-bp-ref", text)
    return _serialize(root)
