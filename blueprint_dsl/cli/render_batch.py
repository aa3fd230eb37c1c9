"""`bpc render`'s files drawn in batches (`BATCH`): each file is compiled (`render_jobs`),
then the system Graphviz draws the SVGs of the whole batch in the `neato` process kept
for all the batches (`Engine.render_many`) while the next batch is compiled, then each
file's outputs are written (the report last). Problems go into the outcomes, as messages.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .common import ConfigCache
from .render_jobs import Drawing, Job, Outcome, prepare

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..render.engines import Engine

T = TypeVar("T")

#: Files compiled before their SVGs are drawn together (sent to `neato` at once).
BATCH = 16


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


_Prepared = tuple[Outcome, Drawing | None]


def _prepare_batch(jobs: Sequence[Job], configs: dict[str | None, ConfigCache]) -> list[_Prepared]:
    """Each job read and compiled, up to one that stops the run."""
    prepared: list[_Prepared] = []
    for job in jobs:
        outcome = Outcome(job.path, job.stem, job.out_dir)
        cache = configs.setdefault(job.config_file, ConfigCache(job.config_file))
        prepared.append((outcome, _guarded(outcome, prepare, job, outcome, cache)))
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


def _draw(drawing: Drawing, outcome: Outcome, predrawn: Engine | None) -> None:
    """Draw and write one compiled file's outputs (the report last)."""
    from ..render.pipeline import render_blueprint

    job, result, theme, links = drawing.job, drawing.result, drawing.theme, drawing.links
    assert result.blueprint is not None
    formats = list(job.formats)
    diagram = [f for f in formats if f != "html"]
    out_dir = Path(job.out_dir) / Path(job.stem).parent
    name = Path(job.stem).name
    digests: dict[Path, str] = {}
    inline = None
    if "html" in formats and "svg" in formats:  # the report's drawing in the same walk
        from ..report.context import report_title
        from ..report.svg import inline_for

        inline = inline_for(result.blueprint, report_title(result))
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
        inline=inline,
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
        from ..report.html import report_page

        svg_path = out_dir / f"{name}.svg"
        svg: str | None = None
        inlined = inline.written if inline and inline.written else None  # written ...
        if inlined is None and svg_path in written:  # ... or as the file just written ...
            with contextlib.suppress(OSError):
                drawn = svg_path.read_bytes()
                if content_digest(drawn) == digests.get(svg_path):
                    svg = drawn.decode()
        if svg is None and inlined is None:  # ... or, with no .svg asked for (or replaced
            # since), draws it
            engine = resolve_engine(job.engine, ["svg"])
            svg = engine.render(blueprint_dot(result.blueprint, theme), "svg").decode()
        html_path = out_dir / f"{name}.html"
        found = None
        if job.observed is not None:
            from ..analysis.observed import read_observed

            found = read_observed(Path(job.observed).read_bytes(), job.observed, result.blueprint)
        page = report_page(result, svg, detail_links=links, observed=found, inlined=inlined)
        atomic_write(html_path, page)
        outcome.written.append(str(html_path))
        outcome.outputs[f"{job.stem}.html"] = content_digest(page)
