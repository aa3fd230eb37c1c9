"""Streaming statistics for the simulation: memory does not grow with the number of runs.

`Histogram` keeps a fixed number of equal bins from 0 up; when a value falls beyond the
last bin the bins double in width (neighbours merge), so it adapts to any range. The mean
and the maximum are exact; a percentile is interpolated inside its bin (error at most one
bin, 1/4096 of the range) and clamped to the exact extremes, so a constant is exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

BINS = 4096


@dataclass(frozen=True)
class Summary:
    """One figure's distribution over the runs, in seconds."""

    mean: float
    p50: float
    p90: float
    p95: float
    max: float

    def to_json(self) -> dict[str, float]:
        return {
            "mean_seconds": round_seconds(self.mean),
            "p50_seconds": round_seconds(self.p50),
            "p90_seconds": round_seconds(self.p90),
            "p95_seconds": round_seconds(self.p95),
            "max_seconds": round_seconds(self.max),
        }


def round_seconds(value: float) -> float:
    """Seconds to the millisecond: enough, and stable across platforms' last digits."""
    rounded = round(value, 3)
    return int(rounded) if rounded.is_integer() else rounded


class Histogram:
    def __init__(self, bins: int = BINS) -> None:
        self.counts = [0] * bins
        self.width = 0.0  # set by the first values
        self.total = 0
        self.sum = 0.0
        self.low = math.inf
        self.high = -math.inf

    def add(self, values: Sequence[float]) -> None:
        if not values:
            return
        self.total += len(values)
        self.sum += math.fsum(values)
        self.low = min(self.low, min(values))
        top = max(values)
        self.high = max(self.high, top)
        bins = len(self.counts)
        if self.width == 0.0:
            self.width = top / bins * 1.25 if top > 0 else 1.0
        while top >= self.width * bins:
            self._coarsen()
        counts, width = self.counts, self.width
        last = bins - 1
        for value in values:
            index = int(value / width)
            counts[index if index < last else last] += 1

    def _coarsen(self) -> None:
        old = self.counts
        merged = [old[i] + old[i + 1] for i in range(0, len(old), 2)]
        self.counts = merged + [0] * (len(old) - len(merged))
        self.width *= 2

    @property
    def mean(self) -> float:
        return self.sum / self.total if self.total else 0.0

    def quantile(self, q: float) -> float:
        if not self.total:
            return 0.0
        wanted = q * self.total
        seen = 0
        for index, count in enumerate(self.counts):
            if count and seen + count >= wanted:
                inside = (wanted - seen) / count
                value = (index + inside) * self.width
                return min(max(value, self.low), self.high)
            seen += count
        return self.high

    def summary(self) -> Summary:
        if not self.total:
            return Summary(0.0, 0.0, 0.0, 0.0, 0.0)
        return Summary(
            self.mean, self.quantile(0.5), self.quantile(0.9), self.quantile(0.95), self.high
        )

    def coarse(self, bins: int = 40) -> tuple[float, list[int]]:
        """(bin width in seconds, counts) of `bins` equal bins from 0 to the maximum, for a
        chart."""
        if not self.total:
            return (0.0, [0] * bins)
        used = max(1, min(len(self.counts), int(self.high / self.width) + 1))
        per = math.ceil(used / bins)
        counts = [sum(self.counts[i : i + per]) for i in range(0, per * bins, per)]
        return (self.width * per, counts)
