"""Moving the spans of a parsed block of text to other lines (for `incremental.py`).

A block whose text did not change keeps its tree from one version to the next, but its
lines move when lines are inserted or deleted above it. `shift` makes a copy of a tree
with every span moved; `spans_of` finds every span of a tree and `move_spans` moves them
in place, through their slots. The tree's nodes are `NamedTuple`s (language/ast.py).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from ..core.spans import Span

_Shift = Callable[[Any, int], Any]
_SHIFTS: dict[type, _Shift] = {}
_PLAIN = frozenset({"str", "int", "bool", "float", "None"})  # types that hold no span
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})
_NAMES: dict[type, tuple[str, ...]] = {}


def _holds_spans(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "?")
    return not {part.strip() for part in str(text).split("|")} <= _PLAIN


def _is_node(cls: type) -> bool:
    """A node of the syntax tree: a `NamedTuple`."""
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold spans."""
    names = _NAMES.get(cls)
    if names is None:
        typed = cls.__annotations__
        names = _NAMES[cls] = tuple(n for n, t in typed.items() if _holds_spans(t))
    return names


def _keep(value: Any, delta: int) -> Any:
    return value


def _shift_span(span: Span, delta: int) -> Span:
    return Span(span.file, span.line + delta, span.column, span.end_line + delta, span.end_column)


def _shift_tuple(values: tuple[Any, ...], delta: int) -> tuple[Any, ...]:
    return tuple([shift(value, delta) for value in values])


def _shift_list(values: list[Any], delta: int) -> list[Any]:
    return [shift(value, delta) for value in values]


def _node_shift(cls: type) -> _Shift:
    moving = _field_names(cls)

    def shift_node(node: Any, delta: int) -> Any:
        return node._replace(**{name: shift(getattr(node, name), delta) for name in moving})

    return shift_node


def shift(value: Any, delta: int) -> Any:
    """A copy of `value` (a node of the syntax tree, a tuple or list of them, a span …)
    with every span moved `delta` lines down."""
    cls = type(value)
    mover = _SHIFTS.get(cls)
    if mover is None:
        if cls is Span:
            mover = _shift_span
        elif cls is tuple:
            mover = _shift_tuple
        elif cls is list:
            mover = _shift_list
        elif _is_node(cls):
            mover = _node_shift(cls)
        else:
            mover = _keep
        _SHIFTS[cls] = mover
    return mover(value, delta)


def spans_of(root: Any) -> list[Span]:
    """Every span in a tree, each once."""
    found: list[Span] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        value = stack.pop()
        cls = type(value)
        if cls is Span:
            if id(value) not in seen:
                seen.add(id(value))
                found.append(value)
        elif cls is list or cls is tuple:
            stack.extend(value)
        elif cls not in _PLAIN_TYPES and _is_node(cls):
            stack.extend([getattr(value, name) for name in _field_names(cls)])
    return found


def _setter(name: str) -> Callable[[Span, int], None]:
    """The setter of one of a span's slots (called through `map`, the fastest)."""
    setter: Callable[[Span, int], None] = vars(Span)[name].__set__
    return setter


_set_line = _setter("line")
_set_end_line = _setter("end_line")


def move_spans(spans: list[Span], delta: int) -> None:
    """Move `spans` (each once) `delta` lines down, in place."""
    deque(map(_set_line, spans, [span.line + delta for span in spans]), maxlen=0)
    deque(map(_set_end_line, spans, [span.end_line + delta for span in spans]), 0)
