"""Prepare a diagram's SVG text for inlining in a report.

The SVG comes from our own renderer, but it carries text from the .bp file, so it is
parsed and written out again rather than pasted: the result is well-formed, holds no
script, event handler, foreign object or link, and its fixed size is replaced by a
`viewBox` the report's script zooms and pans. `bpc render` writes it so in the walk that
writes the .svg (`inline_for`, `render.svg_write.write_inline`); `prepare_svg` makes it
of a text.

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
from collections.abc import Callable, Iterable

from ..model.blueprint import Blueprint
from ..render.svg_post import END, element_ids
from ..render.svg_write import (
    DROP,
    REF,
    SVG_NS,
    XLINK_NS,
    XLINK_TITLE,
    Foreign,
    Inline,
    is_unsafe,
    write_inline,
)
from ..render.svg_write import local as _local
from ..render.svg_write import prefix_ids as _prefix_ids
from . import targets

_S = f"{{{SVG_NS}}}"
_LINK = _S + "a"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_MARKER_KINDS = ("fail", "wait", "moment", "detail")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class DiagramError(ValueError):
    """The diagram text is not an SVG document."""


def _drop(root: ET.Element) -> None:
    """Drop the elements that could run, load or restyle the page, with what is inside."""
    dropped = {t for t in {e.tag for e in root.iter()} if _local(t) in DROP}
    if dropped:
        for parent in list(root.iter()):
            for child in [c for c in parent if c.tag in dropped]:
                parent.remove(child)


def _as_group(link: ET.Element) -> tuple[dict[str, str], ET.Element | None]:
    """What a link becomes: a group with its safe attributes, but for its tooltip, which
    becomes its first `<title>` unless it has one (the title to insert, or None)."""
    attrib = {n: v for n, v in link.attrib.items() if not is_unsafe(n, v)}
    tip = attrib.pop(XLINK_TITLE, None)
    if not tip or any(_local(c.tag) == "title" for c in link):
        return attrib, None
    title = ET.Element(_S + "title")
    title.text = tip
    return attrib, title


def _sanitize(root: ET.Element) -> set[str]:
    """For ElementTree to write the tree as `write_inline` does: drop the elements that
    could run, load or restyle, make links groups and strip every unsafe attribute; the
    tags left in the tree."""
    _drop(root)
    for element in [e for e in root.iter() if _local(e.tag) == "a"]:
        attrib, title = _as_group(element)
        element.tag = _S + "g"
        element.attrib.clear()
        element.attrib.update(attrib)
        if title is not None:
            element.insert(0, title)
    _strip_attributes(root.iter())
    return {e.tag for e in root.iter()}


def _strip_attributes(elements: Iterable[ET.Element]) -> None:
    for element in elements:
        attrib = element.attrib
        for name in [n for n, value in attrib.items() if is_unsafe(n, value)]:
            del attrib[name]


def _view_box(attrib: dict[str, str]) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in _NUMBER.findall(attrib.get("viewBox", ""))]
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return numbers[0], numbers[1], numbers[2], numbers[3]
    sizes = [_NUMBER.findall(attrib.get(name, "")) for name in ("width", "height")]
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

    def inline_ref(self, element: ET.Element) -> str | None:
        """`ref_text` of a group, or of a link as the group it becomes (`_as_group`)."""
        if element.tag == _LINK and ("id" in element.attrib or "class" in element.attrib):
            attrib, title = _as_group(element)
            group = ET.Element(_S + "g", attrib)
            group.extend([title, *element] if title is not None else element)
            element = group
        return self.ref_text(element)

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


def report_root(root: ET.Element, label: str) -> dict[str, str] | None:
    """The attributes of the root of the inlined drawing: its fixed size replaced by a
    `viewBox`, its accessible name `label`; None without a viewBox or a size."""
    attrib = {n: v for n, v in root.attrib.items() if not is_unsafe(n, v)}
    try:
        x, y, w, h = _view_box(attrib)
    except DiagramError:
        return None
    view_box = " ".join(_fmt(v) for v in (x, y, w, h))
    for name in ("width", "height", "style", "x", "y"):
        attrib.pop(name, None)
    attrib.update(
        {
            "viewBox": view_box,
            "data-bp-viewbox": view_box,
            "preserveAspectRatio": "xMidYMid meet",
            "role": "img",
            "aria-label": label,
            "class": "bp-diagram",
        }
    )
    return attrib


def inline_for(bp: Blueprint | None, label: str) -> Inline:
    """How the report inlines a drawing of `bp` (see `render.svg_write.write_inline`);
    `label` is the drawing's accessible name (the blueprint's title)."""
    index = _RefIndex(bp) if bp is not None else None
    return _inline(index, lambda root: report_root(root, label))


def _inline(index: _RefIndex | None, root: Callable[[ET.Element], dict[str, str] | None]) -> Inline:
    return Inline(root, None if index is None else index.inline_ref, [])


def prepare_svg(svg_text: str, bp: Blueprint | None, label: str) -> str:
    """The SVG as safe, well-formed markup with `data-bp-ref`s, ready to inline.

    `label` is the accessible name of the diagram (the blueprint's title). Raises
    `DiagramError` when the text is not an SVG document. (`render.svg_post.post_process`
    writes the same text for its drawing, given `inline_for`.)
    """
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as error:
        raise DiagramError(f"the diagram is not well-formed XML: {error}") from None
    if _local(root.tag) != "svg":
        raise DiagramError("the diagram is not an SVG document")
    _drop(root)
    attrib = report_root(root, label)
    if attrib is None:
        raise DiagramError("the SVG has neither a viewBox nor a width and height")
    index = _RefIndex(bp) if bp is not None else None  # once, for either writer
    try:
        return b"".join(write_inline(root, _inline(index, lambda _: attrib))[0]).decode("utf-8")
    except Foreign:  # not a drawing of ours: the tree is changed, ElementTree writes it
        tags = _sanitize(root)
        root.attrib.clear()
        root.attrib.update(attrib)
        if index is not None:
            groups = {t for t in tags if _local(t) == "g"}
            _set_refs(root, index, groups)
        _prefix_ids(root)
        return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _set_refs(root: ET.Element, index: _RefIndex, groups: set[str]) -> None:
    """Each group's `data-bp-ref`, in the tree (as `write_inline` writes them)."""
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
