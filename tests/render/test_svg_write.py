"""A drawing is written in one walk for the .svg and for the report
(`render.svg_write.write_inline`): the .svg as ElementTree writes it, the report's
drawing as `report.svg.prepare_svg` makes it with ElementTree (its fallback), byte for
byte, and the tree is left as it was."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.api import compile_file
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render import blueprint_dot, resolve_engine, svg_write
from blueprint_dsl.render.svg_post import post_process
from blueprint_dsl.render.svg_write import Foreign, write_inline, write_plain
from blueprint_dsl.report import svg as report_svg
from blueprint_dsl.report.svg import inline_for, prepare_svg

from ..conftest import SAMPLES
from ..report_helpers import HOSTILE, TINY_SVG

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

ODD_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:x="urn:other" viewBox="0 0 10 10" id="r"><title>A &amp; "B" &lt;c&gt;</title>
<g id="g&#10;1" class="a&#9;b" fill="url(#p)" x:odd="1"><text xml:space="preserve">&#13;x</text>
<empty/><rect width="1" style="fill:url( #q)"/>tail &gt; text</g></svg>"""

#: Links with an id and a class (made groups before they are looked up), a tooltip
#: beside a title, unsafe attributes, a tooltip with an external url, a `data-bp-ref`
#: already there, a tooltip on a group (kept, so the xlink namespace is declared).
LINKS_SVG = f"""<svg xmlns="{SVG}" xmlns:xlink="{XLINK}" width="20pt" height="10pt"
 onload="x()" style="a"><g id="action-{{key}}" class="node" data-bp-ref="old">
<a xlink:href="http://e" xlink:title="{{other}}" target="_top" id="a1" class="node">
<text>t</text></a><a xlink:title="second"><title>own</title></a><a xlink:title=""/>
<a xlink:title="url(http://e)" onclick="y()"/><a xlink:title="tip &amp; more"/></g>
<g class="edge" xlink:title="kept"><title>{{key}}-&gt;{{key}}</title><path d="M0 0"/></g></svg>"""


def _restaurant() -> Blueprint:
    bp = compile_file(SAMPLES[0]).blueprint
    assert bp is not None
    return bp


def _by_elementtree(text: str, bp: Blueprint | None, label: str) -> str:
    """What `prepare_svg` makes of `text` when ElementTree writes it (its fallback)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise Foreign

    with mock.patch.object(report_svg, "write_inline", refuse):
        return prepare_svg(text, bp, label)


def _elementtree_bytes(root: ET.Element) -> bytes:
    out = io.BytesIO()
    ET.ElementTree(root).write(
        out, encoding="utf-8", xml_declaration=False, short_empty_elements=True
    )
    return out.getvalue()


def _texts(name: str) -> tuple[str, Blueprint]:
    bp = _restaurant()
    if name == "tiny":
        return TINY_SVG.read_text("utf-8"), bp
    if name == "odd-no-foreign":
        return ODD_SVG.replace(' x:odd="1"', ""), bp
    if name == "links":
        return LINKS_SVG.replace("{key}", bp.actions[0].key).replace(
            "{other}", bp.actions[1].key
        ), bp
    path = HOSTILE if name.startswith("hostile") else SAMPLES[0]
    drawn_bp = compile_file(path).blueprint
    assert drawn_bp is not None
    drawn = resolve_engine("auto", ["svg"]).render(blueprint_dot(drawn_bp), "svg")
    if name.endswith("-raw"):
        return drawn.decode(), drawn_bp
    return post_process(drawn, drawn_bp).decode(), drawn_bp


@pytest.mark.parametrize("flush", [None, 5], ids=["pieces", "small-pieces"])
@pytest.mark.parametrize("name", ["odd-no-foreign", "links", "drawing-raw", "drawing", "hostile"])
def test_the_svg_and_the_report_are_written_as_elementtree_writes_them(
    name: str, flush: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if flush is not None:  # the pieces joined and encoded every few elements
        monkeypatch.setattr(svg_write, "_FLUSH", flush)
    text, bp = _texts(name)
    root = ET.fromstring(text)
    before = _elementtree_bytes(root)
    report, svg = write_inline(root, inline_for(bp, "Title <&>"), plain=True)
    assert svg is not None and b"".join(svg) == before
    assert b"".join(write_plain(root)) == before  # the .svg alone
    assert _elementtree_bytes(root) == before  # the tree is not changed
    expected = _by_elementtree(text, bp, "Title <&>")
    assert b"".join(report).decode("utf-8") == expected
    assert prepare_svg(text, bp, "Title <&>") == expected
    assert "bp-svg-" in expected and 'aria-label="Title &lt;&amp;&gt;"' in expected


def test_what_the_report_drops_is_dropped_before_the_walk() -> None:
    """The tiny diagram holds a script and a style: the walk refuses them, `prepare_svg`
    drops them first."""
    text, bp = _texts("tiny")
    with pytest.raises(Foreign):
        write_inline(ET.fromstring(text), inline_for(bp, "t"))
    expected = _by_elementtree(text, bp, "t")
    assert prepare_svg(text, bp, "t") == expected and "<script" not in expected


def test_links_become_groups_and_keep_what_they_stand_for() -> None:
    text, bp = _texts("links")
    report = prepare_svg(text, bp, "t")
    key, other = bp.actions[0].key, bp.actions[1].key
    assert "<a " not in report and "href" not in report and "onclick" not in report
    # the link is looked up as the group it becomes: its tooltip its title
    assert (
        f'<g id="bp-svg-a1" class="node" data-bp-ref="action:{other}">\n<title>{other}</title>'
        in report
    )
    assert "<g><title>own</title></g>" in report and "second" not in report
    assert "<g><title>tip &amp; more</title></g>" in report and "<g />\n<g />" in report
    assert 'xlink:title="kept"' in report and 'xmlns:xlink="' in report
    assert f'data-bp-ref="action:{key}"' in report and "old" not in report


@pytest.mark.parametrize("change", ["foreign namespace", "comment", "dropped element"])
def test_a_tree_it_cannot_write_is_left_to_elementtree(change: str) -> None:
    text, bp = _texts("drawing")
    if change == "foreign namespace":
        text = ODD_SVG

    def tree() -> ET.Element:
        root = ET.fromstring(text)
        if change == "comment":
            root[-1].append(ET.Comment(" a note "))
        elif change == "dropped element":
            root[-1].append(ET.Element(f"{{{SVG}}}image", {"href": "x.png"}))
        return root

    inline = inline_for(bp, "t")
    with pytest.raises(Foreign):
        write_inline(tree(), inline, plain=True)
    if change != "dropped element":  # the .svg keeps what the report drops
        with pytest.raises(Foreign):
            write_plain(tree())
    else:
        assert b"".join(write_plain(tree())) == _elementtree_bytes(tree())
    assert post_process(tree(), bp, inline=inline) == post_process(tree(), bp)
    assert inline.written == []  # the report makes its drawing from the text then


_TAGS = ["g", "a", "title", "text", "rect", "tspan", "image"]
_TEXT = st.text(alphabet='ab &<>"\n\t管', max_size=6)


def _attributes(keys: list[str]) -> st.SearchStrategy[dict[str, str]]:
    values = {
        "id": st.sampled_from([*(f"action-{k}" for k in keys), "flow-0", "node1", "a&b", "x"]),
        "class": st.sampled_from(["node", "edge", "node x", "", "graph"]),
        "href": st.sampled_from(["#x", "javascript:alert(1)"]),
        f"{{{XLINK}}}href": st.just("http://example.com"),
        f"{{{XLINK}}}title": st.sampled_from(["", "tip", "a<b", "url(http://e)"]),
        "onclick": st.just("x()"),
        "target": st.just("_top"),
        "style": st.sampled_from(["fill:url(#p)", "fill:url( http://e)", "fill: red"]),
        "fill": st.sampled_from(["url(#g)", "url(\t#g)", "#fff", "a\rb"]),
        "data-bp-ref": st.just("old"),
        "{http://www.w3.org/XML/1998/namespace}space": st.just("preserve"),
    }
    return st.dictionaries(st.sampled_from(sorted(values)), st.none(), max_size=4).flatmap(
        lambda names: st.fixed_dictionaries({n: values[n] for n in names})
    )


def _trees(keys: list[str]) -> st.SearchStrategy[ET.Element]:
    def element(children: st.SearchStrategy[list[ET.Element]]) -> st.SearchStrategy[ET.Element]:
        return st.builds(_made, st.sampled_from(_TAGS), _attributes(keys), _TEXT, _TEXT, children)

    leaves = element(st.just([]))
    return st.recursive(leaves, lambda inner: element(st.lists(inner, max_size=3)), max_leaves=12)


def _made(
    tag: str, attrib: dict[str, str], text: str, tail: str, children: list[ET.Element]
) -> ET.Element:
    made = ET.Element(f"{{{SVG}}}{tag}", attrib)
    made.text, made.tail = text or None, tail or None
    made.extend(children)
    return made


_KEYS = [a.key for a in _restaurant().actions[:3]]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(_trees(_KEYS), max_size=4), view=st.booleans())
def test_any_drawing_is_written_as_elementtree_writes_it(
    body: list[ET.Element], view: bool
) -> None:
    root = ET.Element(f"{{{SVG}}}svg", {"viewBox": "0 0 5 5"} if view else {})
    root.set("height", "5pt")
    root.extend(body)
    text = ET.tostring(root, encoding="unicode")
    bp = _restaurant()
    if not view:  # neither a viewBox nor a width and height
        with pytest.raises(report_svg.DiagramError):
            prepare_svg(text, bp, "t")
        return
    assert prepare_svg(text, bp, "t") == _by_elementtree(text, bp, "t")
    parsed = ET.fromstring(text)
    assert b"".join(write_plain(parsed)) == _elementtree_bytes(ET.fromstring(text))
    if not any(e.tag == f"{{{SVG}}}image" for e in parsed.iter()):
        svg = write_inline(parsed, inline_for(bp, "t"), plain=True)[1]
        assert svg is not None and b"".join(svg) == _elementtree_bytes(ET.fromstring(text))


@pytest.mark.parametrize("flush", [None, 1], ids=["pieces", "a-piece-each"])
def test_the_svg_alone_declares_what_is_used_deep_inside(
    flush: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root's namespaces are known only once the walk is over: a name deep inside
    still gets its declaration on the root, whose tag may be any text."""
    if flush is not None:
        monkeypatch.setattr(svg_write, "_FLUSH", flush)
    text = f'<图 a="1"><b>x</b><b><c xmlns:l="{XLINK}" l:title="深" /></b>尾</图>'
    written = b"".join(write_plain(ET.fromstring(text)))
    assert written == _elementtree_bytes(ET.fromstring(text))
    assert written.startswith(f'<图 xmlns:xlink="{XLINK}" a="1">'.encode())
