"""The access log: each way of reading a call's content leaves exactly one record (who, which
calls, how, from where; never the content), only an auditor key reads the log, and its hash chain
finds a record removed from the middle or the end, or edited."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from redis.asyncio import Redis

from server.audit import AuditLog, chain_hash, key_id
from tests.live_server import (
    AGENT_A,
    SUPERVISOR,
    LiveServer,
    archive_search_until_found,
    eventually,
    play_demo_call,
)
from workbench.demo.synth import SynthesizedCall

AUDITOR = "auditor-key"


async def records(server: LiveServer) -> list[dict[str, str]]:
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AUDITOR}) as client:
        reply = await client.get("/v1/audit", params={"limit": 1000})
        assert reply.status_code == 200, reply.text
        return reply.json()["records"]  # type: ignore[no-any-return]


async def test_every_read_path_leaves_exactly_one_record(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall, redis: Redis
) -> None:
    server: LiveServer = await assist_server(auditor_keys=[AUDITOR])
    assert (await play_demo_call(server, demo_call, "audited-1"))["type"] == "stopped"
    await archive_search_until_found(server, "로밍")  # each of its searches is a read of its own
    log = await records(server)
    before = len(log)
    assert {r["action"] for r in log} == {"GET /v1/search/calls"} and log[-1]["calls"] == "audited-1"

    reads: list[tuple[str, str, Callable[[], Any]]] = []
    async with (
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as supervisor,
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as agent,
    ):
        reads = [
            ("GET /v1/calls/{call_id}", "agent", lambda: agent.get("/v1/calls/audited-1")),
            ("GET /v1/calls/{call_id}/summary", "supervisor", lambda: supervisor.get("/v1/calls/audited-1/summary")),
            ("GET /v1/calls/{call_id}/export", "supervisor",
             lambda: supervisor.get("/v1/calls/audited-1/export", params={"format": "md"})),
            ("GET /v1/search/calls", "supervisor", lambda: supervisor.get("/v1/search/calls", params={"q": "로밍"})),
        ]  # fmt: skip
        for action, role, read in reads:
            reply = await read()
            assert reply.status_code == 200, (action, reply.text)
            log = await records(server)
            assert len(log) == before + 1, (action, log[before:])
            last = log[-1]
            assert (last["action"], last["role"], last["calls"]) == (action, role, "audited-1")
            assert last["client"] == "127.0.0.1" and last["key_id"] == key_id(
                SUPERVISOR if role == "supervisor" else AGENT_A
            )
            assert SUPERVISOR not in json.dumps(last) and AGENT_A not in json.dumps(last)  # never the key
            assert "로밍" not in json.dumps(
                last, ensure_ascii=False
            )  # never the content, nor the words searched
            before += 1

    # a supervisor's console feed is a read; the agent's own sidebar is not
    for key, recorded in ((SUPERVISOR, True), (AGENT_A, False)):
        async with server.connect("/v1/calls/audited-1/events", key) as console:
            await console.recv()
            await console.close()
        log = await records(server)
        assert len(log) == before + recorded
        before = len(log)
    assert log[-1]["action"] == "console feed of a call" and log[-1]["role"] == "supervisor"
    async with server.connect("/v1/agents/agent-a/events", SUPERVISOR) as console:
        await console.close()  # the record is written as the feed starts, maybe after this close

    async def recorded() -> list[dict[str, Any]] | None:
        found = await records(server)
        return found if len(found) > before else None

    log = await eventually(recorded, within_s=10)
    assert len(log) == before + 1 and log[-1]["detail"] == "agent=agent-a" and log[-1]["calls"] == "audited-1"


async def test_only_an_auditor_reads_the_log_and_an_auditor_reads_no_call(
    make_server: Callable[..., Any],
) -> None:
    server: LiveServer = await make_server(auditor_keys=[AUDITOR])
    async with httpx.AsyncClient(base_url=server.http) as client:
        assert (await client.get("/v1/audit", headers={"X-API-Key": SUPERVISOR})).status_code == 403
        assert (await client.get("/v1/audit", headers={"X-API-Key": AGENT_A})).status_code == 403
        assert (await client.get("/v1/calls/x", headers={"X-API-Key": AUDITOR})).status_code == 403
        bad = await client.get("/v1/audit", params={"after": "x"}, headers={"X-API-Key": AUDITOR})
        assert bad.status_code == 422
        ok = await client.get("/v1/audit/verify", headers={"X-API-Key": AUDITOR})
        assert ok.json() == {"ok": True, "records": 0, "first": None, "head": None}


async def rewrite(
    redis: Redis, key: str, entries: list[Any], edit_id: str = "", edit: dict[bytes, bytes] | None = None
) -> None:
    await redis.delete(key)
    for entry_id, fields in entries:
        changed = {**fields, **(edit or {})} if entry_id.decode() == edit_id else fields
        await redis.xadd(key, changed, id=entry_id)


async def test_the_chain_finds_removed_and_edited_records(redis: Redis, prefix: str) -> None:
    from server.audit import AuditRecord

    log = AuditLog(redis, prefix, retention_days=365)
    ids = [
        await log.append(
            AuditRecord(1e9 + n, "k_1", "supervisor", "", "GET /v1/calls/{call_id}", (f"c{n}",), "1.2.3.4")
        )
        for n in range(5)
    ]
    assert (await log.verify())["ok"] and (await log.verify())["records"] == 5
    page, after = await log.page(limit=2)
    assert [r["calls"] for r in page] == ["c0", "c1"] and after == ids[1]
    page, after = await log.page(after=after, limit=10)
    assert [r["calls"] for r in page] == ["c2", "c3", "c4"] and after is None

    # an edited record: the stream rewritten by someone with access to Redis, one record changed
    original = await redis.xrange(log.keys.audit)
    await rewrite(redis, log.keys.audit, original, ids[2], {b"calls": b"someone-else"})
    report = await log.verify()
    assert not report["ok"] and report["broken_at"] == ids[2] and "edited" in report["reason"]
    await rewrite(redis, log.keys.audit, original)  # put back: whole again
    assert (await log.verify())["ok"]
    # a record removed from the middle, then one from the end
    await redis.xdel(log.keys.audit, ids[1])
    assert (await log.verify())["broken_at"] == ids[2]
    await redis.delete(log.keys.audit, log.keys.audit_head)
    for n in range(3):
        await log.append(AuditRecord(1e9 + n, "k_1", "supervisor", "", "a", (f"c{n}",), "1.2.3.4"))
    last = (await redis.xrevrange(log.keys.audit, count=1))[0][0]
    await redis.xdel(log.keys.audit, last)
    assert "newest" in (await log.verify())["reason"]
    assert chain_hash("0" * 64, {"at": "1"}) != chain_hash("0" * 64, {"at": "2"})


async def test_the_command_line_lists_exports_and_verifies_and_records_its_own_reads(
    redis: Redis, redis_url: str, prefix: str, tmp_path: Any
) -> None:
    import asyncio

    from server.audit import AuditRecord
    from server.cli import main
    from tests.helpers.cli import run_cli

    log = AuditLog(redis, prefix, retention_days=365)
    await log.append(
        AuditRecord(1.7e9, "k_1", "supervisor", "", "GET /v1/calls/{call_id}", ("c1",), "10.0.0.7")
    )
    env = {"CALLASSIST_REDIS_URL": redis_url, "CALLASSIST_REDIS_PREFIX": prefix}
    listed = await asyncio.to_thread(run_cli, main, ["audit", "list", "--json"], env)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["client"] == "10.0.0.7"
    exported = await asyncio.to_thread(
        run_cli, main, ["audit", "export", "--out", str(tmp_path / "a.jsonl")], env
    )
    assert exported.returncode == 0 and len((tmp_path / "a.jsonl").read_text().splitlines()) == 1
    bad = await asyncio.to_thread(run_cli, main, ["audit", "list", "--from", "yesterday-ish"], env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    # a search from the command line is a read too, recorded under the operating-system user
    await asyncio.to_thread(run_cli, main, ["calls", "search", "로밍"], env)
    last = (await log.page(limit=10))[0][-1]
    assert (
        last["action"] == "callassist calls search"
        and last["key_id"].startswith("cli:")
        and last["role"] == "operator"
    )
    verified = await asyncio.to_thread(run_cli, main, ["audit", "verify"], env)
    assert verified.returncode == 0 and json.loads(verified.stdout)["records"] == 2
    await redis.xdel(log.keys.audit, last["id"])
    broken = await asyncio.to_thread(run_cli, main, ["audit", "verify"], env)
    assert broken.returncode == 1 and json.loads(broken.stdout)["ok"] is False
