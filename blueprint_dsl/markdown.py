"""Blueprints in documentation sites: a Python-Markdown extension for ```` ```bp ```` fences.

    markdown.markdown(text, extensions=["blueprint_dsl.markdown"])     # Python-Markdown
    markdown_extensions: [blueprint_dsl.markdown]                      # mkdocs.yml

(A sibling of `api` in the layers contract, so it compiles and draws through the stages
below it: compiler -> render.pipeline -> render.engines -> render.svg_post.)

A fenced block whose language is `bp` or `blueprint` is compiled and becomes its diagram,
inline SVG in `<div class="bp-diagram">`; a block that does not compile (or cannot be
drawn) becomes `<div class="bp-error" role="alert">` listing its diagnostics, and a
warning is logged (`mkdocs build --strict` then fails). Nothing here raises into the
site build. `pymdownx.superfences` users name `fence_bp_format` (and `fence_bp_validator`)
as a custom fence instead; see docs/markdown.md.

The SVG is parsed and written out again: every id gets a per-page prefix (`bp1-`, `bp2-`,
... in page order) that `url(#…)` and `href="#…"` follow, so two diagrams on one page
never share an id; no script, style, event handler or foreign content passes, and detail
links are kept only when `report_links` says where the reports are.
"""

from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .compiler import compile_text
from .core.diagnostics import Diagnostic, Severity
from .render.engines import ENGINE_CHOICES, EngineError, resolve_engine
from .render.pipeline import blueprint_dot
from .render.svg_post import post_process
from .render.themes import THEMES

__all__ = [
    "BlueprintExtension",
    "Settings",
    "fence_bp_format",
    "fence_bp_validator",
    "makeExtension",
    "render_block",
]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_S = f"{{{SVG_NS}}}"
_XLINK_TITLE = f"{{{XLINK_NS}}}title"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

LANGUAGES = ("bp", "blueprint")
#: The name a block is compiled under: includes resolve beside it, in `base_dir`.
BLOCK_FILE = "markdown-block.bp"
_LOG = logging.getLogger("mkdocs.plugins.blueprint_dsl.markdown")
_DROP = frozenset(("script", "style", "foreignObject", "iframe", "object", "embed", "image"))
_URL = re.compile(r"url\(\s*(['\"]?)#")
_EXTERNAL_URL = re.compile(r"url\(\s*(?!['\"]?#)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_OPENING = re.compile(r"(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)")
_INFO = re.compile(r"\{?[ \t]*\.?(?P<lang>[\w#.+-]*)(?P<options>.*)")
_OPTION = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s}"']+))""")
_STYLE = (
    "border:1px solid #c5221f;border-left-width:4px;background:#fce8e6;color:#5f1410;"
    "padding:.5em 1em;margin:1em 0;border-radius:4px"
)


@dataclass(frozen=True)
class Settings:
    """How blocks are drawn: the diagram theme, the Graphviz engine, the folder includes
    resolve from (empty: the working folder), and where detail links point (None: none)."""

    theme: str = "default"
    engine: str = "auto"
    base_dir: str = ""
    report_links: str | None = None

    def with_options(self, options: Mapping[str, Any]) -> tuple[Settings, list[str]]:
        """These settings with a block's own options; the problems with those options."""
        problems: list[str] = []
        changes: dict[str, Any] = {}
        for key, value in sorted(options.items()):
            if key in ("theme", "engine"):
                changes[key] = str(value)
            elif key == "report_links":
                changes[key] = link_base(value)
            else:
                problems.append(f"unknown option {key!r}: use theme, engine or report_links")
        settings = replace(self, **changes)
        if settings.theme not in THEMES:
            problems.append(f"unknown theme {settings.theme!r}: choose one of {', '.join(THEMES)}")
        if settings.engine not in ENGINE_CHOICES:
            choices = ", ".join(ENGINE_CHOICES)
            problems.append(f"unknown engine {settings.engine!r}: choose one of {choices}")
        return settings, problems


def link_base(value: object) -> str | None:
    """`report_links` as a prefix for detail links: off (None) for false, empty or a
    prefix with a scheme other than http(s); "" (relative to the page) for true."""
    if value is True or (isinstance(value, str) and value.lower() in ("true", "yes", "on")):
        return ""
    if not isinstance(value, str) or not value or value.lower() in ("false", "no", "off", "none"):
        return None
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(0).lower() not in ("http:", "https:"):
        return None
    return value if value.endswith("/") else value + "/"


# -- one block -----------------------------------------------------------------------------------
def render_block(source: str, block: int = 1, settings: Settings | None = None) -> str:
    """The HTML for one fenced block: its diagram, or the box of what stops it being drawn.

    `block` numbers the blocks of a page (1, 2, ...): the SVG's ids get the prefix
    `bp<block>-`. The result is the same for the same arguments and included files.
    """
    settings = settings or Settings()
    try:
        return _render(source, block, settings)
    except Exception as error:  # a bug in bpc must not stop the site build
        _LOG.warning("bp block %d: bpc failed: %s: %s", block, type(error).__name__, error)
        return error_box(source, [f"bpc failed: {type(error).__name__}: {error}"], [])


def _render(source: str, block: int, settings: Settings) -> str:
    _, problems = settings.with_options({})
    if problems:
        return _failed(source, block, problems, [])
    path = Path(settings.base_dir or ".").absolute() / BLOCK_FILE
    result = compile_text(source, str(path))
    if result.blueprint is None or result.has_errors:
        shown = result.diagnostics if result.has_errors else []
        nothing = [] if shown else ["nothing to draw: the block holds only shared declarations"]
        return _failed(source, block, nothing, shown, str(path))
    try:
        dot = blueprint_dot(result.blueprint, settings.theme)
        drawn = resolve_engine(settings.engine, ["svg"]).render(dot, "svg")
        svg = post_process(drawn, result.blueprint)
        body = prepare_svg(svg, f"bp{block}-", settings.report_links)
    except (EngineError, ValueError, ET.ParseError) as error:
        return _failed(source, block, [f"the diagram could not be drawn: {error}"], [])
    return f'<div class="bp-diagram" data-bp-block="{block}">\n{body}\n</div>'


def _failed(
    source: str, block: int, problems: list[str], diagnostics: list[Diagnostic], here: str = ""
) -> str:
    for line in problems:
        _LOG.warning("bp block %d: %s", block, line)
    for d in diagnostics:
        if d.severity is Severity.ERROR:
            _LOG.warning("bp block %d: %s %s %s", block, _where(d, here), d.code, d.message)
    return error_box(source, problems, diagnostics, here)


def _where(d: Diagnostic, here: str) -> str:
    place = f"{d.span.line}:{d.span.column}"
    return place if not here or d.span.file == here else f"{d.span.file}:{place}"


def error_box(
    source: str, problems: list[str], diagnostics: list[Diagnostic], here: str = ""
) -> str:
    """The visible box a block becomes when it is not drawn: every problem and diagnostic
    (line:column code message, a file name for one in an included file), then the source.
    All text is escaped."""
    esc = html.escape
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR) + len(problems)
    count = f"{errors} error{'s' if errors != 1 else ''}"
    items = [f'<li class="bp-problem">{esc(p)}</li>' for p in problems]
    for d in diagnostics:
        items.append(
            f'<li class="bp-diagnostic bp-{esc(d.severity.value)}-diagnostic" '
            f'data-code="{esc(d.code)}">'
            f'<code class="bp-where">{esc(_where(d, here))}</code> '
            f'<code class="bp-code">{esc(d.code)}</code> '
            f'<span class="bp-severity">{esc(d.severity.value)}:</span> '
            f'<span class="bp-message">{esc(d.message)}</span>'
            + (f' <span class="bp-help">{esc(d.help)}</span>' if d.help else "")
            + "</li>"
        )
    return (
        f'<div class="bp-error" role="alert" style="{_STYLE}">\n'
        f"<p><strong>Blueprint not drawn</strong> ({count})</p>\n"
        f'<ul class="bp-diagnostics">\n{chr(10).join(items)}\n</ul>\n'
        f"<details><summary>Source</summary><pre><code>{esc(source)}</code></pre></details>\n"
        "</div>"
    )


# -- the SVG ------------------------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk(parent: ET.Element) -> Iterator[ET.Element]:
    yield parent
    for child in parent:
        yield from _walk(child)


def prepare_svg(svg: bytes, prefix: str, report_links: str | None = None) -> str:
    """The SVG as markup to inline: ids prefixed (references follow), nothing that runs,
    restyles the page or loads anything, links only to detail reports under
    `report_links` (`sub/x.bp` -> `<report_links>sub/x.html`)."""
    root = ET.fromstring(svg)
    if _local(root.tag) != "svg":
        raise ValueError("the diagram is not an SVG document")
    for parent in list(_walk(root)):
        for child in [c for c in parent if _local(c.tag) in _DROP or not isinstance(c.tag, str)]:
            parent.remove(child)
    for element in _walk(root):
        for name in list(element.attrib):
            _attribute(element, name, prefix, report_links)
        if _local(element.tag) == "a":
            _link(element)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _attribute(element: ET.Element, name: str, prefix: str, report_links: str | None) -> None:
    local = _local(name).lower()
    value = element.attrib[name]
    if local.startswith("on") or local == "target" or _EXTERNAL_URL.search(value):
        del element.attrib[name]
    elif local == "id":
        element.set(name, prefix + value)
    elif local == "href":
        if value.startswith("#"):
            element.set(name, "#" + prefix + value[1:])
        elif report_links is None or _local(element.tag) != "a" or _SCHEME.match(value):
            del element.attrib[name]
        else:
            stem = value.removesuffix(".svg")
            element.set(name, f"{report_links}{stem}.html")
    elif "url(" in value:
        element.set(name, _URL.sub(lambda m: f"url({m.group(1)}#{prefix}", value))


def _link(element: ET.Element) -> None:
    """A link's tooltip becomes a `<title>` (browsers show no `xlink:title`); a link with
    no target left is a plain group."""
    tip = element.attrib.pop(_XLINK_TITLE, None)
    if tip and not any(_local(c.tag) == "title" for c in element):
        title = ET.Element(_S + "title")
        title.text = tip
        element.insert(0, title)
    if not any(_local(name) == "href" for name in element.attrib):
        element.tag = _S + "g"


# -- Python-Markdown -------------------------------------------------------------------------
class _Page:
    """What the blocks of one page share: the settings and how many blocks came before.
    Registered with the Markdown instance, so `Markdown.reset()` starts the count again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.blocks = 0

    def reset(self) -> None:
        self.blocks = 0

    def render(self, source: str, options: Mapping[str, Any]) -> str:
        self.blocks += 1
        settings, problems = self.settings.with_options(options)
        if problems:
            return _failed(source, self.blocks, problems, [])
        return render_block(source, self.blocks, settings)


def _page(md: Any) -> _Page:
    for extension in getattr(md, "registeredExtensions", ()):
        if isinstance(extension, _Page):
            return extension
    page = _Page(Settings())
    md.registerExtension(page)
    return page


def _options(text: str) -> dict[str, str]:
    return {
        m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _OPTION.finditer(text)
    }


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    """The index of the line that closes `fence` (the same character, at least as many)."""
    for n in range(start, len(lines)):
        line = lines[n].rstrip(" \t")
        if len(line) >= len(fence) and line == fence[0] * len(line):
            return n
    return None


class _FencePreprocessor(Preprocessor):  # type: ignore[misc]
    """Fences at the left margin whose language is bp or blueprint (``` or ~~~, `key=value`
    options after the language) become stashed HTML before the fenced-code preprocessors
    see them. Other fenced blocks are passed over whole, so a ```bp inside a ````markdown
    example stays text."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("bp" in line or "blueprint" in line for line in lines):
            return lines
        out: list[str] = []
        at = 0
        while at < len(lines):
            opening = _OPENING.fullmatch(lines[at])
            fence = opening.group("fence") if opening else ""
            end = _closing(lines, at + 1, fence) if opening else None
            if opening is None or end is None or (fence[0] == "`" and "`" in opening["info"]):
                out.append(lines[at])
                at += 1
                continue
            info = _INFO.fullmatch(opening["info"].strip())
            if info is not None and info["lang"] in LANGUAGES:
                source = "".join(line + "\n" for line in lines[at + 1 : end])
                options = _options(info["options"].strip().removesuffix("}"))
                html = _page(self.md).render(source, options)
                out += ["", self.md.htmlStash.store(html), ""]
            else:
                out += lines[at : end + 1]
            at = end + 1
        return out


class BlueprintExtension(Extension):  # type: ignore[misc]
    """Draw ```bp and ```blueprint fenced blocks as inline SVG diagrams."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "theme": ["default", f"diagram theme: {', '.join(THEMES)}"],
            "engine": ["auto", f"Graphviz engine: {', '.join(ENGINE_CHOICES)}"],
            "base_dir": ["", "folder `include` paths resolve from (default: working folder)"],
            "report_links": ["", "where detail links point (prefix of x.html; empty: no links)"],
        }
        super().__init__(**kwargs)

    def settings(self) -> Settings:
        config = self.getConfigs()
        return Settings(
            theme=str(config["theme"]),
            engine=str(config["engine"]),
            base_dir=str(config["base_dir"] or ""),
            report_links=link_base(config["report_links"]),
        )

    def extendMarkdown(self, md: Any) -> None:  # Python-Markdown's name
        md.registerExtension(_Page(self.settings()))
        # after whitespace normalising (30), before fenced code and superfences (25)
        md.preprocessors.register(_FencePreprocessor(md), "bp_fence", 27)


def makeExtension(**kwargs: Any) -> BlueprintExtension:  # Python-Markdown's name
    return BlueprintExtension(**kwargs)


# -- pymdownx.superfences --------------------------------------------------------------------
def fence_bp_validator(
    language: str, inputs: Mapping[str, str], options: dict[str, str], attrs: Any, md: Any
) -> bool:
    """Accept every option of a bp fence (`theme=…`, `engine=…`, `report_links=…`); the
    formatter shows the unknown ones in the error box rather than drop the block."""
    options.update(inputs)
    return True


def fence_bp_format(
    source: str, language: str, css_class: str, options: Mapping[str, Any], md: Any, **kwargs: Any
) -> str:
    """A superfences custom-fence formatter: the block's diagram or its error box. Uses the
    settings of `blueprint_dsl.markdown` when that extension is loaded too."""
    try:
        return _page(md).render(source, options or {})
    except Exception as error:  # never break the site build
        _LOG.warning("bp block: bpc failed: %s: %s", type(error).__name__, error)
        return error_box(source, [f"bpc failed: {type(error).__name__}: {error}"], [])
