"""The render cache's manifest: `.bpc-cache.json` in each output folder keeps, per
blueprint, the key of its outputs (see `render_cache`), the sha256 of each output as it
was written, and what the next run needs to tell "unchanged" before compiling (`Inputs`,
with the file's row of the report index as JSON).

Several runs may write into one folder at once: the manifest is read, merged and
replaced under a lock (`fcntl.flock` on `.bpc-cache.lock`), and an entry is only
recorded when the outputs on disk are the ones that run wrote. The folder's index.html
has a record of its own (a key over its rows). Beside each output's sha256 the entry
keeps its stamp (size, times, inode: see `file_stamp`), so an unchanged run reads no
output whose stamp is the one recorded, and writes nothing (but the stamps of outputs it
had to read).

Like `render_cache`, this module imports neither the drawing (`render`) nor the report
until a recorded index row is read back.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..core.records import Frozen

CACHE_FILE = ".bpc-cache.json"
LOCK_FILE = ".bpc-cache.lock"
INDEX_FILE = "index.html"
#: How long a run waits for another run's manifest update before it merges unlocked.
LOCK_TIMEOUT = 60.0


class Inputs(Frozen):  # not a NamedTuple: its `index` would hide tuple.index
    """What a run records beside an entry's key, so that the next run can tell "unchanged"
    before compiling: the files the source included (transitively), its `detail` paths as
    written, its row of the report index (JSON) and its locale."""

    __slots__ = ("details", "includes", "index", "locale")
    __match_args__ = ("includes", "details", "index", "locale")

    includes: tuple[str, ...]
    details: tuple[str, ...]
    index: str | None
    locale: str

    def __init__(
        self, includes: tuple[str, ...], details: tuple[str, ...], index: str | None, locale: str
    ) -> None:
        object.__setattr__(self, "includes", includes)
        object.__setattr__(self, "details", details)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "locale", locale)

    def to_json(self) -> dict[str, Any]:
        return {
            "includes": list(self.includes),
            "details": list(self.details),
            "index": self.index,
            "locale": self.locale,
        }

    @classmethod
    def from_entry(cls, entry: Any) -> Inputs | None:
        """The inputs an entry recorded, or None (an entry from an older bpc)."""
        raw = entry.get("inputs") if isinstance(entry, dict) else None
        if not isinstance(raw, dict):
            return None
        includes, details = raw.get("includes"), raw.get("details")
        index, locale = raw.get("index"), raw.get("locale")
        if not (isinstance(includes, list) and all(isinstance(i, str) for i in includes)):
            return None
        if not (isinstance(details, list) and all(isinstance(d, str) for d in details)):
            return None
        if not (index is None or isinstance(index, str)) or not isinstance(locale, str):
            return None
        return cls(tuple(includes), tuple(details), index, locale)


def index_json(entry: Any) -> str | None:
    """A report index row (`report.IndexEntry`) as JSON, for the manifest."""
    if entry is None:
        return None
    import dataclasses

    return json.dumps(dataclasses.asdict(entry), ensure_ascii=False, sort_keys=True)


def index_from_json(text: str | None) -> Any:
    """The `report.IndexEntry` recorded by `index_json`, or None when it cannot be read."""
    if text is None:
        return None
    from ..report.index import Figures, IndexEntry

    try:
        data = json.loads(text)
        figures = data.pop("figures")
        return IndexEntry(**data, figures=None if figures is None else Figures(**figures))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


# ---- the manifest ------------------------------------------------------------------------


def _load(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / CACHE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_manifest(out_dir: Path) -> dict[str, Any]:
    entries = _load(out_dir).get("entries")
    return entries if isinstance(entries, dict) else {}


def index_holds(out_dir: Path, key: str) -> bool:
    """Whether the folder's index.html is the one recorded under `key`, byte for byte."""
    from ..core.fsutil import file_digest

    record = _load(out_dir).get("index")
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    digest = record.get("sha256")
    return isinstance(digest, str) and file_digest(out_dir / INDEX_FILE) == digest


def record_index(out_dir: Path, key: str, digest: str) -> None:
    """Record the index.html this run wrote (its key and sha256), under the lock, unless
    another run has replaced the file since."""
    from ..core.fsutil import file_digest

    with manifest_lock(out_dir):
        if file_digest(out_dir / INDEX_FILE) != digest:
            return
        _save(out_dir, load_manifest(out_dir), {"key": key, "sha256": digest})


def recorded_outputs(entry: Any) -> dict[str, str]:
    """An entry's outputs (path relative to the output folder -> sha256); {} when the
    entry is not one this version wrote."""
    outputs = entry.get("outputs") if isinstance(entry, dict) else None
    if not isinstance(outputs, dict):
        return {}
    return {k: v for k, v in outputs.items() if isinstance(k, str) and isinstance(v, str)}


def outputs_hold(
    out_dir: Path,
    outputs: Mapping[str, str],
    names: Iterable[str],
    stamps: Mapping[str, str] | None = None,
) -> bool:
    """Whether each of `names` is recorded in `outputs` and the file on disk holds
    exactly the recorded bytes (see `verify_outputs`)."""
    return verify_outputs(out_dir, outputs, names, stamps) is not None


def verify_outputs(
    out_dir: Path,
    outputs: Mapping[str, str],
    names: Iterable[str],
    stamps: Mapping[str, str] | None = None,
) -> dict[str, str] | None:
    """None unless each of `names` is recorded in `outputs` and the file on disk holds
    exactly the recorded bytes; then the stamps of those that had to be read to tell
    (`file_stamp`, taken before reading). A file whose stamp is the one in `stamps` (see
    `trusted_stamps`) holds its bytes without being read again."""
    from ..core.fsutil import file_digest

    wanted = list(names)
    if not wanted or any(name not in outputs for name in wanted):
        return None
    stamps = stamps or {}
    fresh: dict[str, str] = {}
    for name in wanted:
        stamp = file_stamp(out_dir / name)
        if stamp is not None and stamps.get(name) == stamp:
            continue
        if file_digest(out_dir / name) != outputs[name]:
            return None
        if stamp is not None:
            fresh[name] = stamp
    return fresh


def file_stamp(path: Path) -> str | None:
    """What the file system says of a file without reading it: size, modification and
    change times (nanoseconds) and inode. Writing the file changes it (its change time
    too, which no program can set back); None when there is no such file."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def manifest_time(out_dir: Path) -> int:
    """When the folder's manifest was last written (nanoseconds, the file system's
    clock); 0 when there is none."""
    try:
        return os.stat(out_dir / CACHE_FILE).st_mtime_ns
    except (OSError, ValueError):
        return 0


def trusted_stamps(entry: Any, written: int) -> dict[str, str]:
    """The stamps an entry recorded for its outputs (`file_stamp`, taken when the run that
    wrote them found them holding its bytes), those of them that can be trusted: taken
    before `written`, the manifest's own time. A stamp from the clock's tick in which the
    manifest was written is not trusted (the file may have been changed again within that
    tick, leaving the same times): that output is hashed, as git treats a "racily clean"
    file."""
    raw = entry.get("stamps") if isinstance(entry, dict) else None
    if not isinstance(raw, dict):
        return {}
    trusted = {}
    for name, stamp in raw.items():
        if not (isinstance(name, str) and isinstance(stamp, str)):
            continue
        parts = stamp.split(":")
        if len(parts) == 4 and parts[2].isdigit() and int(parts[2]) < written:
            trusted[name] = stamp
    return trusted


def _entry_holds(out_dir: Path, entry: Any) -> bool:
    outputs = recorded_outputs(entry)
    return bool(outputs) and outputs_hold(out_dir, outputs, outputs)


def _stamped_if_holds(out_dir: Path, entry: dict[str, Any]) -> bool:
    """`_entry_holds`, and the outputs' stamps recorded in the entry when it holds."""
    outputs = recorded_outputs(entry)
    fresh = verify_outputs(out_dir, outputs, outputs) if outputs else None
    if fresh is None:
        return False
    entry["stamps"] = fresh
    return True


@contextlib.contextmanager
def manifest_lock(out_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on the folder's manifest (`flock` on LOCK_FILE).

    Where there is no `fcntl` (Windows), when the lock file cannot be made, or after
    `timeout` seconds, the update goes ahead unlocked: the manifest is still replaced
    atomically (never corrupt) and entries are checked against the outputs on disk
    (never stale); at worst an entry is lost and that file is drawn again.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # releases the lock


def update_manifest(
    out_dir: Path,
    fresh: Mapping[str, dict[str, Any]],
    dropped: Iterable[str] = (),
    restamped: Mapping[str, tuple[str, Mapping[str, str]]] | None = None,
) -> None:
    """Merge this run's entries into the manifest on disk, under the folder's lock.

    `fresh` holds the entries of the files this run drew; each is recorded only when
    every output on disk still holds the bytes this run wrote (another run may have
    replaced one since), otherwise the entry on disk stays if it holds for the disk and
    is dropped if not. `dropped` are files this run could not draw. `restamped` (stem ->
    key, stamps) are the stamps of unchanged outputs this run had to read to tell (no
    stamp recorded, or one from the manifest's own tick), recorded in the entry when it
    still has that key, so the next run need not read them. Entries of other files,
    written by other runs, are kept.
    """
    dropped = list(dropped)
    restamped = restamped or {}
    if not fresh and not dropped and not restamped:
        return
    with manifest_lock(out_dir):
        entries = load_manifest(out_dir)
        for stem in dropped:
            entries.pop(stem, None)
        for stem, fresh_entry in fresh.items():
            entry = dict(fresh_entry)
            if _stamped_if_holds(out_dir, entry):
                entries[stem] = entry
            elif stem in entries and not _entry_holds(out_dir, entries[stem]):
                del entries[stem]
        for stem, (key, stamps) in restamped.items():
            kept = entries.get(stem)
            if isinstance(kept, dict) and kept.get("key") == key:
                old = kept.get("stamps")
                kept["stamps"] = {**(old if isinstance(old, dict) else {}), **stamps}
        save_manifest(out_dir, entries)


def save_manifest(out_dir: Path, entries: dict[str, Any]) -> None:
    """Replace the manifest's entries (atomically), keeping its index record; callers
    merging entries hold `manifest_lock`."""
    _save(out_dir, entries, _load(out_dir).get("index"))


def _save(out_dir: Path, entries: dict[str, Any], index: Any) -> None:
    from ..core.fsutil import atomic_write

    data: dict[str, Any] = {
        "bpc-render-cache": 2,
        "entries": {k: entries[k] for k in sorted(entries)},
    }
    if isinstance(index, dict):
        data["index"] = index
    atomic_write(out_dir / CACHE_FILE, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
