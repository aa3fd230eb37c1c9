"""Project settings: `[tool.bpc]` in pyproject.toml, or a bpc.toml, found upwards from a path."""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Severity
from ..core.records import Frozen
from ..model.locale import LOCALES

THEMES = ("default", "print", "colorblind")


class ConfigError(Exception):
    """A settings file that cannot be used; the message names the file and the key."""


class Config(Frozen):
    """The settings in force for one file: rule severities, locale, theme, output.

    Frozen and equal by its fields, as the dataclass it was (not hashable: it holds a
    dict)."""

    __slots__ = (
        "exclude", "extend_exclude", "locale", "output", "severities", "source", "theme",
    )  # fmt: skip
    __match_args__ = (
        "severities", "locale", "theme", "output", "source", "exclude", "extend_exclude",
    )  # fmt: skip

    # Per-rule severity; None means the rule is off.
    severities: dict[str, Severity | None]
    locale: str
    theme: str
    output: str | None
    source: Path | None
    # What a folder scan skips, as gitignore-style patterns relative to the settings file's
    # folder: `exclude` replaces DEFAULT_EXCLUDE (None keeps it), `extend-exclude` adds.
    exclude: tuple[str, ...] | None
    extend_exclude: tuple[str, ...]

    def __init__(
        self,
        severities: dict[str, Severity | None] | None = None,  # None: a new empty dict
        locale: str = "en",
        theme: str = "default",
        output: str | None = None,
        source: Path | None = None,
        exclude: tuple[str, ...] | None = None,
        extend_exclude: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "severities", {} if severities is None else severities)
        object.__setattr__(self, "locale", locale)
        object.__setattr__(self, "theme", theme)
        object.__setattr__(self, "output", output)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "exclude", exclude)
        object.__setattr__(self, "extend_exclude", extend_exclude)


def effective_exclude(config: Config, folder: str | Path) -> list[str]:
    """The skip list for a walk of `folder` under these settings, to pass as
    `collect_paths(..., default_exclude=effective_exclude(config, folder))`: `exclude`
    (or DEFAULT_EXCLUDE), then `extend-exclude`, each anchored pattern (one with a `/`)
    moved from the settings file's folder to `folder`."""
    from ..core.scan import DEFAULT_EXCLUDE, rebase_patterns  # only for a folder walk

    patterns = [*(DEFAULT_EXCLUDE if config.exclude is None else config.exclude)]
    patterns += config.extend_exclude
    if config.source is None:
        return patterns
    return rebase_patterns(patterns, config.source.parent, Path(folder))


def find_config_file(start: Path) -> tuple[Path, dict[str, object]] | None:
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        bpc_toml = candidate / "bpc.toml"
        if bpc_toml.is_file():
            data = _read(bpc_toml)
            return bpc_toml, _tool_bpc(data) or data
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _mentions_bpc(pyproject):
            table = _tool_bpc(_read(pyproject))
            if table is not None:
                return pyproject, table
    return None


def _mentions_bpc(path: Path) -> bool:
    """Whether a pyproject.toml can hold bpc's settings: every way TOML can spell
    `[tool.bpc]` (a table, dotted keys, an inline table) has "bpc" in it. Most projects'
    files do not, and are then not parsed at all (tomllib costs a check 5 ms to import);
    an unreadable file is left to `_read` to report."""
    try:
        return b"bpc" in path.read_bytes()
    except OSError:
        return True


def _tool_bpc(data: dict[str, object]) -> dict[str, object] | None:
    """The `[tool.bpc]` table of a settings file, if it has one."""
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("bpc"), dict):
        table: dict[str, object] = tool["bpc"]
        return table
    return None


def load_config_file(path: Path) -> Config:
    """The settings of one named file (`--config`): its `[tool.bpc]` table, or the whole
    file for a bpc.toml without one."""
    data = _read(path)
    return parse_config(_tool_bpc(data) or data, path)


def _read(path: Path) -> dict[str, object]:
    import tomllib  # only when there is a settings file to read

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read settings: {error}") from None


def load_config(start: Path) -> Config:
    found = find_config_file(start)
    if found is None:
        return Config()
    path, data = found
    return parse_config(data, path)


def parse_config(data: dict[str, object], path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""
    from .rules import all_rules  # the catalogue is needed only when a file sets severities

    known = {"severity", "locale", "theme", "output", "exclude", "extend-exclude"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{where}unknown setting `{key}` (known: {', '.join(sorted(known))})")
    severities: dict[str, Severity | None] = {}
    raw = data.get("severity", {})
    if not isinstance(raw, dict):
        raise ConfigError(f'{where}`severity` must be a table, e.g. severity = {{ BP301 = "off" }}')
    for code, level in raw.items():
        code_up = str(code).upper()
        if code_up not in all_rules():
            raise ConfigError(f"{where}unknown rule `{code}` in `severity` (see `bpc rules`)")
        if level == "off":
            severities[code_up] = None
        elif level in ("error", "warning", "info"):
            severities[code_up] = Severity(level)
        else:
            raise ConfigError(
                f"{where}severity of {code_up} must be error, warning, info or off, not {level!r}"
            )
    locale = data.get("locale", "en")
    if locale not in LOCALES:
        raise ConfigError(f"{where}locale must be one of {', '.join(LOCALES)}, not {locale!r}")
    theme = data.get("theme", "default")
    if theme not in THEMES:
        raise ConfigError(f"{where}theme must be one of {', '.join(THEMES)}, not {theme!r}")
    output = data.get("output")
    if output is not None and not isinstance(output, str):
        raise ConfigError(f"{where}output must be a folder path")
    exclude = _patterns(data, "exclude", where)
    extend_exclude = _patterns(data, "extend-exclude", where) or ()
    return Config(severities, str(locale), str(theme), output, path, exclude, extend_exclude)


def _patterns(data: dict[str, object], key: str, where: str) -> tuple[str, ...] | None:
    """A list of exclude patterns, or None when the key is not set."""
    if key not in data:
        return None
    raw = data[key]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ConfigError(
            f'{where}`{key}` must be a list of strings, e.g. {key} = ["drafts", "*.old.bp"]'
        )
    from ..core.scan import PatternError, check_patterns  # only when a file sets patterns

    try:
        check_patterns(raw)
    except PatternError as error:
        raise ConfigError(f"{where}`{key}`: {error}") from None
    return tuple(raw)
