"""`callassist asr info` and `asr-worker`: the speech model in use, and the recognition worker of a
remote tier."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from server.settings import Settings


def _asr_info(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from server.recognizer import describe_asr_model

    info = describe_asr_model(settings)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    for key, value in info.items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        print(f"{key:>15}: {shown}")
    return 0


def _asr_worker(args: argparse.Namespace, settings: Settings) -> int:
    import signal

    from agent.asr.worker import AsrWorker
    from server.library_threads import limit_library_threads
    from server.recognizer import load_transcriber
    from server.redis_runtime import RedisUnavailable, open_redis

    async def serve() -> None:
        limit_library_threads()
        redis, embedded = await open_redis(
            settings.redis_url,
            settings.redis_server,
            settings.data_dir,
            settings.redis_socket_timeout,
            share_running=True,
        )
        if embedded is not None:  # nobody served this data directory: a worker joins a Redis, never owns one
            await redis.aclose()
            await embedded.stop()
            raise RedisUnavailable(
                "no Redis to take jobs from: set CALLASSIST_REDIS_URL, or start `callassist serve` on this "
                "data directory first"
            )
        transcriber = await load_transcriber(settings)
        worker = AsrWorker(
            redis,
            settings.redis_prefix,
            transcriber,
            name=args.name,
            concurrency=args.concurrency,
            capacity_calls=args.capacity_calls,
            reclaim_ms=settings.asr_reclaim_ms,
        )
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, worker.stop)
        if args.metrics_port:
            from prometheus_client import start_http_server

            start_http_server(args.metrics_port, addr=args.metrics_host)
        try:
            await worker.run()
        finally:
            await transcriber.close()
            await redis.aclose()

    asyncio.run(serve())
    return 0


def register(commands: Any) -> None:
    worker = commands.add_parser(
        "asr-worker", help="serve recognition jobs from Redis for servers in CALLASSIST_ASR_MODE=remote"
    )
    worker.add_argument("--name", help="worker name (default: host and a number)")
    worker.add_argument(
        "--concurrency", type=int, default=8, help="jobs in flight (the scheduler batches them)"
    )
    worker.add_argument(
        "--capacity-calls",
        type=int,
        default=0,
        help="calls this worker sustains, published for admission (0: unknown)",
    )
    worker.add_argument("--metrics-port", type=int, default=0, help="serve Prometheus metrics on this port")
    worker.add_argument(
        "--metrics-host", default="127.0.0.1",
        help="address the metrics port listens on (default loopback only; 0.0.0.0 in a container that is scraped)",
    )  # fmt: skip
    worker.set_defaults(run=_asr_worker)

    asr = commands.add_parser("asr", help="speech-recognition tools").add_subparsers(
        dest="asr_command", required=True
    )
    asr.add_parser(
        "make-test-model",
        help="build a random-weight Whisper (real tokenizer) offline (see `callassist asr make-test-model -h`)",
    )
    asr_info = asr.add_parser("info", help="the speech model in use: path, kind, size, compute type, windows")
    asr_info.add_argument("--json", action="store_true")
    asr_info.set_defaults(run=_asr_info)
