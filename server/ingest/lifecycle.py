"""What every ingest protocol shares: owning one call's session on one socket, and ending it the
same way whatever happens (a clean stop, a protocol error, a disconnect, a server fault): the
session is closed with the right reason, the client is told why in its protocol's words, and no
other call is touched."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import structlog
from redis.exceptions import RedisError
from starlette.websockets import WebSocket, WebSocketDisconnect

from agent.audio.codecs import AudioFormat
from agent.events import Role
from agent.session import CallSession, SessionFailed
from server.errors import CloseCode, ProtocolError
from server.services import Services

log = structlog.get_logger(__name__)

ErrorReply = Callable[[WebSocket, ProtocolError], Awaitable[None]]


async def send_error(websocket: WebSocket, error: ProtocolError) -> None:
    """The native reply to a failure: an `error` message, then a close frame with the code."""
    try:
        await websocket.send_json(error.to_message())
        await websocket.close(error.code, error.reason)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client is already gone


async def receive(websocket: WebSocket, within_s: float, idle_s: float | None = None) -> Mapping[str, Any]:
    """The next message within `within_s`, or 4408 ("no message for `idle_s`", default `within_s`)."""
    try:
        message = await asyncio.wait_for(websocket.receive(), max(within_s, 0.0))
    except TimeoutError:
        raise ProtocolError(CloseCode.IDLE_TIMEOUT, f"no message for {idle_s or within_s:g} s") from None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    return message


class IdleClock:
    """The idle timeout of a call: only messages that carry something (audio bytes, a control
    message) push it back, so empty frames cannot keep a call alive."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def active(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    async def receive(self, websocket: WebSocket) -> Mapping[str, Any]:
        return await receive(websocket, self.deadline - time.monotonic(), self.seconds)


def over_length(session: CallSession, services: Services) -> ProtocolError | None:
    """The 4410 a call that has gone past `CALLASSIST_MAX_CALL_SECONDS` of audio gets, or None:
    every transport asks after each piece of audio it feeds."""
    limit = services.settings.max_call_seconds
    if session.received_seconds > limit:
        return ProtocolError(CloseCode.TOO_LONG, f"call exceeded the maximum duration of {limit:g} s")
    return None


class IngestCall:
    """One call's session on one ingest socket."""

    def __init__(self, websocket: WebSocket, services: Services) -> None:
        self.websocket = websocket
        self.services = services
        self.session: CallSession | None = None
        self.reason: str | None = None

    async def open(
        self, call_id: str, agent_id: str, fmt: AudioFormat, roles: Sequence[Role], metadata: dict[str, Any]
    ) -> CallSession:
        structlog.contextvars.bind_contextvars(call_id=call_id)
        self.session = await self.services.open_session(call_id, agent_id, fmt, roles, metadata)
        return self.session

    async def feed(self, data: bytes) -> None:
        """Feed audio; past the longest allowed call, end it (4410)."""
        if self.session is None or not data:
            return
        await self.session.feed(data)
        too_long = over_length(self.session, self.services)
        if too_long is not None:
            await self.finish("max_duration")
            raise too_long

    async def finish(self, reason: str) -> None:
        """End the call (idempotent): last utterances stored, summary written, call marked ended.
        With Redis away this cannot be stored now: it is retried in the background while Redis
        comes back (`Services.keep_ending`); failing that, the lease expires and a sweeper ends it."""
        if self.session is not None and self.reason is None:
            self.reason = reason
            try:
                await self.services.close_session(self.session, reason)
            except RedisError as exc:
                log.warning("call_end_not_stored_yet", reason=reason, error=repr(exc))
                self.services.keep_ending(self.session)


SHUTDOWN = ProtocolError(CloseCode.GOING_AWAY, "server shutting down; reconnect to continue the call")
STORAGE_DOWN = ProtocolError(
    CloseCode.TRY_AGAIN_LATER,
    "call storage (Redis) is unavailable; the call was ended, retry with a new call id",
)


async def _until_shutdown(body: Awaitable[None], services: Services) -> None:
    """Run `body`; if the server's drain ends first, cancel it and raise SHUTDOWN."""
    task = asyncio.ensure_future(body)
    shutdown = asyncio.ensure_future(services.shutting_down.wait())
    try:
        await asyncio.wait({task, shutdown}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        shutdown.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise SHUTDOWN
    task.result()


async def run_ingest(
    websocket: WebSocket,
    body: Callable[[IngestCall], Awaitable[None]],
    on_error: ErrorReply = send_error,
) -> None:
    """Accept the socket and run `body`; whatever ends it, end the call properly."""
    services: Services = websocket.app.state.services
    await websocket.accept()
    call = IngestCall(websocket, services)
    try:
        await _until_shutdown(body(call), services)
    except ProtocolError as error:
        if error is SHUTDOWN:  # the client hears first (before the server's own shutdown can
            log.info("ingest_ended_by_shutdown")  # close the socket), the call's last work follows
            await on_error(websocket, error)
            await call.finish("server_shutdown")
            return
        log.info("ingest_rejected", code=int(error.code), reason=error.message)
        await call.finish(f"error:{error.code.name.lower()}")
        await on_error(websocket, error)
    except WebSocketDisconnect:
        await call.finish("disconnected")
    except SessionFailed as failure:
        await call.finish("error:storage" if failure.storage else "internal_error")
        await on_error(
            websocket,
            STORAGE_DOWN
            if failure.storage
            else ProtocolError(CloseCode.INTERNAL_ERROR, "the call's pipeline failed; see server logs"),
        )
    except RedisError as exc:
        log.warning("ingest_storage_unavailable", error=repr(exc))
        await call.finish("error:storage")
        await on_error(websocket, STORAGE_DOWN)
    except Exception:
        log.exception("ingest_failed")
        await call.finish("internal_error")
        await on_error(websocket, ProtocolError(CloseCode.INTERNAL_ERROR, "internal error; see server logs"))
    finally:
        structlog.contextvars.unbind_contextvars("call_id")
