"""The parser's fast path (language/lalr.py) gives what Lark itself gives."""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from blueprint_dsl.language import lalr, parser

from .test_fast_lexer import TEXTS, contextual_lexer, mutated_samples

ROOT = Path(__file__).resolve().parents[2]


def with_lark(text: str) -> Any:
    with contextual_lexer():
        return parser._parse_with_lark(text, "t.bp")


def test_the_fast_path_takes_the_samples() -> None:
    tables = parser._tables()
    assert tables is not None
    for text in TEXTS:
        parser._BUILD.path = "t.bp"
        assert lalr.parse(text, tables, parser._BUILD) is not None


def test_samples_parse_as_lark_parses_them() -> None:
    for text in TEXTS:
        assert parser.parse(text, "t.bp") == with_lark(text)


def test_a_token_only_lark_finds_goes_to_lark() -> None:
    # In a phase, `stepx` is the keyword `step` then the name `x` to Lark's contextual
    # lexer (the phase takes no name there); the fast path leaves it to Lark.
    text = 'phase "P" {\n  stepx "S" {\n    customer a "A"\n  }\n}\n'
    tables = parser._tables()
    assert tables is not None
    assert lalr.parse(text, tables, parser._BUILD) is None
    document, problems = parser.parse(text, "t.bp")
    assert (document, problems) == with_lark(text)
    assert document is not None and document.items[0].steps[0].id.text == "x"  # type: ignore[union-attr]


def test_blanks_before_a_token_and_at_the_end_of_the_text() -> None:
    """Blanks are matched with the token after them; the columns stay the token's own, and
    blanks with no token after them (the end of a file without a newline) still parse."""
    tables = parser._tables()
    assert tables is not None
    texts = [
        'lane  \t host "Host"\t \tin onstage   ',
        'step "S" {\n\t \tcustomer a  "A" \f-> b   # note\n  onstage b "B"\n}  \t',
        '\ufeff  lane host "Host" in onstage\n   ',
        "   \n\t\n",
    ]
    for text in texts:
        parser._BUILD.path = "t.bp"
        assert lalr.parse(text, tables, parser._BUILD) is not None, text
        assert parser.parse(text, "t.bp") == with_lark(text), text


def test_empty_and_blank_files() -> None:
    for text in ("", "\n", "\n\n# only a comment\n", ";"):
        assert parser.parse(text, "t.bp") == with_lark(text)


def test_a_check_does_not_import_lark(tmp_path: Path) -> None:
    """A clean file is parsed without importing Lark (the start-up cost of `bpc check`)."""
    code = (
        "import sys; from blueprint_dsl.cli.app import main\n"
        "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print('lark' in sys.modules)\n"
    )
    sample = ROOT / "samples" / "restaurant.bp"
    env = {"BPC_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run(
        [sys.executable, "-c", code, str(sample)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    again = subprocess.run(
        [sys.executable, "-c", code, str(sample)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert first.stdout.strip().endswith("True"), first.stderr  # the tables are built once
    assert list(tmp_path.glob("parser-*.marshal"))
    assert again.stdout.strip().endswith("False"), again.stderr


def test_a_broken_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("BPC_CACHE_DIR", str(tmp_path))
    grammar = parser.grammar_text()
    built = lalr.load_tables(grammar, lambda: lalr.tables_from_lark(parser._lark()))
    assert built is not None
    (saved,) = tmp_path.glob("parser-*.marshal")
    saved.write_bytes(b"not marshal data")
    again = lalr.load_tables(grammar, lambda: lalr.tables_from_lark(parser._lark()))
    assert again is not None and again.states == built.states


def test_tables_from_a_lark_built_without_its_cache_are_saved(tmp_path: Path) -> None:
    """A Lark that built its grammar itself (the first run on a machine: no Lark cache in
    the temp folder) names rules and terminals with its own Token class, which marshal
    refuses; the tables hold plain strings, so they are saved and the check goes on."""
    from lark import Lark

    fresh = Lark(parser.grammar_text(), parser="lalr", lexer="contextual", cache=False)
    data = lalr.tables_from_lark(fresh)
    assert marshal.loads(marshal.dumps(data)) == data
    code = "import sys; from blueprint_dsl.cli.app import main\nmain(['check', sys.argv[1]])\n"
    env = {
        "BPC_CACHE_DIR": str(tmp_path / "bpc"),
        "TMPDIR": str(tmp_path),  # Lark keeps its cache in the temp folder: none there yet
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    sample = str(ROOT / "samples" / "restaurant.bp")
    run = subprocess.run(
        [sys.executable, "-c", code, sample], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert (run.returncode, run.stderr) == (0, "")
    assert list((tmp_path / "bpc").glob("parser-*.marshal"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_mutated_samples_parse_as_lark_parses_them(text: str) -> None:
    fast = parser.parse(text, "t.bp")
    slow = with_lark(text)
    assert fast[0] == slow[0]
    assert [repr(d) for d in fast[1]] == [repr(d) for d in slow[1]]
