"""The render's shortcuts give what the long way gives: one-line wrapping, the shared
time graph of a blueprint (rebuilt when the blueprint changes)."""

from __future__ import annotations

import copy
import gc
import itertools
from typing import Any

from blueprint_dsl.analysis.paths import _build_graph, _graph, customer_path, lead_time
from blueprint_dsl.model.blueprint import Flow, FlowKind
from blueprint_dsl.render.text import _wrap, _wrap_cleaned, clean

from ..render_fixtures import restaurant


def _long_way(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    return _wrap_cleaned(clean(text), width, max_lines)


TEXTS = [
    "",
    " ",
    "Ask for service 1",
    "  two  spaces\tand a tab ",
    "1. Step 1: 办理业务 1",
    "办理业务，（顾客）满意度。",
    "Request 1 lost → Look it up in the log",
    "a\nb",
    "e\u0301te\u0301",
    "\u3000全角\u3000空格",
    "bell\x07inside",
    "「引号」",
]


def test_one_line_wrapping_is_what_the_long_way_gives() -> None:
    for text, width, max_lines in itertools.product(TEXTS, (4, 8, 12, 40), (1, 2, 12)):
        _wrap.cache_clear()
        assert _wrap(text, width, max_lines) == _long_way(text, width, max_lines), text


def test_the_time_graph_is_shared_until_the_blueprint_changes() -> None:
    bp = restaurant()
    first = _graph(bp)
    assert _graph(bp) is first
    assert _graph(copy.deepcopy(bp)) is not first  # another blueprint, its own graph
    before = (customer_path(bp), lead_time(bp))
    keys = [a.key for a in bp.actions]
    like = bp.flows[0]  # the loop is the first flow with other ends
    loop = Flow(
        keys[-1],
        keys[0],
        FlowKind.FLOW,
        like.label,
        like.implicit,
        like.crosses,
        like.span,
        like.share,
    )
    bp.flows.append(loop)  # a loop back to the start
    changed = _graph(bp)
    assert changed is not first and changed == _build_graph(bp)
    assert keys[0] in changed.backward[keys[-1]]
    bp.flows.pop()
    assert _graph(bp) == first
    assert (customer_path(bp), lead_time(bp)) == before


def test_a_batch_of_blueprints_builds_each_time_graph_once(monkeypatch: Any) -> None:
    """`bpc render` of a folder compiles a batch of files before it draws them: each file's
    graph, made while it was checked, is still there when it is drawn."""
    from blueprint_dsl.analysis import paths
    from blueprint_dsl.cli.render_batch import BATCH

    built: list[int] = []

    def counted(bp: Any) -> Any:
        built.append(id(bp))
        return _build_graph(bp)

    monkeypatch.setattr(paths, "_build_graph", counted)
    batch = [restaurant() for _ in range(2 * BATCH)]
    for bp in batch:
        _graph(bp)  # checked
    for bp in batch:
        _graph(bp)  # drawn
    assert len(built) == len(batch)


def test_a_blueprint_let_go_lets_its_graph_go() -> None:
    from blueprint_dsl.analysis import paths

    bp = restaurant()
    _graph(bp)
    ident = id(bp)
    assert ident in paths._GRAPHS
    del bp
    gc.collect()
    assert ident not in paths._GRAPHS
