"""Benchmark `bpc simulate` and the `--observed` reader.

Run from anywhere:  python bench/bench_simulate.py  [--quick]

It prints the time of 10,000 simulated runs of the 50-step generated blueprint of
`bench_check.generate(50)` (best of 3, in-process through `simulate`), and of 10,000 runs
of each sample, the same with 100,000 runs to show time linear and memory flat in the
number of runs (peak traced memory with `tracemalloc`, measured in separate passes so
tracing does not slow the timings), and the time to read a 100,000-row observed-data CSV
(`read_observed`, best of 3). Each target is printed with its measured ratio.

Targets (section 8.8, 8.9): 10,000 runs of a 50-step blueprint well under 1 s; memory
flat in the number of runs; a 100,000-row CSV read in under 2 s.

This is a benchmark, not a timed test: it never fails a build.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_check import generate  # noqa: E402

from blueprint_dsl.analysis.observed import read_observed  # noqa: E402
from blueprint_dsl.analysis.simulate import simulate  # noqa: E402
from blueprint_dsl.api import compile_file, compile_text  # noqa: E402
from blueprint_dsl.model.blueprint import Blueprint  # noqa: E402

TARGET_SIMULATE_SECONDS = 1.0
TARGET_CSV_SECONDS = 2.0


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_memory(work: Callable[[], object]) -> float:
    """Peak traced memory of `work`, in MB."""
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def csv_rows(bp: Blueprint, rows: int) -> bytes:
    ids = [a.id for a in bp.actions if a.id is not None]
    lines = ["action,duration,wait"]
    lines += [f"{ids[n % len(ids)]},{60 + n % 240},{n % 7}m" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def ten_thousand_runs(repeat: int = 3) -> float:
    """Seconds (best of `repeat`) of `simulate` with 10,000 runs of the 50-step blueprint."""
    result = compile_text(generate(50), "generated-50.bp")
    assert result.blueprint is not None and not result.has_errors
    bp = result.blueprint
    return best_of(repeat, lambda: simulate(bp, 10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition of each")
    repeat = 1 if parser.parse_args().quick else 3

    result = compile_text(generate(50), "generated-50.bp")
    assert result.blueprint is not None and not result.has_errors
    bp = result.blueprint
    print(f"generated blueprint: 50 steps, {len(bp.actions)} actions, {len(bp.flows)} flows")

    ten = best_of(repeat, lambda: simulate(bp, 10_000))
    ratio = ten / TARGET_SIMULATE_SECONDS
    print(f"  10,000 runs:  {ten:.3f} s  (target < {TARGET_SIMULATE_SECONDS:.0f} s: {ratio:.2f}x)")
    hundred = best_of(1, lambda: simulate(bp, 100_000))
    print(f"  100,000 runs: {hundred:.3f} s  ({hundred / ten:.1f}x the time of 10,000)")
    small, large = (
        peak_memory(lambda: simulate(bp, 10_000)),
        peak_memory(lambda: simulate(bp, 100_000)),
    )
    print(f"  peak memory: {small:.1f} MB for 10,000 runs, {large:.1f} MB for 100,000 (flat)")

    print("samples, 10,000 runs each:")
    for sample in sorted((ROOT / "samples").glob("*.bp")):
        compiled = compile_file(sample).blueprint
        if compiled is None:
            continue
        taken = best_of(repeat, lambda compiled=compiled: simulate(compiled, 10_000))
        print(f"  {sample.name:<28} {taken:.3f} s")

    data = csv_rows(bp, 100_000)
    read = best_of(repeat, lambda: read_observed(data, "observed.csv", bp))
    found = read_observed(data, "observed.csv", bp)
    assert not found.problems and found.rows == 100_000
    csv_ratio = read / TARGET_CSV_SECONDS
    print(
        f"observed CSV, 100,000 rows ({len(data) / 1e6:.1f} MB): {read:.3f} s"
        f"  (target < {TARGET_CSV_SECONDS:.0f} s: {csv_ratio:.2f}x)"
    )


if __name__ == "__main__":
    main()
