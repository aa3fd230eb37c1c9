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
from collections.abc import Iterable

from ..model.blueprint import Blueprint
from ..render.svg_post import END, element_ids
from . import targets
from .svg_write import REF, SVG_NS, XLINK_NS, Foreign, is_unsafe, write_svg
from .svg_write import local as _local
from .svg_write import prefix_ids as _prefix_ids

_S = f"{{{SVG_NS}}}"
_XLINK_TITLE = f"{{{XLINK_NS}}}title"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: Elements dropped with everything inside them: anything that runs, loads or restyles
#: the page (a `<style>` in inline SVG applies to the whole document).
_DROP = frozenset(("script", "style", "foreignObject", "iframe", "object", "embed", "image", "use"))
_MARKER_KINDS = ("fail", "wait", "moment", "detail")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class DiagramError(ValueError):
    """The diagram text is not an SVG document."""


def _sanitize(root: ET.Element) -> set[str]:
    """Drop the elements that could run, load or restyle, make links groups, and strip
    the root's unsafe attributes; the tags left in the tree. The other elements' unsafe
    attributes are left out as the tree is written (`svg_write`), or stripped by
    `_strip_attributes` when ElementTree writes it."""
    tags = {e.tag for e in root.iter()}
    dropped = {t for t in tags if _local(t) in _DROP}
    links = {t for t in tags if _local(t) == "a"}
    if dropped:
        for parent in list(root.iter()):
            for child in [c for c in parent if c.tag in dropped]:
                parent.remove(child)
        tags = {e.tag for e in root.iter()}
    _strip_attributes([root])
    if links:
        for element in [e for e in root.iter() if e.tag in links]:
            _strip_attributes([element])  # before its tooltip is read
            # A link without its target is a group; its tooltip becomes a <title>.
            element.tag = _S + "g"
            tip = element.attrib.pop(_XLINK_TITLE, None)
            if tip and not any(_local(c.tag) == "title" for c in element):
                title = ET.Element(_S + "title")
                title.text = tip
                element.insert(0, title)
        tags = (tags - links) | {_S + "g"}
    return tags


def _strip_attributes(elements: Iterable[ET.Element]) -> None:
    for element in elements:
        attrib = element.attrib
        for name in [n for n, value in attrib.items() if is_unsafe(n, value)]:
            del attrib[name]


def _serialize(root: ET.Element) -> str:
    """The tree as `_prefix_ids` then `ET.tostring(root, encoding="unicode")` write it."""
    try:
        return write_svg(root)
    except Foreign:  # not a drawing of ours: ElementTree writes it
        _prefix_ids(root)
        return ET.tostring(root, encoding="unicode", short_empty_elements=True)


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

    def ref_text(self, element: ET.Element) -> str | None:
        """What `element` stands for, as its `data-bp-ref` says it; None for nothing."""
        refs = self.refs(element)
        return " ".join(refs) if refs else None

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
    index = _RefIndex(bp) if bp is not None else None
    groups = {t for t in tags if _local(t) == "g"} if index is not None else set()
    refs = index.ref_text if index is not None else None
    try:
        return write_svg(root, sanitize=True, refs=refs, groups=groups)
    except Foreign:  # not a drawing of ours: the tree is changed, ElementTree writes it
        _strip_attributes(list(root.iter())[1:])
        if index is not None:
            _set_refs(root, index, groups)
        _prefix_ids(root)
        return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _set_refs(root: ET.Element, index: _RefIndex, groups: set[str]) -> None:
    """Each group's `data-bp-ref`, in the tree (as `write_svg` writes them)."""
    linked: dict[int, str] = {}  # a group (by `id()`) -> the refs it stands for
    for parent in root.iter():
        around = linked.get(id(parent))
        for element in parent:
            if element.tag not in groups:
                continue
            text = index.ref_text(element)
            if text is None:
                continue
            linked[id(element)] = text
            if text != around:  # a group inside one that says the same says it once
                element.set(REF, text)
