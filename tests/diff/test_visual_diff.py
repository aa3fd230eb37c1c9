"""`bpc diff --format svg|html`: the new drawing with added, changed and removed parts
marked on it, beside the text diff's change list. Two real versions of the restaurant
sample (and the reverse, where a whole step goes), a Chinese pair, hostile labels,
identical inputs, determinism, contrast, and the command line (exit codes, -o, atomic
writes, git:REV:PATH)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli.diff import diff_command
from blueprint_dsl.diff.compare import diff_blueprints
from blueprint_dsl.diff.output import format_text
from blueprint_dsl.diff.visual import visual_diff
from blueprint_dsl.diff.visual_ghosts import place_ghosts
from blueprint_dsl.diff.visual_marks import marks_for
from blueprint_dsl.diff.visual_style import INK, MUTED, PANEL_FILL, STATES, contrast
from blueprint_dsl.model.blueprint import Blueprint
from blueprint_dsl.render.layout import compute_layout

from ..conftest import ROOT

V1 = "samples/restaurant.bp"
V2 = "tests/data/restaurant.v2.bp"
ZH1 = "samples/property-repair.zh.bp"
ZH2 = "tests/data/property-repair.zh.v2.bp"
H1 = "tests/data/hostile.bp"
H2 = "tests/data/hostile.v2.bp"
NS = "{http://www.w3.org/2000/svg}"


def load(path: str) -> Blueprint:
    result = compile_text((ROOT / path).read_text(encoding="utf-8"), path)
    assert result.blueprint is not None and not result.has_errors, result.diagnostics
    return result.blueprint


def svg_of(old: str, new: str) -> tuple[ET.Element, str]:
    text = visual_diff(load(old), load(new), "svg")
    return ET.fromstring(text.encode("utf-8")), text


def groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id", ""): g for g in root.iter(NS + "g") if g.get("id")}


def classes(g: ET.Element) -> set[str]:
    return set(g.get("class", "").split())


def strokes(g: ET.Element) -> set[str]:
    return {e.get("stroke", "") for e in g.iter() if e.get("stroke") and e.tag != NS + "g"}


def words(text: str) -> str:
    return " ".join(text.split())


def list_lines(root: ET.Element) -> list[str]:
    panel = groups(root)["vd-changes"]
    return [
        words("".join(t.itertext())) for t in panel.iter(NS + "text") if "vd-line" in classes(t)
    ]


def text_lines(old: str, new: str) -> list[str]:
    diff = diff_blueprints(load(old), load(new))
    return [words(line) for line in format_text(diff).splitlines() if line.strip()]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(diff_command, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------ the real sample


def test_restaurant_v2_marks_added_changed_and_removed(in_root: Path) -> None:
    root, _ = svg_of(V1, V2)
    g = groups(root)
    added, changed, removed = STATES["added"], STATES["changed"], STATES["removed"]
    # added: the dessert step's two actions, its header, evidence, flows
    for key in ("dessert", "suggest"):
        assert "vd-added" in classes(g[f"action-{key}"])
        assert strokes(g[f"action-{key}"]) == {added.stroke}
    assert "vd-added" in classes(g["step-5"])
    # changed: a moment of truth, times, a lane move, a rename, a new fail point
    for key in ("serve", "greet", "cook", "confirm", "bill", "take_order"):
        assert "vd-changed" in classes(g[f"action-{key}"]), key
        assert strokes(g[f"action-{key}"]) == {changed.stroke}
    # untouched actions keep the theme's look
    for key in ("book", "arrive", "pay", "pos"):
        assert not classes(g[f"action-{key}"]) & {"vd-added", "vd-changed"}
        assert added.stroke not in strokes(g[f"action-{key}"])
    # flows: two added, one removed (a dashed ghost where it was)
    flow_marks = [x for x in g.values() if "edge" in classes(x) and "vd-added" in classes(x)]
    assert {x.get("id") for x in flow_marks} == {"flow-take_order-pos", "flow-dessert-suggest"}
    ghost = g["ghost-flow-send_order-pos"]
    assert {"vd-ghost", "vd-removed"} <= classes(ghost)
    path = ghost.find(NS + "path")
    assert (
        path is not None and path.get("stroke-dasharray") and path.get("stroke") == removed.stroke
    )
    title = ghost.find(NS + "title")
    assert title is not None and title.text == "removed: Ticket to kitchen --> POS"
    # the legend and every badge glyph
    legend = "".join(g["vd-legend"].itertext())
    assert "added" in legend and "changed" in legend and "removed" in legend
    badges = {"".join(b.itertext()) for b in root.iter(NS + "g") if "vd-badge" in classes(b)}
    assert {"+", "~", "−"} <= badges


def test_change_list_is_the_text_diff(in_root: Path) -> None:
    root, _ = svg_of(V1, V2)
    assert list_lines(root) == text_lines(V1, V2)


def test_panel_does_not_overlap_the_drawing(in_root: Path) -> None:
    root, _ = svg_of(V1, V2)
    graph = next(g for g in root.iter(NS + "g") if "graph" in classes(g))
    panel = groups(root)["vd-changes"].find(NS + "rect")
    assert panel is not None
    box = next(p for p in graph.iter(NS + "polygon"))  # the drawing's own background
    ys = [float(v.split(",")[1]) for v in (box.get("points") or "").split()]
    translate = graph.get("transform", "").split("translate(")[1].rstrip(")").split()
    drawing_bottom = max(ys) + float(translate[1])
    assert float(panel.get("y", "0")) >= drawing_bottom
    _, y, _, h = (float(v) for v in root.get("viewBox", "").split())
    assert float(panel.get("y", "0")) + float(panel.get("height", "0")) <= y + h


def test_removed_actions_are_ghosts_with_their_labels(in_root: Path) -> None:
    """The reverse diff removes the whole Dessert step: no room is left where its actions
    were, so they are drawn below the drawing and numbered pins mark their place."""
    root, _ = svg_of(V2, V1)
    g = groups(root)
    for key, label in (("dessert", "Choose a dessert"), ("suggest", "Suggest desserts and coffee")):
        ghost = g[f"ghost-action-{key}"]
        assert {"vd-ghost", "vd-removed"} <= classes(ghost)
        text = ghost.find(NS + "text")
        assert text is not None and words("".join(text.itertext())) == label
        shape = ghost.find(NS + "rect")
        assert shape is not None and shape.get("stroke-dasharray")
    pins = [x for x in root.iter(NS + "g") if "vd-ghost-pin" in classes(x)]
    assert len(pins) == 2
    # set aside below the new drawing, where nothing else is drawn
    old, new = load(V2), load(V1)
    layout = compute_layout(new)
    ghosts, _ = place_ghosts(
        old, compute_layout(old), layout, marks_for(old, new, diff_blueprints(old, new))
    )
    assert [g.number for g in ghosts] == [1, 2]
    assert all(g.rect.y0 > layout.height and g.pin is not None for g in ghosts)
    assert not any(g.pin.overlaps(a.rect) for g in ghosts if g.pin for a in layout.actions)
    assert "ghost-flow-dessert-suggest" in g
    assert list_lines(root) == text_lines(V2, V1)


def test_ghosts_sit_where_they_were_and_cover_no_box(in_root: Path) -> None:
    old, new = load(ZH1), load(ZH2)
    marks = marks_for(old, new, diff_blueprints(old, new))
    new_layout = compute_layout(new)
    ghosts, flows = place_ghosts(old, compute_layout(old), new_layout, marks)
    assert [g.key for g in ghosts] == ["陪同"]
    ghost = ghosts[0]
    assert ghost.pin is None  # its cell is free in the new drawing: drawn in place
    column = new_layout.columns[3]  # step 4 “维修”
    band = next(b.rect for b in new_layout.bands if b.lane_id == "customer")
    assert ghost.rect.x0 < column < ghost.rect.x1
    assert band.y0 <= ghost.rect.y0 and ghost.rect.y1 <= band.y1
    assert not any(ghost.rect.overlaps(a.rect) for a in new_layout.actions)
    assert {(f.source, f.target) for f in flows} == {("陪同", "维修"), ("结算", "登记")}


def test_chinese_pair(in_root: Path) -> None:
    root, text = svg_of(ZH1, ZH2)
    g = groups(root)
    assert "vd-added" in classes(g["action-清理"])
    assert "vd-changed" in classes(g["action-维修"]) and "vd-changed" in classes(g["action-回访"])
    assert "陪同维修" in "".join(g["ghost-action-陪同"].itertext())
    assert list_lines(root) == text_lines(ZH1, ZH2)
    assert "清理现场并拍照" in text


# ------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """The tags of a page, its CSP, and the text of each `<li>` (badges left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.csp = ""
        self.items: list[tuple[str, str]] = []  # (class, text)
        self._item: list[str] | None = None
        self._class = ""
        self._badge = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp = values.get("content") or ""
        if tag == "li":
            self._item, self._class = [], values.get("class") or ""
        self._badge = tag == "span" and values.get("class") == "badge"

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            self.items.append((self._class, words("".join(self._item))))
            self._item = None
        self._badge = False

    def handle_data(self, data: str) -> None:
        if self._item is not None and not self._badge:
            self._item.append(data)


def test_html_page_holds_the_drawing_and_the_list(in_root: Path) -> None:
    page = visual_diff(load(V1), load(V2), "html")
    parser = _Page()
    parser.feed(page)
    assert page.startswith("<!DOCTYPE html>")
    assert parser.tags.count("svg") == 1 and "script" not in parser.tags
    assert "default-src 'none'" in parser.csp and "script-src" not in parser.csp
    assert not any(t in parser.tags for t in ("link", "img", "iframe", "object"))
    # the list items are the text diff's lines after its title and headings
    lines = text_lines(V1, V2)
    headings = {"Figures", "Header", "Steps", "Actions", "Flows", "Physical evidence"}
    headings |= {"Durations, waits and standards", "Fail points and recoveries"}
    assert [text for _, text in parser.items] == [x for x in lines[1:] if x not in headings]
    changes = [cls for cls, _ in parser.items if cls.startswith("change")]
    assert len(changes) == 17 and changes.count("change added") == 7
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert "vd-added" in classes(groups(root)["action-dessert"])
    assert "vd-changes" not in groups(root)  # the list is HTML here, not SVG text


def test_hostile_labels_stay_text(in_root: Path) -> None:
    old, new = load(H1), load(H2)
    for fmt in ("svg", "html"):
        out = visual_diff(old, new, fmt)
        for raw in ("<script", "<img", "<iframe", "<svg onload", "<svg/onload", "</text></svg>"):
            assert raw not in out.lower(), (fmt, raw)
    root = ET.fromstring(visual_diff(old, new, "svg").encode("utf-8"))
    g = groups(root)
    assert "{{ range(10**9) }}" in "".join(g["ghost-action-prep"].itertext())
    assert "vd-added" in classes(g["action-wipe"])
    assert g["action-wipe"].findtext(NS + "title") == (
        "</tspan></text><script>alert('added')</script>&amp;"
    )
    assert list_lines(root) == text_lines(H1, H2)


# --------------------------------------------------------------- no changes, bytes


def test_identical_inputs_draw_no_changes(in_root: Path) -> None:
    root, _ = svg_of(V1, V1)
    marked = [e for e in root.iter() if classes(e) & {"vd-added", "vd-changed", "vd-removed"}]
    marked = [e for e in marked if not _in_legend_or_list(root, e)]
    assert marked == []
    assert any("No semantic differences" in line for line in list_lines(root))
    assert "no semantic differences" in (root.findtext(NS + "title") or "")


def _in_legend_or_list(root: ET.Element, element: ET.Element) -> bool:
    g = groups(root)
    return any(element is e for key in ("vd-legend", "vd-changes") for e in g[key].iter())


def test_output_is_deterministic(in_root: Path) -> None:
    for fmt in ("svg", "html"):
        first = visual_diff(load(V1), load(V2), fmt)
        assert visual_diff(load(V1), load(V2), fmt) == first


def test_colours_have_contrast() -> None:
    for state in STATES.values():
        assert contrast(state.text, state.fill) >= 4.5, state.name
        assert contrast(state.text, "#ffffff") >= 4.5, state.name
        assert contrast(state.text, PANEL_FILL) >= 4.5, state.name
        assert contrast(state.badge_text, state.stroke) >= 4.5, state.name
    assert contrast(INK, PANEL_FILL) >= 4.5 and contrast(MUTED, PANEL_FILL) >= 4.5
    assert len({s.badge for s in STATES.values()}) == 3


# ---------------------------------------------------------------------- the CLI


def test_cli_needs_an_output_for_svg_and_html(in_root: Path) -> None:
    for fmt in ("svg", "html"):
        code, out, err = run(V1, V2, "--format", fmt)
        assert code == 2 and out == ""
        assert err.startswith("bpc: error: ") and "-o FILE" in err


def test_cli_exit_codes_and_stdout(in_root: Path) -> None:
    code, out, err = run(V1, V2, "--format", "svg", "-o", "-")
    assert code == 1, err
    assert out.startswith("<?xml") and out == visual_diff(load(V1), load(V2), "svg")
    code, out, _ = run(V1, V1, "--format", "html", "-o", "-")
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    code, out, _ = run(V1, V2)  # the text formats still default to stdout
    assert code == 1 and out.startswith("Restaurant dinner: ")


def test_cli_writes_atomically(
    in_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "changes.svg"
    target.parent.mkdir()
    target.write_text("previous", encoding="utf-8")
    code, out, err = run(V1, V2, "--format", "svg", "-o", str(target))
    assert code == 1 and out == "", err
    assert target.read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in target.parent.iterdir()) == ["changes.svg"]
    # a drawing that fails leaves the previous file as it was
    from blueprint_dsl.render import engines

    def broken(self: object, dot: str, fmt: str) -> bytes:
        raise engines.EngineError("Graphviz failed on purpose")

    monkeypatch.setattr(engines.Engine, "render", broken)
    target.write_text("previous", encoding="utf-8")
    code, _, err = run(V1, V2, "--format", "html", "-o", str(target))
    assert code == 2 and "Graphviz failed on purpose" in err
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in target.parent.iterdir()) == ["changes.svg"]


def test_cli_version_with_errors_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.bp").write_text('blueprint "x" {\n', encoding="utf-8")
    shutil.copy(ROOT / V1, tmp_path / "good.bp")
    code, out, err = run("good.bp", "bad.bp", "--format", "svg", "-o", "x.svg")
    assert code == 2 and out == "" and "bad.bp has errors; cannot compare" in err
    assert not (tmp_path / "x.svg").exists()


def test_cli_git_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    shutil.copy(ROOT / V1, tmp_path / "restaurant.bp")
    git("add", ".")
    git("commit", "-qm", "v1")
    shutil.copy(ROOT / V2, tmp_path / "restaurant.bp")
    code, out, err = run("git:HEAD:restaurant.bp", "restaurant.bp", "--format", "svg", "-o", "-")
    assert code == 1, err
    root = ET.fromstring(out.encode("utf-8"))
    assert "vd-added" in classes(groups(root)["action-dessert"])
    assert (
        list_lines(root)[0]
        == "Restaurant dinner: git:HEAD:restaurant.bp → restaurant.bp: 17 changes"
    )
    code, _, _ = run(
        "git:HEAD:restaurant.bp", "git:HEAD:restaurant.bp", "--format", "svg", "-o", "-"
    )
    assert code == 0


SHOP = """blueprint "Shop" {
  id "S-1"
  version "A/0"
}
lane clerk "Clerk" in onstage
lane stock "Stock room" in backstage
step browse "Browse" {
  customer look "Look around" -> help
  clerk help "Offer help"
  stock fetch "Fetch from stock"
  help -> fetch : "asks"
}
step "Pay" {
  customer pay "Pay" -> till
  clerk till "Take payment"
}
"""


def test_small_changes_flow_label_step_rename_lane_removed() -> None:
    new_text = (
        SHOP.replace(': "asks"', ': "asks for a size"')
        .replace('step "Pay"', 'step "Pay and go"')
        .replace('lane stock "Stock room" in backstage\n', "")
        .replace('  stock fetch "Fetch from stock"\n', "")
        .replace('  help -> fetch : "asks for a size"\n', "")
    )
    old = compile_text(SHOP, "old.bp").blueprint
    new = compile_text(new_text, "new.bp").blueprint
    assert old is not None and new is not None
    root = ET.fromstring(visual_diff(old, new, "svg").encode("utf-8"))
    g = groups(root)
    assert "vd-changed" in classes(g["step-2"])  # renamed
    assert "ghost-action-fetch" in g and "ghost-flow-help-fetch" in g
    # its lane is gone: the ghost is drawn at its old place, on no box of the new drawing
    layout = compute_layout(new)
    diff = diff_blueprints(old, new)
    ghosts, _ = place_ghosts(old, compute_layout(old), layout, marks_for(old, new, diff))
    assert not any(ghosts[0].rect.overlaps(a.rect) for a in layout.actions)
    relabelled = SHOP.replace(': "asks"', ': "asks for a size"')
    again = compile_text(relabelled, "new.bp").blueprint
    assert again is not None
    root = ET.fromstring(visual_diff(old, again, "svg").encode("utf-8"))
    assert "vd-changed" in classes(groups(root)["flow-help-fetch"])
