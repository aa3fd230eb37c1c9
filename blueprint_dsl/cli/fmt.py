"""`bpc fmt`: rewrite files in the canonical layout, or say which would change."""

from __future__ import annotations

import sys

import click

from .common import EXIT_ERRORS, friendly, use_color


@click.command("fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; change nothing.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@friendly
def fmt_command(paths: tuple[str, ...], check_only: bool, show_diff: bool, color: str) -> None:
    """Rewrite .bp files in the canonical layout (`-` reads stdin, writes stdout).

    Comments stay in place and the meaning never changes. A file with syntax errors is
    left untouched and its errors are printed. Exit 1 with --check or --diff when a file
    would change, or when a file has syntax errors.
    """
    import difflib

    from ..compiler import CompileResult, collect_paths, decode
    from ..core.fsutil import atomic_write
    from ..language.formatter import format_source
    from .output import format_text

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
