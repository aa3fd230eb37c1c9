"""The `neato` a bpc process keeps for its batches: each batch drawn byte for byte as its
graphs are drawn alone, one process for every batch, and a new one after anything goes
wrong (the caller then draws that batch graph by graph)."""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprint_dsl.render import neato_kept
from blueprint_dsl.render.engines import Engine, as_drawn_alone

needs_system = pytest.mark.skipif(shutil.which("neato") is None, reason="needs neato")

END = b"<?xml?>\n<svg>\n<g>\n<title>bpc_batch_end</title>\n</g>\n</svg>\n"


def _doc(n: int, size: int = 0) -> bytes:
    return b"<?xml?>\n<svg>\n<text>%d %s</text>\n</svg>\n" % (n, b"x" * size)


class _Trickle(io.BytesIO):
    """Output that arrives `step` bytes at a time, as a pipe may give it."""

    def __init__(self, data: bytes, step: int) -> None:
        super().__init__(data)
        self.step = step

    def read1(self, size: int = -1) -> bytes:
        return super().read1(min(self.step, size))


@pytest.mark.parametrize("step", [1, 7, 4096, 1 << 20])
def test_the_documents_before_the_end_graph_are_the_batch(step: int) -> None:
    docs = [_doc(0), _doc(1, 100_000), _doc(2), _doc(3, 70_000)]  # some past the buffer
    out = neato_kept._read_docs(_Trickle(b"".join(docs) + END, step))
    assert out == docs


def test_output_that_ends_before_the_end_graph_is_no_batch() -> None:
    assert neato_kept._read_docs(io.BytesIO(_doc(0) + _doc(1))) is None
    assert neato_kept._read_docs(io.BytesIO(b"")) is None
    assert neato_kept._read_docs(io.BytesIO(_doc(0) + END[:-3])) is None


def test_a_label_reading_like_the_end_graph_does_not_end_the_batch() -> None:
    lookalike = b"<?xml?>\n<svg>\n<text>&lt;title&gt;bpc_batch_end&lt;/title&gt;</text>\n</svg>\n"
    assert neato_kept._read_docs(io.BytesIO(lookalike + END)) == [lookalike]


class _Chunks:
    """Output given a chunk at a time, each only once asked for."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)
        self.asked = 0

    def read1(self, size: int = -1) -> bytes:
        self.asked += 1
        return self.chunks.pop(0) if self.chunks else b""


def _reading(*chunks: bytes) -> tuple[neato_kept._Kept, _Chunks]:
    out = _Chunks(*chunks)
    kept = object.__new__(neato_kept._Kept)
    kept.documents, kept.owed = neato_kept._documents(out), 0  # type: ignore[arg-type]
    return kept, out


def test_a_batch_is_taken_without_waiting_for_its_end_graph() -> None:
    # Graphviz frees a big graph before it draws the next: the batch's drawings are
    # taken as soon as they are all there, its end graph's read before the next batch's
    kept, out = _reading(_doc(0) + _doc(1)[:9], _doc(1)[9:], END + _doc(2)[:5], _doc(2)[5:] + END)
    assert kept._take(2) == [_doc(0), _doc(1)] and out.asked == 2
    assert kept._take(1) == [_doc(2)] and kept.owed == 1
    assert kept._take(1) is None  # only an end graph's: a graph failed, the output ended


def test_an_end_graph_before_the_batch_is_whole_fails_the_batch() -> None:
    kept, _ = _reading(_doc(0) + END + _doc(1) + END)
    assert kept._take(2) is None
    handshake, _ = _reading(END)
    assert handshake._take(0) == []


# ---- with the system Graphviz ---------------------------------------------------------


def _dots() -> list[str]:
    from blueprint_dsl.render.pipeline import blueprint_dot
    from tests.render_fixtures import property_repair

    return [blueprint_dot(property_repair(), theme) for theme in ("default", "print")]


@pytest.fixture
def kept() -> Iterator[str]:
    """The neato executable, with no process kept before or after the test."""
    neato_kept.close_all()
    executable = shutil.which("neato")
    assert executable is not None
    yield executable
    neato_kept.close_all()


def _process(executable: str) -> neato_kept._Kept:
    return neato_kept._KEPT[executable]


@needs_system
def test_batches_are_drawn_by_one_process_as_each_graph_alone(kept: str) -> None:
    dots = _dots()
    alone = [Engine("system", kept).render(dot, "svg") for dot in dots]
    first = neato_kept.draw_batch(kept, dots, 60)
    pid = _process(kept).proc.pid
    second = neato_kept.draw_batch(kept, [*reversed(dots), dots[0]], 60)
    assert first is not None and second is not None
    assert as_drawn_alone(first) == alone
    assert as_drawn_alone(second) == [alone[1], alone[0], alone[0]]
    assert _process(kept).proc.pid == pid


@needs_system
def test_a_graph_that_ends_neato_fails_its_batch_and_the_next_gets_a_new_process(
    kept: str,
) -> None:
    good = _dots()[0]
    assert neato_kept.draw_batch(kept, [good], 60) is not None
    gone = _process(kept).proc
    assert neato_kept.draw_batch(kept, [good, "digraph { a -> }", good], 60) is None
    assert gone.poll() is not None and kept not in neato_kept._KEPT
    again = neato_kept.draw_batch(kept, [good], 60)
    assert again is not None
    assert as_drawn_alone(again) == [Engine("system", kept).render(good, "svg")]


@needs_system
def test_a_process_that_died_between_batches_is_replaced_first(kept: str) -> None:
    good = _dots()[0]
    assert neato_kept.draw_batch(kept, [good], 60) is not None
    dead = _process(kept).proc
    dead.kill()
    dead.wait()
    assert neato_kept.draw_batch(kept, [good], 60) is not None  # this batch, not the next
    assert _process(kept).proc.pid != dead.pid


@needs_system
def test_a_batch_over_its_time_is_stopped(kept: str) -> None:
    big = _dots() * 40
    assert neato_kept.draw_batch(kept, big, 0.001) is None
    assert kept not in neato_kept._KEPT


@needs_system
def test_a_process_is_replaced_after_its_graphs(kept: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neato_kept, "MAX_GRAPHS", 2)
    dots = _dots()
    assert neato_kept.draw_batch(kept, dots, 60) is not None
    old = _process(kept).proc
    assert neato_kept.draw_batch(kept, dots[:1], 60) is not None
    assert _process(kept).proc.pid != old.pid and old.poll() is not None


def _in_a_fork(executable: str, dots: list[str]) -> tuple[int, bool]:
    drawn = neato_kept.draw_batch(executable, dots, 60)
    return _process(executable).proc.pid, drawn is not None


@needs_system
def test_a_forked_worker_keeps_a_process_of_its_own(kept: str) -> None:
    dots = _dots()
    assert neato_kept.draw_batch(kept, dots, 60) is not None
    ours = _process(kept).proc
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pid, drew = pool.apply(_in_a_fork, (kept, dots))
    assert drew and pid != ours.pid
    assert ours.poll() is None and _process(kept).owner == os.getpid()
    assert neato_kept.draw_batch(kept, dots, 60) is not None
    assert _process(kept).proc is ours


@needs_system
def test_close_all_ends_the_kept_process(kept: str) -> None:
    assert neato_kept.draw_batch(kept, _dots(), 60) is not None
    proc = _process(kept).proc
    neato_kept.close_all()
    assert proc.poll() is not None and not neato_kept._KEPT


@needs_system
def test_a_drawing_alone_is_drawn_by_the_kept_process_as_by_a_process_of_its_own(
    kept: str,
) -> None:
    from blueprint_dsl.render.engines import _render_system

    engine = Engine("system", kept)
    dot = _dots()[0]
    first = engine.render(dot, "svg")
    pid = _process(kept).proc.pid
    assert engine.render(dot, "svg") == first == _render_system(kept, dot, "svg")
    assert _process(kept).proc.pid == pid  # a watch redraws without starting Graphviz


@needs_system
def test_a_drawing_the_kept_process_fails_says_what_graphviz_says(kept: str) -> None:
    from blueprint_dsl.render.engines import EngineError

    with pytest.raises(EngineError, match="syntax error"):
        Engine("system", kept).render("digraph { a -> }", "svg")
    assert neato_kept.draw_batch(kept, _dots(), 60) is not None  # and the next is drawn


@needs_system
def test_a_neato_that_waits_for_the_end_of_its_input_draws_each_batch_alone(
    kept: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapper = tmp_path / "neato"  # reads all its input before Graphviz sees any of it
    wrapper.write_text(f'#!/bin/sh\ncat > "$0.in"\nexec {kept} "$@" < "$0.in"\n')
    wrapper.chmod(0o755)
    monkeypatch.setattr(neato_kept, "HANDSHAKE", 0.5)
    monkeypatch.delitem(neato_kept._STREAMS, str(wrapper), raising=False)
    dots = _dots()
    alone = [Engine("system", kept).render(dot, "svg") for dot in dots]
    drawn = neato_kept.draw_batch(str(wrapper), dots, 60)
    assert drawn is not None and as_drawn_alone(drawn) == alone
    assert str(wrapper) not in neato_kept._KEPT and neato_kept._STREAMS[str(wrapper)] is False
    started = time.perf_counter()
    again = neato_kept.draw_batch(str(wrapper), dots[:1], 60)  # no second handshake
    assert time.perf_counter() - started < 0.5
    assert again is not None and as_drawn_alone(again) == alone[:1]
    assert neato_kept.draw_batch(str(wrapper), [*dots, "digraph { a -> }"], 60) is None
    assert Engine("system", str(wrapper)).render(dots[1], "svg") == alone[1]


@needs_system
def test_a_kept_process_that_fails_to_start_after_others_did_is_no_reason_to_stop_keeping(
    kept: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert neato_kept.draw_batch(kept, _dots(), 60) is not None
    neato_kept.close_all()
    monkeypatch.setattr(neato_kept, "HANDSHAKE", 0.0)  # this start does not answer in time
    assert neato_kept.draw_batch(kept, _dots(), 60) is None  # drawn graph by graph
    assert neato_kept._STREAMS[kept] is True and kept not in neato_kept._KEPT
    monkeypatch.setattr(neato_kept, "HANDSHAKE", 10.0)
    assert neato_kept.draw_batch(kept, _dots(), 60) is not None
    assert kept in neato_kept._KEPT


@needs_system
def test_a_big_drawing_alone_gets_a_process_of_its_own(
    kept: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blueprint_dsl.render import engines

    dot = _dots()[0]
    monkeypatch.setattr(engines, "KEPT_DOT_MAX", len(dot) - 1)
    drawn = Engine("system", kept).render(dot, "svg")
    assert kept not in neato_kept._KEPT
    assert drawn == engines._render_system(kept, dot, "svg")
    monkeypatch.setattr(engines, "KEPT_DOT_MAX", len(dot))
    assert Engine("system", kept).render(dot, "svg") == drawn
    assert kept in neato_kept._KEPT
