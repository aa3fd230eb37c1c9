"""What the XML exports (BPMN, draw.io) share: the one cleaning function every label goes
through, numbers, comments, ids that are XML names, and the serialiser.

Labels are put into `xml.etree.ElementTree` elements as text or attribute values, so the
serialiser escapes `<&>"'`; what it cannot escape (characters XML 1.0 forbids even as
references, and control characters a reader would act on) is made a space here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..model.blueprint import Blueprint, Lane
from ..render.geometry import Layout
from . import common as c

# Forbidden in XML 1.0 (C0 but tab/LF/CR, the surrogates, U+FFFE/U+FFFF), and the C1
# controls, DEL and the Unicode line/paragraph separators, which readers may act on.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

# The part of an XML NCName that every BPMN and draw.io tool accepts: ASCII only.
_NAME_PART = re.compile(r"[A-Za-z0-9_.-]+\Z")


def xml_label(text: str) -> str:
    """A label as XML character data: line breaks kept as LF, tabs and controls a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _NOT_TEXT.sub(" ", text)


def xml_line(text: str) -> str:
    """A label on one line (for names that tools show in one line, and comments)."""
    return c.plain(xml_label(text))


def name_part(name: str) -> bool:
    """True if `name` may follow a prefix such as `Action_` in an ASCII NCName."""
    return _NAME_PART.match(name) is not None


def xml_ids(bp: Blueprint) -> dict[str, str]:
    """The bpc ids of lanes, evidence and actions as parts of XML ids (kept where ASCII,
    numbered n1, n2, … otherwise); deterministic and unique."""
    return c.safe_ids(c.id_requests(bp), name_part)


def drawn_lanes(bp: Blueprint, layout: Layout) -> list[Lane]:
    """The lanes bpc draws, in order: those with a band (an internal blueprint, for
    one, has no customer lane)."""
    bands = {band.lane_id for band in layout.bands}
    return [lane for lane in bp.lanes if lane.id in bands]


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros ("345", "12.5")."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def comment_text(text: str) -> str:
    """One line of text that is safe inside `<!-- … -->` (no `--`, no trailing `-`)."""
    body = re.sub(r"-(?=-)", "- ", xml_line(text))
    return f" {body} "


def header_comments(bp: Blueprint, renamed: Sequence[tuple[str, str]]) -> list[str]:
    lines = [f"{bp.header.title} (exported by bpc from {bp.path})"]
    if renamed:
        lines.append("ids: " + ", ".join(f"{new} = {old}" for old, new in renamed))
    return lines


def serialise(root: ET.Element, comments: Sequence[str]) -> str:
    """The document with an XML declaration and `comments` before the root, indented."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    head = ['<?xml version="1.0" encoding="UTF-8"?>']
    head += [f"<!--{comment_text(line)}-->" for line in comments]
    return "\n".join([*head, body]) + "\n"
