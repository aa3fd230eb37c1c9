"""What every command shares: exit codes, colour, settings per folder, the files a
command reads, and `friendly` — usage problems (a bad argument, an unreadable input, an
output that cannot be written) exit 2, a bug is one line, never a traceback."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..checks.config import Config
    from ..compiler import CompileResult
    from ..model.blueprint import Blueprint

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def use_color(choice: str, stream: Any = None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # what click.echo strips


def echo_report(text: str, painted: bool) -> None:
    """Write TEXT to stdout as `click.echo(text, nl=False, color=True if painted else
    None)` does — straight to sys.stdout where click would use it as it is (a text stream
    of an encoding other than ASCII, with nothing to strip), else by click — except that
    characters the stream's encoding lacks (Chinese on a Latin-1 terminal) are written as
    `?` instead of failing."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        if _plain_stream(stream) and (painted or "\x1b" not in text):
            if text:
                stream.write(text)
            stream.flush()
        else:
            import click

            click.echo(text, nl=False, color=True if painted else None)
    except UnicodeEncodeError:  # a text stream encodes a text whole before it writes it
        if not painted and not stream.isatty():
            text = _ANSI.sub("", text)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.flush()
        stream.buffer.write(text.encode(encoding, "replace"))
        stream.buffer.flush()


def _plain_stream(stream: Any) -> bool:
    import codecs

    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str) or getattr(stream, "errors", None) is None:
        return False
    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def fail_usage(message: str) -> None:
    import click

    click.echo(f"bpc: error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def friendly(func: F) -> F:
    """Turn usage problems into exit 2 and any bug into a short report, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import click

        from ..checks.config import ConfigError
        from ..compiler import UsageError
        from ..core.fsutil import WriteError

        try:
            return func(*args, **kwargs)
        except (UsageError, ConfigError, WriteError) as error:
            fail_usage(str(error))  # an output that cannot be written is a usage problem
        except KeyboardInterrupt:
            click.echo("bpc: interrupted", err=True)
            raise SystemExit(130) from None
        except BrokenPipeError:
            raise SystemExit(EXIT_OK) from None
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:  # a bug in bpc: say so plainly
            click.echo(
                f"bpc: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in bpc; please report it with the file that caused it.",
                err=True,
            )
            if os.environ.get("BPC_DEBUG"):
                raise
            raise SystemExit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


class ConfigCache:
    """Settings per folder, found upwards from each file (or from --config)."""

    def __init__(self, explicit: str | None) -> None:
        self.explicit = explicit
        self.by_folder: dict[Path, Config] = {}

    def for_file(self, path: Path) -> Config:
        from ..checks.config import load_config, load_config_file

        if self.explicit is not None:
            explicit = Path(self.explicit)
            if explicit not in self.by_folder:
                self.by_folder[explicit] = load_config_file(explicit)
            return self.by_folder[explicit]
        folder = path.parent
        if folder not in self.by_folder:
            self.by_folder[folder] = load_config(path)
        return self.by_folder[folder]

    def for_folder(self, folder: Path) -> Config:
        """The settings that apply to the files of `folder`."""
        return self.for_file(folder / "_")


def exclude_option(func: F) -> F:
    """`--exclude PATTERN`, repeatable: .gitignore-style patterns a folder walk skips, on
    top of the settings' `exclude` / `extend-exclude`."""
    import click

    return click.option(
        "--exclude",
        "exclude",
        metavar="PATTERN",
        multiple=True,
        help="Skip files and folders matching this .gitignore-style pattern (repeatable).",
    )(func)


def blueprint_files(
    paths: Sequence[str], exclude: Sequence[str] = (), configs: ConfigCache | None = None
) -> list[Path]:
    """The .bp files PATHS name, each folder walked with the skip list of its settings
    (read through `configs`, the command's own cache) and `exclude`; none at all is a
    usage error (exit 2)."""
    from ..checks.config import effective_exclude
    from ..core.paths import UsageError, collect_paths

    configs = configs or ConfigCache(None)
    files: list[Path] = []
    for raw in paths:
        folder = Path(raw)
        skip = effective_exclude(configs.for_folder(folder), folder) if folder.is_dir() else None
        files += collect_paths([raw], exclude=exclude, default_exclude=skip)
    if not files:
        raise UsageError(f"no .bp files found in {', '.join(paths)}")
    return files


def compile_paths(
    paths: Sequence[str], config_file: str | None = None, exclude: Sequence[str] = ()
) -> list[CompileResult]:
    from ..compiler import compile_file

    configs = ConfigCache(config_file)
    found = blueprint_files(paths, exclude, configs)
    return [compile_file(path, configs.for_file(path)) for path in found]


def compile_one(
    file: str, config_file: str | None, command: str, verb: str
) -> tuple[CompileResult, Blueprint]:
    """Compile the one .bp file `command` works on ("export"; `verb`: "exported").

    A folder is a usage error (exit 2); a blueprint with errors prints its diagnostics
    and "nothing <verb>" on stderr and exits 1. Otherwise: the result and its blueprint.
    """
    import click

    from ..compiler import compile_file
    from .output import format_text

    path = Path(file)
    if path.is_dir():
        fail_usage(f"{file}: {command} takes one .bp file, not a folder")
    result = compile_file(path, ConfigCache(config_file).for_file(path))
    if result.has_errors or result.blueprint is None:
        click.echo(format_text([result], color=use_color("auto", sys.stderr)), err=True, nl=False)
        click.echo(f"bpc: {file} has errors; nothing {verb}", err=True)
        raise SystemExit(EXIT_ERRORS)
    return result, result.blueprint


def exit_code(
    results: Sequence[CompileResult], strict: bool = False, max_warnings: int | None = None
) -> int:
    from ..core.diagnostics import Severity

    diagnostics = [d for r in results for d in r.diagnostics]
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    if any(d.severity is Severity.ERROR for d in diagnostics) or (strict and warnings):
        return EXIT_ERRORS
    if max_warnings is not None and warnings > max_warnings:
        return EXIT_ERRORS
    return EXIT_OK
