"""How `bpc render` runs its jobs: unchanged files told first, the others rendered in
this process or, with `-j N`, by N worker processes in chunks, their outcomes merged back
into the jobs' order with a progress line; and the life of a worker, which ends with
bpc's (even when bpc is killed).
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .common import ConfigCache
from .render_batch import BATCH, iter_render, render_jobs
from .render_jobs import Job, Outcome, unchanged_outcome


class Progress:
    """`[3/40] samples/x.bp` on one terminal line while a folder renders; nothing in CI
    or when the output goes to a pipe or a file."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.count = 0
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")

    def step(self, outcome: Outcome) -> Outcome:
        self.count += 1
        if self.enabled:
            line = f"[{self.count}/{self.total}] {outcome.path}"[:78]
            sys.stderr.write("\r\x1b[K" + line)
            sys.stderr.flush()
        return outcome

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def render_all(
    job_list: Sequence[Job], jobs: int, configs: ConfigCache, progress: Progress
) -> list[Outcome]:
    """Every job's outcome, in order, up to the first that stops the run (an output that
    cannot be written: every file after it would fail the same way).

    Unchanged files are told here, before compiling anything; the others are rendered in
    this process or, with `-j N`, by N worker processes, in chunks (a chunk's SVGs are
    drawn together, see `render_jobs`)."""
    quick = [unchanged_outcome(job, configs) for job in job_list]
    todo = [
        job._replace(previous_inputs=None)  # told already: not unchanged
        for job, known in zip(job_list, quick, strict=True)
        if known is None
    ]
    if jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        workers = min(jobs, len(todo))
        # Chunks small enough to keep every worker busy to the end, large enough for two
        # batches each (see `iter_render`): 2 workers, 100 files: 13 files a chunk.
        size = max(1, min(2 * BATCH, math.ceil(len(todo) / (workers * 4))))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_forking(todo[0].formats),
            initializer=worker_started,
            initargs=(os.getpid(),),
        ) as pool:
            outcomes = _in_order(quick, _chained(pool.map(render_jobs, chunks)), progress)
            pool.shutdown(wait=True, cancel_futures=True)  # after a write error: no more
        return outcomes
    return _in_order(quick, iter_render(todo), progress)


def _forking(formats: Sequence[str]) -> Any:
    """On Linux, workers forked from this process with the compiler and the drawing (and
    the report) imported: imported once here, not once in each worker. Elsewhere the
    platform's default start method (macOS: spawn; fork is not safe there)."""
    if not sys.platform.startswith("linux"):
        return None
    import importlib
    import multiprocessing

    wanted = ["compiler", "render.pipeline"] + (["report"] if "html" in formats else [])
    for name in wanted:
        importlib.import_module(f"{__package__.rpartition('.')[0]}.{name}")
    return multiprocessing.get_context("fork")


def _chained(chunks: Iterable[list[Outcome]]) -> Iterator[Outcome]:
    for chunk in chunks:
        yield from chunk


def _in_order(
    quick: Sequence[Outcome | None], rendered: Iterator[Outcome], progress: Progress
) -> list[Outcome]:
    """The outcomes told unchanged and those rendered, merged back into the jobs' order;
    none after one that stops the run."""
    outcomes: list[Outcome] = []
    for known in quick:
        outcome = known if known is not None else next(rendered, None)
        if outcome is None:  # the rendering stopped at a file before this one
            break
        outcomes.append(progress.step(outcome))
        if outcome.usage_error is not None:
            break
    return outcomes


# ---- worker processes (`-j N`) ---------------------------------------------------------


PARENT_POLL = 0.5  # seconds between a worker's checks that bpc still runs
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def worker_started(bpc_pid: int) -> None:
    """ProcessPoolExecutor initializer: a worker ends when bpc ends, even by `kill -9`
    (which runs no clean-up in bpc, so nothing would tell the pool to stop).

    On Linux the kernel kills the worker when its parent dies (PR_SET_PDEATHSIG); on
    every system a daemon thread exits the worker once its parent has changed (it was
    re-parented: bpc, or the fork server between, is gone) or bpc's process is gone.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog alone
            pass
    parent = os.getppid()
    if not _alive(bpc_pid):  # bpc died before the death signal was asked for
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch_parent, args=(parent, bpc_pid), name="bpc-parent-watchdog", daemon=True
    )
    watchdog.start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists (kill may be refused, e.g. in a sandbox)
        return True
    return True


def _watch_parent(parent: int, bpc_pid: int) -> None:
    while True:
        time.sleep(PARENT_POLL)
        if os.getppid() != parent or not _alive(bpc_pid):
            os._exit(1)
