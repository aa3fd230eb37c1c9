"""`bpc simulate`: Monte Carlo over one blueprint (section 8.8), optionally drawing from
observed data (8.9); and the `--observed` plumbing `bpc check` shares."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import EXIT_ERRORS, EXIT_OK, compile_one, friendly, use_color

if TYPE_CHECKING:
    from ..analysis.observed import Observations
    from ..analysis.simulate_result import Simulation
    from ..compiler import CompileResult

MIN_OBSERVATIONS = 5  # an action's draws come from its observations from this many on
MAX_RUNS = 10_000_000


@click.command("simulate")
@click.argument("file", type=click.Path())
@click.option(
    "-n",
    "--runs",
    type=click.IntRange(1, MAX_RUNS),
    default=10_000,
    show_default=True,
    help="How many runs to simulate.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Random seed (same seed, same output)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="How to print the figures (json: blueprint_dsl/schemas/simulate.schema.json).",
)
@click.option(
    "--observed",
    metavar="DATA.csv",
    type=click.Path(dir_okay=False),
    help=f"Measured durations and waits: draw from them where an action has {MIN_OBSERVATIONS}+.",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Output file, or - for stdout."
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@friendly
def simulate_command(
    file: str,
    runs: int,
    seed: int,
    output_format: str,
    observed: str | None,
    output: str,
    config_file: str | None,
) -> None:
    """Simulate FILE many times over: customer time and lead time (mean, p50, p90, p95,
    max), the chance of missing the target, busy time per lane, expected cost,
    encounters, and how often each action runs.

    Each run draws every duration and wait uniformly from its range, takes decision
    branches by their shares and repeats rework loops by theirs. A blueprint with errors
    is not simulated (exit 1). With --observed, problems in the data are printed on
    stderr (exit 1 after the figures when a row cannot be used).
    """
    from ..analysis.simulate import simulate
    from ..core.fsutil import atomic_write
    from .output import format_text

    result, blueprint = compile_one(file, config_file, "simulate", "simulated")
    durations: dict[str, list[float]] = {}
    waits: dict[str, list[float]] = {}
    code = EXIT_OK
    if observed is not None:
        found = load_observed(observed, result)
        durations, waits = found.enough(MIN_OBSERVATIONS)
        noted = observed_result(result, found)
        if noted.diagnostics:
            click.echo(
                format_text([noted], color=use_color("auto", sys.stderr)), err=True, nl=False
            )
        code = EXIT_ERRORS if noted.has_errors else EXIT_OK
    figures = simulate(blueprint, runs, seed, durations, waits)
    text = render(figures, output_format, observed)
    if output == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
    raise SystemExit(code)


# ---- observed data: shared with `bpc check --observed` --------------------------------
def load_observed(csv_path: str, result: CompileResult) -> Observations:
    """Read DATA.csv against a compiled blueprint; an unreadable file is a usage error."""
    from ..analysis.observed import read_observed
    from ..compiler import UsageError

    assert result.blueprint is not None
    try:
        data = Path(csv_path).read_bytes()
    except OSError as error:
        raise UsageError(f"{csv_path}: cannot read: {error.strerror or error}") from None
    return read_observed(data, csv_path, result.blueprint)


def observed_result(result: CompileResult, found: Observations) -> CompileResult:
    """A result holding only what the observations say (BP510-BP512), in the file's
    locale, to print beside the blueprint's own diagnostics."""
    from ..analysis.observed_compare import compare
    from ..core.diagnostics import sort_diagnostics

    assert result.blueprint is not None
    found_here = [*found.problems, *compare(result.blueprint, found)]
    worded = [d.localised(result.locale) for d in found_here]
    return result.with_diagnostics(sort_diagnostics(worded))


def add_observed(results: list[CompileResult], csv_path: str) -> None:
    """`bpc check --observed`: add the observations' findings to the one blueprint's."""
    from ..compiler import UsageError
    from ..core.diagnostics import sort_diagnostics

    if len(results) != 1:
        raise UsageError("--observed compares one blueprint file with its data: give one file")
    (result,) = results
    if result.blueprint is None:
        return  # nothing to compare with: the blueprint's own errors say why
    extra = observed_result(result, load_observed(csv_path, result)).diagnostics
    result.diagnostics = sort_diagnostics([*result.diagnostics, *extra])


# ---- output ----------------------------------------------------------------------------
def render(sim: Simulation, output_format: str, observed: str | None) -> str:
    if output_format == "json":
        import json

        return json.dumps(sim.to_json(observed), indent=2, ensure_ascii=False) + "\n"
    from ..analysis.simulate_text import render_markdown, render_text

    if output_format == "md":
        return render_markdown(sim, observed, MIN_OBSERVATIONS)
    return render_text(sim, observed, MIN_OBSERVATIONS)
