"""How bpc's language server talks over stdio: frames in, messages checked, errors out.

pygls serves the protocol, but stdin is read by bpc's own loop (`FramedServer.start_io`),
with the bounded `FrameReader` of `framing.py`: a malformed frame is answered with a
JSON-RPC error (id null) and the reader resynchronises on the next header. The body of a
frame is checked before pygls sees it: not JSON is a Parse error, not JSON-RPC an Invalid
Request, params that do not fit their method an Invalid params error for that request
(`BlueprintProtocol.structure_message`). The language features are `server.py`'s.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from concurrent.futures import Future
from threading import Event
from typing import Any, BinaryIO

from cattrs.errors import BaseValidationError
from cattrs.v import transform_error
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    LanguageServerProtocol,
)

from .framing import (
    INVALID_REQUEST,
    PARSE_ERROR,
    FrameReader,
    Malformed,
    encode,
    error_response,
    message_problem,
    request_id_of,
)

log = logging.getLogger(__name__)


class BlueprintProtocol(LanguageServerProtocol):
    """pygls's protocol, mended where it leaks memory or writes tracebacks."""

    def _check_handler_result(self, future: Future[Any]) -> None:
        # Called when a notification's handler is done. pygls files the future of every
        # generator or async handler (didOpen, didChange, didClose ...) under a fresh id
        # that nothing removes: a future kept for each edit.
        done = [key for key, pending in self._request_futures.items() if pending is future]
        for key in done:
            del self._request_futures[key]
        super()._check_handler_result(future)

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The typed message of a parsed body, as pygls makes it; but params that do not fit
        their method raise JsonRpcInvalidParams, with what is wrong, without pygls's log of
        a traceback."""
        if "jsonrpc" not in data:
            return data
        kind: Any
        if "id" in data and "error" in data:
            kind = lsp.ResponseErrorMessage
        elif "id" in data and "method" in data:
            kind = self.get_message_type(data["method"])
            if kind is None:
                kind, data = JsonRPCRequestMessage, {"params": None, **data}
        elif "id" in data:
            kind = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
        else:
            kind = self.get_message_type(data.get("method", ""))
            if kind is None:
                kind, data = JsonRPCNotification, {"params": None, **data}
        try:
            return self._converter.structure(data, kind)
        except BaseValidationError as error:
            problems = "; ".join(transform_error(error, path="message")[:3])
            raise JsonRpcInvalidParams(f"Invalid params: {problems}") from None
        except Exception as error:  # as pygls: any failure here is the message's
            raise JsonRpcInvalidParams(f"Invalid params: {type(error).__name__}") from None


class FramedServer(LanguageServer):
    """A pygls server with `BlueprintProtocol`, that reads stdin with `FrameReader`."""

    protocol: BlueprintProtocol

    def __init__(self, name: str, version: str, **options: Any) -> None:
        super().__init__(name, version, protocol_cls=BlueprintProtocol, **options)
        self.stdout: StdoutWriter | None = None

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve on stdin/stdout (as pygls does, but reading with `FrameReader`)."""
        source = stdin or sys.stdin.buffer
        frames = FrameReader(getattr(source, "read1", source.read))
        self._stop_event = Event()
        self.stdout = StdoutWriter(stdout or sys.stdout.buffer)
        self.protocol.set_writer(self.stdout)
        try:
            asyncio.run(self.serve(frames))
        except BrokenPipeError:
            log.error("the connection to the client is lost: shutting down")
        except (KeyboardInterrupt, SystemExit):  # `exit` ends the server with SystemExit
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]  # pygls: unannotated

    async def serve(self, frames: FrameReader) -> None:
        """Handle frames until the input ends or the server stops. One frame is read at a
        time, in a worker thread, and handled in the event loop before the next is read
        (so no read is pending when `exit` ends the process)."""
        loop = asyncio.get_running_loop()
        while self._stop_event is None or not self._stop_event.is_set():
            try:
                item = await loop.run_in_executor(self.thread_pool, frames.next)
            except (OSError, ValueError) as error:  # stdin closed under us
                log.error("cannot read from the client: %s", error)
                return
            if item is None:
                return
            if isinstance(item, Malformed):
                self.send_error(PARSE_ERROR, f"Parse error: {item.reason}")
            else:
                self.receive(item.body)

    def receive(self, body: bytes) -> None:
        """Handle the body of one frame: a JSON-RPC message, or an error back for it."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as error:  # not JSON, not UTF-8, too deep
            self.send_error(PARSE_ERROR, f"Parse error: {error}")
            return
        problem = message_problem(data)
        if problem is not None:
            request_id = request_id_of(data) if "method" in data else None
            self.send_error(INVALID_REQUEST, f"Invalid Request: {problem}", request_id)
            return
        try:
            message = self.protocol.structure_message(data)
        except JsonRpcException as error:
            if "method" in data and "id" in data:
                self.send_error(error.code, error.message, request_id_of(data))
            else:
                log.warning("ignored %s: %s", data.get("method", "a response"), error.message)
            return
        try:
            self.protocol.handle_message(message)
        except Exception as error:  # as pygls's own loop: log, report and go on
            log.exception("unable to handle a message")
            self._report_server_error(error, JsonRpcException)

    def send_error(self, code: int, message: str, request_id: int | str | None = None) -> None:
        """A JSON-RPC error response, on stdout (from the event loop, as pygls writes)."""
        if self.stdout is not None:
            self.stdout.write(encode(error_response(code, message, request_id)))
