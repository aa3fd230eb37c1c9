"""Pausing Python's cyclic garbage collector around work that builds many objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Compiling or laying out a blueprint allocates many small objects that live until
    the end: the cyclic collector, run again and again over them, took more than half the
    time of a 10,000-step blueprint. It is paused for the work and resumed after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
