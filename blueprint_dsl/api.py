"""The library API: the whole pipeline in one screen.

    bytes -> text -> syntax tree -> model -> rules       compile_file / compile_text
    model -> figures                                     result.analysis
    model -> DOT -> SVG / PNG / PDF                      render_blueprint
    model -> JSON / Mermaid / PlantUML / D2 / CSV        export

    from blueprint_dsl.api import compile_file, render_blueprint, export
    result = compile_file("samples/restaurant.bp")
    if not result.has_errors:
        svg = render_blueprint(result.blueprint, "svg")
        model = export(result.blueprint, "json")

The backends load on first use, so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compiler import (
    CompileResult,
    UsageError,
    collect_paths,
    compile_bytes,
    compile_file,
    compile_text,
    decode,
)

if TYPE_CHECKING:
    from .model.blueprint import Blueprint

__all__ = [
    "EXPORT_TARGETS",
    "RENDER_FORMATS",
    "CompileResult",
    "UsageError",
    "collect_paths",
    "compile_bytes",
    "compile_file",
    "compile_text",
    "decode",
    "export",
    "render_blueprint",
]

RENDER_FORMATS = ("svg", "png", "pdf", "dot")
EXPORT_TARGETS = ("json", "mermaid", "plantuml", "d2", "csv", "bpmn", "drawio")


def render_blueprint(
    blueprint: Blueprint, fmt: str = "svg", *, theme: str = "default", engine: str = "auto"
) -> bytes:
    """The diagram of a compiled blueprint as `fmt` (svg, png, pdf or dot), in memory.

    `engine` is `auto`, `system` (Graphviz on PATH) or `embedded` (WebAssembly). Raises
    `ValueError` for an unknown format or theme and `EngineError` (from
    `blueprint_dsl.render`) when Graphviz is missing or fails.
    """
    from .render.engines import resolve_engine
    from .render.pipeline import blueprint_dot
    from .render.themes import THEMES

    if fmt not in RENDER_FORMATS:
        raise ValueError(
            f"unknown diagram format {fmt!r}: choose one of {', '.join(RENDER_FORMATS)}"
        )
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: choose one of {', '.join(THEMES)}")
    dot = blueprint_dot(blueprint, theme)
    if fmt == "dot":
        return dot.encode("utf-8")
    return resolve_engine(engine, [fmt]).render(dot, fmt)


def export(blueprint: Blueprint, to: str = "json") -> str:
    """A compiled blueprint in another language: json (the model), mermaid, plantuml, d2 or
    csv. What a target cannot show is listed by `bpc export`; here only the text returns."""
    if to == "json":
        from .exports.json_export import to_json

        return to_json(blueprint)
    from .exports import EXPORTERS

    if to not in EXPORTERS:
        raise ValueError(f"unknown export target {to!r}: choose one of {', '.join(EXPORT_TARGETS)}")
    return EXPORTERS[to](blueprint).text
