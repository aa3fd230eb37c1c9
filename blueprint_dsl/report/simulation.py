"""The report's simulation section (language 0.2, section 8.8): the Monte Carlo run of
`analysis.simulate` on the blueprint, its customer time as a histogram (`histogram`)
with the target marked, and beside it mean, p50, p90, p95 and max of customer time and
lead time, and the probability that customer time exceeds the target.

The report runs the simulation with seed 1 and `runs_for(bp)` runs: 10,000, fewer for a
big blueprint (down to 100, the count is printed with the figures) so that it costs a
bounded 600,000 action-runs, about 0.3 s, and the report's time stays linear in the
blueprint's size (a run costs about 0.5 µs per action). `bpc simulate` runs as many
as asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.simulate import simulate
from ..analysis.simulate_result import Simulation
from ..analysis.simulate_stats import Summary
from ..model.blueprint import Blueprint
from ..model.values import format_seconds
from .histogram import HistogramText, histogram_svg
from .values import DASH
from .words import words_for

RUNS = 10_000
MIN_RUNS = 100
SEED = 1
BUDGET = 600_000  # action-runs: about 0.3 s


def runs_for(bp: Blueprint) -> int:
    """10,000 runs, or fewer for a big blueprint: in thousands down to 1,000, then in
    hundreds down to 100, within the budget of action-runs."""
    size = max(len(bp.actions), 1)
    runs = BUDGET // size
    step = 1000 if runs >= 1000 else 100
    return max(MIN_RUNS, min(RUNS, runs // step * step))


@dataclass(frozen=True)
class SimRow:
    """One line of the figures beside the histogram: a name and its two values."""

    key: str  # "mean", "p50", ... (data-sim)
    label: str
    customer: str
    lead: str


@dataclass(frozen=True)
class SimulationView:
    intro: str
    observed_note: str
    rows: tuple[SimRow, ...]
    over_label: str
    over: str  # P(customer time > target), or the words for "no target"
    over_json: str
    svg: Markup | None  # None in an internal blueprint (no customer time to draw)
    no_svg_note: str
    runs: int
    seed: int


def _fig(seconds: float) -> str:
    """A simulated figure to the tenth of its unit (5m, 9.1m, 1.5h): no false precision."""
    step = next((size / 10 for size in (86400, 3600, 60) if seconds >= size), 1)
    return format_seconds(round(seconds / step) * step)


def _summary_row(key: str, label: str, c: Summary, lead: Summary, internal: bool) -> SimRow:
    cv, lv = getattr(c, key), getattr(lead, key)
    return SimRow(key, label, DASH if internal else _fig(cv), _fig(lv))


def simulation_view(
    bp: Blueprint,
    *,
    observed_durations: Mapping[str, Sequence[float]] | None = None,
    observed_waits: Mapping[str, Sequence[float]] | None = None,
) -> SimulationView:
    """Simulate `bp` and lay out what the report shows of it."""
    runs = runs_for(bp)
    sim = simulate(
        bp, runs, SEED, observed_durations=observed_durations, observed_waits=observed_waits
    )
    return view_of(sim, bp.internal, observed=bool(observed_durations or observed_waits))


def view_of(sim: Simulation, internal: bool, observed: bool = False) -> SimulationView:
    """The section for a finished simulation (also for a `Simulation` made elsewhere)."""
    w = words_for(sim.locale)
    c, lead = sim.customer_time, sim.lead_time
    rows = tuple(
        _summary_row(key, w["sim_" + key], c, lead, internal)
        for key in ("mean", "p50", "p90", "p95", "max")
    )
    if sim.p_over_target is None or internal:
        over, over_json = w["sim_no_target"] if not internal else DASH, "null"
    else:
        over, over_json = f"{sim.p_over_target * 100:.1f}%", f"{round(sim.p_over_target, 4)}"
    runs_text = f"{sim.runs:,}"
    svg = None
    if not internal:
        target = sim.target_seconds
        desc = w["hist_desc"].format(
            mean=_fig(c.mean), p50=_fig(c.p50), p90=_fig(c.p90), p95=_fig(c.p95), max=_fig(c.max)
        )
        if target is not None:
            desc += " " + w["hist_desc_target"].format(target=format_seconds(target), over=over)
        text = HistogramText(
            title=w["hist_title"].format(runs=runs_text),
            desc=desc,
            axis_x=w["hist_axis_x"],
            axis_y=w["hist_axis_y"],
            target=f"{w['fig_target']} {format_seconds(target)}" if target is not None else "",
            bar=w["hist_bar"],
        )
        svg = histogram_svg(sim.histogram_width, sim.histogram, target, text)
    return SimulationView(
        intro=w["sim_intro"].format(runs=runs_text, seed=sim.seed),
        observed_note=w["sim_observed"] if observed else "",
        rows=rows,
        over_label=w["sim_over"],
        over=over,
        over_json=over_json,
        svg=svg,
        no_svg_note=w["sim_internal"] if internal else "",
        runs=sim.runs,
        seed=sim.seed,
    )
