"""The diagram's fixed sizes, in points, shared by the layout modules and the DOT writer.

Box, gutter, band, header and badge sizes and the font sizes and line heights of every
text, plus `even`, the rounding every computed size goes through. Nothing here depends
on a blueprint: these are the constants the grid, the routes and the labels are built
from, kept in one place so that no layout module has to import another for them.
"""

from __future__ import annotations

# Geometry, in points. Sizes are even integers so that both Graphviz versions agree.
ZONE_COL_W = 118
LANE_COL_W = 104
LABEL_W = ZONE_COL_W + LANE_COL_W
RIGHT_MARGIN = 132
BOX_W = 150
BOX_PAD = 8
MIN_BOX_H = 40
FONT = 11.0
LINE_H = 14.0
META_FONT = 9.0
META_H = 13.0
DIAMOND_MIN_H = 64
DIAMOND_TEXT = 0.56  # share of a diamond's width given to its text
SLOT_GAP = 30
CELL_PAD = 20
MIN_REGION = 76
EVIDENCE_W = BOX_W - 14
EVIDENCE_FONT = 10.0
EVIDENCE_LINE_H = 13.0
EVIDENCE_GAP = 8
EVIDENCE_PAD = 14
TRACK = 12  # between parallel tracks (route-check wants 10 or more)
PORT_GAP = 10.0  # between flow ends on one side of a box
GUTTER_MARGIN = 18
MIN_GUTTER = 48
CORRIDOR_PAD = 16
PHASE_H = 30
STEP_FONT = 10.5
STEP_LINE_H = 14.0
TITLE_FONT = 14.0
TITLE_LINE_H = 18.0
SUBTITLE_FONT = 9.0
LABEL_FONT = 12.0
LABEL_LINE_H = 15.0
LINE_LABEL_FONT = 9.5
LEGEND_H = 36
EDGE_LABEL_FONT = 9.5
BADGE_H = 16
ARROW = 7.0  # arrowhead length (Graphviz arrowsize 0.7)


def even(value: float) -> int:
    """Round up to an even integer (Graphviz rounds node sizes to whole points)."""
    n = int(-(-value // 1))
    return n + (n % 2)
