"""The pre-commit hooks, run for real through `pre-commit try-repo`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT

UNFORMATTED = 'blueprint "Shop" { id "S-1" }\n'
BROKEN = 'blueprint "Shop" {\n  id "S-1"\n}\nstep "Buy" {\n  customer buy "Buy" -> tll\n}\n'


def _pre_commit(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    home = repo.parent / "pre-commit-home"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    executable = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    return subprocess.run(
        [executable, "try-repo", str(ROOT), hook, "--files", *files, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hooks_check_and_fmt(tmp_path: Path) -> None:
    repo = tmp_path / "blueprints"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "broken.bp").write_text(BROKEN, encoding="utf-8")
    (repo / "messy.bp").write_text(UNFORMATTED, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)

    check = _pre_commit(repo, "bpc-check", "broken.bp")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "error[BP201]: flow refers to an undefined id `tll`" in check.stdout

    fmt = _pre_commit(repo, "bpc-fmt", "messy.bp")
    assert fmt.returncode == 1, fmt.stdout + fmt.stderr
    assert "would reformat messy.bp" in fmt.stdout

    clean = _pre_commit(repo, "bpc-check", "messy.bp")
    assert clean.returncode == 0, clean.stdout + clean.stderr
