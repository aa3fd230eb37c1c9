"""Exports to Mermaid, PlantUML, D2 and CSV: structure for every sample, escaping of hostile
labels, determinism, the lost-features report, the Markdown fence and `export_other`.

A real Mermaid parse runs when BPC_MERMAID_CLI=1 (see test_mermaid_cli_renders), and a
real PlantUML parse when BPC_PLANTUML=1 with `plantuml` on PATH.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from blueprint_dsl.api import UsageError, compile_file, compile_text
from blueprint_dsl.cli.export import export_other, format_lost
from blueprint_dsl.exports import EXPORTERS, ExportResult, markdown_fence
from blueprint_dsl.exports.common import lane_title, used_lanes
from blueprint_dsl.exports.csv_export import COLUMNS, csv_cell
from blueprint_dsl.exports.d2 import d2_text
from blueprint_dsl.exports.mermaid import RESERVED as MERMAID_RESERVED
from blueprint_dsl.exports.mermaid import mermaid_text
from blueprint_dsl.exports.plantuml import plantuml_text
from blueprint_dsl.model.blueprint import Blueprint, FlowKind, Zone

from ..conftest import ROOT, SAMPLES, assert_golden

NAMES = [p.name for p in SAMPLES]

HOSTILE = [
    'He said "hi" \\ back\\slash',
    "<script>alert(1)</script> & &amp; &#35; #quot;",
    "# not a comment; semi; colon: end",
    "[brackets] {braces} (parens) |pipes| <angle>",
    "a --> b -.-> c <--> d -> e ==> f ~~~ g",
    "%% comment %%{init: {}}%% ```fence```",
    "${var} $x \\n is not a newline",
    "two\nlines",
    "订餐 “引号” 「括号」 ；分号",
    '=cmd|" /C calc"!A0',
    "@startuml @enduml :x; |lane| note left",
    '**bold** //it// __u__ --s-- ~~w~~ ""m"" [[http://x]] <U+0041> &#65;',
    "end",
    "'comment /' block '/",
    "-1 table, +2 guests, @mention",
]


def bp_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def hostile_source() -> str:
    lines = [f"blueprint {bp_string(HOSTILE[0])} {{", '  id "X-1"', "}"]
    lines.append(f"lane weird {bp_string(HOSTILE[3])} in onstage")
    lines.append(f"lane a-b {bp_string(HOSTILE[5])} in backstage")
    for i, label in enumerate(HOSTILE):
        lines.append(f"step {bp_string(label)} {{")
        lines.append(f"  evidence {bp_string(label)}")
        lines.append(f"  customer c{i} {bp_string(label)} -> o{i} {{ emotion -1 }}")
        lines.append(f"  weird o{i} {bp_string(label)} {{ decision }}")
        lines.append(f"  a-b b{i} {bp_string(label)} --> sys")
        lines.append("}")
    # ids that Mermaid or D2 reserve, with a hyphen or in Chinese
    lines += [
        'step "ids" {',
        '  evidence "E"',
        '  customer end "End" -> style',
        '  weird style "Style" <-> label',
        '  support label "Label"',
        '  customer 报修 "报修"',
        "}",
        'support sys "System"',
    ]
    for i, label in enumerate(HOSTILE):
        lines.append(f'o{i} -> b{i} : "yes"')
        lines.append(f"o{i} -> c{i} : {bp_string(label)}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hostile() -> Blueprint:
    result = compile_text(hostile_source(), "hostile.bp")
    assert not result.has_errors, result.diagnostics
    assert result.blueprint is not None
    return result.blueprint


def sample(name: str) -> Blueprint:
    result = compile_file(ROOT / "samples" / name)
    assert result.blueprint is not None and not result.has_errors
    return result.blueprint


# ------------------------------------------------------------------------ decoders


def mermaid_decode(text: str) -> str:
    named = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}
    text = text.replace("<br>", "\n")
    return re.sub(r"#(\w+);", lambda m: chr(int(m[1])) if m[1].isdigit() else named[m[1]], text)


def plantuml_decode(text: str) -> str:
    text = text.replace("\\n", "\n").replace("<U+005C>", "\\").replace("<U+0024>", "$")
    return re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), text)


def d2_decode(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text)


# ----------------------------------------------------------------------- structure


@pytest.mark.parametrize("name", NAMES)
def test_mermaid_structure(name: str) -> None:
    bp = sample(name)
    text = EXPORTERS["mermaid"](bp).text
    lines = text.splitlines()
    assert lines[0].startswith("%% ")
    assert "flowchart LR" in lines
    subgraphs = re.findall(r'^  subgraph (\w+)\["(.*)"\]$', text, re.M)
    assert [mermaid_decode(title) for _, title in subgraphs] == [
        lane_title(bp, lane) for lane in used_lanes(bp)
    ]
    assert text.count("\n  end\n") == len(subgraphs)
    nodes = re.findall(r'^    (\w+)(\[|\{|\()"(.*)"[\]\})]$', text, re.M)
    assert len(nodes) == len(bp.actions) + len(bp.evidence)
    assert len({node_id for node_id, _, _ in nodes}) == len(nodes)
    assert sum(1 for _, shape, _ in nodes if shape == "{") == sum(a.decision for a in bp.actions)
    edges = re.findall(r"^  (\w+) (-->|-\.->|<-->)(?:\|\"(.*)\"\|)? (\w+)$", text, re.M)
    assert len(edges) == len(bp.flows)
    arrows = {FlowKind.FLOW: "-->", FlowKind.INFO: "-.->", FlowKind.TWO_WAY: "<-->"}
    assert sorted(e[1] for e in edges) == sorted(arrows[f.kind] for f in bp.flows)
    assert sorted(mermaid_decode(e[2]) for e in edges if e[2]) == sorted(
        f.label for f in bp.flows if f.label
    )
    reserved = {word.casefold() for word in MERMAID_RESERVED}
    for action in bp.actions:
        if action.id is None or action.id.casefold() in reserved:
            assert f"    {action.id}[" not in text
        elif re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", action.id):
            assert f"    {action.id}[" in text or f"    {action.id}{{" in text


@pytest.mark.parametrize("name", NAMES)
def test_plantuml_structure(name: str) -> None:
    bp = sample(name)
    text = EXPORTERS["plantuml"](bp).text
    assert text.startswith("@startuml\n") and text.endswith("@enduml\n")
    lanes = re.findall(r"^\|(\w+)\| (.+)$", text, re.M)
    expected = [lane for lane in used_lanes(bp) if lane.zone is not Zone.EVIDENCE]
    assert [plantuml_decode(title) for _, title in lanes] == [
        lane_title(bp, lane) for lane in expected
    ]
    activities = re.findall(r"^:(.*);$", text, re.M)
    assert sorted(plantuml_decode(a) for a in activities) == sorted(a.label for a in bp.actions)
    arrows = re.findall(r"^(->|-\[dashed\]->|-\[bold\]->)", text, re.M)
    note_lines = re.findall(r"^  ([→⇢↔]) ", text, re.M)
    assert len(arrows) + len(note_lines) == len(bp.flows)
    assert text.count("\nnote left\n") == len({e.step_index for e in bp.evidence})


@pytest.mark.parametrize("name", NAMES)
def test_d2_structure(name: str) -> None:
    bp = sample(name)
    text = EXPORTERS["d2"](bp).text
    lanes = used_lanes(bp)
    assert f"\ngrid-rows: {len(lanes)}\n" in text
    containers = re.findall(r'^(\w+): "(.*)" \{$', text, re.M)
    assert [d2_decode(title) for _, title in containers] == [lane_title(bp, lane) for lane in lanes]
    edges = re.findall(r"^([\w.]+) (->|<->) ([\w.]+)(.*)$", text, re.M)
    assert len(edges) == len(bp.flows)
    assert sum("stroke-dash" in e[3] for e in edges) == sum(
        f.kind is FlowKind.INFO for f in bp.flows
    )
    assert sum(e[1] == "<->" for e in edges) == sum(f.kind is FlowKind.TWO_WAY for f in bp.flows)
    # braces balance outside strings
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    bare = re.sub(r"#.*", "", bare)
    assert bare.count("{") == bare.count("}")


@pytest.mark.parametrize("name", NAMES)
def test_csv_structure(name: str) -> None:
    bp = sample(name)
    text = EXPORTERS["csv"](bp).text
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert len(body) == len(bp.actions)
    assert [int(r["step_index"]) for r in body] == sorted(a.step_index for a in bp.actions)
    assert {r["label"] for r in body} == {csv_cell(a.label) for a in bp.actions}
    assert all(r["zone"] in {z.value for z in Zone} for r in body)
    fails = sum(len(a.fails) for a in bp.actions)
    assert sum(len(r["fail_points"].splitlines()) for r in body) == fails
    assert sum(len(r["recoveries"].splitlines()) for r in body) == fails
    assert "\r\n" in text


@pytest.mark.parametrize("target", sorted(EXPORTERS))
@pytest.mark.parametrize("name", NAMES)
def test_exports_are_deterministic(name: str, target: str) -> None:
    first = EXPORTERS[target](sample(name))
    second = EXPORTERS[target](sample(name))
    assert first == second
    assert isinstance(first, ExportResult)
    assert first.lost, "every target loses something of a sample blueprint"


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_restaurant_exports_golden(target: str, in_root: Path) -> None:
    result = compile_file("samples/restaurant.bp")
    assert result.blueprint is not None
    exported = EXPORTERS[target](result.blueprint)
    suffix = {
        "mermaid": "mmd",
        "plantuml": "puml",
        "d2": "d2",
        "csv": "csv",
        "bpmn": "bpmn",
        "drawio": "drawio",
    }[target]
    assert_golden(f"exports/restaurant.{suffix}", exported.text.replace("\r\n", "\n"))
    assert_golden(
        f"exports/restaurant.{suffix}.lost.txt",
        format_lost("samples/restaurant.bp", target, exported.lost),
    )


# ------------------------------------------------------------------------ escaping


def test_mermaid_escaping(hostile: Blueprint) -> None:
    text = EXPORTERS["mermaid"](hostile).text
    body = [line for line in text.splitlines() if not line.lstrip().startswith("%%")]
    strings = []
    for line in body:
        # every quoted string is a whole label: no raw quote, markup or entity start inside
        for inner in re.findall(r'"([^"]*)"', line):
            assert "<" not in inner.replace("<br>", "")
            assert ">" not in inner.replace("<br>", "")
            assert not re.search(r"#(?!\w+;)", inner)
            assert "`" not in inner and "|" not in inner
            strings.append(mermaid_decode(inner))
        outside = re.sub(r'"[^"]*"', "", line)
        assert "#" not in outside
    for label in HOSTILE:
        assert label in strings
    # reserved and non-ASCII ids are renamed, and the mapping is kept in a comment
    assert re.search(r"^    end\[", text, re.M) is None
    assert "%% ids: " in text and "= 报修" in text and "= end" in text


def test_mermaid_comments_cannot_break_out(hostile: Blueprint) -> None:
    text = EXPORTERS["mermaid"](hostile).text
    for line in text.splitlines():
        if line.lstrip().startswith("%%"):
            assert not line.lstrip().startswith("%%{")


def test_plantuml_escaping(hostile: Blueprint) -> None:
    text = EXPORTERS["plantuml"](hostile).text
    activities = re.findall(r"^:(.*);$", text, re.M)
    for inner in activities:
        assert not re.search(
            r"[;\"<>\[\]|*/_~'#@&$%=-]", re.sub(r"&#\d+;|<U\+[0-9A-F]{4}>", "", inner)
        )
    decoded = [plantuml_decode(a) for a in activities]
    for label in HOSTILE:
        assert label in decoded
    starts = [line for line in text.splitlines() if line.lstrip().startswith("@")]
    assert starts == ["@startuml", "@enduml"]
    comments = [line for line in text.splitlines() if line.startswith("'")]
    assert all("\n" not in c for c in comments)


def test_d2_escaping(hostile: Blueprint) -> None:
    text = EXPORTERS["d2"](hostile).text
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    for inner in strings:
        assert not re.search(r"(?<!\\)\$", inner), inner
    decoded = [d2_decode(s) for s in strings]
    for label in HOSTILE:
        assert label in decoded
    # reserved D2 words are never keys
    for word in ("style", "label"):
        assert not re.search(rf"^  {word}:", text, re.M)
        assert f".{word} " not in text


def test_csv_escaping(hostile: Blueprint) -> None:
    text = EXPORTERS["csv"](hostile).text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    labels = [row[COLUMNS.index("label")] for row in rows[1:]]
    for label in HOSTILE:
        expected = "'" + label if label[:1] in "=+-@" else label
        assert expected in labels
    assert all(len(row) == len(COLUMNS) for row in rows)


def test_escaping_functions_handle_controls() -> None:
    assert mermaid_text("a\tb\x00c") == "a b c"
    assert plantuml_text("a\tb") == "a b"
    assert d2_text("a\x07b") == '"a b"'
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("a\x01b") == "a b"


# --------------------------------------------------------------------------- lost


def test_lost_sentences_name_what_this_blueprint_uses() -> None:
    lost = " ".join(EXPORTERS["mermaid"](sample("restaurant.bp")).lost)
    assert "line of interaction" in lost and "5 service encounters" in lost
    assert "“No table ready” on “Greet and seat”" in lost
    assert "0m..10m at “Greet and seat”" in lost
    assert "Moments of truth are not marked: “Greet and seat”" in lost
    assert "“Before the visit” and “At the restaurant”" in lost
    assert "Metrics" not in lost  # the restaurant has none
    zh = " ".join(EXPORTERS["mermaid"](sample("property-repair.zh.bp")).lost)
    assert "Metrics are not shown: “满意度”" in zh
    assert "报修 → n1" in zh


def test_lost_sentences_of_a_bare_blueprint() -> None:
    result = compile_text('blueprint "B" {}\nstep "S" {\n  evidence "E"\n  customer a "A"\n}\n')
    assert result.blueprint is not None
    lost = EXPORTERS["mermaid"](result.blueprint).lost
    assert lost[-1] == "The title is only in a comment, not in the drawing."
    assert not any("Fail points" in s or "Wait points" in s or "phase" in s for s in lost)
    csv_lost = " ".join(EXPORTERS["csv"](result.blueprint).lost)
    assert "Physical evidence (1 item)" in csv_lost
    assert "Fail points" not in csv_lost


def test_plantuml_lost_mentions_notes_and_two_way() -> None:
    lost = " ".join(EXPORTERS["plantuml"](sample("restaurant.bp")).lost)
    assert "4 flows cannot be arrows" in lost
    assert "Two-way interactions (1 flow written <->)" in lost


# ------------------------------------------------------------------ markdown fence


def test_markdown_fence() -> None:
    assert markdown_fence("flowchart LR\n", "mermaid") == "```mermaid\nflowchart LR\n```\n"
    assert markdown_fence("x", "d2") == "```d2\nx\n```\n"
    fenced = markdown_fence("a ```` b\n", "mermaid")
    assert fenced.startswith("`````mermaid\n") and fenced.endswith("\n`````\n")
    assert markdown_fence("\ufeffa,b\r\n1,2\r\n", "csv") == "```csv\na,b\n1,2\n```\n"


# -------------------------------------------------------------------- export_other


def test_export_other(tmp_path: Path, in_root: Path) -> None:
    result = compile_file("samples/restaurant.bp")
    text, lost = export_other(result, "mermaid", markdown=True, report=None)
    assert text.startswith("```mermaid\n%% Restaurant dinner") and text.endswith("```\n")
    assert lost.startswith("What the Mermaid export of samples/restaurant.bp cannot show:\n  - ")
    report = tmp_path / "lost.txt"
    text2, lost2 = export_other(result, "csv", markdown=False, report=str(report))
    assert lost2 == "" and text2.startswith("\ufeffstep_index,")
    assert report.read_text("utf-8").startswith("What the CSV export")
    data, nothing = export_other(result, "json", markdown=False, report=None)
    assert json.loads(data)["blueprint"]["title"] == "Restaurant dinner" and nothing == ""
    with pytest.raises(UsageError, match="unknown export target"):
        export_other(result, "svg", markdown=False, report=None)


def test_export_other_refuses_a_blueprint_with_errors() -> None:
    broken = compile_text('blueprint "B" {}\nstep "S" { customer a "A" -> nowhere }\n')
    with pytest.raises(UsageError, match="has errors"):
        export_other(broken, "mermaid", markdown=False, report=None)


# ------------------------------------------------------------------ real renderers


def _mermaid_command() -> list[str]:
    configured = os.environ.get("BPC_MMDC")
    if configured:
        return configured.split()
    return ["npx", "-y", "@mermaid-js/mermaid-cli@11.17.0"]


@pytest.mark.skipif(
    os.environ.get("BPC_MERMAID_CLI") != "1",
    reason="set BPC_MERMAID_CLI=1 to parse with mermaid-cli (needs npx and Chromium)",
)
@pytest.mark.parametrize("name", ["restaurant.bp", "property-repair.zh.bp", "<hostile>"])
def test_mermaid_cli_renders(name: str, tmp_path: Path, hostile: Blueprint) -> None:
    bp = hostile if name == "<hostile>" else sample(name)
    source = tmp_path / "diagram.mmd"
    source.write_text(EXPORTERS["mermaid"](bp).text, encoding="utf-8")
    config = tmp_path / "puppeteer.json"
    chromium = os.environ.get("BPC_CHROMIUM", "/usr/bin/chromium")
    config.write_text(json.dumps({"executablePath": chromium, "args": ["--no-sandbox"]}))
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
    out = tmp_path / "diagram.svg"
    completed = subprocess.run(
        [*_mermaid_command(), "-p", str(config), "-i", str(source), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    svg = out.read_text("utf-8")
    assert "Syntax error" not in svg and "<script" not in svg
    shown = {
        html.unescape(re.sub(r"<[^>]+>", "\n", inner)).strip()
        for inner in re.findall(r'<span class="nodeLabel"[^>]*>(.*?)</span>', svg, re.S)
    }
    for action in bp.actions:
        # every label comes out as its own text (a line break shows as <br>)
        assert action.label in shown or action.label.replace("\n", "") in shown, action.label


def plantuml_svg(bp: Blueprint, tmp_path: Path) -> str:
    """The PlantUML export of `bp` drawn by the real PlantUML: its SVG, which must hold
    no syntax error."""
    source = tmp_path / "diagram.puml"
    source.write_text(EXPORTERS["plantuml"](bp).text, encoding="utf-8")
    completed = subprocess.run(
        ["plantuml", "-tsvg", "-failfast2", "-charset", "UTF-8", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    svg = (tmp_path / "diagram.svg").read_text("utf-8")
    assert "Syntax Error" not in svg and "error has occured" not in svg and "java." not in svg
    return svg


@pytest.mark.skipif(
    os.environ.get("BPC_PLANTUML") != "1" or shutil.which("plantuml") is None,
    reason="set BPC_PLANTUML=1 with plantuml on PATH to parse the PlantUML export",
)
@pytest.mark.parametrize("name", ["restaurant.bp", "property-repair.zh.bp", "<hostile>"])
def test_plantuml_renders(name: str, tmp_path: Path, hostile: Blueprint) -> None:
    bp = hostile if name == "<hostile>" else sample(name)
    plantuml_svg(bp, tmp_path)


# ------------------------------------------------- real renderers, hostile directives


@pytest.mark.skipif(
    os.environ.get("BPC_MERMAID_CLI") != "1",
    reason="set BPC_MERMAID_CLI=1 to parse with mermaid-cli (needs npx and Chromium)",
)
@pytest.mark.parametrize(
    "label",
    ['%%{init: {"theme":"dark"}}%%', 'step %%{init: {"theme": "dark"}}%% \n%%{init: {}}%%'],
)
def test_mermaid_cli_ignores_directives_in_labels(label: str, tmp_path: Path) -> None:
    from .test_export_escaping import hostile as hostile_blueprint

    bp = hostile_blueprint(label, 'file %%{init: {"theme":"dark"}}%%.bp')
    source = tmp_path / "diagram.mmd"
    source.write_text(EXPORTERS["mermaid"](bp).text, encoding="utf-8")
    config = tmp_path / "puppeteer.json"
    chromium = os.environ.get("BPC_CHROMIUM", "/usr/bin/chromium")
    config.write_text(json.dumps({"executablePath": chromium, "args": ["--no-sandbox"]}))
    out = tmp_path / "diagram.svg"
    completed = subprocess.run(
        [*_mermaid_command(), "-p", str(config), "-i", str(source), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        env=dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1"),
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    svg = out.read_text("utf-8")
    assert "Syntax error" not in svg
    # the default theme draws text #333; a `%%{init: {"theme":"dark"}}%%` that ran, #ccc
    root_style = re.search(r"#my-svg\{[^}]*\}", svg)
    assert root_style is not None and "fill:#333;" in root_style[0], root_style
    shown = html.unescape(re.sub(r"<[^>]+>", " ", svg))
    assert '"theme":"dark"' in shown.replace(" ", "")  # the label is shown as text


@pytest.mark.skipif(
    os.environ.get("BPC_PLANTUML") != "1" or shutil.which("plantuml") is None,
    reason="set BPC_PLANTUML=1 with plantuml on PATH to parse the PlantUML export",
)
@pytest.mark.parametrize(
    "label",
    [
        "   ",  # a bare `title` line would open a title block and break the diagram
        "!include {inc}",
        "\n!include {inc}",
        '%getenv("HOME") $x !$y = 1',
        "/' block",
        "end note",
        "@enduml",
    ],
)
def test_plantuml_renders_hostile_directives(label: str, tmp_path: Path) -> None:
    from .test_export_escaping import hostile as hostile_blueprint

    included = tmp_path / "inject.puml"
    included.write_text(":INJECTED;\n", encoding="utf-8")
    label = label.replace("{inc}", str(included))
    bp = hostile_blueprint(label, f"x\n!include {included}\n.bp")
    svg = plantuml_svg(bp, tmp_path)
    assert "INJECTED" not in svg
    if label.strip():
        shown = html.unescape(re.sub(r"<[^>]+>", "\n", svg))
        assert label.replace("\n", "").strip() in shown.replace("\n", ""), label
