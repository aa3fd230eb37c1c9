"""One `neato -n2 -Tsvg` kept for all the SVGs a bpc process draws.

`neato` reads one graph after another from its input and writes each drawing as soon as
the graph is read, so one process can draw every batch of a folder, and every drawing a
watch makes. Starting one costs more than drawing a small graph (it loads its plugins
and fonts: about 20 ms, against about 3 ms for a graph), and a folder of 100 files made
7 of them, 16 with `-j 2`.

A batch is written with a small graph of our own after it (`digraph bpc_batch_end {}`),
and its documents are taken as soon as there is one per graph; the end graph's drawing
is read before the next batch's (Graphviz frees a big graph before it draws the next, so
waiting for it would cost that time). Anything else — the process ended (a graph it
could not read ends it), the end graph's drawing before the batch is whole, a batch that
took longer than the timeout — ends the kept process and returns None: the caller draws
the batch graph by graph, so each error stays with its graph, and the next batch starts
a new process.

A new process must first draw that graph alone, within `HANDSHAKE` seconds: an
executable that does not answer before the end of its input (a wrapper script that reads
all of it first) is not kept, and each batch is drawn by a process of its own, its input
closed at the end (`draw_once`), as before.

A process is kept by the bpc process that started it: a worker forked after it starts
its own. The kept process ends with bpc (its input closes), and is replaced after
`MAX_GRAPHS` graphs so that a long watch or language-server session holds no memory
Graphviz might keep.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import subprocess
import threading
from collections.abc import Iterator, Sequence
from typing import IO

END_DOT = "digraph bpc_batch_end {}\n"
#: In the end graph's drawing only: a graph's own title is its name, ours `blueprint`;
#: labels and tooltips are text or attributes, where `<` is escaped.
END_TITLE = b"<title>bpc_batch_end</title>"
SVG_END = b"</svg>\n"
MAX_GRAPHS = 1000
#: Seconds a new process may take to draw our empty graph (it takes a few ms).
HANDSHAKE = 10.0
_READ = 1 << 16
_END_SIZE = 4096  # the end graph's drawing is smaller (a drawing of ours is larger)


class _Kept:
    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.owner = os.getpid()
        self.drawn = 0
        self.proc = subprocess.Popen(
            [executable, "-n2", "-Tsvg"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a failed batch is drawn again, errors and all
        )
        assert self.proc.stdout is not None
        self.documents = _documents(self.proc.stdout)
        self.owed = 0  # end graphs of earlier batches, not read yet

    def draw(self, dots: Sequence[str], timeout: float) -> list[bytes] | None:
        """The drawings of `dots`, or None; with no `dots`, None unless the end graph's
        drawing comes (the handshake)."""
        proc = self.proc
        assert proc.stdin is not None
        timer = threading.Timer(timeout, proc.kill)
        timer.daemon = True
        writer = threading.Thread(target=_feed, args=(proc.stdin, _input(dots)), daemon=True)
        timer.start()
        writer.start()
        try:
            docs = self._take(len(dots))
        finally:
            timer.cancel()
        writer.join()
        self.drawn += len(dots)
        return docs

    def _take(self, count: int) -> list[bytes] | None:
        """The next `count` drawings, or with 0 those up to the end graph's; None when the
        end graph's comes first or the output ends. A batch is taken without waiting for
        its end graph's drawing (Graphviz first frees the last graph, which takes a while
        for a big one): that is read before the next batch's."""
        docs: list[bytes] = []
        for doc in self.documents:
            if len(doc) <= _END_SIZE and END_TITLE in doc:
                if self.owed:
                    self.owed -= 1
                    continue
                return docs if count == 0 else None
            docs.append(doc)
            if len(docs) == count:
                self.owed += 1
                return docs
        return None

    def usable(self) -> bool:
        """Ours (not a parent's, before a fork), running, and not past `MAX_GRAPHS`."""
        return self.owner == os.getpid() and self.drawn < MAX_GRAPHS and self.proc.poll() is None

    def close(self) -> None:
        proc = self.proc
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _input(dots: Sequence[str]) -> bytes:
    """The graphs, one after another, and ours at the end."""
    text = "".join(dot if dot.endswith("\n") else dot + "\n" for dot in dots)
    return (text + END_DOT).encode("utf-8")


def _feed(stdin: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError):  # it ended: the reader sees its output end
        stdin.write(data)
        stdin.flush()


def _read_docs(stdout: IO[bytes]) -> list[bytes] | None:
    """The documents before the end graph's, or None when the output ends first."""
    docs: list[bytes] = []
    for doc in _documents(stdout):
        if len(doc) <= _END_SIZE and END_TITLE in doc:
            return docs
        docs.append(doc)
    return None


def _joined(parts: list[bytes]) -> bytes:
    whole = b"".join(parts)
    parts.clear()
    return whole


def _documents(stdout: IO[bytes]) -> Iterator[bytes]:
    """Each document written to `stdout`, as soon as it is whole, until the output ends.

    The output is kept as the chunks read (a big drawing is not grown in one buffer),
    each searched for the end of a document with the few bytes before it (an end may
    come in two chunks)."""
    parts: list[bytes] = []  # the document being read, so far
    last = b""  # its last bytes, fewer than an end's
    while True:
        chunk = stdout.read1(_READ)  # type: ignore[attr-defined]
        if not chunk:
            return
        window, base = last + chunk, len(last)
        start = search = 0  # where the document starts in `chunk`; where to look in `window`
        while (end := window.find(SVG_END, search)) >= 0:
            search = end + len(SVG_END)
            parts.append(chunk[start : search - base])
            start = search - base
            yield _joined(parts)  # the chunks let go of: nothing of it kept here
        if start < len(chunk):
            parts.append(chunk[start:] if start else chunk)
        last = window[max(search, len(window) - len(SVG_END) + 1) :]


_LOCK = threading.Lock()
_KEPT: dict[str, _Kept] = {}
#: Whether each executable answers graph by graph (found by the first process's
#: handshake); one that waits for the end of its input draws each batch by itself.
_STREAMS: dict[str, bool] = {}


def draw_batch(executable: str, dots: Sequence[str], timeout: float) -> list[bytes] | None:
    """The drawings of `dots`, in order, by the `neato` this process keeps (started on
    first use); None when the batch did not draw as a whole (see the module)."""
    with _LOCK:
        kept = _KEPT.get(executable)
        if kept is not None and not kept.usable():
            del _KEPT[executable]
            if kept.owner == os.getpid():
                kept.close()
            kept = None  # a forked worker leaves its parent's process alone
        if kept is None and _STREAMS.get(executable) is False:
            return draw_once(executable, dots, timeout)
        docs: list[bytes] | None = None
        try:
            if kept is None:
                kept = _started(executable)
            if kept is None:
                return draw_once(executable, dots, timeout)
            docs = kept.draw(dots, timeout)
        except OSError:
            pass
        if docs is None and kept is not None:
            _KEPT.pop(executable, None)
            kept.proc.kill()
            kept.close()
        return docs


def _started(executable: str) -> _Kept | None:
    """A new kept process, once it has drawn our empty graph; None (and never again for
    this executable) when it does not answer before the end of its input: a wrapper
    script that reads all its input first, say."""
    kept = _Kept(executable)
    if kept.draw([], HANDSHAKE) == []:
        _STREAMS[executable] = True
        _KEPT[executable] = kept
        return kept
    kept.proc.kill()
    kept.close()
    if _STREAMS.get(executable):  # one answered before: this one failed to start
        raise OSError(f"{executable} did not start")
    _STREAMS[executable] = False
    return None


def draw_once(executable: str, dots: Sequence[str], timeout: float) -> list[bytes] | None:
    """The drawings of `dots` by a `neato` of their own (its input closed at the end)."""
    try:
        proc = subprocess.run(
            [executable, "-n2", "-Tsvg"],
            input=_input(dots),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    docs = _read_docs(io.BytesIO(proc.stdout))
    return docs if proc.returncode == 0 and docs is not None and len(docs) == len(dots) else None


@atexit.register
def close_all() -> None:
    """End the kept processes this process started."""
    with _LOCK:
        for kept in list(_KEPT.values()):
            if kept.owner == os.getpid():
                kept.close()
        _KEPT.clear()
