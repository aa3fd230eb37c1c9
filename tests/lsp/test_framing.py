"""`FrameReader` without a server: frames from bytes, however the bytes are cut."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from blueprint_dsl.lsp.framing import (
    CHUNK,
    MAX_BODY,
    Frame,
    FrameReader,
    Malformed,
    encode,
    error_response,
    message_problem,
    request_id_of,
)


def framed(body: bytes, header: bytes = b"") -> bytes:
    return header + b"Content-Length: %d\r\n\r\n" % len(body) + body


def reader_of(data: bytes, piece: int = 1 << 30) -> Callable[[int], bytes]:
    """`read1` over `data`, giving at most `piece` bytes at a time."""
    at = 0

    def read(size: int) -> bytes:
        nonlocal at
        chunk = data[at : at + min(size, piece)]
        at += len(chunk)
        return chunk

    return read


def frames(data: bytes, piece: int = 1 << 30, **limits: int) -> list[Frame | Malformed]:
    reader = FrameReader(reader_of(data, piece), **limits)
    found: list[Frame | Malformed] = []
    while (item := reader.next()) is not None:
        found.append(item)
    return found


ONE = b'{"jsonrpc": "2.0", "method": "one"}'
TWO = '{"jsonrpc": "2.0", "method": "zwei ☕"}'.encode()


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, 1 << 30])
def test_frames_however_the_input_is_cut(piece: int) -> None:
    data = framed(ONE) + framed(TWO, b"Content-Type: application/vscode-jsonrpc\r\n")
    assert frames(data, piece) == [Frame(ONE), Frame(TWO)]


def test_headers_are_case_insensitive_and_line_breaks_between_frames_are_skipped() -> None:
    data = b"content-length:  %d \r\n\r\n" % len(ONE) + ONE + b"\r\n" + framed(TWO)
    assert frames(data) == [Frame(ONE), Frame(TWO)]
    assert frames(b"Content-Length: %d\n\n" % len(ONE) + ONE) == [Frame(ONE)]


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b"Content-Length: 1000000000000", "over the limit"),
        (b"Content-Length: " + b"9" * 5000, "5000 digits"),
        (b"Content-Length: -5", "not a number"),
        (b"Content-Length: 0x10", "not a number"),
        (b"Content-Length:", "not a number"),
        (b"Content-Length: 1\r\nContent-Length: 2", "more than one"),
        (b"Content-Type: text/plain", "without a Content-Length"),
        (b"Content-Length 12", "not `Name: value`"),
        (b"Content-Length: 12\x00", "not `Name: value`"),
    ],
)
def test_a_bad_header_is_reported_and_its_body_skipped(header: bytes, reason: str) -> None:
    found = frames(header + b"\r\n\r\n" + ONE + framed(TWO))
    assert len(found) == 2
    assert isinstance(found[0], Malformed) and reason in found[0].reason
    assert found[1] == Frame(TWO)


def test_the_limit_of_a_body_is_inclusive() -> None:
    body = b"x" * 100
    assert frames(framed(body), max_body=100) == [Frame(body)]
    found = frames(framed(body) + framed(ONE), max_body=99)
    assert isinstance(found[0], Malformed) and found[1:] == [Frame(ONE)]
    assert MAX_BODY == 64 * 1024 * 1024


def test_a_body_without_its_header_then_a_frame_on_the_same_line() -> None:
    # the next header follows a body with no line break: found inside the bad "line"
    found = frames(b"garbage}" + framed(ONE))
    assert isinstance(found[0], Malformed) and found[1:] == [Frame(ONE)]
    found = frames(b"X-Junk\r\n" + framed(ONE))
    assert isinstance(found[0], Malformed) and found[1:] == [Frame(ONE)]


def test_headers_that_never_end_are_bounded() -> None:
    found = frames(b"y" * 10_000 + framed(ONE), max_header=1000)
    assert [type(item) for item in found] == [Malformed, Frame]
    assert "longer than 1000" in found[0].reason  # type: ignore[union-attr]


@pytest.mark.parametrize("piece", [1, 5, 13, CHUNK])
def test_resynchronising_finds_a_header_cut_across_reads(piece: int) -> None:
    data = b"Content-Length: nope\r\n\r\n" + b"z" * 3 * CHUNK + framed(ONE)
    found = frames(data, piece)
    assert isinstance(found[0], Malformed) and found[1:] == [Frame(ONE)]


def test_resynchronising_holds_little_of_what_it_skips() -> None:
    sizes: list[int] = []

    def endless_garbage() -> Iterator[bytes]:
        yield b"Content-Length: 1000000000000\r\n\r\n"
        for _ in range(2000):  # 128 MiB of a body that is never read
            yield b"q" * CHUNK
        yield framed(ONE)

    pieces = endless_garbage()
    reader = FrameReader(lambda size: next(pieces, b""))
    assert isinstance(reader.next(), Malformed)
    original = reader._fill

    def fill(size: int) -> bool:
        sizes.append(len(reader._buffer))
        return original(size)

    reader._fill = fill  # type: ignore[method-assign]
    assert reader.next() == Frame(ONE)
    assert max(sizes) <= 2 * CHUNK
    assert reader.next() is None


def test_the_end_of_input_in_a_frame_ends_the_frames() -> None:
    assert frames(b"Content-Length: 10\r\n\r\n{}") == []
    assert frames(b"Content-Len") == []
    assert frames(b"") == []
    assert frames(b"Content-Length: x\r\n\r\nno header follows") == [
        Malformed("a Content-Length that is not a number of bytes: 'x'")
    ]


def test_messages_that_are_not_json_rpc() -> None:
    assert message_problem({"jsonrpc": "2.0", "id": 1, "method": "initialize"}) is None
    assert message_problem({"jsonrpc": "2.0", "method": "exit", "params": None}) is None
    assert message_problem({"jsonrpc": "2.0", "id": "a", "result": None}) is None
    assert message_problem({"jsonrpc": "2.0", "id": None, "error": {"code": 1}}) is None
    for bad in (
        [1],
        "x",
        {"id": 1, "method": "m"},
        {"jsonrpc": "1.0", "id": 1, "method": "m"},
        {"jsonrpc": "2.0", "id": 1, "method": 7},
        {"jsonrpc": "2.0", "id": True, "method": "m"},
        {"jsonrpc": "2.0", "id": [1], "method": "m"},
        {"jsonrpc": "2.0", "method": "m", "params": 3},
        {"jsonrpc": "2.0", "id": 1},
        {"jsonrpc": "2.0"},
    ):
        assert message_problem(bad) is not None, bad
    assert request_id_of({"id": 4}) == 4 and request_id_of({"id": True}) is None
    assert request_id_of([4]) is None


def test_an_error_response_is_a_frame_with_id_null() -> None:
    data = encode(error_response(-32700, "Parse error: é"))
    (frame,) = frames(data)
    assert isinstance(frame, Frame)
    assert json.loads(frame.body) == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32700, "message": "Parse error: é"},
    }
