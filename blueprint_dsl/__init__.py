"""bpc: a plain-text language and compiler for service blueprints (服务蓝图).

The library API (what `bpc` itself uses)::

    from blueprint_dsl import compile_file
    result = compile_file("samples/restaurant.bp")
    result.diagnostics, result.blueprint, result.analysis
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.version import __version__

__all__ = ["CompileResult", "__version__", "collect_paths", "compile_file", "compile_text"]

if TYPE_CHECKING:
    from .compiler import CompileResult, collect_paths, compile_file, compile_text


def __getattr__(name: str) -> Any:
    # Keep `import blueprint_dsl` cheap: the parser and model load on first use.
    if name in ("CompileResult", "collect_paths", "compile_file", "compile_text"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
