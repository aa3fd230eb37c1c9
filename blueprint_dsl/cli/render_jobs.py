"""The work of `bpc render` on one file, as a job a worker process can run: tell an
unchanged file before compiling, or read and compile it for drawing (`render_batch`
draws it and writes its outputs).

An unchanged file is told from its source, includes, settings and options alone
(`unchanged_outcome`), which imports neither the compiler nor the drawing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..core.records import Record
from .common import ConfigCache
from .render_cache import (
    THEME_NAMES,
    FitOptions,
    cache_key,
    included_files,
    read_or_none,
    settings_fingerprint,
)
from .render_manifest import Inputs, index_json, outputs_hold, verify_outputs

if TYPE_CHECKING:
    from ..compiler import CompileResult


class Job(NamedTuple):
    """One file to render, with what the last run recorded for it (a NamedTuple: an
    unchanged run imports no dataclasses; it is pickled to the `-j` workers)."""

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
    fit: FitOptions = FitOptions()
    # What the last run recorded to decide "unchanged" before compiling (render_manifest).
    previous_inputs: Inputs | None = None
    observed: str | None = None  # --observed DATA.csv: written against observed in the report
    # The recorded outputs' stamps that can be trusted (render_manifest.trusted_stamps).
    previous_stamps: tuple[tuple[str, str], ...] = ()


class Outcome(Record):
    """What became of one job (filled in as it runs)."""

    __slots__ = (
        "diagnostics",
        "error",
        "has_errors",
        "index_entry",
        "index_row",
        "inputs",
        "key",
        "locale",
        "out_dir",
        "outputs",
        "path",
        "restamps",
        "skipped",
        "stem",
        "usage_error",
        "warnings",
        "written",
    )
    __match_args__ = (
        "path",
        "stem",
        "out_dir",
        "key",
        "written",
        "outputs",
        "skipped",
        "has_errors",
        "diagnostics",
        "error",
        "usage_error",
        "index_entry",
        "index_row",
        "locale",
        "warnings",
        "inputs",
        "restamps",
    )

    def __init__(self, path: str, stem: str, out_dir: str) -> None:
        self.path = path
        self.stem = stem
        self.out_dir = out_dir
        self.key: str | None = None
        self.written: list[str] = []
        # What this run wrote: output name (relative to out_dir) -> sha256 of the bytes.
        self.outputs: dict[str, str] = {}
        self.skipped = False
        self.has_errors = False
        self.diagnostics = ""
        self.error: str | None = None  # this file was not drawn (exit 1)
        # An output cannot be written, etc.: stops the run (exit 2).
        self.usage_error: str | None = None
        self.index_entry: Any = None  # report.IndexEntry, when this run compiled the file
        self.index_row: str | None = None  # its row of the report index as JSON (`index_json`)
        self.locale = "en"
        self.warnings: list[str] = []  # what had to give (a PNG's scale)
        self.inputs: Inputs | None = None  # recorded in the manifest for the next run
        # Unchanged outputs that had to be read to tell (no trusted stamp): their stamps now.
        self.restamps: dict[str, str] = {}


class Drawing(NamedTuple):
    """A file compiled, without errors, whose outputs are to be drawn."""

    job: Job
    result: CompileResult
    theme: str
    links: dict[str, str]


def _output_names(job: Job, formats: Sequence[str]) -> list[str]:
    return [f"{job.stem}.{fmt}" for fmt in formats]


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


def prepare(job: Job, outcome: Outcome, configs: ConfigCache) -> Drawing | None:
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
        and outputs_hold(
            Path(job.out_dir),
            dict(job.previous_outputs),
            _output_names(job, formats),
            dict(job.previous_stamps),
        )
    ):
        outcome.skipped = True
        return None
    return Drawing(job, result, theme, links)


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
    if key != job.previous_key:
        return False
    fresh = verify_outputs(
        Path(job.out_dir), dict(job.previous_outputs), names, dict(job.previous_stamps)
    )
    if fresh is None:
        return False
    if "html" in job.formats:
        if not _is_row(inputs.index):
            return False
        outcome.index_row = inputs.index
    outcome.key, outcome.skipped, outcome.locale = key, True, inputs.locale
    outcome.restamps = fresh
    return True


def _is_row(text: str | None) -> bool:
    """Whether `text` looks like an `index_json` row (`index_from_json` reads it)."""
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        return False
    return isinstance(data, dict) and "figures" in data


_STEMS: list[tuple[tuple[tuple[str, str], ...], dict[str, str]]] = []


def _stem_index(stems: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """`dict(stems)`, made once for the run's jobs (they share one tuple), not per job."""
    if not _STEMS or _STEMS[0][0] is not stems:
        _STEMS[:] = [(stems, dict(stems))]
    return _STEMS[0][1]


def _links_for(job: Job, details: Sequence[str]) -> dict[str, str]:
    """`detail` paths as written -> relative links to the reports rendered in this run."""
    if not details:
        return {}
    stems = _stem_index(job.stems)
    here = Path(job.path).resolve().parent
    own_dir = os.path.dirname(job.stem)
    links: dict[str, str] = {}
    for detail in details:
        target = stems.get(str((here / detail).resolve()))
        if target is not None:
            href = os.path.relpath(target + ".html", own_dir or ".").replace(os.sep, "/")
            links[detail] = href
    return links
