"""Pausing Python's cyclic garbage collector around work that builds many objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freezing = False


def freeze_after_pauses(on: bool = True) -> None:
    """For a process that runs one command and ends (not the language server, not
    `watch`): what a pause leaves alive is frozen when it ends (`gc.freeze`), so that the
    collections after it no longer go through a big blueprint's model and drawing again
    and again (the first alone was a sixth of checking 10,000 steps). Frozen objects are
    still freed when nothing refers to them; only cycles among them would wait for the
    process to end, and compiling, drawing and reporting leave none (tests/core)."""
    global _freezing
    _freezing = on


@contextmanager
def collector_paused() -> Iterator[None]:
    """Compiling or laying out a blueprint allocates many small objects that live until
    the end: the cyclic collector, run again and again over them, took more than half the
    time of a 10,000-step blueprint. It is paused for the work and resumed after (what
    the work made frozen first, in a one-shot process: `freeze_after_pauses`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _freezing:
                gc.freeze()
            gc.enable()
