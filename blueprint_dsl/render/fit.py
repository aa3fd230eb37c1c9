"""Fitting a drawing to its medium: rows of N steps, PNG resolution, PDF pages.

`Fit` holds what `bpc render` was asked: `--wrap N` (rows of N steps; 0 never wraps;
unset wraps blueprints of more than 30 steps in PNG and PDF, never in SVG or DOT),
`--scale F` (PNG resolution: 1 is Graphviz's 96 dpi, 2 is 192 dpi) and `--page
a4|a3|letter [--landscape]` (a PDF with one row per page, scaled to the page).
Graphviz shrinks a bitmap over 32,767 px on a side without saying so; bpc scales it down
itself and says by how much.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_WRAP = 30
MAX_BITMAP_PX = 32_767
PAD_PT = 2 * 0.2 * 72  # the graph's pad on both sides
PNG_DPI = 96.0  # Graphviz's bitmap resolution: 4/3 px a point
PAGES = {  # portrait width, height in points
    "a4": (595.0, 842.0),
    "a3": (842.0, 1191.0),
    "letter": (612.0, 792.0),
}
PAGE_MARGIN = 28.0
# Below this scale a page's text is too small to read: fewer steps go on each page.
MIN_PAGE_SCALE = 0.45


@dataclass(frozen=True)
class Fit:
    wrap: int | None = None
    scale: float = 1.0
    page: str | None = None
    landscape: bool = False
    critical_path: bool = False  # --critical-path: highlight it (critical.py)

    def key(self) -> str:
        """What the render cache keys on."""
        return (
            f"wrap={self.wrap} scale={self.scale:g} page={self.page} "
            f"landscape={self.landscape} critical={self.critical_path}"
        )


def steps_per_row(fit: Fit, fmt: str, n_steps: int) -> int:
    """How many steps each row of `fmt` holds (0: one row)."""
    if fit.page is not None and fmt == "pdf":
        return fit.wrap or per_page(fit)
    if fit.wrap is not None:
        return fit.wrap
    if fmt in ("png", "pdf") and n_steps > DEFAULT_WRAP:
        return DEFAULT_WRAP
    return 0


def page_size(fit: Fit) -> tuple[float, float]:
    w, h = PAGES[fit.page or "a4"]
    return (h, w) if fit.landscape else (w, h)


def per_page(fit: Fit) -> int:
    """The steps a page holds at a readable scale (label column, margin, ~200 pt a step)."""
    from .metrics import BOX_W, LABEL_W, MIN_GUTTER, RIGHT_MARGIN

    width = (page_size(fit)[0] - 2 * PAGE_MARGIN) / MIN_PAGE_SCALE
    return max(2, int((width - LABEL_W - RIGHT_MARGIN) // (BOX_W + MIN_GUTTER + 10)))


def png_scale(fit: Fit, width_pt: float, height_pt: float) -> tuple[float, str | None]:
    """The scale to draw a PNG at, and a warning when it had to be lowered to fit."""
    longest = (max(width_pt, height_pt) + PAD_PT) * PNG_DPI / 72 * fit.scale
    if longest <= MAX_BITMAP_PX:
        return fit.scale, None
    scale = fit.scale * (MAX_BITMAP_PX - 2) / longest
    side = "wide" if width_pt >= height_pt else "tall"
    return scale, (
        f"the PNG would be {longest:,.0f} px {side}, over the {MAX_BITMAP_PX:,} px that "
        f"Graphviz can draw; drawn at scale {scale:.2f} instead of {fit.scale:g} "
        f"(use --wrap N for rows of N steps, or -f svg or pdf for full size)"
    )


def with_dpi(dot: str, scale: float) -> str:
    """The DOT text drawn at `scale` × 96 dpi (a bitmap's resolution)."""
    if scale == 1.0:
        return dot
    head, sep, rest = dot.partition("digraph blueprint {\n")
    return f"{head}{sep}  graph [dpi={PNG_DPI * scale:.2f}];\n{rest}"
