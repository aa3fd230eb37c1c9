"""What a `bpc render` run is to do, without click: one job per file (with what the last
run recorded for it in its folder's manifest), and the folders' index pages. The click
command (`render`) and the quick path of an unchanged run (`render_plain`) both plan
with this module.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .common import ConfigCache
from .render_cache import FitOptions, index_key
from .render_jobs import Job, Outcome
from .render_manifest import (
    Inputs,
    index_from_json,
    index_holds,
    load_manifest,
    manifest_time,
    record_index,
    recorded_outputs,
    trusted_stamps,
)
from .render_options import output_stems


def image_formats(formats: Sequence[str]) -> list[str]:
    """The formats Graphviz draws (an HTML report embeds an SVG)."""
    return [f for f in formats if f in ("svg", "png", "pdf")] or (
        ["svg"] if "html" in formats else []
    )


def plan_jobs(
    files: Sequence[Path],
    output: str | None,
    formats: tuple[str, ...],
    theme: str | None,
    engine: str,
    engine_id: str,
    *,
    force: bool,
    config_file: str | None,
    color: bool,
    quiet: bool,
    configs: ConfigCache,
    fit: FitOptions | None = None,
    observed: str | None = None,
) -> tuple[list[Job], list[str]]:
    """One job per file, in order, and the output folders (each manifest read once)."""
    stems = output_stems(files)
    stem_map = tuple(zip(resolved_paths(files), stems, strict=True))
    manifests: dict[str, tuple[dict[str, Any], int]] = {}
    job_list: list[Job] = []
    for path, stem in zip(files, stems, strict=True):
        out_dir = output or configs.for_file(path).output or "out"
        if out_dir not in manifests:  # read once per folder, not once per file
            written = manifest_time(Path(out_dir))
            manifests[out_dir] = (load_manifest(Path(out_dir)), written)
        entries, written = manifests[out_dir]
        entry = entries.get(stem)
        previous = entry.get("key") if isinstance(entry, dict) else None
        job_list.append(
            Job(
                str(path),
                stem,
                out_dir,
                formats,
                theme,
                engine,
                previous if isinstance(previous, str) else None,
                force,
                config_file,
                color,
                quiet,
                stem_map,
                engine_id,
                tuple(sorted(recorded_outputs(entry).items())),
                fit or FitOptions(),
                Inputs.from_entry(entry),
                observed,
                tuple(sorted(trusted_stamps(entry, written).items())),
            )
        )
    return job_list, list(manifests)


def resolved_paths(files: Sequence[Path]) -> list[str]:
    """`str(f.resolve())` of each file, each folder resolved once (a folder of N files
    took N resolutions of every folder above it)."""
    folders: dict[Path, str] = {}
    found = []
    for file in files:
        if os.path.islink(file) or file.name in ("", ".", ".."):
            found.append(str(file.resolve()))
            continue
        folder = folders.get(file.parent)
        if folder is None:
            folder = folders[file.parent] = str(file.parent.resolve())
        found.append(os.path.join(folder, file.name))
    return found


def _index_groups(outcomes: Sequence[Outcome]) -> list[tuple[Path, str, str, list[Outcome]]]:
    """Each output folder's index.html: (folder, key, locale, its rows' outcomes)."""
    by_dir: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.index_row is not None:
            by_dir.setdefault(outcome.out_dir, []).append(outcome)
    groups = []
    for out_dir, group in by_dir.items():
        locales = {o.locale for o in group}
        locale = locales.pop() if len(locales) == 1 else "en"
        key = index_key([o.index_row for o in group], locale)
        groups.append((Path(out_dir), key, locale, group))
    return groups


def indexes_hold(outcomes: Sequence[Outcome]) -> bool:
    """Whether every folder's index.html is the one these outcomes would write."""
    return all(index_holds(folder, key) for folder, key, _, _ in _index_groups(outcomes))


def write_index(outcomes: Sequence[Outcome]) -> None:
    """index.html in each output folder, linking to every report there; not written
    again when its rows are the ones of the index on disk (an unchanged run imports no
    report code)."""
    for folder, key, locale, group in _index_groups(outcomes):
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
