"""`bpc` as a whole process, as a user runs it, in an environment of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT


def isolated_env(home: Path) -> dict[str, str]:
    """PATH, and a home and cache folder of the test's own; bpc from this checkout."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "BPC_CACHE_DIR": str(home / "cache"),
        "PYTHONPATH": str(ROOT),
    }


def bpc(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `python -m blueprint_dsl ARGS`."""
    done = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", *args], cwd=cwd, env=env, capture_output=True
    )
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode()
