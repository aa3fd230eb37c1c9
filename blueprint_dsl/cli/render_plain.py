"""`bpc render` when nothing has changed, without click.

A CI job or a watch script runs `bpc render DIR` on every commit, and most of its files
have not changed since the last run; click and what it imports were a third of such a
run. When the arguments are paths and only `-o`, `-f`, `--engine`, `--theme`, `-j` and
`-q`, each a word of its own, every file is told unchanged here, from its source,
includes, settings and options, exactly as the click command tells it (`render_plan`,
`render_jobs.unchanged_outcome`), and the run ends with the command's own summary.
Anything else — an option not read here, a file that changed, an output to read again,
an index page to write, any problem — leaves the run to the click command, which does
the whole work and says what it says as always. This path writes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from .render_cache import ENGINE_CHOICES, THEME_NAMES

#: Options read here (each takes the next word as its value), by their click spellings.
_VALUED = {
    "-o": "output",
    "--output": "output",
    "-f": "formats",
    "--format": "formats",
    "--engine": "engine",
    "--theme": "theme",
    "-j": "jobs",
    "--jobs": "jobs",
}
_QUIET = ("-q", "--quiet")


class RenderArguments:
    """What the arguments of a `render` the quick path reads ask for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.output: str | None = None
        self.formats: list[str] = []
        self.engine = "auto"
        self.theme: str | None = None
        self.jobs = "1"
        self.quiet = False

    def valid(self) -> bool:
        """As click would accept them (otherwise click says what is wrong)."""
        from .render_options import parse_formats

        try:
            jobs = int(self.jobs)
            parse_formats(self.formats)  # an unknown format raises (click's error)
        except Exception:
            return False
        return (
            bool(self.paths)
            and 1 <= jobs <= 64
            and self.engine in ENGINE_CHOICES
            and (self.theme is None or self.theme in THEME_NAMES)
        )


def render_arguments(args: Sequence[str]) -> RenderArguments | None:
    """The arguments of `render PATHS…` with only the options read here, or None."""
    if not args or args[0] != "render":
        return None
    parsed = RenderArguments()
    words = iter(args[1:])
    for word in words:
        if word in _QUIET:
            parsed.quiet = True
        elif word in _VALUED:
            value = next(words, None)
            if not value or value.startswith("-"):
                return None
            name = _VALUED[word]
            if name == "formats":
                parsed.formats.append(value)
            else:
                setattr(parsed, name, value)
        elif word and not word.startswith("-"):
            parsed.paths.append(word)
        else:
            return None
    return parsed if parsed.valid() else None


def plain_render(args: Sequence[str]) -> int | None:
    """Tell every file unchanged and print the summary as the click command does: the exit
    code (0), or None when the click command must run instead."""
    parsed = render_arguments(args)
    if parsed is None:
        return None
    try:
        count = _all_unchanged(parsed)
    except Exception:  # a usage problem or a bug: the click command says it, as always
        return None
    if count is None:
        return None
    if not parsed.quiet:
        try:
            sys.stderr.write(f"bpc: rendered 0 blueprints, {count} unchanged\n")
            sys.stderr.flush()
        except BrokenPipeError:
            pass  # as `friendly`: a reader that stopped early is no failure
    return 0


def _all_unchanged(parsed: RenderArguments) -> int | None:
    """How many files there are, when every one is unchanged (and its folder's index page
    holds); else None."""
    from .common import ConfigCache, blueprint_files, use_color
    from .render_cache import engine_fingerprint, engine_name
    from .render_jobs import unchanged_outcome
    from .render_options import parse_formats
    from .render_plan import image_formats, indexes_hold, plan_jobs

    formats = parse_formats(parsed.formats)
    configs = ConfigCache(None)
    files = blueprint_files(parsed.paths, (), configs)
    images = image_formats(formats)
    resolved = engine_name(parsed.engine, images) if images else "none"
    job_list, _ = plan_jobs(
        files,
        parsed.output,
        formats,
        parsed.theme,
        resolved,
        engine_fingerprint(resolved),
        force=False,
        config_file=None,
        color=use_color("auto", sys.stderr),
        quiet=parsed.quiet,
        configs=configs,
    )
    outcomes = []
    for job in job_list:
        outcome = unchanged_outcome(job, configs)
        if outcome is None or outcome.restamps:
            return None
        outcomes.append(outcome)
    folder_input = len(files) > 1 or any(Path(p).is_dir() for p in parsed.paths)
    if "html" in formats and folder_input and not indexes_hold(outcomes):
        return None
    return len(outcomes)
