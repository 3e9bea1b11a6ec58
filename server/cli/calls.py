"""`callassist export` and `calls …`: ended calls (export, archive search, retention)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server.cli.common import with_redis
from server.settings import Settings
from server.times import parse_time

if TYPE_CHECKING:
    from redis.asyncio import Redis


def _export(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from agent.assist.export import build_export, to_markdown
    from agent.assist.records import AssistRecords
    from agent.store import CallStore
    from server.cli.audit import record_cli_read
    from server.components import redactor_from_settings

    async def job(redis: Redis) -> dict[str, Any] | None:
        store = CallStore(redis, settings.redis_prefix)
        document = await build_export(
            store, AssistRecords(store), redactor_from_settings(settings), args.call_id
        )
        if document is not None:
            await record_cli_read(
                redis, settings, "callassist export", [args.call_id], f"format={args.format}"
            )
        return document

    document = asyncio.run(with_redis(settings, job, existing_data=True))
    if document is None:
        print(f"callassist: no call {args.call_id}", file=sys.stderr)
        return 1
    text = (
        to_markdown(document)
        if args.format == "md"
        else json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def time_arg(*, end_of_day: bool = False) -> Callable[[str], float | None]:
    """An argparse type: a bad time is a usage error with the accepted forms, never a traceback."""

    def parse(value: str) -> float | None:
        try:
            return parse_time(value, end_of_day=end_of_day)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = "time"
    return parse


def _calls_search(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from dataclasses import asdict

    from kb.archive import ArchiveFilters, ArchivePage
    from server.cli.audit import record_cli_read
    from server.components import open_archive

    filters = ArchiveFilters(agent=args.agent, since=args.since, until=args.until, tag=args.tag)

    async def job(redis: Redis) -> ArchivePage:
        archive = await open_archive(redis, settings)
        page = await archive.search(args.query, filters, limit=args.limit, offset=args.offset)
        await record_cli_read(redis, settings, "callassist calls search", [h.call_id for h in page.hits])
        return page

    page = asyncio.run(with_redis(settings, job, existing_data=True))
    if args.json:
        print(
            json.dumps(
                {"total": page.total, "results": [asdict(h) for h in page.hits]}, ensure_ascii=False, indent=1
            )
        )
        return 0
    if not page.hits:
        print("no matching call")
    print(f"{page.total} calls match" if page.total else "", file=sys.stderr)
    for rank, hit in enumerate(page.hits, args.offset + 1):
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(hit.started_at))
        print(f"{rank}. {hit.call_id}  {when}  {hit.agent_id}  {hit.title}\n   {hit.snippet}")
    return 0


def _calls_purge(args: argparse.Namespace, settings: Settings) -> int:
    from server.retention import delete_calls_before

    cutoff = time.time() - args.older_than_days * 86400

    async def job(redis: Redis) -> list[str]:
        return await delete_calls_before(redis, settings, cutoff)

    deleted = asyncio.run(with_redis(settings, job, existing_data=True))
    print(
        f"deleted {len(deleted)} calls started before {time.strftime('%Y-%m-%d %H:%M', time.localtime(cutoff))}"
        + ("; Redis rewrites its append-only file so that they leave the disk too" if deleted else "")
    )
    return 0


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="one call as JSON or Markdown (redacted text only)")
    export.add_argument("call_id")
    export.add_argument("--format", choices=["json", "md"], default="json")
    export.add_argument("--out", help="write here instead of standard output")
    export.set_defaults(run=_export)

    calls = commands.add_parser("calls", help="the archive of ended calls").add_subparsers(
        dest="calls_command", required=True
    )
    calls_search = calls.add_parser("search", help="find past calls (keyword + vector)")
    calls_search.add_argument("query", nargs="?", default="", help="words to find (empty: newest first)")
    calls_search.add_argument("--agent")
    calls_search.add_argument(
        "--from", dest="since", type=time_arg(), help="started at or after (epoch, YYYY-MM-DD, ISO)"
    )
    calls_search.add_argument(
        "--to", dest="until", type=time_arg(end_of_day=True), help="started at or before"
    )
    calls_search.add_argument("--tag")
    calls_search.add_argument("--limit", type=int, default=10)
    calls_search.add_argument("--offset", type=int, default=0)
    calls_search.add_argument("--json", action="store_true")
    calls_search.set_defaults(run=_calls_search)
    purge = calls.add_parser("purge", help="delete calls (and their archive entries) older than N days")
    purge.add_argument("--older-than-days", type=float, required=True)
    purge.set_defaults(run=_calls_purge)
