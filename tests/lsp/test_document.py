"""The document index without a server: a tolerant parse, and the files it includes."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls")

from blueprint_dsl.lsp.document import Analysis
from blueprint_dsl.lsp.hover import hover as hover_at
from blueprint_dsl.lsp.navigation import definition

from .editor import position_of


def test_tolerant_analysis_keeps_ids_when_a_line_is_broken() -> None:
    text = (
        'blueprint "A" {\n}\nstep "S" {\n'
        '  customer a "A"\n  onstage b "B" -> \n  backstage c "C"\n}\n'
    )
    analysis = Analysis(text, "/nowhere/a.bp")
    assert analysis.result.has_errors
    assert {"a", "c"} <= set(analysis.index.definitions)


def test_definitions_and_problems_in_included_files(tmp_path: Path) -> None:
    from lsprotocol import types as lsp

    (tmp_path / "bpc.toml").write_text("")
    (tmp_path / "team").mkdir()
    lanes = tmp_path / "team" / "lanes.bp"
    lanes.write_text('# shared\nlane desk "Front desk" in onstage\nlane hk "HK" in nowhere\n')
    main = tmp_path / "hotel.bp"
    text = (
        'blueprint "Hotel" {\n}\ninclude "team/lanes.bp"\nstep "Arrive" {\n'
        '  evidence "Lobby"\n  customer arrive "Arrive" -> greet\n  desk greet "Greet"\n}\n'
    )
    main.write_text(text)
    analysis = Analysis(text, str(main))
    at = position_of(text, "desk greet")
    (found,) = definition(analysis, lsp.Position(at["line"], at["character"]))
    assert found.uri == lanes.resolve().as_uri()
    assert (found.range.start.line, found.range.start.character) == (1, 5)
    hover = hover_at(analysis, lsp.Position(at["line"], at["character"]))
    assert hover is not None and "defined in" in hover.contents.value  # type: ignore[union-attr]
    # go to the included file from its path
    at = position_of(text, "team/lanes.bp")
    (opened,) = definition(analysis, lsp.Position(at["line"], at["character"] + 2))
    assert opened.uri == lanes.resolve().as_uri()
    # a problem in the included file is shown on the include line, and points there
    (problem,) = [d for d in analysis.lsp_diagnostics() if d.code == "BP202"]
    assert problem.range.start.line == 2
    assert "lanes.bp:3:" in problem.message
    assert problem.related_information is not None
    assert problem.related_information[0].location.uri == lanes.resolve().as_uri()
    assert problem.related_information[0].location.range.start.line == 2
