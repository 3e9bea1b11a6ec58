"""Everything the app builds once at start and shares between requests and calls."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from agent import metrics
from agent.asr import NoTranscriber, Transcriber
from agent.asr.remote import RemoteTranscriber
from agent.assist.assistant import AssistServices
from agent.assist.post_call import finish_lost_call
from agent.audio.codecs import AudioFormat
from agent.events import Role
from agent.feed import CallRefused
from agent.redaction.redactor import Redactor
from agent.session import CallSession, SessionResources
from agent.store import CallStore
from agent.vad.silero import SileroVad
from server.audit import AuditLog
from server.auth import KeyRing
from server.components import finish_budget, open_assist, redactor_from_settings
from server.errors import CloseCode, ProtocolError
from server.feed_hub import FeedHub
from server.key_layout import adopt_hash_tags
from server.library_threads import limit_library_threads
from server.recognizer import load_transcriber, segmenter_config
from server.redis_runtime import EmbeddedRedis, check_capabilities, dedicated_client, open_redis
from server.retention import delete_calls_before
from server.settings import Settings

if TYPE_CHECKING:
    from server.ingest.call_handle import CallHandle

log = structlog.get_logger(__name__)
RETENTION_INTERVAL_S = 3600.0
REDIS_RESTARTS = 5  # embedded Redis deaths tolerated within the window below
REDIS_RESTART_WINDOW_S = 300.0
CONSOLE_FLUSH_S = 3.0  # at shutdown, how long the consoles of ended calls get to receive the end


@dataclass
class Services:
    settings: Settings
    keys: KeyRing
    redis: Redis
    store: CallStore
    vad: SileroVad
    executor: ThreadPoolExecutor
    transcriber: Transcriber
    redis_version: str
    redactor: Redactor
    audit: AuditLog
    assist: AssistServices | None = None
    embedded_redis: EmbeddedRedis | None = None
    owner: str = field(default_factory=lambda: secrets.token_hex(8))
    live: dict[str, CallSession] = field(default_factory=dict)
    opening: int = 0  # calls admitted and still starting (counted by admission)
    ending: set[asyncio.Future[None]] = field(default_factory=set)  # sessions storing their last work
    calls: dict[str, CallHandle] = field(default_factory=dict)  # live calls by id, every transport
    retention: asyncio.Task[None] | None = None
    sweeper: asyncio.Task[None] | None = None  # ends calls whose server died
    redis_watch: asyncio.Task[None] | None = None  # restarts the embedded Redis if it dies
    redis_deaths: int = 0  # how often the embedded Redis died: a call that opened across one lost writes
    failed: str | None = None  # why the process cannot go on (then /healthz fails, to be restarted)
    feeds: FeedHub | None = None  # the console feeds' one blocking reader (server/feed_hub.py)
    draining: asyncio.Event = field(default_factory=asyncio.Event)  # SIGTERM: no new calls
    shutting_down: asyncio.Event = field(default_factory=asyncio.Event)  # drain over: end live calls

    @classmethod
    async def start(cls, settings: Settings) -> Services:
        owner = secrets.token_hex(8)  # this process: its leases, its recognition replies
        limit_library_threads()
        redis, embedded = await open_redis(
            settings.redis_url,
            settings.redis_server,
            settings.data_dir,
            settings.redis_socket_timeout,
            max_connections=settings.redis_max_connections,
        )
        try:
            version = await check_capabilities(
                redis, "the embedded Redis" if embedded else settings.redis_url
            )
            await adopt_hash_tags(redis, settings.redis_prefix)
            vad = SileroVad(settings.vad_model or None)
            store = CallStore(redis, settings.redis_prefix, settings.events_max_len)
            assist = await open_assist(redis, settings, store) if settings.assist_enabled else None
            if settings.asr_mode == "remote":
                remote = RemoteTranscriber(
                    redis,
                    settings.redis_prefix,
                    owner,
                    dedicated_client(redis, settings.redis_socket_timeout),
                )
                await remote.start()
                transcriber: Transcriber = remote
            else:
                transcriber = await load_transcriber(settings)
        except BaseException:
            await redis.aclose()
            if embedded:
                await embedded.stop()
            raise
        services = cls(
            settings=settings,
            keys=KeyRing(settings),
            redis=redis,
            store=store,
            redactor=redactor_from_settings(settings),
            audit=AuditLog(redis, settings.redis_prefix, settings.audit_retention_days),
            assist=assist,
            vad=vad,
            executor=ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="callassist-cpu"),
            transcriber=transcriber,
            redis_version=version,
            embedded_redis=embedded,
            owner=owner,
        )
        log.info(
            "services_started",
            redis="embedded" if embedded else "external",
            redis_version=version,
            vad_model=str(vad.path),
            asr=services.transcriber.description,
            worker_threads=settings.worker_threads,
            llm=assist.llm.description if assist and assist.llm else None,
        )
        services.feeds = FeedHub(
            dedicated_client(redis, settings.redis_socket_timeout),
            settings.redis_prefix,
            limit=settings.console_max_feeds,
            block_ms=int(settings.redis_socket_timeout * 500),
            poll_ms=settings.console_poll_ms,
        )
        services.feeds.start()
        services.sweeper = asyncio.create_task(services._sweep_forever(), name="lost-call-sweeper")
        if embedded is not None:
            services.redis_watch = asyncio.create_task(services._keep_redis(embedded), name="redis-watch")
        if settings.archive_retention_days > 0:
            services.retention = asyncio.create_task(services._keep_retention(), name="retention")
        if services.keys.empty:
            log.warning(
                "no_api_keys",
                hint="set CALLASSIST_INGEST_KEYS, CALLASSIST_AGENT_KEYS, CALLASSIST_SUPERVISOR_KEYS",
            )
        return services

    async def stop(self) -> None:
        self.shutting_down.set()  # every call's handle ends it as `server_shutdown`
        if self.calls:
            ends = [asyncio.ensure_future(call.ended.wait()) for call in list(self.calls.values())]
            await asyncio.wait(ends, timeout=finish_budget(self.settings).total_s)
            for end in ends:
                end.cancel()
        for session in list(self.live.values()):  # sessions opened without a handle
            await self.close_session(session, "server_shutdown")
        if self.ending:  # sessions closed by their sockets, still storing their last work
            await asyncio.wait(set(self.ending), timeout=60)
        for task in (self.redis_watch, self.retention, self.sweeper):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self.feeds is not None:
            await self.feeds.stop()
        await self.transcriber.close()
        if self.assist is not None and self.assist.llm is not None:
            await self.assist.llm.close()
        self.executor.shutdown(wait=True, cancel_futures=True)
        await self.redis.aclose()
        if self.embedded_redis:
            await self.embedded_redis.stop()

    @cached_property
    def session_resources(self) -> SessionResources:
        """What every call shares; fixed once the services have started."""
        return SessionResources(
            store=self.store,
            vad=self.vad,
            executor=self.executor,
            transcriber=self.transcriber,
            segmenter=segmenter_config(
                self.settings, recognizing=not isinstance(self.transcriber, NoTranscriber)
            ),
            owner=self.owner,
            redactor=self.redactor,
            assist=self.assist,
            audio_queue_frames=self.settings.audio_queue_frames,
            frames_per_job=self.settings.audio_frames_per_job,
            lease_ttl_ms=int(self.settings.call_lease_seconds * 1000),
            uncertain_below=self.settings.asr_uncertain_below,
            post_call_s=finish_budget(self.settings).total_s,
        )

    async def open_session(
        self, call_id: str, agent_id: str, fmt: AudioFormat, roles: Sequence[Role], metadata: dict[str, Any]
    ) -> CallSession:
        """Claim the call id (across every server sharing this Redis) and start its session."""
        if self.draining.is_set():
            raise ProtocolError(CloseCode.TRY_AGAIN_LATER, "this server is shutting down; connect to another")
        # calls still opening count: a burst arriving together must not all pass on the same count
        refusal = self.transcriber.admit(len(self.live) + self.opening)
        if refusal:
            metrics.CALLS_REFUSED.inc()
            with contextlib.suppress(RedisError):  # the agent's sidebar says why no call arrived
                refused = CallRefused(call_id=call_id, reason=refusal, refused_at=time.time())
                await self.store.announce_to_agent(agent_id, refused)
            raise ProtocolError(CloseCode.TRY_AGAIN_LATER, refusal)
        self.opening += 1
        try:
            return await self._open(call_id, agent_id, fmt, roles, metadata)
        finally:
            self.opening -= 1

    async def _open(
        self, call_id: str, agent_id: str, fmt: AudioFormat, roles: Sequence[Role], metadata: dict[str, Any]
    ) -> CallSession:
        resources = self.session_resources
        deaths = self.redis_deaths
        if not await self.store.acquire_lease(call_id, self.owner, resources.lease_ttl_ms):
            raise ProtocolError(CloseCode.CONFLICT, f"call {call_id} is already live")
        try:
            existing = await self.store.get_call(call_id)
            if existing is not None and existing["status"] == "live":  # its server died mid-call
                if await self.store.claim_lost_call(call_id, self.owner):  # else a sweeper is at it
                    await self.end_lost_call(existing)
                raise ProtocolError(
                    CloseCode.CONFLICT,
                    f"call {call_id} was cut off when its server stopped and has been ended; "
                    "continue under a new call id",
                )
            if existing is not None:
                raise ProtocolError(CloseCode.CONFLICT, f"call {call_id} already ended; use a new call id")
            session = CallSession(call_id, agent_id, fmt, roles, resources)
            await session.start(metadata)
        except BaseException:
            await self.store.release_lease(call_id, self.owner)
            raise
        self.live[call_id] = session
        if self.redis_deaths != deaths:  # Redis died (and came back) while the call was opening
            session.storage_lost("the embedded Redis died while the call was opening")
        return session

    def keep_ending(self, session: CallSession, within_s: float = 60.0) -> None:
        """Retry storing `session`'s end (Redis was away) every second for `within_s`; tracked
        with the other ending sessions, so a drain waits for it."""

        async def retry() -> None:
            deadline = time.monotonic() + within_s
            while time.monotonic() < deadline:
                await asyncio.sleep(1.0)
                try:
                    await session.end("error:storage")  # the reason given first is kept
                    return
                except RedisError:
                    continue
            log.warning("call_end_not_stored", call_id=session.call_id)

        ending = asyncio.ensure_future(retry())
        self.ending.add(ending)
        ending.add_done_callback(self.ending.discard)

    async def close_session(self, session: CallSession, reason: str) -> None:
        if self.live.get(session.call_id) is session:
            del self.live[session.call_id]
        ending = asyncio.ensure_future(session.end(reason))  # its last finals and post-call work
        self.ending.add(ending)
        ending.add_done_callback(self.ending.discard)
        await asyncio.shield(ending)

    async def end_lost_call(self, call: dict[str, Any]) -> None:
        """End a call whose server is gone, as its own server would have: final summary and
        archive entry from what was stored, then `call_ended` (reason `server_lost`) with the
        audio time it had reached."""
        if self.assist is not None:
            try:
                await finish_lost_call(self.assist, call)
            except Exception as exc:  # the call is still ended: a summary is not worth a live zombie
                log.warning("lost_call_summary_failed", call_id=call["call_id"], error=repr(exc))
        await self.store.end_lost_call(call)
        log.info("lost_call_ended", call_id=call["call_id"], audio_seconds=call.get("audio_seconds"))

    async def sweep_lost_calls(self) -> list[str]:
        """End every call whose lease has expired (once, by whichever server claims it first)."""
        ended = []
        for call in await self.store.lost_calls():
            if await self.store.claim_lost_call(call["call_id"], self.owner):
                await self.end_lost_call(call)
                ended.append(call["call_id"])
        return ended

    async def _sweep_forever(self) -> None:
        interval = self.session_resources.lease_ttl_ms / 3000
        while True:
            await asyncio.sleep(interval)
            try:
                await self.sweep_lost_calls()
            except Exception as exc:  # Redis away: the next round tries again
                log.warning("lost_call_sweep_failed", error=repr(exc))

    async def _keep_redis(self, embedded: EmbeddedRedis) -> None:
        """Restart the embedded Redis when it dies (it reloads its AOF), with back-off. Calls that
        were live lose their storage meanwhile and are ended with 1013; past REDIS_RESTARTS deaths
        within REDIS_RESTART_WINDOW_S the process gives up: `/healthz` fails so that it is restarted."""
        deaths: list[float] = []
        while True:
            code = await embedded.exited()
            if code is None:
                return  # stopped on purpose
            now = time.monotonic()
            deaths = [t for t in deaths if now - t < REDIS_RESTART_WINDOW_S] + [now]
            self.redis_deaths += 1
            log.error("embedded_redis_died", returncode=code, deaths_in_window=len(deaths))
            for session in list(self.live.values()):  # their last second may be missing from the AOF
                session.storage_lost("the embedded Redis died")
            if len(deaths) > REDIS_RESTARTS:
                self.failed = (
                    f"the embedded Redis died {len(deaths)} times within {REDIS_RESTART_WINDOW_S:.0f} s"
                )
                log.error("giving_up", reason=self.failed)
                return
            delay = 0.2
            while True:
                try:
                    await embedded.start()
                    break
                except Exception as exc:
                    log.warning("embedded_redis_restart_failed", error=repr(exc), retry_in_s=delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 10.0)
            log.info("embedded_redis_restarted")

    async def drain(self, grace_s: float) -> None:
        """Stop taking calls, let live ones go on for up to `grace_s`, then end the rest as
        `server_shutdown` (their ingest sockets close with 1001) and wait for their post-call work.
        Consoles stay connected throughout, so agents see every call end."""
        self.draining.set()
        log.info("drain_started", live_calls=len(self.live), grace_s=grace_s)
        ours = [self.store.keys.call_events(call_id) for call_id in self.live]
        await self._calls_gone(grace_s)
        left = len(self.live)
        self.shutting_down.set()  # every call's handle ends it as `server_shutdown`
        budget = finish_budget(self.settings)
        await self._calls_gone(budget.total_s + budget.drain_margin_s)
        await self._consoles_told(ours, CONSOLE_FLUSH_S)
        log.info("drain_finished", ended_by_shutdown=left, still_live=len(self.live))

    async def _consoles_told(self, streams: list[str], within_s: float) -> None:
        """Until the consoles here of the calls this server ended have been sent their end (a call's
        feed closes itself after `call_ended`), or `within_s` has passed; then the process may close
        every socket (other consoles resume on another replica with their last event id)."""
        hub = self.feeds
        if hub is not None:  # feeds close from their own tasks: polled
            await _until(lambda: not hub.serves_any(streams), within_s)

    async def _calls_gone(self, within_s: float) -> None:
        """Until no call is live on this server, or `within_s` has passed."""
        # two collections, changed from many places: polled
        await _until(lambda: not (self.live or self.ending), within_s)

    async def _keep_retention(self) -> None:
        while True:
            cutoff = time.time() - self.settings.archive_retention_days * 86400
            try:
                archive = self.assist.archive if self.assist else None
                deleted = await delete_calls_before(self.redis, self.settings, cutoff, archive, self.live)
                if deleted:
                    log.info("retention_deleted_calls", count=len(deleted), before=round(cutoff))
            except Exception as exc:
                log.warning("retention_failed", error=repr(exc))
            await asyncio.sleep(RETENTION_INTERVAL_S)

    async def ready(self) -> dict[str, str]:
        try:
            await self.redis.ping()
            redis_state = "ok"
        except Exception as exc:
            redis_state = f"error: {exc}"
        state = {"redis": redis_state, "vad": "ok", "asr": self.transcriber.description}
        if self.draining.is_set():
            state["draining"] = "shutting down: no new calls"
        return state


async def _until(done: Callable[[], bool], within_s: float) -> None:
    """Until `done()` holds (checked every 50 ms) or `within_s` has passed."""

    async def poll() -> None:
        while True:
            if done():
                return
            await asyncio.sleep(0.05)

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(poll(), within_s)
