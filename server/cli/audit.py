"""`callassist audit …`: the access log (who read which call), listed, exported and verified."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server.cli.calls import time_arg
from server.cli.common import with_redis
from server.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from server.audit import AuditLog


def _log(redis: Redis, settings: Settings) -> AuditLog:
    from server.audit import AuditLog

    return AuditLog(redis, settings.redis_prefix, settings.audit_retention_days)


async def record_cli_read(
    redis: Redis, settings: Settings, action: str, calls: list[str], detail: str = ""
) -> None:
    """A read of call content from the command line: one record, the operating-system user as
    who (the command runs with the deployment's Redis, not with a key)."""
    from server.audit import AuditRecord

    user = getpass.getuser()
    record = AuditRecord(
        at=time.time(), key_id=f"cli:{user}", role="operator", agent_id="", action=action, calls=tuple(calls),
        client=socket.gethostname(), detail=detail,
    )  # fmt: skip
    await _log(redis, settings).append(record)


def _records(args: argparse.Namespace, settings: Settings) -> list[dict[str, str]]:
    async def job(redis: Redis) -> list[dict[str, str]]:
        log, found, after = _log(redis, settings), [], None
        while True:
            page, after = await log.page(since=args.since, until=args.until, after=after, limit=1000)
            found += page
            if after is None or (args.limit and len(found) >= args.limit):
                return found[: args.limit] if args.limit else found

    return asyncio.run(with_redis(settings, job, existing_data=True))


def _list(args: argparse.Namespace, settings: Settings) -> int:
    records = _records(args, settings)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    if not records:
        print("no access recorded in that range")
    for r in records:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(r["at"])))
        who = f"{r['role']} {r['key_id']}" + (f" ({r['agent_id']})" if r.get("agent_id") else "")
        print(
            f"{when}  {who}  {r['action']}  {r['calls'] or '-'}  from {r['client']}  {r.get('detail', '')}".rstrip()
        )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    records = _records(args, settings)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"{len(records)} records written to {args.out}", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    async def job(redis: Redis) -> dict[str, Any]:
        return await _log(redis, settings).verify()

    report = asyncio.run(with_redis(settings, job, existing_data=True))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["ok"] else 1


def register(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the access log: who read which call").add_subparsers(
        dest="audit_command", required=True
    )
    for name, run, help_text in (
        ("list", _list, "records in a time range, oldest first"),
        ("export", _export, "records as JSON lines, for an auditor"),
    ):
        command = audit.add_parser(name, help=help_text)
        command.add_argument(
            "--from", dest="since", type=time_arg(), help="at or after (epoch, YYYY-MM-DD, ISO)"
        )
        command.add_argument("--to", dest="until", type=time_arg(end_of_day=True), help="at or before")
        command.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")
        if name == "list":
            command.add_argument("--json", action="store_true")
        else:
            command.add_argument("--out", required=True)
        command.set_defaults(run=run)
    verify = audit.add_parser("verify", help="check the hash chain: exit 1 if a record was removed or edited")
    verify.set_defaults(run=_verify)
