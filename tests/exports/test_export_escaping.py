"""No label can become a directive or syntax in any export target.

Each hostile label is put in every place a blueprint has text (title, lane, phase, step,
evidence, action, flow, fail point, note, role, metric, file name), and every line of each
export must then be one of the lines the exporter writes, with the label inside it as text:

- Mermaid reads `%%{init: …}%%` anywhere, also inside a `%%` comment line;
- PlantUML runs `!include`, `!define`, … on any line that starts with `!` (also an indented
  note line), expands `%functions()` and `$variables` in text, and a lone `title` line
  opens a multi-line title that swallows the diagram;
- D2 substitutes `${x}` in double-quoted strings and reads `...@file` as an import;
- CSV: a cell that starts with `=`, `+`, `-` or `@` is a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from blueprint_dsl.api import compile_text
from blueprint_dsl.exports import EXPORTERS
from blueprint_dsl.exports.csv_export import COLUMNS
from blueprint_dsl.exports.d2 import d2_text
from blueprint_dsl.exports.mermaid import mermaid_text
from blueprint_dsl.exports.plantuml import plantuml_text
from blueprint_dsl.model.blueprint import Blueprint

# Raw control characters can be written inside a .bp string; \r, \n and NUL cannot
# (a label gets a line break from the escape \n).
LABELS = [
    '%%{init: {"theme":"dark"}}%%',
    '\n%%{init: {"theme":"dark"}}%%',
    'x %%{init: {"theme":"dark", "themeCSS": "@import url(http://x/y.css);"}}%% y',
    '%%{ init: { "securityLevel": "loose" } }%%',
    "}%% %% {",
    "%",
    "!include /etc/passwd",
    "\n!include /etc/passwd",
    "  !includeurl http://example.com/x.puml",
    "!define X 1",
    "!$x = 1",
    '%getenv("HOME") %load_json("/etc/passwd") %date()',
    "@startuml",
    "\n@enduml",
    "end note",
    "\nend note",
    "title",
    "end title",
    "/' block",
    "'/ end",
    "' quote",
    "...@import",
    "...@x.d2",
    "@import 'x.css'",
    "...${x}",
    "${x} $x \\$y",
    "# hash",
    "\n# hash",
    '"""',
    "|md # heading|",
    "`backticks` ```fence```",
    "'single' \"double\" “curly”",
    "line\nbreak",
    "ls\u2028ps\u2029nel\x85vt\x0bff\x0c",
    "esc\x1b[31m bell\x07 del\x7f",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "   ",
    "",
    "a; b: c | d [e] {f} (g) <h> &i #j *k _l ~m \\n",
]

PATHS = [
    "hostile.bp",
    '%%{init: {"theme":"dark"}}%%.bp',
    "x\n!include y\n@enduml\n%%{init: {}}%%\n# z.bp",
    "a/'\u2028/' ${b}.bp",
]


def bp_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def hostile_source(label: str) -> str:
    s = bp_string(label)
    return f"""blueprint {s} {{
  id "X-1"
  owner {s}
}}
lane desk {s} in onstage
phase {s} {{
  step {s} {{
    evidence {s}, {s}
    customer ask {s} -> take {{ emotion -1 }}
    desk take {s} -> sys {{
      fail {s} recover {s}
      note {s}
      role {s}
      metric {s} 80%
    }}
    support sys {s}
  }}
  step {s} {{
    evidence {s}
    customer again {s} -> other
    desk other {s} {{ decision }}
  }}
}}
take -> ask : {s}
sys --> take : {s}
other <-> again : {s}
other -> sys : {s}
"""


def hostile(label: str, path: str = "hostile.bp") -> Blueprint:
    result = compile_text(hostile_source(label), path)
    assert not result.has_errors, result.diagnostics
    assert result.blueprint is not None
    return result.blueprint


CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# -------------------------------------------------------------------------- Mermaid

MERMAID_LINES = [
    r"flowchart LR",
    r'  subgraph \w+\["[^"]*"\]',
    r"    direction LR",
    r'    \w+(\["[^"]*"\]|\{"[^"]*"\}|\("[^"]*"\))',
    r"    \w+( ~~~ \w+)+",
    r"  end",
    r'  \w+ (-->|-\.->|<-->)(\|"[^"]*"\|)? \w+',
]


def check_mermaid(text: str) -> None:
    assert "%%{" not in text and "}%%" not in text
    for line in text.splitlines():
        comment = re.fullmatch(r"(?:  |    )?%% (.*)", line)
        if comment:
            body = comment[1]
            assert "{" not in body and "}" not in body and "%%" not in body, line
            assert not CONTROLS.search(body), line
            continue
        assert any(re.fullmatch(shape, line) for shape in MERMAID_LINES), line
        for inner in re.findall(r'"([^"]*)"', line):
            assert not CONTROLS.search(inner), line
            assert "<" not in inner.replace("<br>", "") and ">" not in inner.replace("<br>", "")
            assert not re.search(r"#(?!\w+;)", inner), line
            assert not re.search(r"[{}`|\[\]]", inner), line


@pytest.mark.parametrize("label", LABELS)
def test_mermaid_hostile_labels(label: str) -> None:
    check_mermaid(EXPORTERS["mermaid"](hostile(label)).text)


@pytest.mark.parametrize("path", PATHS)
def test_mermaid_hostile_file_names(path: str) -> None:
    check_mermaid(EXPORTERS["mermaid"](hostile(LABELS[0], path)).text)


def test_mermaid_comments_keep_ordinary_text() -> None:
    text = EXPORTERS["mermaid"](hostile("Book a table: 50% off, (soon)")).text
    assert "%% step 1: Book a table: 50% off, (soon)" in text
    braces = EXPORTERS["mermaid"](hostile("a {b} %%c")).text
    assert "%% step 1: a (b) % %c" in braces


# ------------------------------------------------------------------------- PlantUML

PLANTUML_TEXT = r"(?:[^;&]|&#\d+;)*"  # `;` ends an activity: in text only in &#NN;
PLANTUML_LINES = [
    r"@startuml",
    r"@enduml",
    r"title .*\S.*",
    r"\|\w+\|( .*)?",
    r"",
    r"detach",
    rf":{PLANTUML_TEXT};",
    rf"(->|-\[dashed\]->|-\[bold\]->)( {PLANTUML_TEXT};)?",
    r"note (left|right)",
    r"end note",
    r"  [^\s!@'].*",  # a note line
]


def check_plantuml(text: str) -> None:
    lines = text.splitlines()
    assert lines[0] == "@startuml" and lines[-1] == "@enduml"
    assert [line for line in lines if line.lstrip().startswith("@")] == ["@startuml", "@enduml"]
    for line in lines:
        assert not line.lstrip().startswith("!"), line  # a preprocessor directive
        if line.startswith("' "):
            body = line[2:]
            assert "/'" not in body and "'/" not in body, line
            assert not CONTROLS.search(body), line
            continue
        assert any(re.fullmatch(shape, line) for shape in PLANTUML_LINES), line
        assert line.strip() not in ("title", "end title", "end note") or line == "end note"
        assert not CONTROLS.search(line), line
        # outside comments no text can call the preprocessor
        assert not re.search(r"[!$%]", line), line


@pytest.mark.parametrize("label", LABELS)
def test_plantuml_hostile_labels(label: str) -> None:
    check_plantuml(EXPORTERS["plantuml"](hostile(label)).text)


@pytest.mark.parametrize("path", PATHS)
def test_plantuml_hostile_file_names(path: str) -> None:
    check_plantuml(EXPORTERS["plantuml"](hostile("!include /etc/passwd", path)).text)


def test_plantuml_blank_title_is_not_a_title_block() -> None:
    text = EXPORTERS["plantuml"](hostile("   ")).text
    assert "\ntitle\n" not in text and "\ntitle " not in text.replace("\ntitle &#", "")


def test_plantuml_text_never_starts_a_directive() -> None:
    for label in ("!include /etc/passwd", "  !define X", "!", "a!b"):
        escaped = plantuml_text(label)
        assert "!" not in escaped
        assert not ("  " + escaped).lstrip().startswith(("!", "'", "@"))


# ------------------------------------------------------------------------------- D2

D2_STRING = r'"(?:[^"\\]|\\.)*"'
D2_LINES = [
    rf"title: {D2_STRING} \{{near: top-center; shape: text; style.font-size: 24\}}",
    r"grid-rows: \d+",
    r"grid-gap: \d+",
    r"  grid-rows: 1",
    r"  grid-gap: 40",
    r"",
    r"\}",
    rf"\w+: {D2_STRING} \{{",
    rf"  \w+: {D2_STRING}( \{{shape: (page|diamond)\}})?",
    rf"[\w.]+ (->|<->) [\w.]+(: {D2_STRING}|:)?( \{{style.stroke-dash: 3\}})?",
]


def check_d2(text: str) -> None:
    for line in text.splitlines():
        comment = re.fullmatch(r"(?:  )?# (.*)", line)
        if comment:
            assert not CONTROLS.search(comment[1]), line
            continue
        assert any(re.fullmatch(shape, line) for shape in D2_LINES), line
        assert not CONTROLS.search(line), line
        for inner in re.findall(D2_STRING, line):
            assert not re.search(r"(?<!\\)(?:\\\\)*\$", inner[1:-1]), line  # no ${x}
        bare = re.sub(D2_STRING, '""', line)
        assert "@" not in bare and "$" not in bare and "..." not in bare, line


@pytest.mark.parametrize("label", LABELS)
def test_d2_hostile_labels(label: str) -> None:
    check_d2(EXPORTERS["d2"](hostile(label)).text)


@pytest.mark.parametrize("path", PATHS)
def test_d2_hostile_file_names(path: str) -> None:
    check_d2(EXPORTERS["d2"](hostile("...@import", path)).text)


# ------------------------------------------------------------------------------ CSV

NUMERIC = {"step_index", "emotion", "cost"}


@pytest.mark.parametrize("label", LABELS)
def test_csv_hostile_labels(label: str) -> None:
    text = EXPORTERS["csv"](hostile(label)).text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert all(len(row) == len(COLUMNS) for row in rows)
    for row in rows[1:]:
        for name, cell in zip(COLUMNS, row, strict=True):
            if name in NUMERIC:
                assert re.fullmatch(r"-?\d*(\.\d+)?", cell), (name, cell)
                continue
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (name, cell)
            assert not CONTROLS.search(cell.replace("\n", "")), (name, cell)


# ------------------------------------------------------------------ escaping functions


@pytest.mark.parametrize("label", LABELS)
def test_escaping_functions_give_one_line_of_text(label: str) -> None:
    for escaped in (mermaid_text(label), plantuml_text(label), d2_text(label)):
        assert "\n" not in escaped and not CONTROLS.search(escaped)
    assert "%%{" not in mermaid_text(label) and "{" not in mermaid_text(label)
    assert not re.search(r"[!$%]", plantuml_text(label))
    assert not re.search(r"(?<!\\)(?:\\\\)*\$", d2_text(label)[1:-1])


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_lost_sentences_are_plain_text(target: str) -> None:
    # printed to the terminal by `bpc export`: no escape sequence or line break of a label
    for label in ("esc\x1b[2J bell\x07", "ls\u2028ps nel\x85", "two\nlines"):
        for sentence in EXPORTERS[target](hostile(label)).lost:
            assert not CONTROLS.search(sentence), sentence
