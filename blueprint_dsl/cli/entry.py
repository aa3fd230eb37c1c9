"""The `bpc` console script and `python -m blueprint_dsl`.

A plain `bpc check FILE…` (no options, no `-`), the line a CI job or an editor's save hook
runs most, is checked here without importing click: click and what it imports were a
quarter of such a run. Everything else, and any check that stops on a problem (a missing
file, bad settings, a bug), runs through the click command line (`app.main`), which then
does the whole work again and says what the problem is exactly as it always does. What is
printed, and the exit code, are the same either way (tests/cli/test_entry.py).
`bpc render` in which nothing changed is told without click too (`render_plain`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

#: The commands that keep running: the collector works as usual in them.
LONG_RUNNING = frozenset(("lsp", "watch"))


def run() -> None:
    """Run the command line on sys.argv."""
    args = sys.argv[1:]
    code = None
    for stream in (sys.stdout, sys.stderr):
        replace_unencodable(stream)
    if args[:1] and args[0] not in LONG_RUNNING:
        from ..core.gc_pause import freeze_after_pauses

        freeze_after_pauses()
    if is_plain_check(args, os.environ):
        code = plain_check(args[1:])
    elif args[:1] == ["render"] and not _completing(os.environ):
        from .render_plain import plain_render

        code = plain_render(args)
    if code is not None:
        raise SystemExit(code)
    from .app import main

    main()


def replace_unencodable(stream: object) -> None:
    """On a terminal whose encoding lacks some characters (Chinese on a Latin-1 one), they
    are written as `?`: every command's output, as `bpc check`'s, never an error. A UTF-8
    stream is left as Python set it up (file names it cannot decode keep their bytes)."""
    import codecs

    encoding = getattr(stream, "encoding", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if not encoding or reconfigure is None:
        return
    try:
        if codecs.lookup(encoding).name != "utf-8":
            reconfigure(errors="replace")
    except (LookupError, ValueError, OSError):  # an odd stream: left as it is
        pass


def is_plain_check(args: Sequence[str], environ: Mapping[str, str]) -> bool:
    """`check` and only paths: no option, no `-` (stdin), and no shell completion asked
    of click (its `_BPC_COMPLETE` variable)."""
    if len(args) < 2 or args[0] != "check" or _completing(environ):
        return False
    return all(arg and not arg.startswith("-") for arg in args[1:])


def _completing(environ: Mapping[str, str]) -> bool:
    """Whether click is asked for shell completion (its `_BPC_COMPLETE` variable)."""
    return any(name.endswith("_COMPLETE") for name in environ)


def plain_check(paths: Sequence[str]) -> int | None:
    """Check PATHS with the default options and print the report as `click.echo` would;
    the exit code, or None when the click command line must run instead."""
    from .checking import run_check
    from .common import echo_report

    try:
        outcome = run_check(paths)
    except KeyboardInterrupt:
        sys.stderr.write("bpc: interrupted\n")
        return 130
    except Exception:  # a usage problem or a bug: the click command says it, as always
        return None
    assert outcome.report is not None  # no --output-file here
    try:
        echo_report(outcome.report, outcome.painted)
    except BrokenPipeError:
        return 0  # as `friendly`: a reader that stopped early is no failure
    except Exception:  # a stream that fails: the click command says what it says
        return None
    return outcome.code
