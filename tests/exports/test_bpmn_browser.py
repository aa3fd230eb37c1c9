"""The BPMN export in bpmn-js, in the system Chromium (Playwright), from a local npm install
(BPC_BPMN=1 and BPC_BPMN_MODULES=…/node_modules, set by .ci/run; no CDN): the import gives
no warnings, the lanes come out in zone order, every action is a shape inside its lane and
every flow a connection; a screenshot of each is written beside the page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from blueprint_dsl.exports.bpmn import export_bpmn
from blueprint_dsl.exports.bpmn_xml import drawn_lanes, xml_ids, xml_label
from blueprint_dsl.exports.common import lane_title
from blueprint_dsl.model.blueprint import FlowKind
from blueprint_dsl.render.layout import compute_layout

from ..conftest import ROOT, SAMPLES
from .test_bpmn import bp_of

CHROMIUM = Path("/usr/bin/chromium")
PATHS = [*SAMPLES, ROOT / "tests" / "data" / "hostile.bp"]

pytestmark = pytest.mark.skipif(
    os.environ.get("BPC_BPMN") != "1" or not os.environ.get("BPC_BPMN_MODULES"),
    reason="set BPC_BPMN=1 and BPC_BPMN_MODULES=…/node_modules (bpmn-js) for the browser test",
)

IMPORT_JS = """async (xml) => {
  const viewer = new BpmnJS({ container: '#canvas' });
  const result = await viewer.importXML(xml);
  viewer.get('canvas').zoom('fit-viewport');
  const registry = viewer.get('elementRegistry');
  const pick = (type) => registry.filter(e => e.type === type);
  const box = e => ({ id: e.id, name: e.businessObject.name || '', x: e.x, y: e.y,
                      w: e.width, h: e.height, parent: e.parent && e.parent.id });
  return {
    warnings: result.warnings.map(w => String(w.message)),
    lanes: pick('bpmn:Lane').map(box),
    nodes: registry.filter(e => /Task|Gateway|CallActivity|Event$/.test(e.type)
                                && e.type !== 'label').map(box),
    flows: pick('bpmn:SequenceFlow').map(e => ({ id: e.id, source: e.source && e.source.id,
                                                 target: e.target && e.target.id })),
    associations: pick('bpmn:Association').length,
  };
}"""


def page_html() -> str:
    modules = Path(os.environ.get("BPC_BPMN_MODULES", ""))
    dist = modules / "bpmn-js" / "dist"
    css = [dist / "assets" / "diagram-js.css", dist / "assets" / "bpmn-js.css"]
    links = "".join(f'<link rel="stylesheet" href="{p.as_uri()}">' for p in css)
    script = (dist / "bpmn-viewer.production.min.js").as_uri()
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"{links}<style>html,body,#canvas{{margin:0;width:100%;height:100%}}</style>"
        f'<script src="{script}"></script></head><body><div id="canvas"></div></body></html>'
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
def test_bpmn_js_imports_the_export_as_drawn(path: Path, browser: Browser, tmp_path: Path) -> None:
    bp = bp_of(path)
    page_file = tmp_path / "viewer.html"
    page_file.write_text(page_html(), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1800, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    found: dict[str, Any] = page.evaluate(IMPORT_JS, export_bpmn(bp).text)
    page.screenshot(path=str(tmp_path / f"{path.name}.png"))
    page.close()
    assert errors == [] and found["warnings"] == []
    assert all(url.startswith("file://") for url in requests), requests  # no network
    lanes = found["lanes"]
    drawn = drawn_lanes(bp, compute_layout(bp))
    assert [lane["name"] for lane in lanes] == [xml_label(lane_title(bp, ln)) for ln in drawn]
    ys = [lane["y"] for lane in lanes]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    names = xml_ids(bp)
    by_id = {lane["id"]: lane for lane in lanes}
    nodes = {node["id"]: node for node in found["nodes"]}
    for action in bp.actions:
        node = nodes[f"Action_{names[f'action:{action.key}']}"]
        assert node["name"] == xml_label(action.label)
        lane = by_id[f"Lane_{names[f'lane:{action.lane}']}"]
        assert lane["y"] <= node["y"] and node["y"] + node["h"] <= lane["y"] + lane["h"]
    flows = found["flows"]
    assert len(flows) == sum(1 for f in bp.flows if f.kind is not FlowKind.INFO) + 2
    assert all(flow["source"] and flow["target"] for flow in flows)
    fails = sum(len(a.fails) for a in bp.actions)
    infos = sum(1 for f in bp.flows if f.kind is FlowKind.INFO)
    assert found["associations"] == fails + infos
    assert (tmp_path / f"{path.name}.png").stat().st_size > 10_000
