"""After-call work through the REST API: the form's data (codes, the likeliest one, the summary),
a submission stored with the call (note and corrections redacted), announced, exported, tagged in
the archive and gone from the supervisors' pending list; bad submissions answered 4xx."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx

from agent.assist.wrapup import Disposition, parse_dispositions, suggested_disposition
from tests.live_server import AGENT_A, AGENT_B, SUPERVISOR, LiveServer, play_demo_call
from workbench.demo.synth import SynthesizedCall


async def test_a_wrapup_is_stored_announced_exported_and_searchable(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall
) -> None:
    server: LiveServer = await assist_server()
    assert (await play_demo_call(server, demo_call, "wrap-1"))["type"] == "stopped"
    async with (
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as agent,
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as supervisor,
    ):
        form = (await agent.get("/v1/calls/wrap-1/wrapup")).json()
        codes = [d["code"] for d in form["dispositions"]]
        assert form["suggested"] in codes and form["submitted"] is None and form["summary"]["kind"] == "final"
        pending = (await supervisor.get("/v1/wrapups/pending")).json()["calls"]
        assert [c["call_id"] for c in pending] == ["wrap-1"] and pending[0]["waiting_s"] >= 0

        # bad input: 4xx with the reason, nothing stored
        bad = await agent.post("/v1/calls/wrap-1/wrapup", json={"disposition": "nope"})
        assert bad.status_code == 422 and "not one of" in bad.json()["detail"]
        long = await agent.post(
            "/v1/calls/wrap-1/wrapup", json={"disposition": codes[0], "note": "가" * 2001}
        )
        assert long.status_code == 422
        other = httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_B})
        assert (
            await other.post("/v1/calls/wrap-1/wrapup", json={"disposition": codes[0]})
        ).status_code == 403
        await other.aclose()
        assert (await agent.get("/v1/calls/wrap-1/wrapup")).json()["submitted"] is None

        sent = {
            "disposition": "follow_up",
            "note": "고객 연락처 010-2345-6789 로 내일 재연락",
            "summary": {"resolution": "로밍 요금 감면을 신청했고 결과를 문자로 안내하기로 함"},
        }
        saved = await agent.post("/v1/calls/wrap-1/wrapup", json=sent)
        assert saved.status_code == 200, saved.text
        record = saved.json()
        assert record["disposition"] == "follow_up" and record["by"] == "agent-a" and record["summary_edited"]
        assert "[전화번호]" in record["note"] and "2345" not in record["note"]

        form = (await agent.get("/v1/calls/wrap-1/wrapup")).json()
        assert form["submitted"]["label"] == "후속 조치 필요" and form["summary"]["edited"] is True
        assert form["summary"]["resolution"].startswith("로밍 요금 감면을 신청")
        events = await server.store.read_events(server.store.keys.call_events("wrap-1"), "0")
        assert [e.type for e in events][-2:] == ["summary", "wrapup"]
        export = (await supervisor.get("/v1/calls/wrap-1/export")).json()
        assert export["wrapup"]["disposition"] == "follow_up"
        markdown = (await supervisor.get("/v1/calls/wrap-1/export", params={"format": "md"})).text
        assert "## 통화 정리" in markdown and "후속 조치 필요" in markdown and "상담원이 수정함" in markdown
        assert (await supervisor.get("/v1/wrapups/pending")).json()["calls"] == []
        found = (await supervisor.get("/v1/search/calls", params={"tag": "disposition-follow_up"})).json()
        assert [r["call_id"] for r in found["results"]] == ["wrap-1"]
        assert (await agent.get("/v1/wrapups/pending")).status_code == 403


def test_dispositions_and_the_likeliest_one() -> None:
    codes = parse_dispositions(
        ["resolved:해결", "complaint:불만 접수", "dropped:통화 끊김", "info_only:단순 안내"]
    )
    call = {"audio_seconds": 120, "end_reason": "stop"}
    problem = [{"trigger": {"kind": "problem"}}]
    assert suggested_disposition(codes, call, None, problem, {}) == "complaint"
    assert suggested_disposition(codes, call, None, problem, {"s1": {"action": "accept"}}) == "resolved"
    assert suggested_disposition(codes, {"audio_seconds": 8, "end_reason": "stop"}, None, [], {}) == "dropped"
    assert suggested_disposition(codes, call, None, [], {}) == "info_only"
    only = (Disposition("x", "기타"),)
    assert suggested_disposition(only, call, None, [], {}) == "x"  # none of the rules' codes configured
    for bad in (["해결"], ["a:b", "a:c"], [], ["bad code:라벨"]):
        try:
            parse_dispositions(bad)
        except ValueError as error:
            assert str(error)
        else:
            raise AssertionError(bad)
    assert json.dumps([c.code for c in codes])


async def test_a_transfer_from_telephony_and_its_bad_input(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall
) -> None:
    from tests.helpers.streams import call_bytes, send_audio
    from tests.live_server import INGEST, start_message

    server: LiveServer = await assist_server()
    async with server.connect("/v1/calls/moved-2/audio", INGEST) as ingest:
        await ingest.send(start_message())
        assert json.loads(await ingest.recv())["type"] == "started"
        await send_audio(ingest, call_bytes(demo_call)[: 16000 * 4 * 4])
        await ingest.send(json.dumps({"type": "transfer", "agent_id": "agent-b"}))  # the platform moved it
        async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as agent:
            for _ in range(50):
                call = (await agent.get("/v1/calls/moved-2")).json()["call"]
                if call["agent_id"] == "agent-b":
                    break
                await asyncio.sleep(0.1)
            assert call["agent_id"] == "agent-b" and call["previous_agents"] == ["agent-a"]
            # agent-a is no longer the call's agent: no further transfer, no wrap-up of agent-b's part
            assert (
                await agent.post("/v1/calls/moved-2/transfer", json={"agent_id": "agent-a"})
            ).status_code == 403
            bad = await agent.post("/v1/calls/moved-2/transfer", json={"agent_id": "bad id"})
            assert bad.status_code == 422
        copied = await server.store.read_events(server.store.keys.agent_events("agent-b"), "0")
        assert [e.type for e in copied][0] == "call_started" and "call_transferred" in [
            e.type for e in copied
        ]
        await ingest.send(json.dumps({"type": "transfer"}))  # no agent: a clear error, the call ends
        reply = json.loads(await ingest.recv())
        assert reply["type"] == "error" and "agent_id" in reply["message"]
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as supervisor:
        gone = await supervisor.post("/v1/calls/moved-2/transfer", json={"agent_id": "agent-a"})
        assert gone.status_code == 409
