"""The folder walk behind `bpc check|render|fmt|watch FOLDER`: the `*.bp` files of a folder.

Below the folder given, a file or folder is skipped when

- its name starts with `.` (hidden: .git, .venv, .tox, editor files, …), always;
- it matches the skip list, DEFAULT_EXCLUDE or what replaces it (the `exclude` setting),
  or an extra pattern (`extend-exclude`, `--exclude`): gitignore-style patterns relative
  to the folder given;
- a `.gitignore` ignores it: the folder's own, the nested ones, and, inside a git work
  tree, those of the folders above it up to the top of the work tree;
- it is a symbolic link whose real path is outside the folder given.

A symbolic link that stays inside is followed, and each real folder is walked once: a link
to a folder that the walk reaches anyway adds nothing, and a loop of links ends. The folder
given is walked whatever its name and whatever a pattern says about it; files named
explicitly are the caller's (`collect_paths` reads them as given).

Patterns are matched with pathspec's GitIgnoreSpec (imported only when a pattern is more
than a plain name); the walk reads each folder once and returns the files sorted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Tool folders to skip, besides every hidden name. bpc's own output folder (`out`) is not
# here: bpc writes no .bp file there, and a folder of blueprints may well be called so.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)

SUFFIX = ".bp"

# A pattern that is only a name (no glob, inner `/`, `!`, `#`, escape or edge blank) is
# matched by name, without pathspec.
_NAME = re.compile(r"[^\s!#/*?\[\]\\](?:[^/*?\[\]\\]*[^\s/*?\[\]\\])?/?")


class PatternError(ValueError):
    """An exclude pattern that cannot be used; the message names it."""


def check_patterns(patterns: Iterable[str]) -> None:
    """Raise PatternError for the first pattern that is empty, spans lines or is not a
    gitignore pattern."""
    for pattern in patterns:
        problem = _problem(pattern)
        if problem is not None:
            raise PatternError(f"bad exclude pattern {pattern!r}: {problem}")


def _problem(pattern: str) -> str | None:
    if not pattern.strip():
        return "it is empty"
    if "\n" in pattern or "\r" in pattern:
        return "write one pattern per string"
    if _NAME.fullmatch(pattern):
        return None
    try:
        _compile([pattern])
    except ValueError as error:
        return str(error)
    return None


def _compile(lines: Sequence[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


class _Patterns:
    """Gitignore-style patterns, matched against paths relative to one folder."""

    def __init__(self, lines: Sequence[str], *, lenient: bool = False) -> None:
        self.names: frozenset[str] = frozenset()
        self.folder_names: frozenset[str] = frozenset()
        self.spec: GitIgnoreSpec | None = None
        if all(_NAME.fullmatch(line) for line in lines):
            self.names = frozenset(line for line in lines if not line.endswith("/"))
            self.folder_names = frozenset(line[:-1] for line in lines if line.endswith("/"))
            return
        try:
            self.spec = _compile(lines)
        except ValueError:
            if not lenient:
                raise
            # a .gitignore line that git would not understand either: leave it out
            self.spec = _compile([line for line in lines if _problem(line) is None])

    def verdict(self, rel: str, name: str, is_dir: bool) -> bool | None:
        """True: ignored; False: kept by a `!pattern`; None: no pattern is about it."""
        if self.spec is None:
            if name in self.names or (is_dir and name in self.folder_names):
                return True
            return None
        return self.spec.check_file(rel + "/" if is_dir else rel).include


class _Ignore(NamedTuple):
    """One .gitignore: its patterns apply to the paths below the folder `depth` parts
    down from the root, or, for one above the root, to `prefix` + the path (a
    NamedTuple: a folder walk imports no dataclasses)."""

    patterns: _Patterns
    depth: int = 0
    prefix: tuple[str, ...] = ()

    def verdict(self, parts: tuple[str, ...], is_dir: bool) -> bool | None:
        rel = "/".join((*self.prefix, *parts[self.depth :]))
        return self.patterns.verdict(rel, parts[-1], is_dir)


def _read_ignore(path: Path) -> _Patterns | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # none, unreadable, or a folder
        return None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return _Patterns(lines, lenient=True) if lines else None


def _ignores_above(real_root: Path) -> tuple[_Ignore, ...]:
    """The .gitignore files between the top of the git work tree and the root (not the
    root's own). None outside a work tree, and none when one of them ignores the root or
    a folder on the way: the folder given is walked whatever they say."""
    top = next((d for d in (real_root, *real_root.parents) if (d / ".git").exists()), None)
    if top is None or top == real_root:
        return ()
    steps = real_root.relative_to(top).parts
    folders = [top.joinpath(*steps[:i]) for i in range(len(steps))]
    loaded = [(folder, _read_ignore(folder / ".gitignore")) for folder in folders]
    for i in range(1, len(steps) + 1):
        below = top.joinpath(*steps[:i])
        verdict = None
        for folder, patterns in loaded[:i]:
            if patterns is not None:
                here = patterns.verdict(below.relative_to(folder).as_posix(), below.name, True)
                verdict = here if here is not None else verdict
        if verdict:
            return ()
    return tuple(
        _Ignore(patterns, 0, real_root.relative_to(folder).parts)
        for folder, patterns in loaded
        if patterns is not None
    )


class _Rules:
    def __init__(self, root: Path, exclude: Sequence[str], default_exclude: Sequence[str]):
        lines = [*default_exclude, *exclude]
        check_patterns(lines)
        self.exclude = _Patterns(lines)
        self.real_root = os.path.realpath(root)
        self.inside_prefix = self.real_root.rstrip(os.sep) + os.sep
        self.above = _ignores_above(Path(self.real_root))

    def skipped(self, parts: tuple[str, ...], is_dir: bool, ignores: Sequence[_Ignore]) -> bool:
        name = parts[-1]
        if name.startswith("."):
            return True
        if self.exclude.verdict("/".join(parts), name, is_dir):
            return True
        ignored = None
        for ignore in ignores:
            verdict = ignore.verdict(parts, is_dir)
            ignored = verdict if verdict is not None else ignored
        return bool(ignored)

    def inside(self, path: str) -> bool:
        """Whether the real path of `path` is the root or below it."""
        real = os.path.realpath(path)
        return real == self.real_root or real.startswith(self.inside_prefix)


class _Walk:
    def __init__(self, rules: _Rules) -> None:
        self.rules = rules
        self.found: list[tuple[tuple[str, ...], Path]] = []
        self.seen: set[tuple[int, int]] = set()
        # Links to folders inside the root, walked after the real folders so that a folder
        # is found under its real name rather than under a link's.
        self.links: list[tuple[tuple[str, ...], Path, tuple[_Ignore, ...]]] = []

    def walk(self, start: Path, start_parts: tuple[str, ...], ignores: tuple[_Ignore, ...]) -> None:
        stack = [(start, start_parts, ignores)]
        while stack:
            folder, parts, ignores = stack.pop()
            try:
                info = os.stat(folder)
                if (info.st_dev, info.st_ino) in self.seen:
                    continue
                self.seen.add((info.st_dev, info.st_ino))
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError:  # unreadable or gone: skipped, as rglob did
                continue
            if any(entry.name == ".gitignore" for entry in entries):
                own = _read_ignore(folder / ".gitignore")
                if own is not None:
                    ignores = (*ignores, _Ignore(own, len(parts)))
            for entry in entries:
                child = (*parts, entry.name)
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir()
                    is_file = not is_dir and entry.name.endswith(SUFFIX) and entry.is_file()
                except OSError:
                    continue
                if not is_dir and not is_file:
                    continue
                if self.rules.skipped(child, is_dir, ignores):
                    continue
                if is_link and not self.rules.inside(entry.path):
                    continue  # never out of the folder given
                if is_dir and is_link:
                    self.links.append((child, folder / entry.name, ignores))
                elif is_dir:
                    stack.append((folder / entry.name, child, ignores))
                else:
                    self.found.append((child, folder / entry.name))


def find_blueprints(
    root: Path,
    *,
    exclude: Sequence[str] = (),
    default_exclude: Sequence[str] = DEFAULT_EXCLUDE,
) -> list[Path]:
    """Every `*.bp` file below the folder `root` that the rules above keep, sorted as
    `sorted(root.rglob("*.bp"))` would be; each path is `root` joined with its names.

    `default_exclude` is the skip list (the `exclude` setting replaces DEFAULT_EXCLUDE),
    `exclude` adds patterns to it; both are relative to `root`. Raises PatternError for
    a pattern that cannot be used.
    """
    rules = _Rules(root, exclude, default_exclude)
    walk = _Walk(rules)
    walk.walk(root, (), rules.above)
    while walk.links:
        links, walk.links = sorted(walk.links, key=lambda link: link[0]), []
        for parts, path, ignores in links:
            walk.walk(path, parts, ignores)
    return [path for _, path in sorted(walk.found, key=lambda item: item[0])]


def is_scanned(
    root: Path,
    path: Path,
    *,
    exclude: Sequence[str] = (),
    default_exclude: Sequence[str] = DEFAULT_EXCLUDE,
) -> bool:
    """Whether a walk of `root` takes the `*.bp` file `path` (which need not exist yet),
    e.g. for a watcher that hears of a change: no part of its path below `root` is
    hidden, excluded, ignored by a .gitignore or a link out of `root`."""
    rules = _Rules(root, exclude, default_exclude)
    try:
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts
    except ValueError:
        return False
    if not parts or not parts[-1].endswith(SUFFIX):
        return False
    ignores = rules.above
    folder = root
    for depth, name in enumerate(parts):
        own = _read_ignore(folder / ".gitignore")
        if own is not None:
            ignores = (*ignores, _Ignore(own, depth))
        here = folder / name
        if rules.skipped(parts[: depth + 1], depth < len(parts) - 1, ignores):
            return False
        if here.is_symlink() and not rules.inside(str(here)):
            return False
        folder = here
    return True


def rebase_patterns(patterns: Iterable[str], base: Path, folder: Path) -> list[str]:
    """Patterns written relative to `base` (a settings file's folder), for a walk of `folder`.

    A pattern without an inner `/` is a name at any depth and is kept as it is. An anchored
    one is moved: below `folder` when `base` is below it; by matching its leading parts
    with the path from `base` to `folder` when `folder` is below `base`. It is left out
    when it can only match outside `folder`, or `folder` itself (the folder given is walked
    whatever a pattern says about it).
    """
    real_base, real_folder = Path(os.path.realpath(base)), Path(os.path.realpath(folder))
    out: list[str] = []
    for pattern in patterns:
        negate = "!" if pattern.startswith("!") else ""
        body = pattern[len(negate) :]
        folder_only = "/" if body.endswith("/") else ""
        core = body.rstrip("/")
        if "/" not in core or real_folder == real_base:
            out.append(pattern)
            continue
        segments = core.lstrip("/").split("/")
        if real_folder.is_relative_to(real_base):
            rests = _consume(segments, real_folder.relative_to(real_base).parts)
        elif real_base.is_relative_to(real_folder):
            rests = [[*real_base.relative_to(real_folder).parts, *segments]]
        else:
            rests = []
        for rest in rests:
            if not rest or rest == ["**"]:
                continue
            text = "/".join(rest) if rest[0] == "**" else "/" + "/".join(rest)
            out.append(negate + text + folder_only)
    return list(dict.fromkeys(out))


def _consume(segments: Sequence[str], parts: Sequence[str]) -> list[list[str]]:
    """What is left of a pattern's segments once they have matched all of `parts`; none
    when they cannot, or when they run out first (they match a folder above)."""
    if not parts:
        return [list(segments)]
    if not segments:
        return []
    head, rest = segments[0], segments[1:]
    if head == "**":
        return _consume(rest, parts) + _consume(segments, parts[1:])
    if fnmatchcase(parts[0], head):
        return _consume(rest, parts[1:])
    return []
