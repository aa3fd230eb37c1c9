"""`bpc render`: check blueprints, then write their diagrams (and reports) to a folder.

Files with errors are not rendered (their diagnostics are printed, exit 1); the others
still are. Rendering is incremental (a manifest `.bpc-cache.json` in the output folder
keeps, per blueprint, a key over everything that shapes its outputs: see
`render_cache`) and parallel with `-j N` (the workers end when bpc does, even when it is
killed). Every output is written atomically; an output that cannot be written stops
the run with one line and exit 2, as does a missing Graphviz. Problems are reported as
messages, never as a traceback.

Unchanged files are told first, from their source, includes, settings and options,
before anything is compiled (`render_workers`); a run in which nothing changed imports
neither the drawing (`render`) nor the report. The others are rendered in batches (`render_batch`):
in this process, or with `-j N` in chunks by N worker processes (`render_workers`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    ConfigCache,
    blueprint_files,
    exclude_option,
    fail_usage,
    friendly,
    use_color,
)
from .render_cache import (
    ENGINE_CHOICES,
    THEME_NAMES,
    FitOptions,
    engine_fingerprint,
    engine_name,
)
from .render_manifest import update_manifest
from .render_options import parse_formats
from .render_plan import image_formats, plan_jobs, write_index
from .render_workers import Progress, render_all


@click.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False),
    default=None,
    help="Output folder (default: `output` from the settings, else ./out).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    help="Comma-separated formats: svg, png, pdf, dot, html. [default: svg,html]",
)
@click.option(
    "--theme",
    type=click.Choice(THEME_NAMES),
    default=None,
    help="Colours: default, print (monochrome) or colorblind. [default: from settings]",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_CHOICES),
    default="auto",
    show_default=True,
    help="Graphviz: the system `neato`, the embedded WebAssembly build, or auto.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Parallel jobs."
)
@click.option(
    "--wrap",
    type=click.IntRange(0, 100_000),
    default=None,
    help="Rows of N steps, each with its lane names and lines; 0 never wraps. "
    "[default: PNG and PDF of more than 30 steps wrap at 30]",
)
@click.option(
    "--page",
    type=click.Choice(["a4", "a3", "letter"]),
    default=None,
    help="PDF only: one row per page of this size, lane names on every page.",
)
@click.option("--landscape", is_flag=True, help="With --page: landscape pages.")
@click.option(
    "--scale",
    type=click.FloatRange(0.1, 16),
    default=1.0,
    show_default=True,
    help="PNG resolution: 1 is 96 dpi, 2 is 192 dpi.",
)
@click.option(
    "--critical-path",
    "critical_path",
    is_flag=True,
    help="Highlight the critical path: the actions on the longest way through the service.",
)
@click.option("--force", is_flag=True, help="Render even files that have not changed.")
@click.option(
    "--observed",
    type=click.Path(dir_okay=False),
    default=None,
    help="Measured times (CSV): the report shows written against observed (one file only).",
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@exclude_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Name every file written.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@friendly
def render_command(
    paths: tuple[str, ...],
    output: str | None,
    formats: tuple[str, ...],
    theme: str | None,
    engine: str,
    jobs: int,
    wrap: int | None,
    page: str | None,
    landscape: bool,
    scale: float,
    critical_path: bool,
    force: bool,
    observed: str | None,
    config_file: str | None,
    exclude: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    color: str,
) -> None:
    """Check blueprints, then draw each one into the output folder.

    PATHS are .bp files or folders (searched recursively). Files with errors are not
    drawn: their diagnostics are printed and the exit status is 1. SVG and DOT work
    everywhere (embedded Graphviz); PNG and PDF need the system Graphviz.
    """
    if landscape and page is None:
        fail_usage("--landscape needs --page a4|a3|letter")
    if page is not None and "pdf" not in parse_formats(formats):
        fail_usage("--page paginates a PDF: add -f pdf")
    if observed is not None and not Path(observed).is_file():
        fail_usage(f"{observed}: no such file (--observed takes a CSV of measured times)")
    code = _run(
        paths,
        output,
        formats,
        theme,
        engine,
        jobs,
        force,
        config_file,
        quiet,
        verbose,
        color,
        exclude,
        fit=FitOptions(wrap, scale, page, landscape, critical_path),
        observed=observed,
    )
    raise SystemExit(code)


def _run(
    paths: Sequence[str],
    output: str | None,
    raw_formats: Sequence[str],
    theme: str | None,
    engine: str,
    jobs: int,
    force: bool,
    config_file: str | None,
    quiet: bool,
    verbose: bool,
    color: str,
    exclude: Sequence[str] = (),
    fit: FitOptions | None = None,
    observed: str | None = None,
) -> int:
    from ..core.fsutil import WriteError

    formats = parse_formats(raw_formats)
    configs = ConfigCache(config_file)
    files = blueprint_files(paths, exclude, configs)
    if observed is not None and len(files) != 1:
        click.echo(
            "bpc: error: --observed compares one blueprint with its data: give one file", err=True
        )
        return EXIT_USAGE
    images = image_formats(formats)
    try:
        resolved = engine_name(engine, images) if images else "none"
    except Exception as error:  # a missing Graphviz is a usage problem, like any tool
        from ..render.engines import EngineError  # engine_name raised it: imported

        if not isinstance(error, EngineError):
            raise
        click.echo(f"bpc: error: {error}", err=True)
        return EXIT_USAGE
    engine_id = engine_fingerprint(resolved)

    job_list, out_dirs = plan_jobs(
        files,
        output,
        formats,
        theme,
        resolved,
        engine_id,
        force=force,
        config_file=config_file,
        color=use_color(color, sys.stderr),
        quiet=quiet,
        configs=configs,
        fit=fit,
        observed=observed,
    )

    progress = Progress(len(job_list), enabled=not quiet and len(job_list) > 1)
    outcomes = render_all(job_list, jobs, configs, progress)
    progress.done()

    rendered = skipped = failed = 0
    fresh: dict[str, dict[str, dict[str, Any]]] = {}
    dropped: dict[str, list[str]] = {}
    restamped: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}
    stopped: str | None = None
    for outcome in outcomes:
        # An unchanged file was checked and drawn before: its diagnostics are not news
        # (`bpc check` prints them every time).
        if outcome.diagnostics and not outcome.skipped:
            click.echo(
                outcome.diagnostics,
                err=True,
                nl=not outcome.diagnostics.endswith("\n"),
                color=use_color(color, sys.stderr) or None,  # --color always, through a pipe
            )
        if outcome.usage_error is not None:
            stopped = outcome.usage_error
        elif outcome.error is not None:
            click.echo(f"bpc: error: {outcome.path}: {outcome.error}", err=True)
            dropped.setdefault(outcome.out_dir, []).append(outcome.stem)
            failed += 1
        elif outcome.has_errors:
            if not quiet:
                click.echo(f"bpc: {outcome.path} has errors; not rendered", err=True)
            dropped.setdefault(outcome.out_dir, []).append(outcome.stem)
            failed += 1
        elif outcome.skipped:
            skipped += 1
            if outcome.restamps and outcome.key is not None:
                restamped.setdefault(outcome.out_dir, {})[outcome.stem] = (
                    outcome.key,
                    outcome.restamps,
                )
            if verbose:
                click.echo(f"{outcome.path}: unchanged", err=True)
        else:
            rendered += 1
            fresh.setdefault(outcome.out_dir, {})[outcome.stem] = {
                "key": outcome.key,
                "source": outcome.path,
                "outputs": dict(sorted(outcome.outputs.items())),
                **({"inputs": outcome.inputs.to_json()} if outcome.inputs else {}),
            }
            if verbose:
                click.echo(f"{outcome.path} -> {', '.join(outcome.written)}", err=True)
        for warning in outcome.warnings:
            click.echo(f"bpc: warning: {warning}", err=True)
    try:
        for out_dir in out_dirs:
            if Path(out_dir).is_dir():
                update_manifest(
                    Path(out_dir),
                    fresh.get(out_dir, {}),
                    dropped.get(out_dir, ()),
                    restamped.get(out_dir),
                )
    except WriteError:
        if stopped is None:
            raise
    if stopped is not None:  # one line, whatever else failed to be written after it
        click.echo(f"bpc: error: {stopped}", err=True)
        return EXIT_USAGE
    folder_input = len(files) > 1 or any(Path(p).is_dir() for p in paths)
    if "html" in formats and folder_input:
        write_index(outcomes)
    if not quiet:
        parts = [f"rendered {rendered} blueprint{'s' if rendered != 1 else ''}"]
        if skipped:
            parts.append(f"{skipped} unchanged")
        if failed:
            parts.append(f"{failed} not rendered")
        click.echo("bpc: " + ", ".join(parts), err=True)
    return EXIT_ERRORS if failed else EXIT_OK
