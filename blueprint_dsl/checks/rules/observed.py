"""Rules on observed data (section 8.9): they judge a CSV of measurements against the
blueprint, so they run only with `--observed DATA.csv` (`bpc check`, `bpc simulate`); the
comparison itself is `analysis/observed_compare.py`, the reading `analysis/observed.py`.
The examples' CSV is shown in each explanation (`bpc explain` prints text)."""

from __future__ import annotations

from ...core.diagnostics import Severity
from .base import Rule

BP510 = Rule(
    "BP510",
    Severity.WARNING,
    "observed durations or waits exceed the action's standard",
    """
With `--observed DATA.csv`, bpc takes every observed duration and wait of an action
and compares the 90th percentile (interpolated between the two nearest ranks) with the
action's `standard`. When it is longer, the standard is not kept for more than one case
in ten: the warning is at the action and names the figure. Durations and waits are
judged separately; an action without a standard is not judged.

The example's DATA.csv (one observation a row; seconds as plain numbers also work):

    action,duration,wait
    greet,2m,4m
    greet,3m,12m
    greet,2m,15m
    greet,150,14m
    greet,2m,11m

Its waits' 90th percentile is 14.6m, over the 10m standard. The fixed blueprint sets a
standard the service can keep (or the service shortens the queue until the data agree).
""".strip(),
)

BP511 = Rule(
    "BP511",
    Severity.INFO,
    "observed metric values miss the metric's target",
    """
With `--observed DATA.csv`, rows with `metric` and `value` columns are measurements of
an action's metric (written like its value: `62%`, `4.5`). When their mean misses the
metric's target in its direction (`target V` and `target >= V`: higher is better;
`target <= V`: lower is better), bpc says so at the metric: the written value may be
out of date, or the service misses its goal in practice.

The example's DATA.csv (`;` separates too, as Excel writes in many locales):

    action;metric;value
    greet;Satisfaction;70%
    greet;Satisfaction;75%
    greet;Satisfaction;80%

Their mean, 75%, is below the target of 85%; in the fixed blueprint the target is 70%.
""".strip(),
)

BP512 = Rule(
    "BP512",
    Severity.ERROR,
    "observed-data row that cannot be used",
    """
A row of the `--observed` CSV that bpc cannot use is reported at its line and column in
the CSV and left out (the other rows are still used): an action id the blueprint does
not have (with the closest id as a hint), a metric the action does not have, a
duration or a value that cannot be read, a cell missing from a short row; and a header
row without an `action` column or without any of `duration`, `wait`, `metric` + `value`.

The example's DATA.csv, against the blueprint shown:

    action,duration
    greet,2m
    gret,3m
    greet,soon

Line 3 names `gret` (did you mean `greet`?) and line 4 has no readable duration. Fixed,
the file reads `greet,3m` and `greet,5m`; the blueprint itself is the same.
""".strip(),
)

# The CSV each example is checked with (a file in examples/): `bpc check EXAMPLE.bp
# --observed DATA.csv` reports the rule for the bad example and nothing for the good one.
EXAMPLE_DATA: dict[tuple[str, str], str] = {
    ("BP510", "bad"): "BP510.csv",
    ("BP510", "good"): "BP510.csv",
    ("BP511", "bad"): "BP511.csv",
    ("BP511", "good"): "BP511.csv",
    ("BP512", "bad"): "BP512.bad.csv",
    ("BP512", "good"): "BP512.good.csv",
}


def example_data(code: str, kind: str) -> str | None:
    """The name of the CSV the `kind` ("bad"/"good") example of `code` is checked with."""
    return EXAMPLE_DATA.get((code, kind))
