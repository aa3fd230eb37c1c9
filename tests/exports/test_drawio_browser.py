"""The draw.io export read by mxGraph, the diagram library draw.io is built on (npm package
mxgraph 4.2.2 from a local install, BPC_DRAWIO_MODULES=…/node_modules, set by .ci/run), in
the system Chromium: the model decodes without an error, every cell of the file is in it,
every flow is connected to its two boxes, and every box lies inside its lane on screen.
There is no draw.io application here; this is the closest check to opening the file.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from blueprint_dsl.exports.drawio import export_drawio

from ..conftest import ROOT, SAMPLES
from .test_drawio import bp_of

CHROMIUM = Path("/usr/bin/chromium")
PATHS = [*SAMPLES, ROOT / "tests" / "data" / "hostile.bp"]

pytestmark = pytest.mark.skipif(
    not os.environ.get("BPC_DRAWIO_MODULES"),
    reason="set BPC_DRAWIO_MODULES=…/node_modules (npm package mxgraph) for the mxGraph test",
)

DECODE_JS = """(xml) => {
  const doc = mxUtils.parseXml(xml);
  const graph = new mxGraph(document.getElementById('graph'));
  graph.convertValueToString = (cell) => mxUtils.isNode(cell.value)
    ? cell.value.getAttribute('label') : (cell.value == null ? '' : String(cell.value));
  new mxCodec(doc).decode(doc.getElementsByTagName('mxGraphModel')[0], graph.getModel());
  const cells = Object.values(graph.getModel().cells);
  const state = (cell) => graph.view.getState(cell);
  const box = (cell) => { const s = state(cell); return s && [s.x, s.y, s.width, s.height]; };
  return {
    ids: cells.map(c => c.id),
    edges: cells.filter(c => c.edge && c.source != null).map(c => ({
      id: c.id, source: c.source && c.source.id, target: c.target && c.target.id,
      points: state(c) ? state(c).absolutePoints.length : 0 })),
    inside: cells.filter(c => c.vertex && c.parent && String(c.parent.id).startsWith('lane_'))
      .map(c => ({ id: c.id, box: box(c), lane: box(c.parent) })),
  };
}"""


def page_html() -> str:
    javascript = Path(os.environ.get("BPC_DRAWIO_MODULES", "")) / "mxgraph" / "javascript"
    return (
        '<!doctype html><html><head><meta charset="utf-8"><script>'
        f'var mxBasePath = "{(javascript / "src").as_uri()}"; var mxLoadResources = false;'
        f'</script><script src="{(javascript / "mxClient.js").as_uri()}"></script></head>'
        '<body style="margin:0"><div id="graph" style="position:relative;width:1800px;'
        'height:1400px;overflow:hidden"></div></body></html>'
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"the system Chromium is missing ({CHROMIUM})"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_mxgraph_reads_the_export(path: Path, browser: Browser, tmp_path: Path) -> None:
    text = export_drawio(bp_of(path)).text
    page_file = tmp_path / "graph.html"
    page_file.write_text(page_html(), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1800, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    page.goto(page_file.as_uri())
    found: dict[str, Any] = page.evaluate(DECODE_JS, text)
    page.screenshot(path=str(tmp_path / f"{path.name}.png"))
    page.close()
    assert errors == []
    written = [
        str(e.get("id")) for e in ET.fromstring(text).iterfind("diagram/mxGraphModel/root/*")
    ]
    assert sorted(found["ids"]) == sorted(written)
    flows = [e for e in written if e.startswith("flow_")]
    assert sorted(edge["id"] for edge in found["edges"]) == sorted(flows)
    for edge in found["edges"]:
        assert edge["source"] and edge["target"] and edge["points"] >= 2, edge
    assert found["inside"], "no cell inside a lane"
    for cell in found["inside"]:
        (x, y, w, h), (lx, ly, lw, lh) = cell["box"], cell["lane"]
        assert lx - 0.5 <= x and x + w <= lx + lw + 0.5, cell
        assert ly - 0.5 <= y and y + h <= ly + lh + 0.5, cell
