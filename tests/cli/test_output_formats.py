"""`bpc check --format junit|gitlab` for CI test tabs and GitLab Code Quality, and the
published JSON Schema of `--format json` (blueprint_dsl/schemas/check.schema.json)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

from ..conftest import ROOT

CHECK_SCHEMA_PATH = ROOT / "blueprint_dsl/schemas/check.schema.json"

BAD = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  customer buy "Buy" -> till
  onstage  till "Till"
}
"""  # BP301: no evidence (warning)

# Markup and control characters in a label reach the messages (BP500 quotes the label).
HOSTILE = BAD.replace('"Till"', '"Till" { fail "<a href=\'x\'>&amp; \x01\x1b[31m]]>" }')
ERROR = BAD.replace("-> till", "-> tll")  # BP201 (error)


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "warn.bp").write_text(BAD, encoding="utf-8")
    (tmp_path / "err.bp").write_text(ERROR, encoding="utf-8")
    (tmp_path / "hostile & <odd>.bp").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "clean").mkdir()
    clean = BAD.replace('step "Buy" {', 'step "Buy" {\n  evidence "Receipt"')
    (tmp_path / "clean" / "ok.bp").write_text(clean, encoding="utf-8")
    return tmp_path


# ---- JUnit XML ------------------------------------------------------------------------


def junit(*args: str) -> tuple[int, ET.Element]:
    code, out = run("check", "--format", "junit", *args)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return code, ET.fromstring(out.encode("utf-8"))


def test_junit_has_a_suite_per_file_and_a_case_per_diagnostic(project: Path) -> None:
    code, root = junit("err.bp", "warn.bp", "clean")
    assert code == 1
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["err.bp", "warn.bp", "clean/ok.bp"]
    assert root.get("tests") == "3" and root.get("failures") == "1"
    err, warn, clean = suites
    assert (err.get("tests"), err.get("failures"), err.get("errors")) == ("1", "1", "0")
    (case,) = err.findall("testcase")
    assert case.get("name") == "BP201 err.bp:6:25"
    assert case.get("classname") == "err.bp"
    assert (case.get("file"), case.get("line")) == ("err.bp", "6")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "BP201"
    assert failure.get("message") == "flow refers to an undefined id `tll`"
    assert "6 |   customer buy" in (failure.text or "")
    assert "help: did you mean `till`?" in (failure.text or "")
    # A warning is a passing case that says what it found; a clean file is one passing case.
    (warning,) = warn.findall("testcase")
    assert warning.find("failure") is None and warn.get("failures") == "0"
    assert "warning[BP301]" in (warning.findtext("system-out") or "")
    (ok,) = clean.findall("testcase")
    assert ok.get("name") == "bpc check clean/ok.bp" and list(ok) == []


def test_junit_fails_warnings_under_strict(project: Path) -> None:
    code, root = junit("--strict", "warn.bp")
    assert code == 1
    assert root.find("testsuite/testcase/failure") is not None


def test_junit_escapes_markup_and_control_characters(project: Path) -> None:
    code, root = junit("hostile & <odd>.bp")
    assert code == 0
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "hostile & <odd>.bp"
    texts = [c.findtext("system-out") or "" for c in suite.findall("testcase")]
    assert any("<a href='x'>&amp; " in t for t in texts)
    assert not any(ch in "".join(texts) for ch in "\x01\x1b")  # not allowed in XML 1.0


def test_junit_from_stdin(project: Path) -> None:
    code, out = run("check", "--format", "junit", "-", stdin=ERROR.encode())
    assert code == 1
    assert ET.fromstring(out).find("testsuite").get("name") == "<stdin>"  # type: ignore[union-attr]


# ---- GitLab Code Quality -----------------------------------------------------------------


def gitlab(*args: str) -> tuple[int, list[dict[str, Any]]]:
    code, out = run("check", "--format", "gitlab", *args)
    issues: list[dict[str, Any]] = json.loads(out)
    return code, issues


def test_gitlab_code_quality_issues(project: Path) -> None:
    code, issues = gitlab("err.bp", "warn.bp", "clean")
    assert code == 1
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("BP201", "major"),
        ("BP301", "minor"),
    ]
    first = issues[0]
    assert first["description"] == "flow refers to an undefined id `tll`"
    assert first["location"] == {"path": "err.bp", "lines": {"begin": 6, "end": 6}}
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_severities_and_paths(project: Path) -> None:
    sample = ROOT / "samples" / "property-repair.zh.bp"
    code, issues = gitlab(str(sample), str(project / "warn.bp"))
    assert code == 0
    assert [(i["severity"], i["location"]["path"]) for i in issues] == [
        ("info", sample.as_posix()),  # outside the working folder: as given
        ("minor", "warn.bp"),  # inside it: relative to it, as GitLab expects
    ]


def test_gitlab_fingerprints_are_stable_and_survive_moved_lines(project: Path) -> None:
    (project / "two.bp").write_text(BAD.replace('"Till"', '"Till" { fail "a"; fail "a" }'))
    _code, before = gitlab("two.bp", "warn.bp")
    assert gitlab("two.bp", "warn.bp")[1] == before  # the same run twice: the same report
    prints = [i["fingerprint"] for i in before]
    assert len(set(prints)) == len(prints)  # even two equal findings on one line differ
    (project / "two.bp").write_text("# a comment on top\n\n" + (project / "two.bp").read_text())
    _code, after = gitlab("two.bp", "warn.bp")
    assert [i["location"]["lines"]["begin"] for i in after] != [
        i["location"]["lines"]["begin"] for i in before
    ]
    assert [i["fingerprint"] for i in after] == prints


def test_gitlab_report_of_a_clean_run_is_an_empty_array(project: Path) -> None:
    code, out = run("check", "--format", "gitlab", "clean")
    assert (code, out) == (0, "[]\n")


# ---- the JSON Schema of --format json ----------------------------------------------------


def check_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(CHECK_SCHEMA_PATH.read_text("utf-8"))
    return schema


def test_the_check_schema_is_a_2020_12_schema() -> None:
    schema = check_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    "args",
    [
        ["warn.bp"],
        ["err.bp", "warn.bp", "clean"],
        ["hostile & <odd>.bp"],
        ["--statistics", "warn.bp", "err.bp"],
        ["--select", "BP3", "--quiet", "err.bp", "warn.bp"],
        ["bytes.bp"],
        ["-"],
        [str(ROOT / "samples")],
    ],
)
def test_json_output_validates_against_the_schema(project: Path, args: list[str]) -> None:
    (project / "bytes.bp").write_bytes(b"\xff\xfe garbage")
    code, out = run("check", "--format", "json", *args, stdin=BAD.encode())
    assert code in (0, 1)
    data = json.loads(out)
    jsonschema.Draft202012Validator(check_schema()).validate(data)


def test_the_schema_rejects_what_bpc_never_prints(project: Path) -> None:
    _code, out = run("check", "--format", "json", "warn.bp", "err.bp")
    data = json.loads(out)
    validator = jsonschema.Draft202012Validator(check_schema())
    assert validator.is_valid(data)
    broken = json.loads(out)
    broken["diagnostics"][0]["severity"] = "fatal"
    assert not validator.is_valid(broken)
    broken = json.loads(out)
    del broken["diagnostics"][0]["end_line"]
    assert not validator.is_valid(broken)
    broken = json.loads(out)
    broken["schema_version"] = 2
    assert not validator.is_valid(broken)
