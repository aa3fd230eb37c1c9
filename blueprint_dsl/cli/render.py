"""`bpc render`: check blueprints, then write their diagrams (and reports) to a folder.

Files with errors are not rendered (their diagnostics are printed, exit 1); the others
still are. Rendering is incremental (a manifest `.bpc-cache.json` in the output folder
keeps, per blueprint, a key over everything that shapes its outputs: see
`render_cache`) and parallel with `-j N` (the workers end when bpc does, even when it is
killed). Every output is written atomically; an output that cannot be written stops
the run with one line and exit 2, as does a missing Graphviz. Problems are reported as
messages, never as a traceback.

Unchanged files are told here, from their source, includes, settings and options,
before anything is compiled; a run in which nothing changed imports neither the
drawing (`render`) nor the report. The others are rendered in batches (`render_jobs`):
in this process, or with `-j N` in chunks by N worker processes.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    ConfigCache,
    blueprint_files,
    exclude_option,
    fail_usage,
    friendly,
    use_color,
)
from .render_cache import (
    ENGINE_CHOICES,
    THEME_NAMES,
    FitOptions,
    Inputs,
    engine_fingerprint,
    engine_name,
    index_from_json,
    index_holds,
    index_key,
    load_manifest,
    record_index,
    recorded_outputs,
    update_manifest,
)
from .render_jobs import (
    BATCH,
    Job,
    Outcome,
    iter_render,
    render_jobs,
    unchanged_outcome,
    worker_started,
)

RENDER_FORMATS = ("svg", "png", "pdf", "dot", "html")
DEFAULT_FORMATS = ("svg", "html")


def parse_formats(values: Sequence[str]) -> tuple[str, ...]:
    """`-f svg,png -f dot` -> ("svg", "png", "dot"); raises click.BadParameter."""
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in RENDER_FORMATS:
                raise click.BadParameter(
                    f"unknown format {name!r} (choose from {', '.join(RENDER_FORMATS)})",
                    param_hint="'-f' / '--format'",
                )
            if name not in out:
                out.append(name)
    return tuple(out) or DEFAULT_FORMATS


def output_stems(files: Sequence[Path]) -> list[str]:
    """Output names without suffix, relative to the files' common folder (so that
    `a/x.bp` and `b/x.bp` do not collide)."""
    if not files:
        return []
    parents = [os.path.abspath(f.parent) for f in files]
    base = os.path.commonpath(parents)
    stems = []
    for f in files:
        rel = os.path.relpath(os.path.abspath(f), base)
        stems.append(rel[:-3] if rel.endswith(".bp") else rel)
    return [s.replace(os.sep, "/") for s in stems]


class _Progress:
    """`[3/40] samples/x.bp` on one terminal line while a folder renders; nothing in CI
    or when the output goes to a pipe or a file."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.count = 0
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")

    def step(self, outcome: Outcome) -> Outcome:
        self.count += 1
        if self.enabled:
            line = f"[{self.count}/{self.total}] {outcome.path}"[:78]
            sys.stderr.write("\r\x1b[K" + line)
            sys.stderr.flush()
        return outcome

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _write_index(outcomes: Sequence[Outcome]) -> None:
    """index.html in each output folder, linking to every report there; not written
    again when its rows are the ones of the index on disk (an unchanged run imports no
    report code)."""
    by_dir: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.index_row is not None:
            by_dir.setdefault(outcome.out_dir, []).append(outcome)
    for out_dir, group in by_dir.items():
        locales = {o.locale for o in group}
        locale = locales.pop() if len(locales) == 1 else "en"
        key = index_key([o.index_row for o in group], locale)
        folder = Path(out_dir)
        if index_holds(folder, key):
            continue
        from ..core.fsutil import atomic_write, content_digest
        from ..report import build_index_html

        rows = [
            o.index_entry if o.index_entry is not None else index_from_json(o.index_row)
            for o in group
        ]
        page = build_index_html([row for row in rows if row is not None], locale=locale)
        atomic_write(folder / "index.html", page)
        record_index(folder, key, content_digest(page))


@click.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False),
    default=None,
    help="Output folder (default: `output` from the settings, else ./out).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    help="Comma-separated formats: svg, png, pdf, dot, html. [default: svg,html]",
)
@click.option(
    "--theme",
    type=click.Choice(THEME_NAMES),
    default=None,
    help="Colours: default, print (monochrome) or colorblind. [default: from settings]",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_CHOICES),
    default="auto",
    show_default=True,
    help="Graphviz: the system `neato`, the embedded WebAssembly build, or auto.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Parallel jobs."
)
@click.option(
    "--wrap",
    type=click.IntRange(0, 100_000),
    default=None,
    help="Rows of N steps, each with its lane names and lines; 0 never wraps. "
    "[default: PNG and PDF of more than 30 steps wrap at 30]",
)
@click.option(
    "--page",
    type=click.Choice(["a4", "a3", "letter"]),
    default=None,
    help="PDF only: one row per page of this size, lane names on every page.",
)
@click.option("--landscape", is_flag=True, help="With --page: landscape pages.")
@click.option(
    "--scale",
    type=click.FloatRange(0.1, 16),
    default=1.0,
    show_default=True,
    help="PNG resolution: 1 is 96 dpi, 2 is 192 dpi.",
)
@click.option(
    "--critical-path",
    "critical_path",
    is_flag=True,
    help="Highlight the critical path: the actions on the longest way through the service.",
)
@click.option("--force", is_flag=True, help="Render even files that have not changed.")
@click.option(
    "--observed",
    type=click.Path(dir_okay=False),
    default=None,
    help="Measured times (CSV): the report shows written against observed (one file only).",
)
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
@exclude_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Name every file written.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@friendly
def render_command(
    paths: tuple[str, ...],
    output: str | None,
    formats: tuple[str, ...],
    theme: str | None,
    engine: str,
    jobs: int,
    wrap: int | None,
    page: str | None,
    landscape: bool,
    scale: float,
    critical_path: bool,
    force: bool,
    observed: str | None,
    config_file: str | None,
    exclude: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    color: str,
) -> None:
    """Check blueprints, then draw each one into the output folder.

    PATHS are .bp files or folders (searched recursively). Files with errors are not
    drawn: their diagnostics are printed and the exit status is 1. SVG and DOT work
    everywhere (embedded Graphviz); PNG and PDF need the system Graphviz.
    """
    if landscape and page is None:
        fail_usage("--landscape needs --page a4|a3|letter")
    if page is not None and "pdf" not in parse_formats(formats):
        fail_usage("--page paginates a PDF: add -f pdf")
    if observed is not None and not Path(observed).is_file():
        fail_usage(f"{observed}: no such file (--observed takes a CSV of measured times)")
    code = _run(
        paths,
        output,
        formats,
        theme,
        engine,
        jobs,
        force,
        config_file,
        quiet,
        verbose,
        color,
        exclude,
        fit=FitOptions(wrap, scale, page, landscape, critical_path),
        observed=observed,
    )
    raise SystemExit(code)


def _run(
    paths: Sequence[str],
    output: str | None,
    raw_formats: Sequence[str],
    theme: str | None,
    engine: str,
    jobs: int,
    force: bool,
    config_file: str | None,
    quiet: bool,
    verbose: bool,
    color: str,
    exclude: Sequence[str] = (),
    fit: FitOptions | None = None,
    observed: str | None = None,
) -> int:
    from ..core.fsutil import WriteError

    formats = parse_formats(raw_formats)
    configs = ConfigCache(config_file)
    files = blueprint_files(paths, exclude, configs)
    if observed is not None and len(files) != 1:
        click.echo(
            "bpc: error: --observed compares one blueprint with its data: give one file", err=True
        )
        return EXIT_USAGE
    images = [f for f in formats if f in ("svg", "png", "pdf")] or (
        ["svg"] if "html" in formats else []
    )
    try:
        resolved = engine_name(engine, images) if images else "none"
    except Exception as error:  # a missing Graphviz is a usage problem, like any tool
        from ..render.engines import EngineError  # engine_name raised it: imported

        if not isinstance(error, EngineError):
            raise
        click.echo(f"bpc: error: {error}", err=True)
        return EXIT_USAGE
    engine_id = engine_fingerprint(resolved)

    stems = output_stems(files)
    stem_map = tuple((str(f.resolve()), stem) for f, stem in zip(files, stems, strict=True))
    manifests: dict[str, dict[str, Any]] = {}
    job_list: list[Job] = []
    for path, stem in zip(files, stems, strict=True):
        out_dir = output or configs.for_file(path).output or "out"
        if out_dir not in manifests:  # read once per folder, not once per file
            manifests[out_dir] = load_manifest(Path(out_dir))
        entries = manifests[out_dir]
        entry = entries.get(stem)
        previous = entry.get("key") if isinstance(entry, dict) else None
        job_list.append(
            Job(
                str(path),
                stem,
                out_dir,
                formats,
                theme,
                resolved,
                previous if isinstance(previous, str) else None,
                force,
                config_file,
                use_color(color, sys.stderr),
                quiet,
                stem_map,
                engine_id,
                tuple(sorted(recorded_outputs(entry).items())),
                fit or FitOptions(),
                Inputs.from_entry(entry),
                observed,
            )
        )

    progress = _Progress(len(job_list), enabled=not quiet and len(job_list) > 1)
    outcomes = _render_all(job_list, jobs, configs, progress)
    progress.done()

    rendered = skipped = failed = 0
    fresh: dict[str, dict[str, dict[str, Any]]] = {}
    dropped: dict[str, list[str]] = {}
    stopped: str | None = None
    for outcome in outcomes:
        # An unchanged file was checked and drawn before: its diagnostics are not news
        # (`bpc check` prints them every time).
        if outcome.diagnostics and not outcome.skipped:
            click.echo(
                outcome.diagnostics,
                err=True,
                nl=not outcome.diagnostics.endswith("\n"),
                color=use_color(color, sys.stderr) or None,  # --color always, through a pipe
            )
        if outcome.usage_error is not None:
            stopped = outcome.usage_error
        elif outcome.error is not None:
            click.echo(f"bpc: error: {outcome.path}: {outcome.error}", err=True)
            dropped.setdefault(outcome.out_dir, []).append(outcome.stem)
            failed += 1
        elif outcome.has_errors:
            if not quiet:
                click.echo(f"bpc: {outcome.path} has errors; not rendered", err=True)
            dropped.setdefault(outcome.out_dir, []).append(outcome.stem)
            failed += 1
        elif outcome.skipped:
            skipped += 1
            if verbose:
                click.echo(f"{outcome.path}: unchanged", err=True)
        else:
            rendered += 1
            fresh.setdefault(outcome.out_dir, {})[outcome.stem] = {
                "key": outcome.key,
                "source": outcome.path,
                "outputs": dict(sorted(outcome.outputs.items())),
                **({"inputs": outcome.inputs.to_json()} if outcome.inputs else {}),
            }
            if verbose:
                click.echo(f"{outcome.path} -> {', '.join(outcome.written)}", err=True)
        for warning in outcome.warnings:
            click.echo(f"bpc: warning: {warning}", err=True)
    try:
        for out_dir in manifests:
            if Path(out_dir).is_dir():
                update_manifest(Path(out_dir), fresh.get(out_dir, {}), dropped.get(out_dir, ()))
    except WriteError:
        if stopped is None:
            raise
    if stopped is not None:  # one line, whatever else failed to be written after it
        click.echo(f"bpc: error: {stopped}", err=True)
        return EXIT_USAGE
    folder_input = len(files) > 1 or any(Path(p).is_dir() for p in paths)
    if "html" in formats and folder_input:
        _write_index(outcomes)
    if not quiet:
        parts = [f"rendered {rendered} blueprint{'s' if rendered != 1 else ''}"]
        if skipped:
            parts.append(f"{skipped} unchanged")
        if failed:
            parts.append(f"{failed} not rendered")
        click.echo("bpc: " + ", ".join(parts), err=True)
    return EXIT_ERRORS if failed else EXIT_OK


def _render_all(
    job_list: Sequence[Job], jobs: int, configs: ConfigCache, progress: _Progress
) -> list[Outcome]:
    """Every job's outcome, in order, up to the first that stops the run (an output that
    cannot be written: every file after it would fail the same way).

    Unchanged files are told here, before compiling anything; the others are rendered in
    this process or, with `-j N`, by N worker processes, in chunks (a chunk's SVGs are
    drawn together, see `render_jobs`)."""
    quick = [unchanged_outcome(job, configs) for job in job_list]
    todo = [
        dataclasses.replace(job, previous_inputs=None)  # told already: not unchanged
        for job, known in zip(job_list, quick, strict=True)
        if known is None
    ]
    if jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        workers = min(jobs, len(todo))
        # Chunks small enough to keep every worker busy to the end, large enough for two
        # batches each (see `iter_render`): 2 workers, 100 files: 13 files a chunk.
        size = max(1, min(2 * BATCH, math.ceil(len(todo) / (workers * 4))))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_forking(todo[0].formats),
            initializer=worker_started,
            initargs=(os.getpid(),),
        ) as pool:
            outcomes = _in_order(quick, _chained(pool.map(render_jobs, chunks)), progress)
            pool.shutdown(wait=True, cancel_futures=True)  # after a write error: no more
        return outcomes
    return _in_order(quick, iter_render(todo), progress)


def _forking(formats: Sequence[str]) -> Any:
    """On Linux, workers forked from this process with the compiler and the drawing (and
    the report) imported: imported once here, not once in each worker. Elsewhere the
    platform's default start method (macOS: spawn; fork is not safe there)."""
    if not sys.platform.startswith("linux"):
        return None
    import importlib
    import multiprocessing

    wanted = ["compiler", "render.pipeline"] + (["report"] if "html" in formats else [])
    for name in wanted:
        importlib.import_module(f"{__package__.rpartition('.')[0]}.{name}")
    return multiprocessing.get_context("fork")


def _chained(chunks: Iterable[list[Outcome]]) -> Iterator[Outcome]:
    for chunk in chunks:
        yield from chunk


def _in_order(
    quick: Sequence[Outcome | None], rendered: Iterator[Outcome], progress: _Progress
) -> list[Outcome]:
    """The outcomes told unchanged and those rendered, merged back into the jobs' order;
    none after one that stops the run."""
    outcomes: list[Outcome] = []
    for known in quick:
        outcome = known if known is not None else next(rendered, None)
        if outcome is None:  # the rendering stopped at a file before this one
            break
        outcomes.append(progress.step(outcome))
        if outcome.usage_error is not None:
            break
    return outcomes


# ---- worker processes (`-j N`) ---------------------------------------------------------
