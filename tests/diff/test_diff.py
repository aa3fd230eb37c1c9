"""`bpc diff`: two real versions of the restaurant sample, formatting-only changes, each kind
of change on small blueprints, git:REV:path, exit codes and the three output formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.api import compile_text
from blueprint_dsl.cli.diff import diff_command
from blueprint_dsl.diff.compare import BlueprintDiff, diff_blueprints
from blueprint_dsl.diff.output import format_markdown, md_text

from ..conftest import ROOT, assert_golden

V1 = "samples/restaurant.bp"
V2 = "tests/data/restaurant.v2.bp"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(diff_command, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def diff_text(old: str, new: str) -> BlueprintDiff:
    a, b = compile_text(old, "old.bp"), compile_text(new, "new.bp")
    assert a.blueprint is not None and not a.has_errors, a.diagnostics
    assert b.blueprint is not None and not b.has_errors, b.diagnostics
    return diff_blueprints(a.blueprint, b.blueprint)


def lines(diff: BlueprintDiff) -> list[str]:
    """One line per change: 'kind what ref label field old new'."""
    return [
        " ".join(
            str(part)
            for part in (c.kind, c.what, c.ref, c.label, c.field, c.old, c.new)
            if part is not None
        )
        for c in diff.changes
    ]


BASE = """blueprint "Shop" {
  id "S-1"
  version "A/0"
  target 30m
}
lane clerk "Clerk" in onstage
lane stock "Stock room" in backstage
phase "Visit" {
  step browse "Browse" {
    evidence "Shelves"
    customer look "Look around" -> help
    clerk help "Offer help" -> fetch { duration 2m; standard 5m }
    stock fetch "Fetch from stock" --> inv
    support inv "Inventory"
  }
  step "Pay" {
    evidence "Till"
    customer pay "Pay" -> till { duration 1m }
    clerk till "Take payment" { fail "Card declined" recover "Offer cash" }
  }
}
fetch -> help
"""


# ---------------------------------------------------------------- the real sample


def test_restaurant_v2_markdown_golden(in_root: Path) -> None:
    code, out, err = run(V1, V2, "--format", "md")
    assert code == 1, err
    assert_golden("diff/restaurant.v2.md", out)


def test_restaurant_v2_text(in_root: Path) -> None:
    code, out, _ = run(V1, V2)
    assert code == 1
    assert out.startswith(f"Restaurant dinner: {V1} → {V2}: 17 changes\n")
    assert "  Service encounters  5 → 6\n" in out
    assert "  Customer time       0–10m → 5–20m\n" in out
    assert "  changed  header: version A/0 → A/1\n" in out
    assert "  added    step “Dessert” (step 5, in phase “At the restaurant”" in out
    assert "  moved    action confirm “Confirm booking by SMS”: lane Onstage actions → Host" in out
    assert "  changed  action greet “Greet and seat”: wait 0m..10m → 0m..15m" in out
    assert "  removed  flow send_order --> pos (an internal encounter)" in out
    assert "  added    fail point “Allergy not noted” on take_order “Take order”" in out
    assert "  added    evidence “Wine list” (in step “Order”)" in out


def test_restaurant_v2_json(in_root: Path, tmp_path: Path) -> None:
    target = tmp_path / "diff.json"
    code, out, _ = run(V1, V2, "--format", "json", "-o", str(target))
    assert code == 1 and out == ""
    data = json.loads(target.read_text("utf-8"))
    assert data["changed"] is True
    assert data["old"] == {"path": V1, "title": "Restaurant dinner"}
    figures = {f["name"]: f for f in data["figures"]}
    assert figures["encounters"] == {
        "name": "encounters",
        "title": "Service encounters",
        "old": "5",
        "new": "6",
        "changed": True,
    }
    assert data["analysis"]["old"]["encounters"] == 5
    assert data["analysis"]["new"]["encounters"] == 6
    assert len(data["changes"]) == 17
    assert {c["section"] for c in data["changes"]} >= {"steps", "actions", "times", "flows"}


def test_reverse_diff_mirrors(in_root: Path) -> None:
    code, out, _ = run(V2, V1)
    assert code == 1
    assert "  removed  step “Dessert”" in out
    assert "  Customer time       5–20m → 0–10m" in out


# ----------------------------------------------------------- no semantic change


def reformat(text: str) -> str:
    """The restaurant with other layout, comments and units: the same blueprint."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"#.*", "", line).rstrip()
        if not line:
            continue
        out.append("\t" + line.strip() + "   # reformatted")
    joined = "\n\n".join(out) + "\n"
    return (
        joined.replace("standard 10m", "standard 600s")
        .replace("duration 1m", "duration 60s")
        .replace("target   120m", "target 2h")
        .replace("target 120m", "target 2h")
        .replace("{ duration 15m..25m; standard 25m }", "{\n duration 15m..25m\n standard 25m\n}")
    )


def test_formatting_only_changes_exit_0(in_root: Path, tmp_path: Path) -> None:
    text = (ROOT / V1).read_text("utf-8")
    other = tmp_path / "restaurant.bp"
    other.write_text(reformat(text), encoding="utf-8")
    assert other.read_text("utf-8") != text
    code, out, err = run(V1, str(other))
    assert code == 0, out + err
    assert out.endswith("No semantic differences (layout and comments are not compared).\n")
    code, out, _ = run(V1, str(other), "--format", "md")
    assert code == 0 and "no semantic differences" in out
    code, out, _ = run(V1, str(other), "--format", "json")
    assert code == 0 and json.loads(out)["changes"] == []


def test_same_file_exit_0(in_root: Path) -> None:
    assert run(V1, V1)[0] == 0


# ------------------------------------------------------------ each kind of change


def test_step_moved_and_renamed() -> None:
    swapped = BASE.replace('step browse "Browse"', 'step browse "Look"')
    diff = diff_text(BASE, swapped)
    assert lines(diff) == ["renamed step browse label Browse Look"]
    # swap the two steps: "Pay" is moved (the step with an id keeps its place)
    head, rest = BASE.split('  step browse "Browse" {', 1)
    browse, pay = rest.split('  step "Pay" {', 1)
    pay_body, tail = pay.split("  }\n}\nfetch", 1)
    moved = head + '  step "Pay" {' + pay_body + "  }\n" + '  step browse "Browse" {' + browse
    moved = moved.rstrip().removesuffix("}").rstrip() + "\n  }\n}\nfetch" + tail
    diff = diff_text(BASE, moved)
    assert any(line.startswith("moved step") and "position" in line for line in lines(diff))


def test_action_moved_between_lanes_and_steps() -> None:
    new = BASE.replace("clerk help", "onstage help")
    diff = diff_text(BASE, new)
    assert lines(diff) == ["moved action help Offer help lane Clerk Onstage actions"]
    # the till moves to the first step
    new = BASE.replace(
        '    clerk till "Take payment" { fail "Card declined" recover "Offer cash" }\n', ""
    ).replace(
        '    support inv "Inventory"\n',
        '    support inv "Inventory"\n'
        '    clerk till "Take payment" { fail "Card declined" recover "Offer cash" }\n',
    )
    diff = diff_text(BASE, new)
    assert "moved action till Take payment step “Pay” “Browse”" in lines(diff)


def test_attribute_changes() -> None:
    new = (
        BASE.replace("{ duration 2m; standard 5m }", "{ duration 2m..4m; standard 5m; wait 1m }")
        .replace('recover "Offer cash"', 'recover "Offer another card"')
        .replace(
            'customer pay "Pay" -> till { duration 1m }',
            'customer pay "Pay" -> till { duration 1m; emotion -1 }',
        )
        .replace('support inv "Inventory"', 'support inv "Inventory" { metric "Accuracy" 97% }')
        .replace('version "A/0"', 'version "A/1"')
        .replace("target 30m", "target 20m")
    )
    diff = diff_text(BASE, new)
    assert lines(diff) == [
        "changed header version A/0 A/1",
        "changed header target 30m 20m",
        "added metric Accuracy",
        "changed action pay Pay emotion none -1",
        "changed action help Offer help duration 2m 2m..4m",
        "changed action help Offer help wait none 1m",
        "changed fail point Card declined recovery Offer cash Offer another card",
    ]
    figures = {f.name: (f.old, f.new) for f in diff.figures if f.changed}
    assert figures == {
        "wait_points": ("0", "1"),
        "customer_time": ("1m", "2m"),
        "target_seconds": ("30m", "20m"),
    }


def test_fail_points_and_recoveries_added_and_removed() -> None:
    new = BASE.replace(
        '{ fail "Card declined" recover "Offer cash" }',
        '{ fail "Card declined"; fail "Till offline" recover "Use the handheld" }',
    )
    diff = diff_text(BASE, new)
    assert sorted(lines(diff)) == [
        "added fail point Till offline",
        "removed recovery Offer cash",
    ]
    text = format_markdown(diff)
    expected = "- **removed** recovery “Offer cash” on `till` “Take payment”"
    assert f"{expected} (for fail point “Card declined”)" in text
    figures = {f.name: (f.old, f.new) for f in diff.figures if f.changed}
    assert figures == {"fail_points": ("1", "2"), "fail_points_without_recovery": ("0", "1")}


def test_flows_added_removed_relabelled_and_rekinded() -> None:
    new = BASE.replace("fetch -> help\n", 'fetch <-> help\nlook -> pay : "ready"\n').replace(
        'stock fetch "Fetch from stock" --> inv', 'stock fetch "Fetch from stock"'
    )
    diff = diff_text(BASE, new)
    assert sorted(lines(diff)) == sorted(
        [
            "changed flow fetch <-> help arrow -> <->",
            "removed flow fetch --> inv",
            "added flow look -> pay : “ready”",
        ]
    )


def test_lanes_and_evidence() -> None:
    new = (
        BASE.replace('lane stock "Stock room"', 'lane stock "Warehouse"')
        .replace('evidence "Till"', 'evidence "Till", "Receipt"')
        .replace(
            'lane clerk "Clerk" in onstage',
            'lane clerk "Clerk" in onstage\nlane mgr "Manager" in onstage',
        )
    )
    diff = diff_text(BASE, new)
    assert sorted(lines(diff)) == sorted(
        [
            "renamed lane stock label Stock room Warehouse",
            "added lane mgr Manager",
            "added evidence Receipt",
        ]
    )


def test_actions_without_ids_match_by_step_lane_and_label() -> None:
    old = BASE.replace('clerk till "Take payment"', 'clerk "Take payment"')
    new = old.replace('customer pay "Pay" -> till', 'customer pay "Pay"').replace(
        '{ fail "Card declined" recover "Offer cash" }', '{ fail "Card declined" recover "Cash" }'
    )
    diff = diff_text(old.replace("-> till", ""), new)
    assert lines(diff) == ["changed fail point Card declined recovery Offer cash Cash"]


def test_phase_renamed_and_added() -> None:
    new = BASE.replace('phase "Visit"', 'phase "In the shop"')
    diff = diff_text(BASE, new)
    assert lines(diff) == ["renamed phase label Visit In the shop"]


def test_markdown_escapes_labels() -> None:
    assert md_text("a *b* <i>|x|</i> @team #1") == r"a \*b\* \<i\>\|x\|\</i\> \@team \#1"
    new = BASE.replace('"Offer help"', '"Offer <b>help</b> | *now*"')
    text = format_markdown(diff_text(BASE, new))
    assert "“Offer \\<b\\>help\\</b\\> \\| \\*now\\*”" in text
    assert "<b>" not in text


# ------------------------------------------------------------------ git and errors


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "plans").mkdir()
    shutil.copy(ROOT / V1, tmp_path / "plans" / "restaurant.bp")
    git("add", ".")
    git("commit", "-qm", "v1")
    shutil.copy(ROOT / V2, tmp_path / "plans" / "restaurant.bp")
    return tmp_path


def test_git_rev_path(repo: Path) -> None:
    code, out, err = run("git:HEAD:plans/restaurant.bp", "plans/restaurant.bp", "--format", "md")
    assert code == 1, err
    assert out.startswith("### Blueprint changes: Restaurant dinner\n")
    assert "`git:HEAD:plans/restaurant.bp` → `plans/restaurant.bp`: **17 changes**." in out
    assert run("git:HEAD:plans/restaurant.bp", "git:HEAD:./plans/restaurant.bp")[0] == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("git:NOPE:plans/restaurant.bp", "git:NOPE:plans/restaurant.bp: "),
        ("git:HEAD:missing.bp", "does not exist in 'HEAD'"),
        ("git:HEAD", "write git:REV:PATH"),
        ("git:-p:plans/restaurant.bp", "cannot start with '-'"),
        ("missing.bp", "missing.bp: cannot read"),
        ("plans", "not folders"),
    ],
)
def test_usage_errors_exit_2(repo: Path, spec: str, message: str) -> None:
    code, out, err = run(spec, "plans/restaurant.bp")
    assert code == 2
    assert out == ""
    assert err.startswith("bpc: error: ") and message in err
    assert "Traceback" not in err


def test_version_with_errors_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.bp").write_text(BASE.replace("-> help", "-> hlp"), encoding="utf-8")
    (tmp_path / "good.bp").write_text(BASE, encoding="utf-8")
    code, out, err = run("good.bp", "bad.bp")
    assert code == 2 and out == ""
    assert "error[BP201]" in err and "bad.bp has errors; cannot compare" in err


def test_bad_format_is_a_usage_error(in_root: Path) -> None:
    result = CliRunner().invoke(diff_command, [V1, V2, "--format", "pdf"])
    assert result.exit_code == 2


def test_the_diff_reports_the_0_2_constructs(tmp_path: Path) -> None:
    from blueprint_dsl.api import compile_text
    from blueprint_dsl.diff.compare import diff_blueprints

    old = (
        'blueprint "T" {\n}\nlane clerk "Clerk" in onstage\n'
        'step "S" {\n  evidence "E"\n  customer c "Ask" -> d\n  clerk d "Decide" {\n    decision\n'
        '  }\n  clerk t "Remind" {\n    trigger "late"\n'
        '    metric "Complaints" 2% target <= 5%\n  }\n}\n'
        'step "T" {\n  evidence "F"\n  parallel {\n    customer a "A"\n    customer b "B"\n  }\n}\n'
        'd -> a : "yes" 90%\nd -> b : "no" 10%\nt <-> c\n'
    )
    new = (
        old.replace("90%", "70%")
        .replace("10%", "30%")
        .replace('trigger "late"', "trigger")
        .replace("target <= 5%", "target >= 5%")
        .replace(
            'parallel {\n    customer a "A"\n    customer b "B"\n  }',
            'customer a "A"\n  customer b "B"',
        )
    )
    before, after = compile_text(old, "old.bp"), compile_text(new, "new.bp")
    assert before.blueprint is not None and after.blueprint is not None
    lines = {
        (c.kind, c.field, c.old, c.new)
        for c in diff_blueprints(before.blueprint, after.blueprint).changes
    }
    assert ("changed", "share", "90%", "70%") in lines
    assert ("changed", "share", "10%", "30%") in lines
    assert ("changed", "trigger", "yes (“late”)", "yes") in lines
    assert ("changed", "value", "2% (target <= 5%)", "2% (target 5%)") in lines
    assert ("changed", "parallel", "with b", "no") in lines
