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
