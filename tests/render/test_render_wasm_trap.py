"""The embedded Graphviz after a WebAssembly trap, and the DOT that set one off.

A plain label whose first line is empty (the label starts with a line break, `\\n`,
`\\l` or `\\r`) makes the embedded Graphviz keep a text span it never initialised: the
array of spans is grown with a "zero the new elements" reallocation that leaves the
first element as malloc returned it, and an empty line skips the code that fills it in.
On a fresh instance that memory is zero and nothing happens; after earlier drawings it
holds stale data, and freeing the label calls a stale function pointer through the
table: "wasm trap: undefined element: out of bounds table access".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from blueprint_dsl.compiler import compile_text
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render import engines
from blueprint_dsl.render.engines import Engine, EngineError
from blueprint_dsl.render.pipeline import blueprint_dot

from ..render_fixtures import property_repair, restaurant

SVG = "{http://www.w3.org/2000/svg}"
EMOJI = "\U0001f642"
FIRST_LINE_EMPTY = (
    'digraph G { n [pos="100,100!", width=2, height=0.5, shape=box, fontsize=10, '
    f'label="\\n{EMOJI}"]; }}'
)
ODD = f"""blueprint "Odd" {{
}}
lane quiet "" in onstage
step "s" {{
  evidence "\\n{EMOJI}"
  customer a "A" -> b
  quiet b "B"
}}
"""


def _odd_blueprint() -> Blueprint:
    result = compile_text(ODD, "odd.bp")
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    return result.blueprint


def _used_engine() -> Engine:
    """A fresh embedded instance that has drawn one blueprint: a known, used heap."""
    engines._release_embedded()
    engine = Engine("embedded")
    engine.render(blueprint_dot(property_repair()), "svg")
    return engine


def _texts(svg: bytes) -> list[tuple[str, str, str]]:
    """(text, x, y) of every visible text of the drawing."""
    return [
        (t.text, t.get("x", ""), t.get("y", ""))
        for t in ET.fromstring(svg).iter(f"{SVG}text")
        if t.text and t.text.strip()
    ]


def test_a_trap_is_one_line_and_the_next_drawing_gets_a_fresh_engine() -> None:
    engine = _used_engine()
    with pytest.raises(EngineError) as info:
        engine.render(FIRST_LINE_EMPTY, "svg")
    message = str(info.value)
    assert "wasm trap" in message and "\n" not in message, message
    # The next drawing runs in a new instance: its heap is zeroed, so even this DOT draws.
    assert EMOJI in [text for text, _x, _y in _texts(engine.render(FIRST_LINE_EMPTY, "svg"))]


def test_after_a_trap_a_normal_file_draws_as_in_a_fresh_process() -> None:
    engines._release_embedded()
    fresh = Engine("embedded").render(blueprint_dot(restaurant()), "svg")
    engine = _used_engine()
    with pytest.raises(EngineError):
        engine.render(FIRST_LINE_EMPTY, "svg")
    assert engine.render(blueprint_dot(restaurant()), "svg") == fresh


def test_no_label_we_write_starts_with_a_line_break() -> None:
    dot = blueprint_dot(_odd_blueprint())
    assert not re.search(r'label="\\[nlr]', dot), "a label whose first line is empty"
    svg = _used_engine().render(dot, "svg")  # the heap state in which the old DOT trapped
    assert EMOJI in [text for text, _x, _y in _texts(svg)]


def test_the_odd_evidence_is_drawn_where_it_was() -> None:
    """The first line is kept as one space: the visible text does not move."""
    dot = blueprint_dot(_odd_blueprint())
    old_dot = re.sub(r'(label=") (?=\\n)', r"\1", dot)
    assert old_dot != dot
    engines._release_embedded()  # a zeroed heap: the old DOT draws without a trap
    before = Engine("embedded").render(old_dot, "svg")
    engines._release_embedded()
    after = Engine("embedded").render(dot, "svg")
    assert _texts(before) == _texts(after)
