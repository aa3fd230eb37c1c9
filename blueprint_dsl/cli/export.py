"""`bpc export`: the compiled model as JSON, or the diagram in Mermaid, PlantUML, D2, CSV,
BPMN 2.0 or draw.io."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import compile_one, friendly

if TYPE_CHECKING:
    from ..compiler import CompileResult

EXPORT_TARGETS: tuple[str, ...] = ("mermaid", "plantuml", "d2", "csv", "bpmn", "drawio")
TARGET_NAMES = {
    "mermaid": "Mermaid",
    "plantuml": "PlantUML",
    "d2": "D2",
    "csv": "CSV",
    "bpmn": "BPMN",
    "drawio": "draw.io",
}


@click.command("export")
@click.argument("file", type=click.Path())
@click.option(
    "--to",
    "target",
    type=click.Choice(["json", *EXPORT_TARGETS]),
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
@click.option(
    "-q", "--quiet", is_flag=True, help="Do not print what the target format cannot show."
)
@friendly
def export_command(
    file: str,
    target: str,
    output: str,
    markdown: bool,
    report: str | None,
    config_file: str | None,
    quiet: bool,
) -> None:
    """Export the compiled model of FILE, or its diagram in another diagram language.

    json is the whole model (schema in blueprint_dsl/schemas/export.schema.json);
    mermaid, plantuml and d2 keep ids, labels, lanes and flows and say on stderr (or in
    --report) what they cannot show; csv has one row per action (UTF-8 with a BOM, for
    spreadsheets); bpmn is BPMN 2.0 XML with one pool, a lane per bpc lane and bpc's
    layout as diagram interchange; drawio is an uncompressed diagrams.net file laid out as
    bpc draws it. A blueprint with errors is not exported.
    """
    from ..core.fsutil import atomic_write

    result, _ = compile_one(file, config_file, "export", "exported")
    text, lost = export_other(result, target, markdown, None)
    if output == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)  # first: an output that cannot be written leaves no report
    if report is not None:
        write_lost_report(report, target, result.path, lost)
    elif lost and not quiet:
        click.echo(lost, err=True, nl=False)


def format_lost(path: str, target: str, lost: tuple[str, ...]) -> str:
    """The lost-features report: a heading line and one bullet per sentence ('' if none)."""
    if not lost:
        return ""
    name = TARGET_NAMES.get(target, target)
    lines = [f"What the {name} export of {path} cannot show:"]
    lines += [f"  - {sentence}" for sentence in lost]
    return "\n".join(lines) + "\n"


def export_other(
    result: CompileResult, target: str, markdown: bool, report: str | None
) -> tuple[str, str]:
    """Export a compiled blueprint (without errors) to `target`.

    Returns (output text, lost-features text). With `markdown` the output is a fenced
    block (```mermaid …```). When `report` is a path, the lost-features text is written
    there (atomically; a short "nothing lost" line when nothing is) and the second element
    is ''; otherwise the caller prints the second element to stderr when it is not empty.
    Raises UsageError for an unknown target or a result without a blueprint.
    """
    from ..compiler import UsageError
    from ..exports import EXPORTERS, FENCE_LANGUAGES, markdown_fence

    if result.blueprint is None or result.has_errors:
        raise UsageError(f"{result.path} has errors; nothing exported")
    lost: tuple[str, ...] = ()
    if target == "json":
        from ..exports.json_export import to_json

        text = to_json(result.blueprint)
    elif target in EXPORTERS:
        exported = EXPORTERS[target](result.blueprint)
        text, lost = exported.text, exported.lost
    else:
        choices = ", ".join(("json", *EXPORTERS))
        raise UsageError(f"unknown export target {target!r}; choose one of {choices}")
    if markdown:
        text = markdown_fence(text, FENCE_LANGUAGES.get(target, target))
    lost_text = format_lost(result.path, target, lost)
    if report is not None:
        write_lost_report(report, target, result.path, lost_text)
        return text, ""
    return text, lost_text


def write_lost_report(report: str, target: str, path: str, lost_text: str) -> None:
    """Write the lost-features text to `report` (atomically), or a short "nothing lost"
    line when it is empty. Raises WriteError when the file cannot be written."""
    from ..core.fsutil import atomic_write

    name = TARGET_NAMES.get(target, target)
    atomic_write(report, lost_text or f"The {name} export of {path} loses nothing.\n")
