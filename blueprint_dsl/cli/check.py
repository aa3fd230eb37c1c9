"""`bpc check`: parse and validate files or folders; print diagnostics (the options are
read here, the work is `checking.run_check`)."""

from __future__ import annotations

import click

from .checking import FORMATS, run_check
from .common import echo_report, exclude_option, friendly


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
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
@click.option(
    "--select",
    metavar="CODES",
    multiple=True,
    help="Report only these codes: comma-separated, prefixes allowed (BP5 is BP500-BP507).",
)
@click.option(
    "--ignore",
    metavar="CODES",
    multiple=True,
    help="Do not report these codes (as --select; the more specific entry wins).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
@click.option(
    "--statistics", is_flag=True, help="Print a count per code instead of the diagnostics."
)
@click.option(
    "--output-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (replaced whole, never half-written) instead of stdout.",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="The name of the text `-` reads from stdin, in diagnostics and to find settings.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply safe fixes (unused ignore codes) and the canonical layout; say what changed.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix: also take 'did you mean' suggestions and add missing evidence lines.",
)
@click.option(
    "--observed",
    metavar="DATA.csv",
    type=click.Path(dir_okay=False),
    help="Compare measured durations, waits and metric values with the blueprint (BP510-BP512).",
)
@exclude_option
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
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exit_zero: bool,
    statistics: bool,
    output_file: str | None,
    stdin_filename: str | None,
    fix: bool,
    unsafe_fixes: bool,
    observed: str | None,
    exclude: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    color: str,
) -> None:
    """Parse and validate .bp files or folders (recursively); print diagnostics.

    `-` reads one blueprint from stdin. Each file's errors come first, then its warnings,
    then info. Exit status: 0 no errors (or --exit-zero), 1 errors found (or warnings
    with --strict or past --max-warnings), 2 usage error.
    """
    outcome = run_check(
        paths,
        output_format=output_format,
        strict=strict,
        max_warnings=max_warnings,
        config_file=config_file,
        select=select,
        ignore=ignore,
        exit_zero=exit_zero,
        statistics=statistics,
        output_file=output_file,
        stdin_filename=stdin_filename,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        observed=observed,
        exclude=exclude,
        quiet=quiet,
        verbose=verbose,
        color=color,
    )
    if outcome.report is not None:
        echo_report(outcome.report, outcome.painted)
    raise SystemExit(outcome.code)
