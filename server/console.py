"""Console event feeds (docs/protocols.md, "Console feed").

    GET /v1/calls/{call_id}/events?last_event_id=…    one call (closes after call_ended)
    GET /v1/agents/{agent_id}/events?last_event_id=…  every call of one agent (the sidebar)

Each message is an event from the Redis stream, `{"id": …, "type": …, …}`: first the history after
`last_event_id`, then live events. A client that reconnects with the last id it saw gets every
later event exactly once. Each feed reads its events on its own, so a slow console only falls
behind itself; one that stops accepting messages for `console_send_timeout_seconds` is closed
(4429) and may reconnect with its last id. Idle feeds hold no Redis connection: they wait on the
process's one blocking reader (`server/feed_hub.py`); past `console_max_feeds` a new feed is
refused with 1013.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import structlog
from starlette.websockets import WebSocket, WebSocketDisconnect

from agent.store import CallStore, StoredEvent
from kb.redis_values import as_text
from server.audit import AuditRecord, AuditUnavailable
from server.auth import Principal, Role
from server.errors import CloseCode, ProtocolError
from server.feed_hub import FeedHub, TooManyFeeds
from server.ingest.messages import ID_RE
from server.services import Services

log = structlog.get_logger(__name__)

_STREAM_ID = re.compile(r"^\d{1,20}(-\d{1,20})?$")
HISTORY_PAGE = 500
AGENT_FEED_LOOKBACK = 2_000  # events searched back for the agent's latest call_started


async def handle_call_events(websocket: WebSocket, call_id: str) -> None:
    services: Services = websocket.app.state.services
    await websocket.accept()
    try:
        principal = services.keys.require(websocket, Role.AGENT, Role.SUPERVISOR)
        _check_id("call id", call_id)
        stream = services.store.keys.call_events(call_id)
        async with _place(services, stream):
            call = await services.store.get_call(call_id)
            if call is None:
                raise ProtocolError(CloseCode.NOT_FOUND, f"no call {call_id}")
            if not principal.can_view_call(call):
                raise ProtocolError(CloseCode.FORBIDDEN, f"call {call_id} is not assigned to this agent")
            after = _last_event_id(websocket) or "0"
            await _audit_feed(websocket, services, principal, "console feed of a call", [call_id])
            await _feed(websocket, services, stream, close_on_call_end=True).run(after)
    except ProtocolError as error:
        await _close(websocket, error)


async def handle_agent_events(websocket: WebSocket, agent_id: str) -> None:
    services: Services = websocket.app.state.services
    await websocket.accept()
    try:
        principal = services.keys.require(websocket, Role.AGENT, Role.SUPERVISOR)
        _check_id("agent id", agent_id)
        if not principal.can_view_agent(agent_id):
            raise ProtocolError(CloseCode.FORBIDDEN, "an agent key sees only its own agent feed")
        stream = services.store.keys.agent_events(agent_id)
        async with _place(services, stream):
            after = _last_event_id(websocket) or await _before_latest_call(services.store, stream)
            if principal.role is Role.SUPERVISOR:
                latest = await services.redis.zrevrange(services.store.keys.agent_calls(agent_id), 0, 0)
                await _audit_feed(
                    websocket, services, principal, "console feed of an agent", [as_text(c) for c in latest],
                    f"agent={agent_id}",
                )  # fmt: skip
            await _feed(websocket, services, stream, close_on_call_end=False).run(after)
    except ProtocolError as error:
        await _close(websocket, error)


async def _audit_feed(
    websocket: WebSocket,
    services: Services,
    principal: Principal,
    action: str,
    calls: list[str],
    detail: str = "",
) -> None:
    """A supervisor's feed is a read of the calls it shows: one access-log record per connection
    (an agent's own sidebar is not: it is their call). No record, no feed."""
    if principal.role is not Role.SUPERVISOR:
        return
    try:
        await services.audit.append(AuditRecord.read_by(principal, action, calls, websocket, detail))
    except AuditUnavailable as exc:
        raise ProtocolError(CloseCode.TRY_AGAIN_LATER, str(exc)) from None


@contextlib.asynccontextmanager
async def _place(services: Services, stream: str) -> AsyncIterator[None]:
    """A feed's place among the process's `console_max_feeds`, taken once the feed is authorised
    and before any Redis read, so that places go in the order feeds connected (the one past the
    limit is the one refused, with 1013 and a reason)."""
    assert services.feeds is not None, "the services have not started"
    try:
        async with services.feeds.feed(stream):
            yield
    except TooManyFeeds as exc:
        raise ProtocolError(CloseCode.TRY_AGAIN_LATER, f"{exc}; try again later") from None


def _feed(websocket: WebSocket, services: Services, stream: str, *, close_on_call_end: bool) -> EventFeed:
    settings = services.settings
    assert services.feeds is not None, "the services have not started"
    return EventFeed(
        websocket,
        services.store,
        services.feeds,
        stream,
        settings.console_send_timeout_seconds,
        close_on_call_end=close_on_call_end,
        poll_s=settings.redis_socket_timeout,
    )


def _check_id(what: str, value: str) -> None:
    if not ID_RE.match(value):
        raise ProtocolError(CloseCode.BAD_REQUEST, f"{what} must be 1-128 letters, digits, '.', '_' or '-'")


def _last_event_id(websocket: WebSocket) -> str | None:
    value = websocket.query_params.get("last_event_id")
    if value is None or value == "":
        return None
    if not _STREAM_ID.match(value) or any(int(part) >= 1 << 64 for part in value.split("-")):
        # Redis stream ids are two unsigned 64-bit numbers: a larger one is no id Redis could have
        raise ProtocolError(CloseCode.BAD_REQUEST, f"last_event_id {value[:48]!r} is not an event id")
    return value


async def _before_latest_call(store: CallStore, stream: str) -> str:
    """A fresh sidebar starts at the agent's latest call, not at its whole history."""
    start = await store.last_event_of_type(stream, "call_started", AGENT_FEED_LOOKBACK)
    start = start or await store.oldest_event_id(stream, AGENT_FEED_LOOKBACK)
    return _id_before(start) if start else "0"


def _id_before(stream_id: str) -> str:
    ms, _, seq = stream_id.partition("-")
    if int(seq or 0) > 0:
        return f"{ms}-{int(seq) - 1}"
    return f"{int(ms) - 1}-18446744073709551615" if int(ms) > 0 else "0"


class EventFeed:
    def __init__(
        self,
        websocket: WebSocket,
        store: CallStore,
        hub: FeedHub,
        stream: str,
        send_timeout: float,
        *,
        close_on_call_end: bool,
        poll_s: float,
    ) -> None:
        self.websocket = websocket
        self.store = store
        self.hub = hub
        self.stream = stream
        self.send_timeout = send_timeout
        self.close_on_call_end = close_on_call_end
        self.poll_s = poll_s  # read even without a wake-up this often (the reader may be down)

    async def run(self, after: str) -> None:
        """Send events after `after` until the client leaves (its place among the process's feeds is
        held by the caller: `_place`)."""
        sender = asyncio.create_task(self._send_events(after))
        listener = asyncio.create_task(self._watch_client())
        done, pending = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            error = task.exception()
            if isinstance(error, ProtocolError):
                raise error
            if error is not None and not isinstance(error, WebSocketDisconnect):
                log.error("console_feed_failed", stream=self.stream, error=repr(error))
                raise ProtocolError(CloseCode.INTERNAL_ERROR, "feed failed; reconnect with last_event_id")

    async def _send_events(self, after: str) -> None:
        resume_from = await self.store.first_retained_after_gap(self.stream, after)
        if resume_from is not None:
            await self._send({"type": "events_skipped", "after": after, "resume_from": resume_from})
        while batch := await self.store.read_events(self.stream, after, HISTORY_PAGE):
            for event in batch:
                if await self._deliver(event):
                    return
                after = event.id
        await self._send({"type": "live"})  # history delivered; what follows is live
        async with self.hub.watching(self.stream, after) as watched:
            while True:
                growth = watched.grew  # taken before reading: growth after the read wakes us
                batch = await self.store.read_events(self.stream, after, HISTORY_PAGE)
                for event in batch:
                    if await self._deliver(event):
                        return
                    after = event.id
                if not batch:
                    await self.hub.wait_for_growth(growth, self.poll_s)

    async def _deliver(self, event: StoredEvent) -> bool:
        """Send one event; True when the feed is complete."""
        await self._send(event.to_message())
        if self.close_on_call_end and event.type == "call_ended":
            await self.websocket.close(CloseCode.NORMAL, "call ended")
            return True
        return False

    async def _send(self, message: dict[str, object]) -> None:
        try:
            await asyncio.wait_for(self.websocket.send_json(message), self.send_timeout)
        except TimeoutError:
            raise ProtocolError(
                CloseCode.TOO_SLOW, "console did not keep up; reconnect with last_event_id"
            ) from None

    async def _watch_client(self) -> None:
        """Consume what the client sends (nothing is expected yet) until it disconnects."""
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return


async def _close(websocket: WebSocket, error: ProtocolError) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(websocket.send_json(error.to_message()), 2)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(websocket.close(error.code, error.reason), 2)
