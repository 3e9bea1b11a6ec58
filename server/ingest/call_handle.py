"""One call on this server, whatever carries its audio (native websocket, Twilio Media Streams,
Genesys AudioHook, WebRTC): the one place that opens its session, feeds it, enforces the maximum
duration and the idle timeout, hears a hang-up asked from elsewhere, and ends it with the same
reasons whatever happens (a clean stop, a protocol error, a disconnect, a storage fault, a server
fault, the server's drain), telling the client why in its protocol's words and touching no other
call.

A transport supplies two things: a body (reads its protocol, feeds audio through the handle) and a
reply (how a refusal reaches its client: a close frame, AudioHook's `disconnect`, a closed peer
connection); `run_call` does the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import structlog
from redis.exceptions import RedisError
from starlette.websockets import WebSocketDisconnect

from agent.audio.codecs import AudioFormat
from agent.events import Role
from agent.session import CallSession, SessionFailed
from server.errors import CloseCode, ProtocolError

if TYPE_CHECKING:
    from server.services import Services

log = structlog.get_logger(__name__)


class Disconnected(Exception):
    """The client went away (a closed peer connection; websockets raise their own)."""


SHUTDOWN = ProtocolError(CloseCode.GOING_AWAY, "server shutting down; reconnect to continue the call")
STORAGE_DOWN = ProtocolError(
    CloseCode.TRY_AGAIN_LATER,
    "call storage (Redis) is unavailable; the call was ended, retry with a new call id",
)
INTERNAL = ProtocolError(CloseCode.INTERNAL_ERROR, "internal error; see server logs")
PIPELINE_FAILED = ProtocolError(CloseCode.INTERNAL_ERROR, "the call's pipeline failed; see server logs")

Reply = Callable[[ProtocolError], Awaitable[None]]


def idle_timeout(seconds: float) -> ProtocolError:
    """The 4408 a call (or a socket waiting for its first message) gets after `seconds` of nothing."""
    return ProtocolError(CloseCode.IDLE_TIMEOUT, f"no message for {seconds:g} s")


class IdleClock:
    """The idle timeout of a call: only input that carries something (audio bytes, a control
    message) pushes it back, so empty frames cannot keep a call alive."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def active(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def expired(self) -> ProtocolError:
        return idle_timeout(self.seconds)


class CallHandle:
    """One call's session on this server, and how it ends."""

    def __init__(self, services: Services, transport: str) -> None:
        self.services = services
        self.transport = transport  # native, twilio, audiohook, webrtc
        self.session: CallSession | None = None
        self.reason: str | None = None  # why it ended, once it has
        self.idle = IdleClock(services.settings.idle_timeout_seconds)
        self.hang_up = asyncio.Event()  # asked to end from outside the transport (REST hang-up)
        self.ended = asyncio.Event()  # its end is stored (or handed to the background retry)
        self.task: asyncio.Task[None] | None = None  # `run_call`, when no request holds it (WebRTC)

    async def open(
        self, call_id: str, agent_id: str, fmt: AudioFormat, roles: Sequence[Role], metadata: dict[str, Any]
    ) -> CallSession:
        """Claim the call id and start its session (admission, lease, authentication already done
        by the transport); from here the server's drain and hang-ups reach this call."""
        structlog.contextvars.bind_contextvars(call_id=call_id)
        self.session = await self.services.open_session(call_id, agent_id, fmt, roles, metadata)
        self.services.calls[call_id] = self
        self.idle.active()
        return self.session

    async def feed(self, data: bytes) -> None:
        """Feed audio; past the longest allowed call, end it (`max_duration`, 4410)."""
        if self.session is None or not data:
            return
        self.idle.active()
        await self.session.feed(data)
        limit = self.services.settings.max_call_seconds
        if self.session.received_seconds > limit:
            await self.finish("max_duration")
            raise ProtocolError(CloseCode.TOO_LONG, f"call exceeded the maximum duration of {limit:g} s")

    async def finish(self, reason: str) -> None:
        """End the call (idempotent): last utterances stored, summary written, call marked ended.
        With Redis away this cannot be stored now: it is retried in the background while Redis
        comes back (`Services.keep_ending`); failing that, the lease expires and a sweeper ends it."""
        if self.session is None or self.reason is not None:
            return
        self.reason = reason
        if self.services.calls.get(self.session.call_id) is self:
            del self.services.calls[self.session.call_id]
        try:
            await self.services.close_session(self.session, reason)
        except RedisError as exc:
            log.warning("call_end_not_stored_yet", reason=reason, error=repr(exc))
            self.services.keep_ending(self.session)
        finally:
            self.ended.set()


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


async def run_call(call: CallHandle, body: Callable[[], Awaitable[None]], reply: Reply) -> None:
    """Run a transport's `body` for `call`; whatever ends it, end the call properly with the one
    reason every transport gives for it, and tell the client through `reply`."""
    try:
        await _until_shutdown(body(), call.services)
        await call.finish("stop")  # a body that returned has been stopped by its client
    except ProtocolError as error:
        if error is SHUTDOWN:  # the client hears first (before the server's own shutdown can
            log.info("ingest_ended_by_shutdown")  # close the socket), the call's last work follows
            await reply(error)
            await call.finish("server_shutdown")
            return
        log.info("ingest_rejected", code=int(error.code), reason=error.message)
        await call.finish(f"error:{error.code.name.lower()}")
        await reply(error)
    except (WebSocketDisconnect, Disconnected):
        await call.finish("disconnected")
    except SessionFailed as failure:
        await call.finish("error:storage" if failure.storage else "internal_error")
        await reply(STORAGE_DOWN if failure.storage else PIPELINE_FAILED)
    except RedisError as exc:
        log.warning("ingest_storage_unavailable", error=repr(exc))
        await call.finish("error:storage")
        await reply(STORAGE_DOWN)
    except Exception:
        log.exception("ingest_failed")
        await call.finish("internal_error")
        await reply(INTERNAL)
    finally:
        structlog.contextvars.unbind_contextvars("call_id")
