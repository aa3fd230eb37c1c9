"""Outputs are written atomically: a failure mid-write keeps the last good file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blueprint_dsl.core import fsutil
from blueprint_dsl.render import pipeline
from blueprint_dsl.render.engines import Engine, EngineError

from ..render_fixtures import restaurant


class _Boom(Exception):
    pass


def test_interrupted_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.render_blueprint(restaurant(), ["dot"], tmp_path, stem="r")
    target = tmp_path / "r.dot"
    good = target.read_bytes()

    real_fdopen = os.fdopen

    def half_writing_fdopen(fd: int, mode: str = "r", *args: object, **kw: object) -> object:
        handle = real_fdopen(fd, mode, *args, **kw)  # type: ignore[call-overload]

        class Half:
            def __enter__(self) -> Half:
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def write(self, data: bytes) -> None:
                handle.write(data[: len(data) // 2])
                handle.flush()
                raise _Boom("disk full / killed mid-write")

            def flush(self) -> None: ...

            def fileno(self) -> int:
                return int(handle.fileno())

        return Half()

    monkeypatch.setattr(fsutil.os, "fdopen", half_writing_fdopen)
    theme_changed = pipeline.blueprint_dot(restaurant(), "print")
    assert theme_changed.encode() != good
    with pytest.raises(_Boom):
        pipeline.render_blueprint(restaurant(), ["dot"], tmp_path, theme="print", stem="r")
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.dot"]  # no temp file left


def test_engine_failure_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.svg").write_text("<svg>old</svg>")
    (tmp_path / "r.dot").write_text("old dot")

    def fail(self: Engine, dot: str, fmt: str) -> bytes:
        raise EngineError("Graphviz crashed")

    monkeypatch.setattr(Engine, "render", fail)
    with pytest.raises(EngineError):
        pipeline.render_blueprint(
            restaurant(), ["svg", "dot"], tmp_path, engine=Engine("embedded"), stem="r"
        )
    # Images are drawn before anything is written: the old files are untouched.
    assert (tmp_path / "r.svg").read_text() == "<svg>old</svg>"
    assert (tmp_path / "r.dot").read_text() == "old dot"


def test_a_failed_write_names_the_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    target = tmp_path / "r.svg"
    target.write_text("<svg>old</svg>")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # what fsutil calls
    with pytest.raises(fsutil.WriteError) as info:
        fsutil.atomic_write(target, "<svg>new</svg>")
    assert isinstance(info.value, OSError) and info.value.errno == errno.ENOSPC
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert target.read_text() == "<svg>old</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.svg"]


def test_a_write_below_a_file_or_onto_a_folder_is_refused_cleanly(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(fsutil.WriteError, match=r"file\.txt/sub/r\.svg: Not a directory$"):
        fsutil.atomic_write(tmp_path / "file.txt" / "sub" / "r.svg", "data")
    (tmp_path / "folder").mkdir()
    with pytest.raises(fsutil.WriteError, match=r"folder: Is a directory$"):
        fsutil.atomic_write(tmp_path / "folder", "data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "folder"]
    assert list((tmp_path / "folder").iterdir()) == []


def test_a_write_that_cannot_start_closes_its_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: object, mode: int) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "chmod", refuse)  # what fsutil calls
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    with pytest.raises(fsutil.WriteError, match="Permission denied"):
        fsutil.atomic_write(tmp_path / "r.svg", "data")
    assert list(tmp_path.iterdir()) == []
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before  # no descriptor leaked


def test_a_page_in_pieces_is_written_and_digested_as_one(tmp_path: Path) -> None:
    """A big report is written as it was made, in pieces: the file and its digest are
    those of the pieces joined, for a regular file and for a device alike."""
    pieces = [b"<html>", "页".encode(), b"", b"</html>"]
    joined = b"".join(pieces)
    target = tmp_path / "page.html"
    fsutil.atomic_write(target, pieces)
    assert target.read_bytes() == joined
    assert fsutil.content_digest(pieces) == fsutil.content_digest(joined)
    assert fsutil.content_digest(joined.decode()) == fsutil.content_digest(joined)
    fsutil.atomic_write(os.devnull, pieces)  # written into, never replaced
    assert os.path.exists(os.devnull) and not Path(os.devnull).is_file()
