"""Helpers for the report tests: diagrams, and reading a report's HTML back."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from blueprint_dsl.model.blueprint import Blueprint

from .conftest import ROOT

HOSTILE = ROOT / "tests" / "data" / "hostile.bp"
TINY_SVG = ROOT / "tests" / "data" / "tiny-diagram.svg"


def diagram_svg(bp: Blueprint) -> str:
    """The diagram as `bpc render` draws it (the render package, system or embedded Graphviz)."""
    from blueprint_dsl.render import blueprint_dot, resolve_engine

    return resolve_engine("auto", ["svg"]).render(blueprint_dot(bp), "svg").decode("utf-8")


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def sample(name: str) -> Path:
    return ROOT / "samples" / name
