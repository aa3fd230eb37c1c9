"""What `bpc check` of a clean file loads: start-up is most of a check's time (issue 15).

Each module named here was on the check path once and was made lazy; the test keeps it
off. `bench/bench_check.py` measures the time itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT

CODE = """
import sys
from blueprint_dsl.cli.app import main
try:
    main(["check", sys.argv[1]])
except SystemExit:
    pass
print("modules:", " ".join(sorted(sys.modules)))
"""

# The console script (and `python -m blueprint_dsl`) on a plain `bpc check FILE`.
ENTRY = CODE.replace(
    "from blueprint_dsl.cli.app import main", "from blueprint_dsl.cli.entry import run"
)
ENTRY = ENTRY.replace(
    'main(["check", sys.argv[1]])', 'sys.argv[1:] = ["check", sys.argv[1]]; run()'
)

# Modules a check of a clean file has no use for, with what each is for.
NOT_ON_THE_CHECK_PATH = {
    "lark": "the parser generator: only for a file with a syntax error",
    "tomllib": "settings: only when a settings file can hold bpc's settings",
    "difflib": "typo suggestions: only for a word that may be a misspelt keyword",
    "importlib.resources": "the rules' bundled examples, for `bpc rule`",
    "hashlib": "render caches",
    "json": "output formats other than text",
    "blueprint_dsl.render": "drawing",
    "blueprint_dsl.report": "the HTML report",
    "blueprint_dsl.analysis.simulate": "simulation",
}


def loaded_modules(tmp_path: Path, code: str) -> set[str]:
    project = tmp_path / "shop"
    project.mkdir()
    shutil.copy(ROOT / "samples" / "restaurant.bp", project / "restaurant.bp")
    (project / "pyproject.toml").write_text('[project]\nname = "shop"\n', encoding="utf-8")
    env = {"BPC_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    env["PYTHONPATH"] = str(ROOT)
    for _ in range(2):  # the first run builds the parser's tables (with Lark), once
        done = subprocess.run(
            [sys.executable, "-c", code, "restaurant.bp"],
            env=env,
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        )
    assert "0 errors" in done.stdout, done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("modules: ")
    modules = set(last.removeprefix("modules: ").split())
    assert "blueprint_dsl.compiler" in modules  # the list is the check's own
    return modules


def test_a_check_of_a_clean_file_loads_only_what_it_uses(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, CODE)
    loaded = {name: why for name, why in NOT_ON_THE_CHECK_PATH.items() if name in modules}
    assert loaded == {}


def test_a_plain_check_from_the_console_script_does_not_load_click(tmp_path: Path) -> None:
    """`bpc check FILE` with no option is read without click (cli/entry.py)."""
    modules = loaded_modules(tmp_path, ENTRY)
    avoided = {
        **NOT_ON_THE_CHECK_PATH,
        "click": "reading options: there are none",
        # Both about 9 ms (with ast, dis and tokenize); click imports inspect itself.
        "dataclasses": "no class of the check path is a dataclass (core/records.py)",
        "inspect": "rule explanations are cleaned by checks/rules/base.cleandoc",
    }
    loaded = {name: why for name, why in avoided.items() if name in modules}
    assert loaded == {}
