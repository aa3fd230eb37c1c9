"""LSP base-protocol framing, bounded: `Content-Length` headers and the bodies they count.

pygls's own stdio loop reads whatever length a header claims (a claim of a terabyte is a
MemoryError) and knows only the exact line `Content-Length: <digits>`; after any other
header the next message is taken as part of the last body, and the server hears nothing
more. `FrameReader` reads frames from a byte stream with every buffer bounded: headers to
`MAX_HEADER` bytes, bodies to `MAX_BODY` (64 MiB: a blueprint is at most 16 MB, and JSON
escapes may more than double it). A malformed frame (no, two, a negative, non-numeric or
too large `Content-Length`, a line that is not `Name: value`, headers that never end)
comes out as a `Malformed` value, to be answered with a JSON-RPC error, and the reader
then resynchronises: it skips to the next `Content-Length:` header, wherever it starts
(the next header of an LSP stream follows the last body without a line break).

`message_problem` tells what makes a parsed body no JSON-RPC message (an Invalid Request);
`error_response` and `encode` make the JSON-RPC error for either and the frame to send it
in. Nothing here knows pygls or the server (`server.py` runs this reader in its loop).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_BODY = 64 * 1024 * 1024
MAX_HEADER = 64 * 1024
CHUNK = 64 * 1024
BIG_CHUNK = 1024 * 1024

PARSE_ERROR = -32700
INVALID_REQUEST = -32600

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_LINE_BREAK = re.compile(rb"\r?\n")
_LINE_BREAKS = re.compile(rb"[\r\n]*")
_HEADER_LINE = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x20-\x7e\t]*?)[ \t]*")
_CONTENT_LENGTH = re.compile(rb"content-length:", re.IGNORECASE)
_DIGITS = re.compile(rb"[0-9]+")
_KEEP = len(b"content-length:") - 1  # while scanning: a header split across reads
_MAX_DIGITS = len(str(MAX_BODY)) + 1


@dataclass(frozen=True, slots=True)
class Frame:
    """The body of one well-framed message (not yet parsed as JSON)."""

    body: bytes


@dataclass(frozen=True, slots=True)
class Malformed:
    """A frame that could not be read; the reader has skipped past it."""

    reason: str


class FrameReader:
    """Frames from `read`, a function that returns some bytes (at most the number asked
    for, at least one) or b"" at the end of input, like `BufferedReader.read1`."""

    def __init__(
        self,
        read: Callable[[int], bytes],
        *,
        max_body: int = MAX_BODY,
        max_header: int = MAX_HEADER,
    ) -> None:
        self._read = read
        self.max_body = max_body
        self.max_header = max_header
        self._buffer = bytearray()
        self._resyncing = False
        self._ended = False

    def next(self) -> Frame | Malformed | None:
        """The next frame, or what was wrong with it; None at the end of input."""
        if self._resyncing and not self._resync():
            return None
        while True:
            self._skip_line_breaks()
            end = _HEADER_END.search(self._buffer, 0, self.max_header + 4)
            if end is None:
                if len(self._buffer) > self.max_header:
                    return self._malformed(f"headers longer than {self.max_header} bytes", 1)
                if not self._fill(CHUNK):
                    return None
                continue
            block = bytes(self._buffer[: end.start()])
            length, reason, skip = self._parse_headers(block)
            if reason is not None:
                return self._malformed(reason, end.end() if skip is None else skip)
            assert length is not None
            del self._buffer[: end.end()]
            while len(self._buffer) < length:
                wanted = max(CHUNK, min(length - len(self._buffer), BIG_CHUNK))
                if not self._fill(wanted):
                    return None
            with memoryview(self._buffer) as view:
                body = bytes(view[:length])
            del self._buffer[:length]
            return Frame(body)

    # ---- headers --------------------------------------------------------------------
    def _parse_headers(self, block: bytes) -> tuple[int | None, str | None, int | None]:
        """(the body's length, or what is wrong and where to resynchronise from).

        Where to resynchronise: None for after the headers, when every line is a header
        (the body they announce is unknown, so it is skipped too); else just past the
        start of the last line that is not a header, since a header may start inside it
        (a body without its header, then the next header, read as one line).
        """
        lengths: list[bytes] = []
        bad_line: int | None = None
        for start, line in _split_lines(block):
            match = _HEADER_LINE.fullmatch(line)
            if match is None:
                bad_line = start
            elif match.group(1).lower() == b"content-length":
                lengths.append(match.group(2))
        if bad_line is not None:
            shown = _shown(block[bad_line : bad_line + 60])
            return None, f"a header line that is not `Name: value`: {shown}", bad_line + 1
        if not lengths:
            return None, "a message without a Content-Length header", None
        if len(set(lengths)) > 1:
            return None, "a message with more than one Content-Length", None
        value = lengths[0]
        if not _DIGITS.fullmatch(value):
            return None, f"a Content-Length that is not a number of bytes: {_shown(value)}", None
        if len(value) > _MAX_DIGITS or int(value) > self.max_body:
            size = value.decode("ascii") if len(value) <= 30 else f"a number of {len(value)} digits"
            return None, f"a message of {size} bytes, over the limit of {self.max_body}", None
        return int(value), None, None

    # ---- the buffer -----------------------------------------------------------------
    def _malformed(self, reason: str, skip: int) -> Malformed:
        del self._buffer[:skip]
        self._resyncing = True
        return Malformed(reason)

    def _resync(self) -> bool:
        """Skip to the next `Content-Length:`; False at the end of input."""
        while True:
            found = _CONTENT_LENGTH.search(self._buffer)
            if found is not None:
                del self._buffer[: found.start()]
                self._resyncing = False
                return True
            del self._buffer[: max(len(self._buffer) - _KEEP, 0)]
            if not self._fill(CHUNK):
                return False

    def _skip_line_breaks(self) -> None:
        """Line breaks between frames (some clients end a body with one) are no frame."""
        blank = _LINE_BREAKS.match(self._buffer)
        if blank is not None and blank.end():
            del self._buffer[: blank.end()]

    def _fill(self, size: int) -> bool:
        if self._ended:
            return False
        data = self._read(size)
        if not data:
            self._ended = True
            return False
        self._buffer += data
        return True


def _split_lines(block: bytes) -> list[tuple[int, bytes]]:
    """The lines of a header block, each with its offset."""
    lines = []
    start = 0
    for match in _LINE_BREAK.finditer(block):
        lines.append((start, block[start : match.start()]))
        start = match.end()
    lines.append((start, block[start:]))
    return lines


def _shown(data: bytes) -> str:
    return repr(data.decode("ascii", "replace"))


# ---- messages ---------------------------------------------------------------------------


def message_problem(data: Any) -> str | None:
    """Why a parsed body is not a JSON-RPC 2.0 request, notification or response (None
    when it is one; whether its params fit its method is for the protocol to say)."""
    if not isinstance(data, dict):
        return f"a message is a JSON object, not {type(data).__name__}"
    if data.get("jsonrpc") != "2.0":
        return 'a message without "jsonrpc": "2.0"'
    if "id" in data and request_id_of(data) is None and not _is_null_id_error(data):
        return "an id that is neither a number nor a string"
    if "method" in data:
        if not isinstance(data["method"], str):
            return "a method that is not a string"
        if "params" in data and not isinstance(data["params"], dict | list | None):
            return "params that are neither an object nor an array"
        return None
    if "id" not in data or ("result" not in data and "error" not in data):
        return "neither a request, a notification nor a response"
    return None


def request_id_of(data: Any) -> int | str | None:
    """The id of a message, when it has a valid one."""
    if not isinstance(data, dict):
        return None
    found = data.get("id")
    if isinstance(found, bool) or not isinstance(found, int | str):
        return None
    return found


def _is_null_id_error(data: dict[str, Any]) -> bool:
    """An error response to a message the other side could not read has the id null."""
    return data.get("id") is None and "error" in data and "method" not in data


# ---- the answers ------------------------------------------------------------------------


def error_response(code: int, message: str, request_id: int | str | None = None) -> dict[str, Any]:
    """A JSON-RPC error response (to no request: id null, when the request is unknown)."""
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def encode(message: dict[str, Any]) -> bytes:
    """One message as an LSP frame."""
    body = json.dumps(message).encode("utf-8")
    return f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body
