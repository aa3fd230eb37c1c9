"""Track colouring and ordering in a gutter (render/tracks.py)."""

from __future__ import annotations

from blueprint_dsl.render.tracks import Run, color_intervals, order_tracks


def test_overlapping_runs_get_different_tracks_and_near_ones_too() -> None:
    tracks = color_intervals([(0, 100, 1), (50, 150, 2), (106, 200, 3)], gap=12)
    assert tracks[1] != tracks[2]
    assert tracks[3] != tracks[1]  # 6 apart: too near to continue each other on one track


def test_stubs_at_one_y_never_meet() -> None:
    # run 1 leaves a box on the left at y=100, run 2 enters a box on the right at y=100:
    # run 1 must lie left of run 2, whatever the colouring said.
    runs = [
        Run(1, 1, 100, 300, flow=1, stubs=[(100, True), (300, False)]),
        Run(2, 0, 0, 100, flow=2, stubs=[(0, True), (100, False)]),
    ]
    order = order_tracks(runs)
    assert order[1] < order[2]


def test_the_order_avoids_crossings() -> None:
    # a short loop back to the left box nests inside a long one: no stub crosses a run
    runs = [
        Run(1, 0, 0, 400, flow=1, stubs=[(0, True), (400, True)]),
        Run(2, 1, 100, 200, flow=2, stubs=[(100, True), (200, True)]),
    ]
    order = order_tracks(runs)
    assert order[2] < order[1]
