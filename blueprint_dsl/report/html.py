"""Render the report and index pages with Jinja2.

Safety: the environment autoescapes everything and uses `StrictUndefined`; strings
from the .bp file reach the templates only as plain `str`, so they are escaped where
they are written. The only `Markup` (trusted) values are our own CSS and script from
`static/` and the diagram after `svg.prepare_svg` has re-serialised it. A
Content-Security-Policy allows no network access and runs only our own scripts (by
hash), so even markup that slipped through could neither run nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from ..core.gc_pause import collector_paused
from .context import build_report
from .index import IndexEntry, build_index
from .svg import DiagramError, prepare_svg

if TYPE_CHECKING:
    from ..analysis.observed import Observations
    from ..compiler import CompileResult


@cache
def environment() -> Environment:
    """The one Jinja2 environment: autoescape on, undefined names are errors. Made once
    (its templates are compiled once per process, not once per report of a folder), and
    compiled templates are kept in bpc's cache folder (Jinja's bytecode cache: a
    template whose source changed is compiled again)."""
    env = Environment(
        loader=PackageLoader("blueprint_dsl.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_template_cache(),
    )
    env.filters["script_json"] = json_for_script
    return env


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache, in a folder made on first use; a cache that
    cannot be read or written is no error (the template is compiled)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _template_cache() -> _TemplateCache | None:
    from ..core.cachedir import cache_folder

    folder = cache_folder()
    return _TemplateCache(str(folder / "templates")) if folder is not None else None


_STATIC = Path(__file__).resolve().parent / "static"


@cache
def static_text(name: str) -> str:
    """A CSS or JS file from `static/`, to be inlined."""
    path = _STATIC / name
    if path.is_file():
        return path.read_text("utf-8")
    from importlib import resources  # an installation that is not plain files

    return resources.files("blueprint_dsl.report").joinpath("static", name).read_text("utf-8")


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: Sequence[str]) -> str:
    sources = " ".join(script_hash(s) for s in scripts)
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {sources}; base-uri 'none'; form-action 'none'"
    )


def json_for_script(value: object) -> Markup:
    """JSON safe inside a `<script type="application/json">` element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


class PageOptions(TypedDict, total=False):
    """What a report page is made with beside the compiled blueprint and its drawing."""

    detail_links: Mapping[str, str] | None
    source_display: str | None
    observed: Observations | None
    inlined: Sequence[bytes] | None


def build_report_html(
    result: CompileResult, svg: str | None, **options: Unpack[PageOptions]
) -> str:
    """One self-contained HTML report for a compiled blueprint.

    `svg` is the diagram (None, with no `inlined`: the report says the diagram is not
    available);
    `detail_links` maps a `detail` path as written in the .bp file to the relative
    href of the report this run produced for it; other `detail` paths stay text.
    `source_display` is the source path to show (default: `result.path`); `observed`
    (read by `analysis.observed.read_observed`) adds written against observed.
    `inlined` is the diagram as `prepare_svg` would make it of `svg`, written by the
    caller already (`render.svg_post.post_process` with `svg.inline_for`; UTF-8, in
    pieces).
    """
    return b"".join(report_page(result, svg, **options)).decode("utf-8")


#: Where the inlined diagram goes in the page while the template is rendered: a comment
#: no text from the .bp file can write (its "<" would be escaped).
_SLOT = "<!--bp-diagram-slot-7d1f0c2a-->"


def report_page(
    result: CompileResult,
    svg: str | None,
    *,
    detail_links: Mapping[str, str] | None = None,
    source_display: str | None = None,
    observed: Observations | None = None,
    inlined: Sequence[bytes] | None = None,
) -> list[bytes]:
    """`build_report_html`'s page as UTF-8, in pieces: an `inlined` diagram is one of
    them as it is, not decoded, copied into the page's text and encoded again (a big
    drawing is most of the page)."""
    # The report of a big blueprint is millions of small objects (the diagram's elements,
    # the page's pieces) that the cyclic collector would go through again and again while
    # the model they describe is alive: it runs once, after.
    with collector_paused():
        report = build_report(
            result, detail_links=detail_links, source_display=source_display, observed=observed
        )
        diagram: Markup | None = None
        if inlined is not None:
            diagram = Markup(_SLOT)
        elif svg is not None:
            try:
                diagram = Markup(prepare_svg(svg, result.blueprint, report.title))
            except DiagramError:
                diagram = None
        script = static_text("report.js")
        page = (
            environment()
            .get_template("report.html.j2")
            .render(
                r=report,
                w=report.words,
                diagram=diagram,
                css=Markup(static_text("report.css")),
                script=Markup(script),
                csp=content_security_policy([script]),
            )
        )
    if inlined is None:
        return [page.encode("utf-8")]
    head, slot, tail = page.partition(_SLOT)
    assert slot and _SLOT not in tail, "the diagram's place in the report is not unique"
    return [head.encode("utf-8"), *inlined, tail.encode("utf-8")]


def build_index_html(entries: Sequence[IndexEntry], *, locale: str = "en") -> str:
    """The index page of a folder: a sortable table linking to each report."""
    page = build_index(entries, locale)
    script = static_text("index.js")
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            p=page,
            w=page.words,
            css=Markup(static_text("report.css")),
            script=Markup(script),
            csp=content_security_policy([script]),
        )
    )
