"""`bpc diff`, `bpc new`, and the non-JSON targets of `bpc export` (mermaid, plantuml, d2, csv).

Registered by cli.py. Heavy modules are imported inside the command bodies, so that
`bpc --help` and `bpc check` do not pay for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ConfigCache, friendly, use_color

if TYPE_CHECKING:
    from .api import CompileResult

EXPORT_TARGETS: tuple[str, ...] = ("mermaid", "plantuml", "d2", "csv")
TARGET_NAMES = {"mermaid": "Mermaid", "plantuml": "PlantUML", "d2": "D2", "csv": "CSV"}
TEMPLATES: tuple[str, ...] = ("blank", "restaurant", "repair")  # = starter.TEMPLATES
GIT_PREFIX = "git:"


# ----------------------------------------------------------------------------- export


def format_lost(path: str, target: str, lost: tuple[str, ...]) -> str:
    """The lost-features report: a heading line and one bullet per sentence ('' if none)."""
    if not lost:
        return ""
    name = TARGET_NAMES.get(target, target)
    lines = [f"What the {name} export of {path} cannot show:"]
    lines += [f"  - {sentence}" for sentence in lost]
    return "\n".join(lines) + "\n"


def export_other(
    result: CompileResult, target: str, markdown: bool, report: str | None
) -> tuple[str, str]:
    """Export a compiled blueprint (without errors) to `target`.

    Returns (output text, lost-features text). With `markdown` the output is a fenced
    block (```mermaid …```). When `report` is a path, the lost-features text is written
    there (atomically; a short "nothing lost" line when nothing is) and the second element
    is ''; otherwise the caller prints the second element to stderr when it is not empty.
    Raises UsageError for an unknown target or a result without a blueprint.
    """
    from .api import UsageError
    from .exports import EXPORTERS, FENCE_LANGUAGES, markdown_fence
    from .fsutil import atomic_write

    if result.blueprint is None or result.has_errors:
        raise UsageError(f"{result.path} has errors; nothing exported")
    lost: tuple[str, ...] = ()
    if target == "json":
        from .export_json import to_json

        text = to_json(result.blueprint)
    elif target in EXPORTERS:
        exported = EXPORTERS[target](result.blueprint)
        text, lost = exported.text, exported.lost
    else:
        choices = ", ".join(("json", *EXPORTERS))
        raise UsageError(f"unknown export target {target!r}; choose one of {choices}")
    if markdown:
        text = markdown_fence(text, FENCE_LANGUAGES.get(target, target))
    lost_text = format_lost(result.path, target, lost)
    if report is not None:
        name = TARGET_NAMES.get(target, target)
        atomic_write(report, lost_text or f"The {name} export of {result.path} loses nothing.\n")
        return text, ""
    return text, lost_text


# ------------------------------------------------------------------------------- diff


def read_version(spec: str, configs: ConfigCache) -> CompileResult:
    """A file path, or git:REV:path read with `git show` in the current folder."""
    from .api import UsageError, compile_bytes, compile_file

    if not spec.startswith(GIT_PREFIX):
        path = Path(spec)
        if path.is_dir():
            raise UsageError(f"{spec}: diff compares two .bp files, not folders")
        return compile_file(path, configs.for_file(path))
    rev, sep, path_text = spec[len(GIT_PREFIX) :].partition(":")
    if not sep or not rev or not path_text:
        raise UsageError(f"{spec}: write git:REV:PATH, e.g. git:HEAD~1:samples/restaurant.bp")
    if rev.startswith("-"):
        raise UsageError(f"{spec}: a revision cannot start with '-'")
    try:
        completed = subprocess.run(
            ["git", "show", f"{rev}:{path_text}"],
            cwd=os.getcwd(),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError(f"{spec}: git is not installed (or not on PATH)") from None
    except OSError as error:
        raise UsageError(f"{spec}: cannot run git: {error.strerror or error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0].removeprefix("fatal: ") if message else "git show failed"
        raise UsageError(f"{spec}: {reason}")
    return compile_bytes(completed.stdout, spec, configs.for_file(Path(path_text)))


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, md for a pull-request comment, json for tools.",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Output file, or - for stdout."
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@friendly
def diff_command(
    old: str, new: str, output_format: str, output: str, config_file: str | None
) -> None:
    """Show what changed between two versions of a blueprint.

    OLD and NEW are .bp files or git:REV:PATH (read with `git show REV:PATH` in the
    current folder; PATH is from the repository root, or from the current folder when
    it starts with ./). Steps, actions, flows, fail points, waits, standards and every
    summary figure are compared by id; layout and comments are not.

    Exit status: 0 no semantic difference, 1 differences found, 2 usage error or a
    version with errors.
    """
    from .diagnostic_output import format_text
    from .diff import diff_blueprints
    from .diff_output import FORMATTERS
    from .fsutil import atomic_write

    configs = ConfigCache(config_file)
    versions = [read_version(spec, configs) for spec in (old, new)]
    for version in versions:
        if version.has_errors or version.blueprint is None:
            color = use_color("auto", sys.stderr)
            click.echo(format_text([version], color=color), err=True, nl=False)
            click.echo(f"bpc: error: {version.path} has errors; cannot compare", err=True)
            raise SystemExit(EXIT_USAGE)
    before, after = versions[0].blueprint, versions[1].blueprint
    assert before is not None and after is not None
    result = diff_blueprints(before, after)
    text = FORMATTERS[output_format](result)
    if output == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
    raise SystemExit(EXIT_ERRORS if result.has_changes else EXIT_OK)


# -------------------------------------------------------------------------------- new


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
    from .starter import write_starter

    if locale is None:
        locale = ConfigCache(config_file).for_file(Path(file)).locale
    write_starter(file, template, locale)
    click.echo(f"created {file} (template {template}, locale {locale})")
    click.echo(f"next: edit it, then `bpc check {file}` and `bpc render {file} -o out/`")
