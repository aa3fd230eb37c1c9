"""The work of `bpc render` on one file, as a job a worker process can run: compile,
check the cache, draw, write the report; and the worker's life, which ends with bpc's."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.fsutil import WriteError
from ..render.engines import EngineError, resolve_engine
from ..render.fit import Fit
from ..render.themes import THEMES
from .common import (
    ConfigCache,
)
from .render_cache import (
    Inputs,
    cache_key,
    included_files,
    index_from_json,
    index_json,
    outputs_hold,
    read_or_none,
    settings_fingerprint,
)


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
    fit: Fit = field(default_factory=Fit)
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
    index_entry: Any = None  # report.IndexEntry, when the html report is available
    locale: str = "en"
    warnings: list[str] = field(default_factory=list)  # what had to give (a PNG's scale)
    inputs: Inputs | None = None  # recorded in the manifest for the next run


def _output_names(job: Job, formats: Sequence[str]) -> list[str]:
    return [f"{job.stem}.{fmt}" for fmt in formats]


def render_job(job: Job) -> Outcome:
    """Compile and render one file. Never raises: problems go into the outcome."""
    from ..checks.config import ConfigError
    from ..compiler import UsageError

    outcome = Outcome(job.path, job.stem, job.out_dir)
    try:
        _render_job(job, outcome)
    except EngineError as error:
        outcome.error = str(error)
    except (WriteError, UsageError, ConfigError) as error:
        outcome.usage_error = str(error)
    except OSError as error:
        outcome.error = f"cannot render: {error.strerror or error}"
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
    theme = job.theme or (config.theme if config.theme in THEMES else "default")
    if _unchanged(job, outcome, data, theme, settings_fingerprint(config)):
        return  # decided from the source, its includes and the options: nothing compiled
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
    formats = list(job.formats)
    details = sorted({a.detail for a in result.blueprint.actions if a.detail})
    links = _links_for(job, details) if "html" in formats else {}
    includes = included_files(path, result.source)
    key = _key(job, data, theme, settings_fingerprint(config), includes, links)
    outcome.key = key
    outcome.inputs = Inputs(
        tuple(name for name, _ in includes),
        tuple(details),
        index_json(outcome.index_entry),
        outcome.locale,
    )
    if (
        not job.force
        and key == job.previous_key
        and outputs_hold(Path(job.out_dir), dict(job.previous_outputs), _output_names(job, formats))
    ):
        outcome.skipped = True
        return
    diagram = [f for f in formats if f != "html"]
    out_dir = Path(job.out_dir) / Path(job.stem).parent
    name = Path(job.stem).name
    digests: dict[Path, str] = {}
    written = render_blueprint(
        result.blueprint,
        diagram,
        out_dir,
        theme=theme,
        engine=job.engine,
        stem=name,
        digests=digests,
        fit=job.fit,
        warnings=outcome.warnings,
    )
    outcome.written = [str(p) for p in written]
    folder = Path(job.out_dir)
    outcome.outputs = {
        os.path.relpath(p, folder).replace(os.sep, "/"): d for p, d in digests.items()
    }
    if "html" in formats:
        from ..core.fsutil import atomic_write, content_digest
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
        html_path = out_dir / html_name
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
        outcome.index_entry = index_from_json(inputs.index)
        if outcome.index_entry is None:
            return False
    outcome.key, outcome.skipped, outcome.locale = key, True, inputs.locale
    return True


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
