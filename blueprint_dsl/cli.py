"""The `bpc` command line: a thin shell over the library API."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .api import CompileResult
    from .config import Config

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def use_color(choice: str, stream: Any = None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def fail_usage(message: str) -> None:
    click.echo(f"bpc: error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def friendly(func: F) -> F:
    """Turn usage problems into exit 2 and any bug into a short report, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .api import UsageError
        from .config import ConfigError

        try:
            return func(*args, **kwargs)
        except (UsageError, ConfigError) as error:
            fail_usage(str(error))
        except KeyboardInterrupt:
            click.echo("bpc: interrupted", err=True)
            raise SystemExit(130) from None
        except BrokenPipeError:
            raise SystemExit(EXIT_OK) from None
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:  # a bug in bpc: say so plainly
            click.echo(
                f"bpc: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in bpc; please report it with the file that caused it.",
                err=True,
            )
            if os.environ.get("BPC_DEBUG"):
                raise
            raise SystemExit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


class ConfigCache:
    """Settings per folder, found upwards from each file (or from --config)."""

    def __init__(self, explicit: str | None) -> None:
        self.explicit = explicit
        self.by_folder: dict[Path, Config] = {}

    def for_file(self, path: Path) -> Config:
        from .config import load_config, load_config_file

        if self.explicit is not None:
            explicit = Path(self.explicit)
            if explicit not in self.by_folder:
                self.by_folder[explicit] = load_config_file(explicit)
            return self.by_folder[explicit]
        folder = path.parent
        if folder not in self.by_folder:
            self.by_folder[folder] = load_config(path)
        return self.by_folder[folder]


def blueprint_files(paths: Sequence[str]) -> list[Path]:
    """The .bp files PATHS name; none at all is a usage error (exit 2)."""
    from .api import UsageError, collect_paths

    files = collect_paths(paths)
    if not files:
        raise UsageError(f"no .bp files found in {', '.join(paths)}")
    return files


def compile_paths(paths: Sequence[str], config_file: str | None = None) -> list[CompileResult]:
    from .api import compile_file

    configs = ConfigCache(config_file)
    return [compile_file(path, configs.for_file(path)) for path in blueprint_files(paths)]


# Commands that live in their own modules, imported only when they run (start-up time).
LAZY_COMMANDS: dict[str, str] = {
    "render": "blueprint_dsl.cli_render:render_command",
    "watch": "blueprint_dsl.cli_watch:watch_command",
    "lsp": "blueprint_dsl.cli_lsp:lsp_command",
    "diff": "blueprint_dsl.cli_more:diff_command",
    "new": "blueprint_dsl.cli_more:new_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        import importlib

        module_name, attribute = LAZY_COMMANDS[cmd_name].split(":")
        loaded = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(loaded, click.Command)
        return loaded


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bpc")
def main() -> None:
    """bpc — service blueprints (服务蓝图) as plain text.

    Write a blueprint in a .bp file, then check it, render it and export it.
    Run `bpc COMMAND --help` for the options of each command.
    """


@main.command()
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
def check(
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
    from .diagnostic_output import (
        format_github,
        format_json,
        format_sarif,
        format_text,
        summary_line,
    )
    from .diagnostics import Severity

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


def exit_code(
    results: Sequence[CompileResult], strict: bool = False, max_warnings: int | None = None
) -> int:
    from .diagnostics import Severity

    diagnostics = [d for r in results for d in r.diagnostics]
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    if any(d.severity is Severity.ERROR for d in diagnostics) or (strict and warnings):
        return EXIT_ERRORS
    if max_warnings is not None and warnings > max_warnings:
        return EXIT_ERRORS
    return EXIT_OK


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@friendly
def rules(output_format: str) -> None:
    """List every rule: code, default severity and what it checks."""
    import json

    from .rules import all_rules

    catalogue = list(all_rules().values())
    if output_format == "json":
        data = [{"code": r.code, "severity": r.severity.value, "title": r.title} for r in catalogue]
        click.echo(json.dumps(data, indent=2))
        return
    for r in catalogue:
        click.echo(f"{r.code}  {r.severity.value:<8} {r.title}")


@main.command()
@click.argument("code")
@friendly
def explain(code: str) -> None:
    """Explain one rule, with a failing example and its fix."""
    from .rules import all_rules, get_rule

    found = get_rule(code)
    if found is None:
        import difflib

        close = difflib.get_close_matches(code.upper(), list(all_rules()), n=1)
        hint = f" (did you mean {close[0]}?)" if close else " (see `bpc rules`)"
        fail_usage(f"unknown rule {code!r}{hint}")
        return
    click.echo(f"{found.code} ({found.severity.value}): {found.title}\n")
    click.echo(found.explanation)
    bad, good = found.example("bad"), found.example("good")
    if bad:
        click.echo("\nExample that triggers it:\n")
        click.echo(_indent(bad))
    if good:
        click.echo("Fixed:\n")
        click.echo(_indent(good))


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" if line.strip() else "\n" for line in text.splitlines())


@main.command()
@click.argument("file", type=click.Path())
@click.option(
    "--to",
    "target",
    type=click.Choice(["json", "mermaid", "plantuml", "d2", "csv"]),
    default="json",
    show_default=True,
    help="Export format.",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Output file, or - for stdout."
)
@click.option("--markdown", is_flag=True, help="Wrap the output in a fenced Markdown block.")
@click.option(
    "--report",
    type=click.Path(),
    default=None,
    help="Write what the target format cannot show to this file (default: stderr).",
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@friendly
def export(
    file: str,
    target: str,
    output: str,
    markdown: bool,
    report: str | None,
    config_file: str | None,
) -> None:
    """Export the compiled model of FILE, or its diagram in another diagram language.

    json is the whole model (schema in blueprint_dsl/schemas/export.schema.json);
    mermaid, plantuml and d2 keep ids, labels, lanes and flows and say on stderr (or in
    --report) what they cannot show; csv has one row per action (UTF-8 with a BOM, for
    spreadsheets). A blueprint with errors is not exported.
    """
    from .api import compile_file
    from .cli_more import export_other
    from .diagnostic_output import format_text
    from .fsutil import atomic_write

    path = Path(file)
    if path.is_dir():
        fail_usage(f"{file}: export takes one .bp file, not a folder")
    result = compile_file(path, ConfigCache(config_file).for_file(path))
    if result.has_errors or result.blueprint is None:
        click.echo(format_text([result], color=use_color("auto", sys.stderr)), err=True, nl=False)
        click.echo(f"bpc: {file} has errors; nothing exported", err=True)
        raise SystemExit(EXIT_ERRORS)
    text, lost = export_other(result, target, markdown, report)
    if output == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
    if lost:
        click.echo(lost, err=True, nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; change nothing.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@friendly
def fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool, color: str) -> None:
    """Rewrite .bp files in the canonical layout (`-` reads stdin, writes stdout).

    Comments stay in place and the meaning never changes. A file with syntax errors is
    left untouched and its errors are printed. Exit 1 with --check or --diff when a file
    would change, or when a file has syntax errors.
    """
    import difflib

    from .api import CompileResult, collect_paths, decode
    from .diagnostic_output import format_text
    from .formatter import format_source
    from .fsutil import atomic_write

    painted = use_color(color, sys.stderr)
    if paths == ("-",):
        data = sys.stdin.buffer.read()
        text, problems = decode(data, "<stdin>")
        formatted = None
        if text is not None:
            formatted, problems = format_source(text, "<stdin>")
        if formatted is None:
            result = CompileResult("<stdin>", text or "", None, problems)
            click.echo(format_text([result], color=painted), err=True, nl=False)
            raise SystemExit(EXIT_ERRORS)
        click.echo(formatted, nl=False)
        return
    changed: list[str] = []
    broken = 0
    for path in collect_paths(paths):
        data = path.read_bytes()
        text, problems = decode(data, str(path))
        formatted = None
        if text is not None:
            formatted, problems = format_source(text, str(path))
        if formatted is None or text is None:
            broken += 1
            result = CompileResult(str(path), text or "", None, problems)
            click.echo(format_text([result], color=painted), err=True)
            continue
        original = text[1:] if text.startswith("\ufeff") else text
        if formatted == original:
            continue
        changed.append(str(path))
        if show_diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        formatted.splitlines(keepends=True),
                        f"{path}",
                        f"{path} (formatted)",
                    )
                ),
                nl=False,
            )
        elif check_only:
            click.echo(f"would reformat {path}")
        else:
            atomic_write(path, formatted)
            click.echo(f"reformatted {path}", err=True)
    verb = "would be reformatted" if (check_only or show_diff) else "reformatted"
    click.echo(
        f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}"
        + (f", {broken} with syntax errors left untouched" if broken else ""),
        err=True,
    )
    if broken or ((check_only or show_diff) and changed):
        raise SystemExit(EXIT_ERRORS)


if __name__ == "__main__":
    main()
