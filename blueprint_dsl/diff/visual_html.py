"""The HTML page of a visual diff: one self-contained file (inline SVG, inline CSS, no
script, nothing loaded from anywhere) with the change list as HTML. Every string from the
blueprints is escaped here, in `_esc`; the SVG was serialised by `xml.etree`, which
escapes all text, so no label can become markup. The Content-Security-Policy, like the
report's, allows no network access at all, and this page runs no script."""

from __future__ import annotations

import html

from .result import BlueprintDiff
from .visual_list import ListLine
from .visual_style import INK, MUTED, PANEL_FILL, PANEL_STROKE, STATES

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _css() -> str:
    states = "\n".join(
        f".{s.name} .badge {{ background: {s.stroke}; color: {s.badge_text}; }}\n"
        f".{s.name} .kind {{ color: {s.text}; }}"
        for s in STATES.values()
    )
    return f"""
body {{ margin: 0; font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC",
  "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: {INK};
  background: #ffffff; }}
header, main {{ padding: 0 1.5rem; }}
h1 {{ font-size: 1.3rem; margin: 1rem 0 0.25rem; }}
.paths {{ color: {MUTED}; margin: 0 0 1rem; overflow-wrap: anywhere; }}
.drawing {{ margin: 0 0 1.5rem; overflow-x: auto; border: 1px solid {PANEL_STROKE}; }}
.drawing svg {{ display: block; min-width: 960px; height: auto; }}
.changes {{ background: {PANEL_FILL}; border: 1px solid {PANEL_STROKE}; border-radius: 6px;
  padding: 0.5rem 1.25rem 1rem; margin-bottom: 2rem; max-width: 70rem; }}
.changes h2 {{ font-size: 1.05rem; margin: 1rem 0 0.4rem; }}
.changes ul {{ list-style: none; margin: 0; padding: 0; }}
.changes li {{ margin: 0.2rem 0; padding-left: 1.9rem; text-indent: -1.9rem;
  overflow-wrap: anywhere; }}
.figures li {{ padding-left: 0.8rem; text-indent: 0; }}
.badge {{ display: inline-block; width: 1.3rem; height: 1.3rem; line-height: 1.3rem;
  border-radius: 50%; text-align: center; font-weight: bold; margin-right: 0.5rem;
  text-indent: 0; }}
.changed .badge {{ border-radius: 0; clip-path: polygon(50% 0, 100% 50%, 50% 100%, 0 50%); }}
.kind {{ font-weight: bold; }}
.note {{ color: {MUTED}; }}
{states}
@media print {{ .drawing {{ overflow: visible; border: none; }} }}
"""


def _list(lines: list[ListLine]) -> str:
    out: list[str] = []
    open_list = False

    def close() -> None:
        nonlocal open_list
        if open_list:
            out.append("</ul>")
            open_list = False

    for line in lines:
        if line.role == "title":
            continue
        if line.role in ("heading", "note"):
            close()
            tag = "h2" if line.role == "heading" else "p"
            out.append(f'<{tag} class="{line.role}">{_esc(line.text)}</{tag}>')
            continue
        if not open_list:
            css = "figures" if line.role == "figure" else "list"
            out.append(f'<ul class="{css}">')
            open_list = True
        state = line.state
        if line.role == "change" and state is not None and line.kind is not None:
            badge = STATES[state].badge
            out.append(
                f'<li class="change {state}"><span class="badge" aria-hidden="true">{badge}</span>'
                f'<span class="kind">{_esc(line.kind)}</span> {_esc(line.rest)}</li>'
            )
        else:
            out.append(f'<li class="{line.role}">{_esc(line.text)}</li>')
    close()
    return "\n".join(out)


def page(diff: BlueprintDiff, svg: str, lines: list[ListLine], summary: str) -> str:
    """The page: a header, the marked drawing, the change list."""
    title = (
        diff.new_title
        if diff.old_title == diff.new_title
        else (f"{diff.old_title} → {diff.new_title}")
    )
    heading = lines[0].text if lines else title
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{_esc(f"Changes to {title}: {summary}")}</title>
<style>{_css()}</style>
</head>
<body>
<header>
<h1>{_esc(f"Changes to {title}")}</h1>
<p class="paths">{_esc(heading)}</p>
</header>
<main>
<figure class="drawing">
{svg}
</figure>
<section class="changes" aria-label="Change list">
{_list(lines)}
</section>
</main>
</body>
</html>
"""
