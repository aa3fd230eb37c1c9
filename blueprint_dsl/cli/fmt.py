"""`bpc fmt`: rewrite files in the canonical layout, or say which would change."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_ERRORS, blueprint_files, exclude_option, friendly, use_color

BOM = "\ufeff"


@click.command("fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; change nothing.")
@exclude_option
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@friendly
def fmt_command(
    paths: tuple[str, ...],
    check_only: bool,
    show_diff: bool,
    exclude: tuple[str, ...],
    color: str,
) -> None:
    """Rewrite .bp files in the canonical layout (`-` reads stdin, writes stdout).

    Comments stay in place (a `# bpc: ignore[…]` comment on the line of what it silences)
    and the meaning never changes. A file is rewritten in place, through a symbolic link,
    keeping its byte-order mark. A file with syntax errors is left untouched and its
    errors are printed. Exit 1 with --check or --diff when a file would change (with `-`:
    --check prints nothing on stdout, --diff the diff), or when a file has syntax errors;
    exit 2 when PATHS hold no .bp file.
    """
    from ..compiler import CompileResult, decode
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
        if text is None or formatted is None:
            result = CompileResult("<stdin>", text or "", None, problems)
            click.echo(
                format_text([result], color=painted), err=True, nl=False, color=painted or None
            )
            raise SystemExit(EXIT_ERRORS)
        if show_diff or check_only:
            original = text.removeprefix(BOM)
            if formatted == original:
                return
            if show_diff:
                click.echo(_diff(original, formatted, "<stdin>"), nl=False)
            else:
                click.echo("would reformat <stdin>", err=True)
            raise SystemExit(EXIT_ERRORS)
        click.echo((BOM if data.startswith(BOM.encode()) else "") + formatted, nl=False)
        return
    changed: list[str] = []
    broken = 0
    for path in blueprint_files(paths, exclude):
        data = path.read_bytes()
        text, problems = decode(data, str(path))
        formatted = None
        if text is not None:
            formatted, problems = format_source(text, str(path))
        if formatted is None or text is None:
            broken += 1
            result = CompileResult(str(path), text or "", None, problems)
            click.echo(format_text([result], color=painted), err=True, color=painted or None)
            continue
        original = text.removeprefix(BOM)  # `decode` has left out the first one
        if formatted == original:
            continue
        changed.append(str(path))
        if show_diff:
            click.echo(_diff(original, formatted, str(path)), nl=False)
        elif check_only:
            click.echo(f"would reformat {path}")
        else:
            bom = BOM if data.startswith(BOM.encode()) else ""
            atomic_write(_through_links(path), bom + formatted)
            click.echo(f"reformatted {path}", err=True)
    verb = "would be reformatted" if (check_only or show_diff) else "reformatted"
    click.echo(
        f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}"
        + (f", {broken} with syntax errors left untouched" if broken else ""),
        err=True,
    )
    if broken or ((check_only or show_diff) and changed):
        raise SystemExit(EXIT_ERRORS)


def _diff(original: str, formatted: str, name: str) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            formatted.splitlines(keepends=True),
            name,
            f"{name} (formatted)",
        )
    )


def _through_links(path: Path) -> Path:
    """The file a symbolic link (or a chain of them) ends at, so that the rewrite goes
    to it and the link stays a link; `path` itself when it is not a link."""
    return path.resolve() if path.is_symlink() else path
