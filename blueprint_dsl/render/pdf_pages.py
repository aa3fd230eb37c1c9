"""One PDF of several pages from Graphviz's one-page PDFs (`bpc render -f pdf --page a4`).

Graphviz's cairo PDF output has one page per graph and no pagination, so each row of a
wrapped drawing is rendered on its own and the pages are joined here. Each drawing
becomes a Form XObject, drawn scaled (never up) and centred on a page of the asked size,
so the pages are true A4, A3 or Letter. Cairo writes plain PDF 1.5 — numbered objects,
a classic xref table, streams with direct or indirect lengths — which is all this reads;
anything else raises `ValueError`. No creation date is written: same input, same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OBJ = re.compile(rb"(\d+) 0 obj\b")
_NUMBER_OBJ = re.compile(rb"(\d+) 0 obj\s*(\d+)\s*endobj")
_REF = re.compile(rb"(\d+) 0 R\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+0\s+R)?")
# The catalog, the page tree and the document info (its creation date) are written anew.
_DROPPED = re.compile(rb"/Type\s*/(Catalog|Pages)\b|/CreationDate|/Producer")
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]")


@dataclass
class _Obj:
    number: int
    head: bytes  # the object's text before `stream` (all of it for other objects)
    stream: bytes | None


def _objects(pdf: bytes) -> dict[int, _Obj]:
    numbers = {int(m[1]): int(m[2]) for m in _NUMBER_OBJ.finditer(pdf)}
    out: dict[int, _Obj] = {}
    pos = 0
    while (m := _OBJ.search(pdf, pos)) is not None:
        number, start = int(m[1]), m.end()
        end = pdf.find(b"endobj", start)
        s = pdf.find(b"stream", start)
        if end < 0:
            raise ValueError("truncated PDF object")
        if 0 <= s < end:
            head = pdf[start:s]
            length = _LENGTH.search(head)
            if length is None:
                raise ValueError("a PDF stream without a length")
            size = numbers[int(length[1])] if length[2] else int(length[1])
            data_start = s + len(b"stream")
            data_start += 2 if pdf[data_start : data_start + 2] == b"\r\n" else 1
            stream = pdf[data_start : data_start + size]
            end = pdf.find(b"endobj", data_start + size)
            out[number] = _Obj(number, head, stream)
        else:
            out[number] = _Obj(number, pdf[start:end], None)
        pos = end + len(b"endobj")
    return out


def _page(objects: dict[int, _Obj]) -> _Obj:
    for obj in objects.values():
        if re.search(rb"/Type\s*/Page\b(?!s)", obj.head):
            return obj
    raise ValueError("a PDF without a page")


def _ref(head: bytes, key: bytes) -> int:
    m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", head)
    if m is None:
        raise ValueError(f"a PDF page without /{key.decode()}")
    return int(m[1])


class _Writer:
    def __init__(self) -> None:
        self.body: list[bytes] = []
        self.count = 0

    def reserve(self) -> int:
        self.count += 1
        self.body.append(b"")
        return self.count

    def put(self, number: int, head: bytes, stream: bytes | None = None) -> None:
        text = b"%d 0 obj\n" % number + head.strip() + b"\n"
        if stream is not None:
            text += b"stream\n" + stream + b"\nendstream\n"
        self.body[number - 1] = text + b"endobj\n"

    def add(self, head: bytes, stream: bytes | None = None) -> int:
        number = self.reserve()
        self.put(number, head, stream)
        return number

    def pdf(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for obj in self.body:
            offsets.append(len(out))
            out += obj
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (self.count + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            self.count + 1,
            root,
            xref,
        )
        return bytes(out)


def join_pages(pdfs: list[bytes], page: tuple[float, float], margin: float) -> bytes:
    """One PDF with each of `pdfs` (one page each) on its own page of `page` points."""
    w = _Writer()
    pages_obj = w.reserve()
    page_numbers: list[int] = []
    for pdf in pdfs:
        objects = _objects(pdf)
        page_obj = _page(objects)
        contents = objects[_ref(page_obj.head, b"Contents")]
        resources = _ref(page_obj.head, b"Resources")
        box = _MEDIABOX.search(page_obj.head)
        if box is None or contents.stream is None:
            raise ValueError("a PDF page without a media box or contents")
        x0, y0, x1, y1 = (float(v) for v in box[1].split())
        skip = {page_obj.number, contents.number}
        skip |= {o.number for o in objects.values() if _DROPPED.search(o.head)}
        new = {n: w.reserve() for n in sorted(objects) if n not in skip}

        def renumber(head: bytes, new: dict[int, int] = new) -> bytes:
            return _REF.sub(lambda m: b"%d 0 R" % new.get(int(m[1]), int(m[1])), head)

        for n, number in new.items():
            obj = objects[n]
            w.put(number, renumber(obj.head), obj.stream)
        filters = re.search(rb"/Filter\s*/\w+", contents.head)
        form_head = (
            b"<< /Type /XObject /Subtype /Form /BBox [%s] /Resources %d 0 R %s /Length %d >>"
            % (
                b" ".join(b"%g" % v for v in (x0, y0, x1, y1)),
                new[resources],
                filters[0] if filters else b"",
                len(contents.stream),
            )
        )
        form = w.add(form_head, contents.stream)
        pw, ph = page
        dw, dh = x1 - x0, y1 - y0
        scale = min(1.0, (pw - 2 * margin) / dw, (ph - 2 * margin) / dh)
        tx = (pw - dw * scale) / 2 - x0 * scale
        ty = ph - margin - dh * scale - y0 * scale  # at the top of the page
        draw = b"q %.4f 0 0 %.4f %.2f %.2f cm /Row Do Q" % (scale, scale, tx, ty)
        content = w.add(b"<< /Length %d >>" % len(draw), draw)
        page_numbers.append(
            w.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] "
                b"/Resources << /XObject << /Row %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_obj, pw, ph, form, content)
            )
        )
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    w.put(pages_obj, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_numbers)))
    root = w.add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj)
    return w.pdf(root)
