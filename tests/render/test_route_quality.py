"""Every flow readable on its own: the samples, the starters and a few stress blueprints are
rendered to SVG (embedded engine) and measured with the project's `route-check` tool
(../shared/tools/route-check, run with this interpreter). The figures may only get better:
each bound below is what the layout reaches today."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

TOOL = ROOT.parent / "shared" / "tools" / "route-check"
STARTERS = sorted((ROOT / "blueprint_dsl" / "cli" / "starters").glob("*.bp"))
SAMPLES = sorted((ROOT / "samples").glob("*.bp"))
SVG = ("-f", "svg", "--engine", "embedded", "-q")
ZERO = ("phantom", "shared", "tight", "hug", "through", "labels", "ports")
# Crossings are for information; they may not grow past today's.
CROSSINGS = {
    "samples/bank-account": 3,
    "samples/hotel-room-service": 1,
    "samples/property-repair.zh": 1,
    "starters/repair": 1,
    "starters/repair.zh": 1,
    # 11 since the 0.2 reminder step: its SMS --> billing flow goes back to step 5's system.
    "samples/telecom-store.zh": 11,
    "samples/hotel-airline-call": 1,
    "stress/cell5": 32,
    "stress/decision3": 12,
}

# What is left above zero (a bound, never looser than what the layout reaches): nothing,
# since a crowded gutter beside a decision makes room for its branch labels.
LEFT: dict[str, dict[str, int]] = {}

HEAD = """blueprint "Stress" {
  id "BP-S"
  version "A/0"
  owner "Design"
  persona "A customer"
  target 30m
}
lane staff "Staff" in onstage
lane office "Office" in backstage
"""

# One cell of five actions in one lane, with 21 flows in and out of it.
CELL5 = (
    HEAD
    + """phase "P" {
  step s1 "One" {
    customer c1 "Start"
    staff a0 "Before"
  }
  step s2 "Two" {
    staff b0 "Cell action 0"
    staff b1 "Cell action 1"
    staff b2 "Cell action 2"
    staff b3 "Cell action 3"
    staff b4 "Cell action 4"
    customer c2 "Look"
  }
  step s3 "Three" {
    staff d0 "After"
    office o1 "File"
    customer c3 "End"
  }
}
b0 -> b1
b1 -> b2
b2 -> b3
b3 -> b4
b4 -> b0
b0 -> c1
b1 -> a0
b2 -> c2
b3 -> d0
b4 -> o1
c1 -> b2
a0 -> b3
c2 -> b4
d0 -> b0
o1 -> b1
c3 -> b2
b0 -> b3
b4 -> b1
b2 -> d0
"""
)

# A three-way decision, with rework loops back to earlier steps.
DECISION3 = (
    HEAD
    + """phase "P" {
  step s1 "One" {
    customer c1 "Ask" -> a1
    staff a1 "Take"
  }
  step s2 "Two" {
    customer c2 "Wait"
    staff dec "Decide" {
      decision
    }
  }
  step s3 "Three" {
    customer c3 "Hear"
    staff x1 "Path one"
    staff x2 "Path two"
    office x3 "Path three"
  }
  step s4 "Four" {
    customer c4 "Receive"
    staff y1 "Check again"
  }
  step s5 "Five" {
    customer c5 "Leave"
    staff z1 "Close"
    office z2 "Archive"
  }
}
a1 -> dec
dec -> x1 : "yes"
dec -> x2 : "maybe"
dec -> x3 : "no"
x1 -> c4
x2 -> y1
x3 -> z2
y1 -> a1 : "rework"
z1 -> dec : "again"
z2 -> a1 : "redo"
c4 -> z1
y1 -> z1
x2 -> a1
"""
)


# Long labels, mixed Chinese and English, long lane names, durations and standards.
MIXED = (
    HEAD.replace('"Staff"', '"前台接待 Front desk staff on the evening shift"')
    + """step s1 "到店 Arrive at the branch and take a number" {
  customer c1 "顾客到店取号 Walk in, take a ticket from the machine and wait" -> a1
  staff a1 "接待并核对预约 Greet, check the booking and the ID card" {
    duration 3m..8m
    standard 5m
    wait 0m..20m
    fail "系统卡顿 System freezes" recover "手工登记 Paper form, enter later"
  }
}
step s2 "办理 Handle the request end to end" {
  customer c2 "填写申请表 Fill in the application form 😀" -> a2
  staff a2 "审核材料 Review documents" {
    decision
  }
  office o2 "后台复核 Back-office double check of every document" {
    duration 10m
  }
}
step s3 "完成 Done" {
  customer c3 "签字确认 Sign and leave with the card"
  staff a3 "制卡 Print the card"
}
a2 -> o2 : "材料不全 incomplete documents need a second look"
a2 -> a3 : "齐全 complete"
o2 -> a1 : "退回 back to the desk"
a3 -> c3
"""
)


def _name(src: Path) -> str:
    """samples/NAME, starters/NAME or stress/NAME."""
    group = {"samples": "samples", "starters": "starters"}.get(src.parent.name, "stress")
    return f"{group}/{src.stem}"


def _stress(folder: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_check import generate
    finally:
        sys.path.pop(0)
    files = {
        "cell5": CELL5,
        "decision3": DECISION3,
        "gen50": generate(50),
        "gen200": generate(200),
        "mixed": MIXED,
    }
    out = []
    for name, text in files.items():
        path = folder / f"{name}.bp"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, int]]:
    if not TOOL.exists():
        if os.environ.get("CI") or os.environ.get("BPC_NO_SKIPS") == "1":
            pytest.fail(f"route-check is missing: {TOOL}")
        pytest.skip(f"route-check is not here: {TOOL}")
    work = tmp_path_factory.mktemp("route-quality")
    sources = [*SAMPLES, *STARTERS, *_stress(work)]
    out = work / "svg"
    for src in sources:
        dest = out / _name(src)
        subprocess.run(
            [sys.executable, "-m", "blueprint_dsl", "render", str(src), "-o", str(dest), *SVG],
            check=True,
        )
    # A wrapped drawing: rows of 10 steps, each with its lane names and lines.
    wrapped = work / "gen50w.bp"
    wrapped.write_text((work / "gen50.bp").read_text("utf-8"), encoding="utf-8")
    dest = out / "wrapped" / "gen50w"
    command = [sys.executable, "-m", "blueprint_dsl", "render", str(wrapped), "-o", str(dest)]
    subprocess.run([*command, "--wrap", "10", *SVG], check=True)
    svgs = sorted(out.glob("*/*/*.svg"))
    assert len(svgs) == len(sources) + 1
    done = subprocess.run(
        [sys.executable, str(TOOL), "--json", *map(str, svgs)],
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout)
    return {
        f"{Path(path).parent.parent.name}/{Path(path).stem}": r["figures"]
        for path, r in report.items()
    }


def test_every_drawing_was_measured(figures: dict[str, dict[str, int]]) -> None:
    names = {_name(p) for p in [*SAMPLES, *STARTERS]}
    stress = {f"stress/{n}" for n in ("cell5", "decision3", "gen50", "gen200", "mixed")}
    assert set(figures) == names | stress | {"wrapped/gen50w"}


@pytest.mark.parametrize("name", sorted(_name(p) for p in [*SAMPLES, *STARTERS]))
def test_flows_read_on_their_own(figures: dict[str, dict[str, int]], name: str) -> None:
    got = figures[name]
    assert {k: got[k] for k in ZERO} == dict.fromkeys(ZERO, 0)
    assert got["crossings"] <= CROSSINGS.get(name, 0)


STRESS = ["stress/cell5", "stress/decision3", "stress/gen50", "stress/gen200", "stress/mixed"]


@pytest.mark.parametrize("name", [*STRESS, "wrapped/gen50w"])
def test_stress_blueprints(figures: dict[str, dict[str, int]], name: str) -> None:
    got = figures[name]
    assert {k: got[k] for k in ZERO} == {k: LEFT.get(name, {}).get(k, 0) for k in ZERO}
    assert got["crossings"] <= CROSSINGS.get(name, 0)
