"""`bpc check`: parse and validate files or folders; print diagnostics."""

from __future__ import annotations

import click

from .common import EXIT_ERRORS, compile_paths, exit_code, friendly, use_color


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    default=None,
    help="Exit 1 when there are more than this many warnings.",
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also name the files that are clean.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@friendly
def check_command(
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    max_warnings: int | None,
    config_file: str | None,
    quiet: bool,
    verbose: bool,
    color: str,
) -> None:
    """Parse and validate .bp files or folders (recursively); print diagnostics.

    Exit status: 0 no errors, 1 errors found (or warnings with --strict), 2 usage error.
    """
    from ..core.diagnostics import Severity
    from .output import format_github, format_json, format_sarif, format_text, summary_line

    results = compile_paths(paths, config_file)
    code = exit_code(results, strict, max_warnings)
    if quiet:
        for result in results:
            result.diagnostics = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if output_format == "json":
        click.echo(format_json(results), nl=False)
    elif output_format == "github":
        click.echo(format_github(results), nl=False)
    elif output_format == "sarif":
        click.echo(format_sarif(results), nl=False)
    else:
        painted = use_color(color)
        text = format_text(results, color=painted)
        if text:
            click.echo(text)
        if verbose:
            for result in results:
                if not result.diagnostics:
                    click.echo(f"{result.path}: clean")
        if not quiet:
            click.echo(summary_line(results))
        if max_warnings is not None and code == EXIT_ERRORS:
            warnings = sum(
                1 for r in results for d in r.diagnostics if d.severity.value == "warning"
            )
            if warnings > max_warnings:
                click.echo(f"bpc: {warnings} warnings, more than --max-warnings {max_warnings}")
    raise SystemExit(code)
