"""`bpc new`: every template in both languages checks without a single diagnostic; the
blank one takes its title from the file name; an existing file is never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.api import compile_file, compile_text
from blueprint_dsl.cli.new import (
    LOCALES,
    STARTERS,
    TEMPLATES,
    new_command,
    starter_text,
    template_path,
    title_from_path,
)
from blueprint_dsl.cli.new import TEMPLATES as CLI_TEMPLATES


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(new_command, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_offers_every_template() -> None:
    assert CLI_TEMPLATES == TEMPLATES
    shipped = sorted(p.name for p in STARTERS.glob("*.bp"))
    expected = sorted(template_path(t, loc).name for t in TEMPLATES for loc in LOCALES)
    assert shipped == expected


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_starter_checks_clean(template: str, locale: str, folder: Path) -> None:
    code, out, err = run("service.bp", "--template", template, "--locale", locale)
    assert code == 0, err
    assert out.startswith(f"created service.bp (template {template}, locale {locale})\n")
    result = compile_file(folder / "service.bp")
    assert result.diagnostics == [], result.diagnostics
    assert result.blueprint is not None
    assert result.blueprint.header.locale == locale
    assert result.blueprint.steps and result.blueprint.evidence


def test_blank_takes_its_title_from_the_file_name(folder: Path) -> None:
    assert run("checkout-flow.bp")[0] == 0
    result = compile_file(folder / "checkout-flow.bp")
    assert result.blueprint is not None and result.blueprint.header.title == "Checkout flow"
    assert run("plans/报修流程.zh.bp", "--locale", "zh")[0] == 0
    result = compile_file(folder / "plans/报修流程.zh.bp")
    assert result.blueprint is not None and result.blueprint.header.title == "报修流程"


def test_titles_are_escaped() -> None:
    assert title_from_path(Path('my_"odd"\\name.bp'), "en") == 'My "odd"\\name'
    text = starter_text("blank", "en", 'A "quoted" \\ title')
    result = compile_text(text)
    assert result.diagnostics == []
    assert result.blueprint is not None
    assert result.blueprint.header.title == 'A "quoted" \\ title'


def test_refuses_to_overwrite(folder: Path) -> None:
    target = folder / "mine.bp"
    target.write_text("keep me\n", encoding="utf-8")
    code, out, err = run("mine.bp", "--template", "restaurant")
    assert code == 2 and out == ""
    assert "mine.bp already exists; bpc new never overwrites a file" in err
    assert target.read_text("utf-8") == "keep me\n"


def test_name_must_end_in_bp(folder: Path) -> None:
    code, _, err = run("notes.txt")
    assert code == 2 and "ends in .bp" in err
    assert not (folder / "notes.txt").exists()


def test_unknown_template_is_a_usage_error(folder: Path) -> None:
    result = CliRunner().invoke(new_command, ["x.bp", "--template", "spaceship"])
    assert result.exit_code == 2


def test_locale_defaults_to_the_project_setting(folder: Path) -> None:
    (folder / "bpc.toml").write_text('locale = "zh"\n', encoding="utf-8")
    code, out, _ = run("new.bp")
    assert code == 0 and "locale zh" in out
    result = compile_file(folder / "new.bp")
    assert result.blueprint is not None and result.blueprint.header.locale == "zh"
    assert result.diagnostics == []
