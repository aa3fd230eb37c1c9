"""Bytes to source text: UTF-8 (a BOM allowed), at most MAX_FILE_BYTES, no NUL bytes.
Every file bpc reads as a blueprint (the file itself, includes, detail targets) comes
through `decode`, so every one has the same limits."""

from __future__ import annotations

from .diagnostics import Diagnostic, Severity
from .messages import msg
from .spans import Span

MAX_FILE_BYTES = 16 * 1024 * 1024


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 (a BOM is allowed); anything else is a positioned BP100."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Diagnostic.of(
                "BP100",
                Severity.ERROR,
                msg(
                    "file.too-large",
                    size=len(data) // (1024 * 1024),
                    limit=MAX_FILE_BYTES // (1024 * 1024),
                ),
                Span(path, 1, 1, 1, 2),
                msg("file.too-large.help"),
            )
        ]
    nul = data.find(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [_byte_error(data, error.start, path, nul_byte=False)]
    if nul >= 0:
        return None, [_byte_error(data, nul, path, nul_byte=True)]
    return text, []


def _byte_error(data: bytes, offset: int, path: str, *, nul_byte: bool) -> Diagnostic:
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    byte = f"0x{data[offset]:02x}"
    return Diagnostic.of(
        "BP100",
        Severity.ERROR,
        msg("file.nul-byte", byte=byte, offset=offset)
        if nul_byte
        else msg("file.not-utf8", byte=byte, offset=offset),
        Span(path, line, column, line, column + 1),
        msg("file.not-utf8.help"),
    )
