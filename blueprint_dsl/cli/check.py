"""`bpc check`: parse and validate files or folders; print diagnostics."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    ConfigCache,
    compile_paths,
    exclude_option,
    exit_code,
    friendly,
    use_color,
)

if TYPE_CHECKING:
    from ..compiler import CompileResult

FORMATS = ["text", "json", "github", "sarif", "junit", "gitlab"]
STDIN = "-"
STDIN_NAME = "<stdin>"


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
    from ..compiler import UsageError
    from ..core.diagnostics import Severity
    from .selection import Selection

    selection = Selection.parse(select, ignore)
    if paths.count(STDIN) > 1:
        raise UsageError("`-` (stdin) can be given only once")
    if stdin_filename is not None and STDIN not in paths:
        raise UsageError("--stdin-filename names what `-` reads: add `-` to the paths")
    if statistics and output_format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    to_stdout = output_file in (None, "-")

    if unsafe_fixes and not fix:
        raise UsageError("--unsafe-fixes goes with --fix")
    if fix and STDIN in paths:
        raise UsageError("--fix rewrites files; for stdin use `bpc fmt -` (the layout only)")

    results = compile_inputs(paths, config_file, stdin_filename or STDIN_NAME, exclude)
    if observed is not None:
        from .simulate import add_observed

        add_observed(results, observed)
    selection.apply(results)
    if fix:
        from .fix import fix_results

        results = fix_results(
            results, unsafe=unsafe_fixes, config_file=config_file, keep=selection.apply
        )
    code = exit_code(results, strict, max_warnings)
    if quiet:
        for result in results:
            result.diagnostics = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    painted = output_format == "text" and (
        use_color(color) if to_stdout else use_color(color, io.StringIO())
    )
    report = build_report(
        results, output_format, painted, strict, max_warnings, code, statistics, quiet, verbose
    )
    if to_stdout:
        click.echo(report, nl=False, color=True if painted else None)
    else:
        from ..core import fsutil

        assert output_file is not None
        try:
            fsutil.atomic_write(output_file, report)
        except OSError as error:
            raise UsageError(f"cannot write {output_file}: {error.strerror or error}") from None
    raise SystemExit(EXIT_OK if exit_zero else code)


def compile_inputs(
    paths: Sequence[str], config_file: str | None, stdin_name: str, exclude: Sequence[str] = ()
) -> list[CompileResult]:
    """Compile the files PATHS name, and stdin where `-` stands among them."""
    if STDIN not in paths:
        return compile_paths(paths, config_file, exclude)
    from ..compiler import compile_bytes

    where = paths.index(STDIN)
    before, after = paths[:where], paths[where + 1 :]
    data = sys.stdin.buffer.read()
    config = ConfigCache(config_file).for_file(Path(stdin_name))
    from_stdin = compile_bytes(data, stdin_name, config)
    return [
        *(compile_paths(before, config_file, exclude) if before else []),
        from_stdin,
        *(compile_paths(after, config_file, exclude) if after else []),
    ]


def build_report(
    results: Sequence[CompileResult],
    output_format: str,
    painted: bool,
    strict: bool,
    max_warnings: int | None,
    code: int,
    statistics: bool,
    quiet: bool,
    verbose: bool,
) -> str:
    """What `bpc check` prints (or writes to --output-file)."""
    # Each format's module loads only when it is asked for (start-up time).
    from ..core.diagnostics import Severity
    from .output import format_github, format_json, format_sarif, format_text, summary_line

    if output_format == "json":
        if not statistics:
            return format_json(results, None)
        from .statistics import count_codes, statistics_json

        return format_json(results, statistics_json(count_codes(results)))
    if output_format == "github":
        return format_github(results)
    if output_format == "sarif":
        return format_sarif(results)
    if output_format == "junit":
        from .formats import format_junit

        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return format_junit(results, failing)
    if output_format == "gitlab":
        from .formats import format_gitlab

        return format_gitlab(results)
    parts: list[str] = []
    if statistics:
        from .statistics import count_codes, format_statistics

        parts.append(format_statistics(count_codes(results)))
    else:
        text = format_text(results, color=painted)
        if text:
            parts.append(text + "\n")
    if verbose:
        parts.extend(f"{result.path}: clean\n" for result in results if not result.diagnostics)
    if not quiet:
        parts.append(summary_line(results) + "\n")
    if max_warnings is not None and code == EXIT_ERRORS:
        warnings = sum(1 for r in results for d in r.diagnostics if d.severity is Severity.WARNING)
        if warnings > max_warnings:
            parts.append(f"bpc: {warnings} warnings, more than --max-warnings {max_warnings}\n")
    return "".join(parts)
