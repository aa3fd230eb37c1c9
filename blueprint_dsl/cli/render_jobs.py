"""The work of `bpc render` on files, as jobs a worker process can run: tell an unchanged
file before compiling, compile, draw, write the report; and the worker's life, which ends
with bpc's.

Files are drawn in batches (`BATCH`): each file is compiled, then the system Graphviz
draws the SVGs of the whole batch in one `neato` process (`Engine.render_many`) while
the next batch is compiled, then each file's outputs are written. An unchanged file is
told from its source, includes, settings and options alone (`unchanged_outcome`), which
imports neither the compiler nor the drawing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .common import ConfigCache
from .render_cache import (
    THEME_NAMES,
    FitOptions,
    Inputs,
    cache_key,
    included_files,
    index_json,
    outputs_hold,
    read_or_none,
    settings_fingerprint,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..compiler import CompileResult
    from ..render.engines import Engine

T = TypeVar("T")

#: Files compiled before their SVGs are drawn together (one `neato` for the batch).
BATCH = 16


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
    # The engine with its Graphviz build (render_cache.engine_fingerprint), for the key.
    engine_id: str = ""
    # The outputs the manifest recorded for this file: name -> sha256 of its bytes.
    previous_outputs: tuple[tuple[str, str], ...] = ()
    # --wrap, --scale, --page, --landscape.
    fit: FitOptions = field(default_factory=FitOptions)
    # What the last run recorded to decide "unchanged" before compiling (render_cache).
    previous_inputs: Inputs | None = None
    observed: str | None = None  # --observed DATA.csv: written against observed in the report


@dataclass
class Outcome:
    path: str
    stem: str
    out_dir: str
    key: str | None = None
    written: list[str] = field(default_factory=list)
    # What this run wrote: output name (relative to out_dir) -> sha256 of the bytes.
    outputs: dict[str, str] = field(default_factory=dict)
    skipped: bool = False
    has_errors: bool = False
    diagnostics: str = ""
    error: str | None = None  # this file was not drawn (exit 1)
    usage_error: str | None = None  # an output cannot be written, etc.: stops the run (exit 2)
    index_entry: Any = None  # report.IndexEntry, when this run compiled the file
    index_row: str | None = None  # its row of the report index as JSON (`index_json`)
    locale: str = "en"
    warnings: list[str] = field(default_factory=list)  # what had to give (a PNG's scale)
    inputs: Inputs | None = None  # recorded in the manifest for the next run


@dataclass
class _Drawing:
    """A file compiled, without errors, whose outputs are to be drawn."""

    job: Job
    result: CompileResult
    theme: str
    links: dict[str, str]


def _output_names(job: Job, formats: Sequence[str]) -> list[str]:
    return [f"{job.stem}.{fmt}" for fmt in formats]


def render_jobs(jobs: Sequence[Job]) -> list[Outcome]:
    """Compile and render files, in order, up to the first that stops the run (an output
    that cannot be written): what a worker process does with a chunk of jobs."""
    return list(iter_render(jobs))


def iter_render(jobs: Sequence[Job]) -> Iterator[Outcome]:
    """The outcomes of `jobs`, in order, a batch at a time; none after one that stops the
    run. Never raises: problems go into the outcomes.

    While the system Graphviz draws one batch's SVGs (a process of its own), the next
    batch is compiled: a few files make two batches (a worker's chunk of 13, two of 7)."""
    from concurrent.futures import ThreadPoolExecutor

    configs: dict[str | None, ConfigCache] = {}
    ahead: tuple[list[_Prepared], Future[Engine] | None] | None = None
    size = max(1, min(BATCH, math.ceil(len(jobs) / 2)))  # two batches at least, to overlap
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bpc-graphviz") as graphviz:
        for start in range(0, len(jobs), size):
            prepared = _prepare_batch(jobs[start : start + size], configs)
            request = _predraw_request(prepared)
            drawing = None if request is None else graphviz.submit(_predraw, *request)
            if ahead is not None:
                yield from _finish_batch(*ahead)
            ahead = (prepared, drawing)
            if any(outcome.usage_error is not None for outcome, _ in prepared):
                break
        if ahead is not None:
            yield from _finish_batch(*ahead)


_Prepared = tuple[Outcome, _Drawing | None]


def _prepare_batch(jobs: Sequence[Job], configs: dict[str | None, ConfigCache]) -> list[_Prepared]:
    """Each job read and compiled, up to one that stops the run."""
    prepared: list[_Prepared] = []
    for job in jobs:
        outcome = Outcome(job.path, job.stem, job.out_dir)
        cache = configs.setdefault(job.config_file, ConfigCache(job.config_file))
        prepared.append((outcome, _guarded(outcome, _prepare, job, outcome, cache)))
        if outcome.usage_error is not None:
            break
    return prepared


def _finish_batch(prepared: list[_Prepared], drawing: Future[Engine] | None) -> Iterator[Outcome]:
    """Each prepared file's outputs drawn and written, its outcome yielded; none after one
    that stops the run."""
    engine = None
    try:
        engine = None if drawing is None else drawing.result()
    except Exception:  # each file is then drawn alone, and says what went wrong
        if os.environ.get("BPC_DEBUG"):
            raise
    for outcome, job_drawing in prepared:
        if job_drawing is not None and outcome.usage_error is None:
            _guarded(outcome, _draw, job_drawing, outcome, engine)
        yield outcome
        if outcome.usage_error is not None:
            return


def _guarded(outcome: Outcome, work: Callable[..., T], *args: Any) -> T | None:
    """`work(*args)`, with what it raises put into `outcome` as a message (never a
    traceback): an engine's failure is this file's error; an output that cannot be
    written, an unreadable file or bad settings stop the run."""
    try:
        return work(*args)
    except Exception as error:
        from ..checks.config import ConfigError
        from ..compiler import UsageError
        from ..core.fsutil import WriteError
        from ..render.engines import EngineError

        if isinstance(error, EngineError):
            outcome.error = str(error)
        elif isinstance(error, (WriteError, UsageError, ConfigError)):
            outcome.usage_error = str(error)
        elif isinstance(error, OSError):
            outcome.error = f"cannot render: {error.strerror or error}"
        elif os.environ.get("BPC_DEBUG"):
            raise
        else:  # a bug in bpc: say so plainly, never a traceback
            outcome.error = (
                f"internal error: {type(error).__name__}: {error} "
                "(this is a bug in bpc; please report it with the file)"
            )
        return None


def unchanged_outcome(job: Job, configs: ConfigCache) -> Outcome | None:
    """The outcome of a file whose last run's outputs still hold, decided from its
    source, includes, settings and options without compiling (nor importing the compiler
    or the drawing); None when it is to be rendered, or when this cannot be told
    (rendering it says why)."""
    if job.force or job.previous_inputs is None or job.previous_key is None:
        return None
    outcome = Outcome(job.path, job.stem, job.out_dir)
    try:
        data = Path(job.path).read_bytes()
        config = configs.for_file(Path(job.path))
        theme = _theme(job, config.theme)
        if _unchanged(job, outcome, data, theme, settings_fingerprint(config)):
            return outcome
    except Exception:  # unreadable, bad settings: rendering reports it
        return None
    return None


def _theme(job: Job, configured: str | None) -> str:
    return job.theme or (configured if configured in THEME_NAMES else "default")


def _prepare(job: Job, outcome: Outcome, configs: ConfigCache) -> _Drawing | None:
    """Read and compile one file; None when there is nothing to draw (unchanged, or it
    has errors: the outcome says which)."""
    from ..compiler import UsageError, compile_bytes
    from ..core.diagnostics import Severity
    from .output import format_text

    path = Path(job.path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    config = configs.for_file(path)
    theme = _theme(job, config.theme)
    if _unchanged(job, outcome, data, theme, settings_fingerprint(config)):
        return None  # decided from the source, its includes and the options: nothing compiled
    result = compile_bytes(data, job.path, config)
    if job.quiet:
        result.diagnostics = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    outcome.diagnostics = format_text([result], color=job.color)
    if "html" in job.formats:
        from ..report import IndexEntry

        ok = not (result.has_errors or result.blueprint is None)
        outcome.index_entry = IndexEntry.from_result(result, job.stem + ".html" if ok else None)
        outcome.index_row = index_json(outcome.index_entry)
    if result.blueprint is not None:
        outcome.locale = result.blueprint.header.locale
    if result.has_errors or result.blueprint is None:
        outcome.has_errors = True
        return None
    formats = list(job.formats)
    details = sorted({a.detail for a in result.blueprint.actions if a.detail})
    links = _links_for(job, details) if "html" in formats else {}
    includes = included_files(path, result.source)
    key = _key(job, data, theme, settings_fingerprint(config), includes, links)
    outcome.key = key
    outcome.inputs = Inputs(
        tuple(name for name, _ in includes),
        tuple(details),
        outcome.index_row,
        outcome.locale,
    )
    if (
        not job.force
        and key == job.previous_key
        and outputs_hold(Path(job.out_dir), dict(job.previous_outputs), _output_names(job, formats))
    ):
        outcome.skipped = True
        return None
    return _Drawing(job, result, theme, links)


def _predraw_request(prepared: Sequence[_Prepared]) -> tuple[Engine, list[str]] | None:
    """The system engine and the DOT of each SVG `render_blueprint` will draw for the
    prepared files, to draw together; None when there is nothing to draw together (one
    file, another engine). Should a DOT here ever differ from the one drawn, that file is
    drawn alone, as before."""
    wanted = [
        d
        for _, d in prepared
        if d is not None and d.job.engine == "system" and "svg" in d.job.formats
    ]
    if len(wanted) < 2:
        return None
    from ..render.engines import resolve_engine
    from ..render.fit import steps_per_row
    from ..render.pipeline import blueprint_dot

    try:
        engine = resolve_engine("system", ["svg"])
    except Exception:  # gone since: each file says so
        return None
    dots = []
    for d in wanted:
        bp, fit = d.result.blueprint, d.job.fit
        assert bp is not None
        per_row = steps_per_row(fit.to_fit(), "svg", len(bp.steps))
        dots.append(blueprint_dot(bp, d.theme, per_row, fit.critical_path))
    return engine, dots


def _predraw(engine: Engine, dots: Sequence[str]) -> Engine:
    """An engine holding the SVGs of `dots`, drawn by `engine` in one process."""
    from ..render.engines import Predrawn

    drawn = engine.render_many(dots, "svg")
    return Predrawn(
        engine.name,
        engine.executable,
        drawn={dot: svg for dot, svg in zip(dots, drawn, strict=True) if isinstance(svg, bytes)},
    )


def _draw(drawing: _Drawing, outcome: Outcome, predrawn: Engine | None) -> None:
    """Draw and write one compiled file's outputs (the report last)."""
    from ..render.pipeline import render_blueprint

    job, result, theme, links = drawing.job, drawing.result, drawing.theme, drawing.links
    assert result.blueprint is not None
    formats = list(job.formats)
    diagram = [f for f in formats if f != "html"]
    out_dir = Path(job.out_dir) / Path(job.stem).parent
    name = Path(job.stem).name
    digests: dict[Path, str] = {}
    written = render_blueprint(
        result.blueprint,
        diagram,
        out_dir,
        theme=theme,
        engine=predrawn if predrawn is not None else job.engine,
        stem=name,
        digests=digests,
        fit=job.fit.to_fit(),
        warnings=outcome.warnings,
    )
    outcome.written = [str(p) for p in written]
    folder = Path(job.out_dir)
    outcome.outputs = {
        os.path.relpath(p, folder).replace(os.sep, "/"): d for p, d in digests.items()
    }
    if "html" in formats:
        from ..core.fsutil import atomic_write, content_digest
        from ..render.engines import resolve_engine
        from ..render.pipeline import blueprint_dot
        from ..report import build_report_html

        svg_path = out_dir / f"{name}.svg"
        svg: str | None = None
        if svg_path in written:  # the report inlines the drawing just written ...
            with contextlib.suppress(OSError):
                drawn = svg_path.read_bytes()
                if content_digest(drawn) == digests.get(svg_path):
                    svg = drawn.decode()
        if svg is None:  # ... or, with no .svg asked for (or replaced since), draws it
            engine = resolve_engine(job.engine, ["svg"])
            svg = engine.render(blueprint_dot(result.blueprint, theme), "svg").decode()
        html_path = out_dir / f"{name}.html"
        found = None
        if job.observed is not None:
            from ..analysis.observed import read_observed

            found = read_observed(Path(job.observed).read_bytes(), job.observed, result.blueprint)
        page = build_report_html(result, svg, detail_links=links, observed=found)
        atomic_write(html_path, page)
        outcome.written.append(str(html_path))
        outcome.outputs[f"{job.stem}.html"] = content_digest(page)


def _key(
    job: Job,
    data: bytes,
    theme: str,
    settings: str,
    includes: list[tuple[str, bytes | None]],
    links: dict[str, str],
) -> str:
    return cache_key(
        data,
        list(job.formats),
        theme,
        job.engine_id or job.engine,
        includes=includes,
        settings=settings,
        links=links,
        report=f"{job.path}\0quiet={job.quiet}\0observed={_observed_digest(job)}"
        if "html" in job.formats
        else "",
        fit=job.fit.key(),
    )


def _observed_digest(job: Job) -> str:
    """The --observed CSV's content hash: new measurements redraw the report."""
    if job.observed is None:
        return ""
    data = read_or_none(job.observed)
    return "missing" if data is None else hashlib.sha256(data).hexdigest()


def _unchanged(job: Job, outcome: Outcome, data: bytes, theme: str, settings: str) -> bool:
    """Whether the last run's outputs still hold, decided before compiling.

    The key is the one a compile would give: with the source unchanged, its includes and
    `detail` links are the ones the last run recorded, re-read now (an include whose bytes
    changed, or appeared, changes the key). The report index's row comes from the record.
    """
    inputs = job.previous_inputs
    if job.force or inputs is None or job.previous_key is None:
        return False
    includes = [(name, read_or_none(name)) for name in inputs.includes]
    links = _links_for(job, inputs.details) if "html" in job.formats else {}
    key = _key(job, data, theme, settings, includes, links)
    names = _output_names(job, job.formats)
    if key != job.previous_key or not outputs_hold(
        Path(job.out_dir), dict(job.previous_outputs), names
    ):
        return False
    if "html" in job.formats:
        if not _is_row(inputs.index):
            return False
        outcome.index_row = inputs.index
    outcome.key, outcome.skipped, outcome.locale = key, True, inputs.locale
    return True


def _is_row(text: str | None) -> bool:
    """Whether `text` looks like an `index_json` row (`index_from_json` reads it)."""
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        return False
    return isinstance(data, dict) and "figures" in data


def _links_for(job: Job, details: Sequence[str]) -> dict[str, str]:
    """`detail` paths as written -> relative links to the reports rendered in this run."""
    stems = dict(job.stems)
    here = Path(job.path).resolve().parent
    own_dir = os.path.dirname(job.stem)
    links: dict[str, str] = {}
    for detail in details:
        target = stems.get(str((here / detail).resolve()))
        if target is not None:
            href = os.path.relpath(target + ".html", own_dir or ".").replace(os.sep, "/")
            links[detail] = href
    return links


PARENT_POLL = 0.5  # seconds between a worker's checks that bpc still runs
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def worker_started(bpc_pid: int) -> None:
    """ProcessPoolExecutor initializer: a worker ends when bpc ends, even by `kill -9`
    (which runs no clean-up in bpc, so nothing would tell the pool to stop).

    On Linux the kernel kills the worker when its parent dies (PR_SET_PDEATHSIG); on
    every system a daemon thread exits the worker once its parent has changed (it was
    re-parented: bpc, or the fork server between, is gone) or bpc's process is gone.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog alone
            pass
    parent = os.getppid()
    if not _alive(bpc_pid):  # bpc died before the death signal was asked for
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch_parent, args=(parent, bpc_pid), name="bpc-parent-watchdog", daemon=True
    )
    watchdog.start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists (kill may be refused, e.g. in a sandbox)
        return True
    return True


def _watch_parent(parent: int, bpc_pid: int) -> None:
    while True:
        time.sleep(PARENT_POLL)
        if os.getppid() != parent or not _alive(bpc_pid):
            os._exit(1)
