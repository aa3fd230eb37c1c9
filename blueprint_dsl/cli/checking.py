"""What `bpc check` does once its options are read, without click: `check.py` reads the
options with click and calls `run_check`; `entry` calls it straight for a plain
`bpc check FILE…` (no options), the command line linters are run with most, so that it
starts without importing click."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .common import EXIT_ERRORS, EXIT_OK, ConfigCache, compile_paths, exit_code, use_color

if TYPE_CHECKING:
    from ..compiler import CompileResult

FORMATS = ["text", "json", "github", "sarif", "junit", "gitlab"]
STDIN = "-"
STDIN_NAME = "<stdin>"


class Outcome(NamedTuple):
    """What a check leaves to print: the report for stdout (None when it went to
    --output-file), whether it is painted, and the exit code."""

    report: str | None
    painted: bool
    code: int


def run_check(
    paths: Sequence[str],
    *,
    output_format: str = "text",
    strict: bool = False,
    max_warnings: int | None = None,
    config_file: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    exit_zero: bool = False,
    statistics: bool = False,
    output_file: str | None = None,
    stdin_filename: str | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    observed: str | None = None,
    exclude: Sequence[str] = (),
    quiet: bool = False,
    verbose: bool = False,
    color: str = "auto",
) -> Outcome:
    """Check PATHS as `bpc check` does with these options (their defaults are the
    command's); raises UsageError (or ConfigError, WriteError) on a usage problem."""
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
    code = EXIT_OK if exit_zero else code
    if to_stdout:
        return Outcome(report, painted, code)
    from ..core import fsutil

    assert output_file is not None
    try:
        fsutil.atomic_write(output_file, report)
    except OSError as error:
        raise UsageError(f"cannot write {output_file}: {error.strerror or error}") from None
    return Outcome(None, painted, code)


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
