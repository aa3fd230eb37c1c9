"""`bpc render`: check blueprints, then write their diagrams (and reports) to a folder.

Files with errors are not rendered (their diagnostics are printed, exit 1); the others
still are. Rendering is incremental (a manifest `.bpc-cache.json` in the output folder
keeps a content hash per blueprint) and parallel with `-j N`. Every output is written
atomically. Problems are reported as messages, never as a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..render.engines import ENGINE_CHOICES, EngineError, resolve_engine
from ..render.themes import THEMES
from .common import EXIT_ERRORS, EXIT_OK, ConfigCache, blueprint_files, friendly, use_color
from .render_cache import cache_key, load_manifest, save_manifest

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


@dataclass(frozen=True)
class Job:
    path: str
    stem: str
    out_dir: str
    formats: tuple[str, ...]
    theme: str | None  # None: from the file's settings
    engine: str  # resolved: "system" | "embedded"
    previous_key: str | None
    force: bool
    config_file: str | None
    color: bool
    quiet: bool
    # Absolute source path -> output stem, for links between reports (`detail`).
    stems: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    path: str
    stem: str
    out_dir: str
    key: str | None = None
    written: list[str] = field(default_factory=list)
    skipped: bool = False
    has_errors: bool = False
    diagnostics: str = ""
    error: str | None = None
    index_entry: Any = None  # report.IndexEntry, when the html report is available
    locale: str = "en"


def _outputs(job: Job, formats: Sequence[str]) -> list[Path]:
    return [Path(job.out_dir) / f"{job.stem}.{fmt}" for fmt in formats]


def render_job(job: Job) -> Outcome:
    """Compile and render one file. Never raises: problems go into the outcome."""
    outcome = Outcome(job.path, job.stem, job.out_dir)
    try:
        _render_job(job, outcome)
    except EngineError as error:
        outcome.error = str(error)
    except OSError as error:
        outcome.error = f"cannot write output: {error.strerror or error}"
    except Exception as error:  # a bug in bpc: say so plainly, never a traceback
        if os.environ.get("BPC_DEBUG"):
            raise
        outcome.error = (
            f"internal error: {type(error).__name__}: {error} "
            "(this is a bug in bpc; please report it with the file)"
        )
    return outcome


def _render_job(job: Job, outcome: Outcome) -> None:
    from ..compiler import UsageError, compile_bytes
    from ..core.diagnostics import Severity
    from ..render.pipeline import render_blueprint
    from .output import format_text

    path = Path(job.path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    config = ConfigCache(job.config_file).for_file(path)
    result = compile_bytes(data, job.path, config)
    if job.quiet:
        result.diagnostics = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    outcome.diagnostics = format_text([result], color=job.color)
    html_name = f"{Path(job.stem).name}.html"
    if "html" in job.formats:
        from ..report import IndexEntry

        ok = not (result.has_errors or result.blueprint is None)
        outcome.index_entry = IndexEntry.from_result(result, job.stem + ".html" if ok else None)
    if result.blueprint is not None:
        outcome.locale = result.blueprint.header.locale
    if result.has_errors or result.blueprint is None:
        outcome.has_errors = True
        return
    theme = job.theme or (config.theme if config.theme in THEMES else "default")
    formats = list(job.formats)
    key = cache_key(data, formats, theme, job.engine)
    outcome.key = key
    if (
        not job.force
        and key == job.previous_key
        and all(p.exists() for p in _outputs(job, formats))
    ):
        outcome.skipped = True
        return
    diagram = [f for f in formats if f != "html"]
    out_dir = Path(job.out_dir) / Path(job.stem).parent
    name = Path(job.stem).name
    written = render_blueprint(
        result.blueprint,
        diagram,
        out_dir,
        theme=theme,
        engine=job.engine,
        stem=name,
    )
    outcome.written = [str(p) for p in written]
    if "html" in formats:
        from ..core.fsutil import atomic_write
        from ..render.pipeline import blueprint_dot
        from ..report import build_report_html

        svg_path = out_dir / f"{name}.svg"
        if svg_path in written:
            svg = svg_path.read_text("utf-8")
        else:  # the report inlines the diagram, also when no .svg file is asked for
            engine = resolve_engine(job.engine, ["svg"])
            svg = engine.render(blueprint_dot(result.blueprint, theme), "svg").decode()
        html_path = out_dir / html_name
        links = _detail_links(job, result.blueprint)
        atomic_write(html_path, build_report_html(result, svg, detail_links=links))
        outcome.written.append(str(html_path))


def _write_index(outcomes: Sequence[Outcome]) -> None:
    """index.html in each output folder, linking to every report there."""
    from ..core.fsutil import atomic_write
    from ..report import build_index_html

    by_dir: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.index_entry is not None:
            by_dir.setdefault(outcome.out_dir, []).append(outcome)
    for out_dir, group in by_dir.items():
        locales = {o.locale for o in group}
        locale = locales.pop() if len(locales) == 1 else "en"
        page = build_index_html([o.index_entry for o in group], locale=locale)
        atomic_write(Path(out_dir) / "index.html", page)


def _detail_links(job: Job, bp: Any) -> dict[str, str]:
    """`detail` paths as written -> relative links to the reports rendered in this run."""
    stems = dict(job.stems)
    here = Path(job.path).resolve().parent
    own_dir = os.path.dirname(job.stem)
    links: dict[str, str] = {}
    for action in bp.actions:
        if not action.detail:
            continue
        target = stems.get(str((here / action.detail).resolve()))
        if target is not None:
            href = os.path.relpath(target + ".html", own_dir or ".").replace(os.sep, "/")
            links[action.detail] = href
    return links


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
    type=click.Choice(sorted(THEMES)),
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
@click.option("--force", is_flag=True, help="Render even files that have not changed.")
@click.option("--config", "config_file", type=click.Path(), help="Settings file to use.")
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
    force: bool,
    config_file: str | None,
    quiet: bool,
    verbose: bool,
    color: str,
) -> None:
    """Check blueprints, then draw each one into the output folder.

    PATHS are .bp files or folders (searched recursively). Files with errors are not
    drawn: their diagnostics are printed and the exit status is 1. SVG and DOT work
    everywhere (embedded Graphviz); PNG and PDF need the system Graphviz.
    """
    code = _run(
        paths, output, formats, theme, engine, jobs, force, config_file, quiet, verbose, color
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
) -> int:

    formats = parse_formats(raw_formats)
    files = blueprint_files(paths)
    images = [f for f in formats if f in ("svg", "png", "pdf")] or (
        ["svg"] if "html" in formats else []
    )
    try:
        resolved = resolve_engine(engine, images).name if images else "none"
    except EngineError as error:
        click.echo(f"bpc: error: {error}", err=True)
        return EXIT_ERRORS

    configs = ConfigCache(config_file)
    stems = output_stems(files)
    stem_map = tuple((str(f.resolve()), stem) for f, stem in zip(files, stems, strict=True))
    manifests: dict[str, dict[str, Any]] = {}
    job_list: list[Job] = []
    for path, stem in zip(files, stems, strict=True):
        out_dir = output or configs.for_file(path).output or "out"
        entries = manifests.setdefault(out_dir, load_manifest(Path(out_dir)))
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
            )
        )

    progress = _Progress(len(job_list), enabled=not quiet and len(job_list) > 1)
    if jobs > 1 and len(job_list) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(job_list))) as pool:
            outcomes = [progress.step(o) for o in pool.map(render_job, job_list)]
    else:
        outcomes = [progress.step(render_job(job)) for job in job_list]
    progress.done()

    rendered = skipped = failed = 0
    for outcome in outcomes:
        if outcome.diagnostics:
            click.echo(outcome.diagnostics, err=True, nl=not outcome.diagnostics.endswith("\n"))
        entries = manifests[outcome.out_dir]
        if outcome.error is not None:
            click.echo(f"bpc: error: {outcome.path}: {outcome.error}", err=True)
            entries.pop(outcome.stem, None)
            failed += 1
        elif outcome.has_errors:
            if not quiet:
                click.echo(f"bpc: {outcome.path} has errors; not rendered", err=True)
            entries.pop(outcome.stem, None)
            failed += 1
        elif outcome.skipped:
            skipped += 1
            if verbose:
                click.echo(f"{outcome.path}: unchanged", err=True)
        else:
            rendered += 1
            entries[outcome.stem] = {
                "key": outcome.key,
                "source": outcome.path,
                "outputs": [Path(p).name for p in outcome.written],
            }
            if verbose:
                click.echo(f"{outcome.path} -> {', '.join(outcome.written)}", err=True)
    for out_dir, entries in manifests.items():
        if Path(out_dir).is_dir():
            save_manifest(Path(out_dir), entries)
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
