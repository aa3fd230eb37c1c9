"""`bpc new`: a starter blueprint from a template that checks clean (no diagnostics at all).

Templates are package data in `blueprint_dsl/cli/starters/`: `NAME.bp` (English) and
`NAME.zh.bp` (Chinese, `locale zh`). The blank template takes its title from the file name.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..compiler import UsageError
from ..core.fsutil import atomic_write
from .common import ConfigCache, friendly

TEMPLATES: tuple[str, ...] = ("blank", "restaurant", "repair")
LOCALES: tuple[str, ...] = ("en", "zh")
STARTERS = Path(__file__).resolve().parent / "starters"

_HEADER = re.compile(r'^blueprint\s+"(?:[^"\\\n]|\\.)*"', re.MULTILINE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class StarterExists(UsageError):
    """The target file exists: `bpc new` never overwrites a file."""


def template_path(template: str, locale: str) -> Path:
    if template not in TEMPLATES:
        raise UsageError(f"unknown template {template!r}; choose one of {', '.join(TEMPLATES)}")
    if locale not in LOCALES:
        raise UsageError(f"unknown locale {locale!r}; choose one of {', '.join(LOCALES)}")
    return STARTERS / (f"{template}.bp" if locale == "en" else f"{template}.{locale}.bp")


def title_from_path(path: Path, locale: str) -> str:
    """`checkout-flow.bp` -> "Checkout flow"; `报修.zh.bp` -> "报修"."""
    stem = path.name.removesuffix(".bp")
    for suffix in (".zh", ".en"):
        stem = stem.removesuffix(suffix)
    words = " ".join(re.split(r"[-_\s.]+", stem)).strip()
    if not words:
        return "新服务" if locale == "zh" else "New service"
    if _CJK.search(words):
        return words
    return words[0].upper() + words[1:]


def bp_string(text: str) -> str:
    """A .bp string literal, quotes included."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


def starter_text(template: str, locale: str, title: str | None = None) -> str:
    """The template's text; for `blank`, with `title` as the blueprint's title."""
    text = template_path(template, locale).read_text(encoding="utf-8")
    if title is not None and template == "blank":
        text = _HEADER.sub(lambda _: f"blueprint {bp_string(title)}", text, count=1)
    return text


def write_starter(path: str | Path, template: str = "blank", locale: str = "en") -> str:
    """Write a starter to `path` (never over an existing file); returns the text written."""
    target = Path(path)
    if target.suffix != ".bp":
        raise UsageError(
            f"{path}: a blueprint file name ends in .bp (e.g. {target.stem or 'new'}.bp)"
        )
    if target.exists() or target.is_symlink():
        raise StarterExists(
            f"{path} already exists; bpc new never overwrites a file (pick another name or "
            "remove it first)"
        )
    text = starter_text(template, locale, title_from_path(target, locale))
    try:
        atomic_write(target, text)
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None
    return text


@click.command("new")
@click.argument("file", type=click.Path())
@click.option(
    "--locale",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Language of the starter (default: the project's locale setting, else en).",
)
@click.option(
    "--template",
    type=click.Choice(TEMPLATES),
    default="blank",
    show_default=True,
    help="blank: a small commented skeleton; restaurant, repair: complete examples.",
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@friendly
def new_command(file: str, locale: str | None, template: str, config_file: str | None) -> None:
    """Write a new blueprint FILE from a template; it checks clean.

    Never overwrites an existing file (exit status 2).
    """
    if locale is None:
        locale = ConfigCache(config_file).for_file(Path(file)).locale
    write_starter(file, template, locale)
    click.echo(f"created {file} (template {template}, locale {locale})")
    click.echo(f"next: edit it, then `bpc check {file}` and `bpc render {file} -o out/`")
