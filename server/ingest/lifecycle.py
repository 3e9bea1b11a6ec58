"""The websocket side of a call (native, Twilio, AudioHook): accept the socket, read it within the
call's idle timeout, and run the transport's body under the one call handle
(`server/ingest/call_handle.py`), which ends the call the same way whatever happens."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server.errors import ProtocolError
from server.ingest.call_handle import CallHandle, idle_timeout, run_call
from server.services import Services

ErrorReply = Callable[[WebSocket, ProtocolError], Awaitable[None]]


_GONE = (WebSocketDisconnect, RuntimeError, OSError)  # the client is already gone


async def send_error(websocket: WebSocket, error: ProtocolError) -> None:
    """The native reply to a failure: an `error` message, then a close frame with the code; the
    close is tried even where the message could not be sent, so the code and reason are not left
    to the server's own shutdown (which closes with 1012 and no reason)."""
    with contextlib.suppress(*_GONE):
        await websocket.send_json(error.to_message())
    with contextlib.suppress(*_GONE):
        await websocket.close(error.code, error.reason)


async def receive(websocket: WebSocket, within_s: float, idle_s: float | None = None) -> Mapping[str, Any]:
    """The next message within `within_s`, or 4408 ("no message for `idle_s`", default `within_s`)."""
    try:
        message = await asyncio.wait_for(websocket.receive(), max(within_s, 0.0))
    except TimeoutError:
        raise idle_timeout(idle_s or within_s) from None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    return message


class IngestCall(CallHandle):
    """A call whose audio arrives on an ingest websocket."""

    def __init__(self, websocket: WebSocket, services: Services, transport: str) -> None:
        super().__init__(services, transport)
        self.websocket = websocket

    async def receive(self) -> Mapping[str, Any]:
        """The socket's next message within the call's idle timeout (4408 past it)."""
        return await receive(self.websocket, self.idle.left(), self.idle.seconds)


async def run_ingest(
    websocket: WebSocket,
    transport: str,
    body: Callable[[IngestCall], Awaitable[None]],
    on_error: ErrorReply = send_error,
) -> None:
    """Accept the socket and run `body` as one call."""
    services: Services = websocket.app.state.services
    await websocket.accept()
    call = IngestCall(websocket, services, transport)

    async def reply(error: ProtocolError) -> None:
        await on_error(websocket, error)

    await run_call(call, lambda: body(call), reply)
