"""`bpc import`: a blueprint from a spreadsheet (xlsx or CSV, grid or rows layout).

The command is a thin shell over `blueprint_dsl.importing`: it reads, writes the .bp
(atomically, never over an existing file unless `--force`), then checks what it wrote
and says how that went. Problems in the input are one line naming file, sheet, row and
column, exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import fail_usage, friendly


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' * (number != 1)}"


def _summary(text: str, output: str) -> str:
    from ..compiler import compile_text
    from ..core.diagnostics import Severity, count

    result = compile_text(text, output)
    errors = count(result.diagnostics, Severity.ERROR)
    warnings = count(result.diagnostics, Severity.WARNING)
    found = (
        f"bpc check: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )
    return found if output == "-" else f"{found} (run `bpc check {output}` for the details)"


@click.command("import")
@click.argument("file", type=click.Path())
@click.option(
    "-o",
    "--output",
    default=None,
    help="The .bp file to write (default: FILE with .bp), or - for stdout.",
)
@click.option(
    "--layout",
    type=click.Choice(["auto", "grid", "rows"]),
    default="auto",
    show_default=True,
    help="grid: zones and lanes down, steps across; rows: bpc's CSV export.",
)
@click.option("--sheet", default=None, help="The xlsx sheet to read (default: the first).")
@click.option("--title", default=None, help="The blueprint's title (default: from FILE).")
@click.option(
    "--locale",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Language of the blueprint (default: zh when most labels are Chinese).",
)
@click.option("--encoding", default=None, help="Encoding of a CSV that is not UTF-8.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--no-check", "no_check", is_flag=True, help="Do not check the written file (huge sheets)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@friendly
def import_command(
    file: str,
    output: str | None,
    layout: str,
    sheet: str | None,
    title: str | None,
    locale: str | None,
    encoding: str | None,
    force: bool,
    no_check: bool,
    quiet: bool,
) -> None:
    """Write a blueprint from the spreadsheet FILE (.xlsx or .csv).

    Never overwrites an existing file without --force (exit status 2).
    """
    from ..core.fsutil import atomic_write
    from ..importing import ImportProblem, import_file

    target = output if output is not None else str(Path(file).with_suffix(".bp"))
    if target != "-":
        path = Path(target)
        if path.suffix != ".bp":
            fail_usage(f"{target}: a blueprint file name ends in .bp")
        if (path.exists() or path.is_symlink()) and not force:
            fail_usage(
                f"{target} already exists; bpc import never overwrites a file "
                "(pick another name, or --force to replace it)"
            )
    try:
        result = import_file(
            file, None if layout == "auto" else layout, sheet, title, locale, encoding
        )
    except ImportProblem as problem:
        fail_usage(str(problem))
        return
    for notice in result.notices:
        click.echo(f"bpc: {notice}", err=True)
    if target == "-":
        sys.stdout.write(result.text)
        sys.stdout.flush()
    else:
        atomic_write(target, result.text)
    if quiet:
        return
    draft = result.draft
    where = "stdout" if target == "-" else target
    click.echo(
        f"imported {file} ({result.layout} layout): {_count(len(draft.steps), 'step')}, "
        f"{_count(draft.action_count, 'action')}, {_count(len(draft.lanes), 'lane')} -> {where}",
        err=target == "-",
    )
    if not no_check:
        click.echo(_summary(result.text, target), err=target == "-")
