"""Prepare a diagram's SVG text for inlining in a report.

The SVG comes from our own renderer, but it carries text from the .bp file, so it is
parsed and written out again rather than pasted: the result is well-formed, holds no
script, event handler, foreign object or link, and its fixed size is replaced by a
`viewBox` the report's script zooms and pans.

Every diagram element that stands for a model element gets a `data-bp-ref` attribute
(see `targets`), found from the Graphviz ids the renderer writes:

    node  id="action-<key>"                 -> action:<key>
    node  id="fail-<key>" / "wait-<key>" /
          "moment-<key>" / "detail-<key>"   -> action:<key>  (markers of that action)
    edge  id="flow-<n>"                     -> flow:<n>      (index in Blueprint.flows)
    node  id="evidence-<n>"                 -> evidence:<n>  (index in Blueprint.evidence)
    node  id="step-<n>"                     -> step:<n>      (1-based step index)

An id may carry a `bp-` prefix. As a fallback, a Graphviz node whose `<title>` (the
DOT node name) is an action key, and an edge titled `<source>-><target>`, are mapped
too, so a diagram drawn with plain node names still links up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..model.blueprint import Blueprint
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


def _walk(parent: ET.Element) -> Iterator[ET.Element]:
    yield parent
    for child in parent:
        yield from _walk(child)


def _sanitize(root: ET.Element) -> None:
    for parent in _walk(root):
        for child in [c for c in parent if _local(c.tag) in _DROP]:
            parent.remove(child)
    for element in _walk(root):
        for name in list(element.attrib):
            local = _local(name).lower()
            value = element.attrib[name]
            if local.startswith("on") or local in ("href", "target") or _EXTERNAL_URL.search(value):
                del element.attrib[name]
        if _local(element.tag) == "a":
            # A link without its target is a group; its tooltip becomes a <title>.
            element.tag = _S + "g"
            tip = element.attrib.pop(_XLINK_TITLE, None)
            if tip and not any(_local(c.tag) == "title" for c in element):
                title = ET.Element(_S + "title")
                title.text = tip
                element.insert(0, title)


def _prefix_ids(root: ET.Element) -> None:
    """Ids carry names from the .bp file: prefix them so none clashes with the report's own,
    and follow the prefix in `url(#…)` references (gradients, clip paths)."""
    for element in _walk(root):
        for name, value in element.attrib.items():
            if name == "id":
                element.set(name, _ID_PREFIX + value)
            elif "url(" in value:
                element.set(name, _URL_REF.sub(f"url(#{_ID_PREFIX}", value))


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
            for kind in _MARKER_KINDS:
                self.by_id[f"{kind}-{key}"] = ref
        for index, _flow in enumerate(bp.flows):
            self.by_id[f"flow-{index}"] = targets.flow_ref(index)
        for index, _evidence in enumerate(bp.evidence):
            self.by_id[f"evidence-{index}"] = targets.evidence_ref(index)
        for step in bp.steps:
            self.by_id[f"step-{step.index}"] = targets.step_ref(step.index)
        self.node_titles = {key: targets.action_ref(key) for key in keys}
        self.edge_titles: dict[str, list[str]] = {}
        for index, flow in enumerate(bp.flows):
            title = f"{flow.source}->{flow.target}"
            self.edge_titles.setdefault(title, []).append(targets.flow_ref(index))

    def refs(self, element: ET.Element) -> list[str]:
        element_id = element.get("id", "")
        ref = self.by_id.get(element_id.removeprefix("bp-"))
        if ref is not None:
            return [ref]
        classes = element.get("class", "").split()
        title = next((c.text or "" for c in element if _local(c.tag) == "title"), None)
        if title is None:
            return []
        if "node" in classes and title in self.node_titles:
            return [self.node_titles[title]]
        if "edge" in classes:
            return list(self.edge_titles.get(title, ()))
        return []


def prepare_svg(svg_text: str, bp: Blueprint | None, label: str) -> str:
    """The SVG as safe, well-formed markup with `data-bp-ref`s, ready to inline.

    `label` is the accessible name of the diagram (the blueprint's title).
    Raises `DiagramError` when the text is not an SVG document.
    """
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as error:
        raise DiagramError(f"the diagram is not well-formed XML: {error}") from None
    if _local(root.tag) != "svg":
        raise DiagramError("the diagram is not an SVG document")
    _sanitize(root)
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
        for element in _walk(root):
            if _local(element.tag) != "g":
                continue
            refs = index.refs(element)
            if refs:
                element.set("data-bp-ref", " ".join(refs))
    _prefix_ids(root)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)
