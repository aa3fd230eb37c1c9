"""Inputs made to hurt: include graphs that double at every level, chains 1,000 deep,
labels the lexer must not rescan, names no file system takes, detail links that try to
leave the project. Each one gets a positioned diagnostic in time proportional to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_dsl.api import compile_file, compile_text
from blueprint_dsl.language import parser as parser_module
from blueprint_dsl.language.includes import MAX_INCLUDE_DEPTH
from blueprint_dsl.language.syntax_errors import SyntaxErrors


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bpc.toml").write_text("")
    return tmp_path


TOP = (
    'blueprint "T" {\n}\ninclude "l0.bp"\nstep "S" {\n  evidence "E"\n'
    '  customer a "A" -> o\n  onstage o "O" --> s\n  sys s "Sys"\n}\n'
)


def test_a_library_reached_twice_is_read_and_expanded_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each library includes the next one twice, 18 deep: 2^18 expansions if unshared.
    depth = 18
    for i in range(depth):
        body = f'include "l{i + 1}.bp"\ninclude "l{i + 1}.bp"\n' if i < depth - 1 else ""
        if i == depth - 1:
            body = 'lane sys "System" in support\n'
        (project / f"l{i}.bp").write_text(body, encoding="utf-8")
    (project / "top.bp").write_text(TOP, encoding="utf-8")
    reads: list[str] = []
    real_parse = parser_module.parse

    def counting_parse(text: str, path: str):  # type: ignore[no-untyped-def]
        reads.append(Path(path).name)
        return real_parse(text, path)

    monkeypatch.setattr(parser_module, "parse", counting_parse)
    result = compile_file("top.bp")
    assert [d.code for d in result.diagnostics] == []
    assert sorted(reads) == sorted(["top.bp", *(f"l{i}.bp" for i in range(depth))])


def test_a_diamond_of_includes_declares_its_lanes_once(project: Path) -> None:
    (project / "d.bp").write_text('lane sys "System" in support\n', encoding="utf-8")
    (project / "b.bp").write_text('include "d.bp"\n', encoding="utf-8")
    (project / "c.bp").write_text('include "d.bp"\n', encoding="utf-8")
    text = TOP.replace('include "l0.bp"', 'include "b.bp"\ninclude "c.bp"')
    (project / "a.bp").write_text(text, encoding="utf-8")
    assert compile_file("a.bp").diagnostics == []


def test_an_include_chain_deeper_than_the_limit_is_a_diagnostic(project: Path) -> None:
    depth = 1000
    for i in range(depth):
        (project / f"l{i}.bp").write_text(f'include "l{i + 1}.bp"\n', encoding="utf-8")
    (project / f"l{depth}.bp").write_text('lane sys "System" in support\n', encoding="utf-8")
    (project / "top.bp").write_text(TOP, encoding="utf-8")
    result = compile_file("top.bp")
    codes = [d.code for d in result.diagnostics]
    assert "BP105" in codes
    (deep,) = [d for d in result.diagnostics if d.code == "BP105"]
    assert deep.message == (
        f'include "l{MAX_INCLUDE_DEPTH}.bp" is more than {MAX_INCLUDE_DEPTH} files deep'
    )
    assert deep.span.file.endswith(f"l{MAX_INCLUDE_DEPTH - 1}.bp")


@pytest.mark.parametrize("name", ["a\x00b.bp", "a\ud800.bp", "x" * 5000 + ".bp"])
def test_an_include_path_no_file_system_takes_is_bp105(project: Path, name: str) -> None:
    text = TOP.replace('include "l0.bp"', f'include "{name}"')
    result = compile_text(text, str(project / "top.bp"))
    bp105 = [d for d in result.diagnostics if d.code == "BP105"]
    assert len(bp105) == 1, result.diagnostics
    assert bp105[0].span.line == 3


def test_an_unterminated_label_full_of_escaped_quotes_is_lexed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    real = SyntaxErrors.on_error

    def counting(self: SyntaxErrors, error: object) -> bool:
        calls.append(error)
        return real(self, error)  # type: ignore[arg-type]

    monkeypatch.setattr(SyntaxErrors, "on_error", counting)
    text = 'blueprint "T" {\n}\nstep "S" {\n  customer a "' + '\\"' * 16_000 + "\n}\n"
    result = compile_text(text)
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("BP100", 4, 14)
    assert diagnostic.message == "unterminated string: this label has no closing quote"
    assert len(calls) <= 3  # not one lexer restart per quote


def test_a_detail_link_cannot_look_outside_the_project(project: Path) -> None:
    inside = project / "sub"
    inside.mkdir()
    (inside / "bpc.toml").write_text("")
    (project / "exists.bp").write_text('blueprint "X" {\n}\n', encoding="utf-8")
    messages = []
    for target in ("../exists.bp", "../missing.bp", "../../../../etc/passwd"):
        text = (
            'blueprint "T" {\n}\nstep "S" {\n  evidence "E"\n'
            f'  customer a "A" {{ detail "{target}" }}\n}}\n'
        )
        (inside / "t.bp").write_text(text, encoding="utf-8")
        (found,) = [d for d in compile_file(inside / "t.bp").diagnostics if d.code == "BP507"]
        messages.append(found.message.replace(target, "TARGET"))
        assert found.span.line == 5
    # The same words whether the file outside exists or not: nothing leaks.
    assert len(set(messages)) == 1
    assert "leaves the project root" in messages[0]


def test_a_detail_file_is_read_with_the_same_limits_as_a_blueprint(project: Path) -> None:
    (project / "nul.bp").write_bytes(b"\x00" * 1_000_000)
    text = (
        'blueprint "T" {\n}\nstep "S" {\n  evidence "E"\n  customer a "A" { detail "nul.bp" }\n}\n'
    )
    (project / "t.bp").write_text(text, encoding="utf-8")
    (found,) = [d for d in compile_file("t.bp").diagnostics if d.code == "BP507"]
    assert found.message == 'detail file "nul.bp" of `a` is not a valid blueprint'
