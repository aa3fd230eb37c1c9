"""Helpers for the render tests: read node and edge attributes back from our DOT text."""

from __future__ import annotations

import re

_NODE = re.compile(r"^  (\w+) \[(.*)\];$")
_EDGE = re.compile(r"^  (\w+) -> (\w+) \[(.*)\];$")
_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,\s]+)')


def attrs(body: str) -> dict[str, str]:
    out = {}
    for key, value in _ATTR.findall(body):
        out[key] = value[1:-1] if value.startswith('"') else value
    return out


def nodes(dot: str) -> dict[str, dict[str, str]]:
    out = {}
    for line in dot.splitlines():
        m = _NODE.match(line)
        if m and m.group(1) not in ("graph", "node", "edge"):
            out[m.group(1)] = attrs(m.group(2))
    return out


def edges(dot: str) -> list[tuple[str, str, dict[str, str]]]:
    out = []
    for line in dot.splitlines():
        m = _EDGE.match(line)
        if m:
            out.append((m.group(1), m.group(2), attrs(m.group(3))))
    return out


def pos(node: dict[str, str]) -> tuple[float, float]:
    x, y = node["pos"].rstrip("!").split(",")
    return float(x), float(y)


def by_class(dot: str, cls: str) -> list[dict[str, str]]:
    return [n for n in nodes(dot).values() if cls in n.get("class", "").split()]
