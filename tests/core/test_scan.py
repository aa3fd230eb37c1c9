"""The folder walk (`collect_paths`, `blueprint_dsl.core.scan`) and the `exclude` settings.

A folder scan skips hidden names, the well-known tool folders, what `.gitignore` files
ignore and the `exclude` patterns, and never leaves the folder through a symbolic link;
files named explicitly are read as given.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from blueprint_dsl.checks.config import Config, ConfigError, effective_exclude, parse_config
from blueprint_dsl.compiler import UsageError, collect_paths
from blueprint_dsl.core import scan
from blueprint_dsl.core.scan import DEFAULT_EXCLUDE, find_blueprints, is_scanned, rebase_patterns


def make(root: Path, names: Iterable[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('blueprint "B" {}\n', encoding="utf-8")


def found(root: Path, paths: Sequence[str | Path] | None = None, **options: object) -> list[str]:
    """collect_paths over `paths` (default: the root), as '/'-joined names below the root."""
    result = collect_paths(paths if paths is not None else [root], **options)  # type: ignore[arg-type]
    return [p.relative_to(root).as_posix() if p.is_absolute() else p.as_posix() for p in result]


# ------------------------------------------------------------------ hidden and tool folders


TOOL_FILES = [
    ".git/hooks/x.bp",
    ".hg/x.bp",
    ".svn/x.bp",
    ".venv/lib/x.bp",
    ".tox/py311/x.bp",
    ".nox/x.bp",
    ".mypy_cache/x.bp",
    ".ruff_cache/x.bp",
    ".pytest_cache/x.bp",
    "venv/lib/x.bp",
    "node_modules/pkg/x.bp",
    "__pycache__/x.bp",
    "build/x.bp",
    "dist/x.bp",
    "lib/site-packages/pkg/x.bp",
    "sub/node_modules/x.bp",
    "sub/.cache/x.bp",
    ".hidden.bp",
    "sub/.draft.bp",
]


def test_walk_skips_hidden_names_and_tool_folders(tmp_path: Path) -> None:
    make(tmp_path, [*TOOL_FILES, "a.bp", "sub/b.bp", "out/c.bp", "builder/d.bp"])
    assert found(tmp_path) == ["a.bp", "builder/d.bp", "out/c.bp", "sub/b.bp"]


def test_walk_of_dot_gives_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, [*TOOL_FILES, "a.bp", "sub/b.bp"])
    monkeypatch.chdir(tmp_path)
    assert collect_paths(["."]) == [Path("a.bp"), Path("sub/b.bp")]


def test_folder_given_is_walked_whatever_its_name(tmp_path: Path) -> None:
    make(tmp_path, ["build/x.bp", "build/dist/y.bp", "build/.git/z.bp", ".config/bp/w.bp"])
    assert found(tmp_path, [tmp_path / "build"]) == ["build/x.bp"]
    assert found(tmp_path, [tmp_path / ".config"]) == [".config/bp/w.bp"]


def test_files_named_explicitly_are_read_as_given(tmp_path: Path) -> None:
    make(tmp_path, ["node_modules/x.bp", ".git/y.bp", "ignored.bp"])
    (tmp_path / ".gitignore").write_text("ignored.bp\n", encoding="utf-8")
    names = [tmp_path / "node_modules/x.bp", tmp_path / ".git/y.bp", tmp_path / "ignored.bp"]
    assert collect_paths(names, exclude=["*.bp"]) == names


def test_walk_is_sorted_depth_first(tmp_path: Path) -> None:
    make(tmp_path, ["b.bp", "a/z.bp", "a.bp", "a-b/x.bp", "A.bp", "a/b/c.bp", "中.bp"])
    names = found(tmp_path)
    assert names == ["A.bp", "a/b/c.bp", "a/z.bp", "a-b/x.bp", "a.bp", "b.bp", "中.bp"]
    # the order of the old `sorted(rglob("*.bp"))`
    assert names == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*.bp"))]


def test_only_bp_files_are_found(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp", "a.bpx", "a.bp.bak", "folder.bp/x.txt", "folder.bp/y.bp"])
    assert found(tmp_path) == ["a.bp", "folder.bp/y.bp"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        collect_paths([tmp_path / "nope"])


# ------------------------------------------------------------------------- .gitignore


def test_gitignore_at_the_root_and_nested(tmp_path: Path) -> None:
    make(
        tmp_path,
        [
            "a.bp",
            "drafts/d.bp",
            "x.tmp.bp",
            "sub/local.bp",
            "sub/keep.tmp.bp",
            "sub/ok.bp",
            "sub/deeper/local.bp",
            "other/local.bp",
        ],
    )
    (tmp_path / ".gitignore").write_text("# drafts\ndrafts/\n*.tmp.bp\n", encoding="utf-8")
    (tmp_path / "sub" / ".gitignore").write_text("local.bp\n!keep.tmp.bp\n", encoding="utf-8")
    assert found(tmp_path) == ["a.bp", "other/local.bp", "sub/keep.tmp.bp", "sub/ok.bp"]


def test_gitignore_anchored_and_folder_only_patterns(tmp_path: Path) -> None:
    make(tmp_path, ["top.bp", "sub/top.bp", "lib/x.bp", "sub/lib/y.bp", "gen/a.bp", "sub/gen/b.bp"])
    (tmp_path / "lib.bp").mkdir()
    (tmp_path / ".gitignore").write_text("/top.bp\nlib/\n/gen\n", encoding="utf-8")
    assert found(tmp_path) == ["sub/gen/b.bp", "sub/top.bp"]


def test_gitignore_of_a_nested_folder_is_relative_to_it(tmp_path: Path) -> None:
    make(tmp_path, ["a/old/x.bp", "a/b/old/y.bp", "old/z.bp"])
    (tmp_path / "a" / ".gitignore").write_text("/old/\n", encoding="utf-8")
    assert found(tmp_path) == ["a/b/old/y.bp", "old/z.bp"]


def test_gitignore_above_the_folder_given_counts_inside_a_work_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    make(repo, ["samples/new.bp", "samples/old/x.bp", "samples/y.draft.bp"])
    (repo / ".gitignore").write_text("samples/old/\n*.draft.bp\n", encoding="utf-8")
    # not a git work tree: the .gitignore above the folder given is not read
    assert found(repo, [repo / "samples"]) == [
        "samples/new.bp",
        "samples/old/x.bp",
        "samples/y.draft.bp",
    ]
    (repo / ".git").mkdir()
    assert found(repo, [repo / "samples"]) == ["samples/new.bp"]
    # a folder that the .gitignore above ignores is still walked when it is named
    assert found(repo, [repo / "samples" / "old"]) == ["samples/old/x.bp"]


def test_gitignore_can_reinclude_below_a_broader_pattern(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp", "b.bp", "keep/c.bp"])
    (tmp_path / ".gitignore").write_text("*.bp\n!b.bp\n", encoding="utf-8")
    (tmp_path / "keep" / ".gitignore").write_text("!*.bp\n", encoding="utf-8")
    assert found(tmp_path) == ["b.bp", "keep/c.bp"]


def test_unreadable_gitignore_is_ignored(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp"])
    (tmp_path / ".gitignore").mkdir()  # a folder, not a file
    assert found(tmp_path) == ["a.bp"]


# -------------------------------------------------------------------- exclude patterns


def test_exclude_patterns_are_relative_to_the_folder_given(tmp_path: Path) -> None:
    make(
        tmp_path,
        [
            "p/a.bp",
            "p/drafts/b.bp",
            "p/sub/drafts/c.bp",
            "p/x.draft.bp",
            "p/archive/d.bp",
            "p/sub/archive/e.bp",
            "p/deep/1/gen/f.bp",
            "p/deep/gen/g.bp",
        ],
    )
    exclude = ["drafts", "*.draft.bp", "/archive/", "deep/**/gen"]
    assert found(tmp_path, [tmp_path / "p"], exclude=exclude) == ["p/a.bp", "p/sub/archive/e.bp"]


def test_exclude_adds_to_the_default_list(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp", "build/b.bp", "tmp/c.bp"])
    assert found(tmp_path, exclude=["tmp"]) == ["a.bp"]


def test_default_exclude_can_be_replaced(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp", "build/b.bp", "node_modules/c.bp", ".git/d.bp", "tmp/e.bp"])
    assert found(tmp_path, default_exclude=()) == [
        "a.bp",
        "build/b.bp",
        "node_modules/c.bp",
        "tmp/e.bp",
    ]
    assert found(tmp_path, default_exclude=["tmp"]) == ["a.bp", "build/b.bp", "node_modules/c.bp"]


def test_exclude_with_negation(tmp_path: Path) -> None:
    make(tmp_path, ["build/x.bp", "build/keep/y.bp", "a.bp"])
    # a negation re-includes a default folder, as in a .gitignore
    assert found(tmp_path, exclude=["!build"]) == ["a.bp", "build/keep/y.bp", "build/x.bp"]


def test_a_bad_exclude_pattern_is_a_usage_error(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp"])
    with pytest.raises(UsageError, match="exclude pattern"):
        collect_paths([tmp_path], exclude=["a\nb"])
    with pytest.raises(UsageError, match="exclude pattern"):
        collect_paths([tmp_path], exclude=[""])


# ---------------------------------------------------------------------- symbolic links


def symlink(link: Path, target: Path | str) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)


def test_symlinked_file_out_of_the_folder_is_skipped(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make(project, ["a.bp"])
    make(tmp_path, ["outside.bp"])
    symlink(project / "x.bp", "/etc/passwd")
    symlink(project / "y.bp", tmp_path / "outside.bp")
    symlink(project / "z.bp", "../outside.bp")
    symlink(project / "alias.bp", "a.bp")  # inside the folder: read under its own name
    symlink(project / "broken.bp", "nowhere.bp")
    assert found(project) == ["a.bp", "alias.bp"]


def test_symlinked_folder_out_of_the_folder_is_skipped(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make(project, ["a.bp"])
    make(tmp_path, ["elsewhere/x.bp"])
    symlink(project / "shared", tmp_path / "elsewhere")
    symlink(project / "etc", "/etc")
    assert found(project) == ["a.bp"]


def test_symlinked_folder_inside_is_walked_once(tmp_path: Path) -> None:
    make(tmp_path, ["sub/b.bp", "sub/deep/c.bp", ".drafts/d.bp"])
    symlink(tmp_path / "alias", "sub")  # sorts before sub: the real folder still wins
    symlink(tmp_path / "sub" / "loop", "..")  # back to the folder given
    symlink(tmp_path / "sub" / "deep" / "up", "../..")
    symlink(tmp_path / "drafts", ".drafts")  # a link is one way to name a hidden folder
    assert found(tmp_path) == ["drafts/d.bp", "sub/b.bp", "sub/deep/c.bp"]


def test_folder_given_through_a_symlink(tmp_path: Path) -> None:
    make(tmp_path, ["real/a.bp", "real/sub/b.bp"])
    symlink(tmp_path / "link", tmp_path / "real")
    symlink(tmp_path / "real" / "self.bp", tmp_path / "link" / "a.bp")  # inside, via the link
    assert found(tmp_path, [tmp_path / "link"]) == ["link/a.bp", "link/self.bp", "link/sub/b.bp"]


def test_explicit_symlink_out_of_the_project_is_read(tmp_path: Path) -> None:
    make(tmp_path, ["outside.bp"])
    symlink(tmp_path / "p" / "x.bp", tmp_path / "outside.bp")
    assert collect_paths([tmp_path / "p" / "x.bp"]) == [tmp_path / "p" / "x.bp"]


def test_walk_reads_each_folder_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A diamond of links, l0/a and l0/b -> l1, l1/a and l1/b -> l2, …, reached only
    # through a link: 2**11 walks without the record of the folders walked.
    store = tmp_path / ".store"
    for level in range(12):
        (store / f"l{level}").mkdir(parents=True)
        if level:
            symlink(store / f"l{level - 1}" / "a", f"../l{level}")
            symlink(store / f"l{level - 1}" / "b", f"../l{level}")
    make(store, ["l11/x.bp"])
    symlink(tmp_path / "entry", ".store/l0")
    calls: list[str] = []
    real_scandir = os.scandir

    def counting(path: str) -> object:
        calls.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(scan.os, "scandir", counting)
    names = found(tmp_path)
    assert len(names) == 1 and names[0].startswith("entry/") and names[0].endswith("/x.bp")
    assert len(calls) <= 13


# ----------------------------------------------------------------- is_scanned (watch)


def test_is_scanned_agrees_with_the_walk(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make(project, [*TOOL_FILES, "a.bp", "sub/b.bp", "drafts/c.bp", "x.tmp.bp", "p/q.bp"])
    make(tmp_path, ["outside/o.bp"])
    symlink(project / "out.bp", tmp_path / "outside" / "o.bp")
    symlink(project / "shared", tmp_path / "outside")
    (project / ".gitignore").write_text("drafts/\n*.tmp.bp\n", encoding="utf-8")
    walked = set(found(project, exclude=["/p"]))
    assert walked == {"a.bp", "sub/b.bp"}
    candidates = [*TOOL_FILES, "a.bp", "sub/b.bp", "drafts/c.bp", "x.tmp.bp", "p/q.bp"]
    candidates += ["out.bp", "shared/o.bp", "a.txt", "new/not-yet.bp"]
    for name in candidates:
        expected = name in walked or name == "new/not-yet.bp"
        assert is_scanned(project, project / name, exclude=["/p"]) == expected, name
    assert not is_scanned(project, tmp_path / "outside" / "o.bp")
    assert not is_scanned(project, project / "build" / "x.bp")
    assert is_scanned(project, project / "build" / "x.bp", default_exclude=())


# ---------------------------------------------------------------------- core.scan API


def test_find_blueprints_defaults() -> None:
    assert "node_modules" in DEFAULT_EXCLUDE and "out" not in DEFAULT_EXCLUDE
    assert all(not name.startswith(".") for name in DEFAULT_EXCLUDE)  # hidden: always skipped


def test_find_blueprints_directly(tmp_path: Path) -> None:
    make(tmp_path, ["a.bp", "build/b.bp"])
    assert find_blueprints(tmp_path) == [tmp_path / "a.bp"]
    assert find_blueprints(tmp_path, default_exclude=()) == [
        tmp_path / "a.bp",
        tmp_path / "build/b.bp",
    ]


@pytest.mark.parametrize(
    ("pattern", "folder", "expected"),
    [
        ("build", "samples", ["build"]),  # no slash: a name at any depth
        ("*.draft.bp", "a/b", ["*.draft.bp"]),
        ("old/", "samples", ["old/"]),
        ("samples/old", "samples", ["/old"]),
        ("/samples/old/", "samples", ["/old/"]),
        ("!samples/keep", "samples", ["!/keep"]),
        ("samples/old", "docs", []),  # anchored elsewhere
        ("samples", "samples", ["samples"]),  # a name: samples/samples is skipped
        ("/samples", "samples", []),  # the folder given itself: it is walked
        ("samples/**", "samples", []),
        ("samples/old", "samples/old/x", []),
        ("*/old", "samples", ["/old"]),
        ("s*/a/b", "samples/a", ["/b"]),
        ("**/gen", "samples", ["**/gen"]),
        ("a/**/gen", "a/b", ["**/gen"]),
        ("**/a/b", "x/a", ["/b", "**/a/b"]),
        ("old", "", ["old"]),
        ("/old", "", ["/old"]),
    ],
)
def test_rebase_patterns(pattern: str, folder: str, expected: list[str], tmp_path: Path) -> None:
    target = tmp_path / folder if folder else tmp_path
    assert rebase_patterns([pattern], tmp_path, target) == expected


def test_rebase_patterns_of_a_settings_file_below_the_folder(tmp_path: Path) -> None:
    assert rebase_patterns(["/old", "x/y", "name"], tmp_path / "sub", tmp_path) == [
        "/sub/old",
        "/sub/x/y",
        "name",
    ]


# --------------------------------------------------------------------------- settings


def test_settings_exclude_and_extend_exclude(tmp_path: Path) -> None:
    config = parse_config({"exclude": ["tmp"], "extend-exclude": ["*.draft.bp"]})
    assert config.exclude == ("tmp",)
    assert config.extend_exclude == ("*.draft.bp",)
    assert Config().exclude is None and Config().extend_exclude == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"exclude": "build"}, "`exclude` must be a list of strings"),
        ({"exclude": ["build", 3]}, "`exclude` must be a list of strings"),
        ({"extend-exclude": {"a": 1}}, "`extend-exclude` must be a list of strings"),
        ({"extend-exclude": [["a"]]}, "`extend-exclude` must be a list of strings"),
        ({"extend-exclude": [""]}, "`extend-exclude`: bad exclude pattern"),
        ({"exclude": ["a\nb"]}, "`exclude`: bad exclude pattern"),
    ],
)
def test_settings_exclude_must_be_lists_of_patterns(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(data, Path("bpc.toml"))


def test_settings_file_with_exclude(tmp_path: Path) -> None:
    (tmp_path / "bpc.toml").write_text(
        'exclude = ["tmp"]\nextend-exclude = ["samples/old", "*.draft.bp"]\n', encoding="utf-8"
    )
    from blueprint_dsl.checks.config import load_config

    config = load_config(tmp_path)
    assert effective_exclude(config, tmp_path) == ["tmp", "samples/old", "*.draft.bp"]
    assert effective_exclude(config, tmp_path / "samples") == ["tmp", "/old", "*.draft.bp"]
    make(tmp_path, ["samples/a.bp", "samples/old/b.bp", "samples/c.draft.bp", "build/d.bp"])
    make(tmp_path, ["tmp/e.bp"])
    excluded = effective_exclude(config, tmp_path / "samples")
    assert found(tmp_path, [tmp_path / "samples"], default_exclude=excluded) == ["samples/a.bp"]
    assert found(tmp_path, default_exclude=effective_exclude(config, tmp_path)) == [
        "build/d.bp",
        "samples/a.bp",
    ]


def test_effective_exclude_without_settings(tmp_path: Path) -> None:
    assert effective_exclude(Config(), tmp_path) == list(DEFAULT_EXCLUDE)
    extended = Config(extend_exclude=("tmp",), source=tmp_path / "pyproject.toml")
    assert effective_exclude(extended, tmp_path) == [*DEFAULT_EXCLUDE, "tmp"]
