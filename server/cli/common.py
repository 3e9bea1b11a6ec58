"""What the commands share: Redis (the configured one, a running server's embedded one, or one
started for the command) and the knowledge base on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from server.redis_runtime import find_redis_server
from server.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from kb.knowledge import KnowledgeBase


T = TypeVar("T")


def check_before_start(settings: Settings) -> None:
    """Fail before starting anything when there is no Redis to embed, or when the analytics file
    has an error (`AnalyticsConfigError`: its file, line and reason)."""
    if not settings.redis_url:
        find_redis_server(settings.redis_server)
    if settings.analytics and settings.assist_enabled:
        from agent.analytics.config import DEFAULT_FILE, load_config

        load_config(settings.analytics_file or DEFAULT_FILE)


async def with_redis(
    settings: Settings, job: Callable[[Redis], Awaitable[T]], *, existing_data: bool = False
) -> T:
    """Run `job(redis)` against the configured Redis: external, the running server's embedded one,
    or an embedded one started for this command. With `existing_data` (commands that read or delete
    calls), an embedded Redis must find data where it looks: a data directory that was never a
    server's (a relative CALLASSIST_DATA_DIR read from another working directory) stops the command
    with where it looked, instead of answering from an empty store."""
    from server.key_layout import adopt_hash_tags
    from server.redis_runtime import open_redis

    if existing_data and not settings.redis_url and not (settings.data_dir / "redis").is_dir():
        raise SystemExit(
            f"no callassist data in {settings.data_dir.resolve()} (CALLASSIST_DATA_DIR={settings.data_dir}, "
            f"read from {Path.cwd()}): run the command where the server runs, or set CALLASSIST_DATA_DIR "
            "to the server's data directory (an absolute path) or CALLASSIST_REDIS_URL to its Redis"
        )

    redis, embedded = await open_redis(
        settings.redis_url, settings.redis_server, settings.data_dir, settings.redis_socket_timeout,
        share_running=True,
    )  # fmt: skip
    try:
        await adopt_hash_tags(redis, settings.redis_prefix)
        return await job(redis)
    finally:
        await redis.aclose()
        if embedded:
            await embedded.stop()


async def with_knowledge_base(
    settings: Settings, job: Callable[[KnowledgeBase], Awaitable[T]], rebuild: bool = False
) -> T:
    from kb.document_store import DocumentStore
    from server.components import open_knowledge_base

    async def run(redis: Redis) -> T:
        if rebuild:  # before opening: a rebuild is how an index of another embedder is replaced
            await DocumentStore(redis, settings.redis_prefix).clear()
        return await job(await open_knowledge_base(redis, settings))

    return await with_redis(settings, run)


def spoken(texts: Sequence[str], *, phone: bool = False, voices: Sequence[int] | None = None) -> list[str]:
    """Each text spoken and recognized (`spoken_with_probs`), the text alone."""
    return [text for text, _ in spoken_with_probs(texts, phone=phone, voices=voices)]


def spoken_with_probs(
    texts: Sequence[str], *, phone: bool = False, voices: Sequence[int] | None = None
) -> list[tuple[str, tuple[float, ...]]]:
    """Each text spoken by espeak-ng (voice `voices[i]`, default i, rotating over four) and
    recognized by the configured speech model, optionally through the phone line: what the
    server would store for it, with how sure the model was of each word. Run by the workbench in
    its own process (`python -m workbench recognize`), which the product never imports."""
    import json
    import subprocess
    import sys

    lines = "".join(
        json.dumps({"text": text, "voice": voices[n] if voices else n}, ensure_ascii=False) + "\n"
        for n, text in enumerate(texts)
    )
    command = [sys.executable, "-m", "workbench", "recognize", *(["--phone"] if phone else [])]
    done = subprocess.run(command, input=lines, capture_output=True, text=True, encoding="utf-8")
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or len(replies) != len(texts):
        reason = done.stderr.strip().splitlines()[-1:] or [f"{len(replies)} texts came back for {len(texts)}"]
        raise SystemExit(f"callassist: the spoken evaluation failed: {reason[0]}")
    return [(reply["text"], tuple(reply.get("word_probs", ()))) for reply in replies]
