"""HTML reports: one self-contained page per blueprint, and an index for a folder.

    build_report_html(result, svg, detail_links=..., source_display=...) -> str
    build_index_html([IndexEntry.from_result(result, href), ...]) -> str

Pipeline: CompileResult -> view-model (`context`, `index`) -> Jinja2 templates (`html`),
with the diagram's SVG made safe and linkable by `svg`.
"""

from __future__ import annotations

from .html import build_index_html, build_report_html
from .index import Figures, IndexEntry

__all__ = ["Figures", "IndexEntry", "build_index_html", "build_report_html"]
