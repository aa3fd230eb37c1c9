"""`bpc diff`: what changed between two versions of a blueprint (files or git:REV:PATH)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..render.engines import ENGINE_CHOICES
from ..render.themes import THEMES
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    ConfigCache,
    fail_usage,
    friendly,
    use_color,
)

if TYPE_CHECKING:
    from ..compiler import CompileResult
    from ..diff.result import BlueprintDiff
    from ..model.blueprint import Blueprint

GIT_PREFIX = "git:"
VISUAL_FORMATS = ("svg", "html")


def _config_path(spec: str) -> Path:
    """The file whose settings apply to a version (git:REV:PATH: that PATH)."""
    if spec.startswith(GIT_PREFIX):
        return Path(spec[len(GIT_PREFIX) :].partition(":")[2])
    return Path(spec)


def _visual(
    before: Blueprint,
    after: Blueprint,
    result: BlueprintDiff,
    output_format: str,
    theme: str | None,
    engine: str,
    configs: ConfigCache,
    new: str,
) -> str:
    """The visual diff (svg or html); a missing or failing Graphviz is a usage problem."""
    from ..diff.visual import visual_diff
    from ..render.engines import EngineError

    chosen = theme or configs.for_file(_config_path(new)).theme
    try:
        return visual_diff(before, after, output_format, diff=result, theme=chosen, engine=engine)
    except EngineError as error:
        fail_usage(str(error))
        raise  # not reached: fail_usage exits


def read_version(spec: str, configs: ConfigCache) -> CompileResult:
    """A file path, or git:REV:path read with `git show` in the current folder."""
    from ..compiler import UsageError, compile_bytes, compile_file

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
    type=click.Choice(["text", "md", "json", "svg", "html"]),
    default="text",
    show_default=True,
    help="text for a terminal, md for a pull-request comment, json for tools; "
    "svg or html: the new drawing with the changes marked on it (needs -o).",
)
@click.option(
    "-o",
    "--output",
    default=None,
    help="Output file, or - for stdout. [default: stdout; svg and html need it]",
)
@click.option(
    "--theme",
    type=click.Choice(sorted(THEMES)),
    default=None,
    help="Colours of the drawing (svg, html). [default: from settings]",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_CHOICES),
    default="auto",
    show_default=True,
    help="Graphviz for the drawing (svg, html): system `neato`, embedded, or auto.",
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@friendly
def diff_command(
    old: str,
    new: str,
    output_format: str,
    output: str | None,
    theme: str | None,
    engine: str,
    config_file: str | None,
) -> None:
    """Show what changed between two versions of a blueprint.

    OLD and NEW are .bp files or git:REV:PATH (read with `git show REV:PATH` in the
    current folder; PATH is from the repository root, or from the current folder when
    it starts with ./). Steps, actions, flows, fail points, waits, standards and every
    summary figure are compared by id; layout and comments are not.

    --format svg or html draws NEW with added parts in green (+), changed ones in amber
    (~) and removed ones as dashed red ghosts (−) where they were, beside the change
    list; write it with -o FILE (or -o - for stdout).

    Exit status: 0 no semantic difference, 1 differences found, 2 usage error or a
    version with errors.
    """
    from ..core.fsutil import atomic_write
    from ..diff.compare import diff_blueprints
    from ..diff.output import FORMATTERS
    from .output import format_text

    visual = output_format in VISUAL_FORMATS
    if visual and output is None:
        fail_usage(f"--format {output_format} writes a file: give -o FILE (or -o - for stdout)")
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
    if visual:
        text = _visual(before, after, result, output_format, theme, engine, configs, new)
    else:
        text = FORMATTERS[output_format](result)
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
    raise SystemExit(EXIT_ERRORS if result.has_changes else EXIT_OK)
