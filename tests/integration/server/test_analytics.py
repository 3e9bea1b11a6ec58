"""Analytics through the server: live `sentiment` events during a call, the final analytics
(categories, sentiment, risk, QA with evidence) stored, announced, exported and in the archive's
tags; the live list carries risk; the same analytics rebuilt for a call whose server died; the
knowledge-gap report over the call's asks; bad requests answered 4xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from agent.assist.post_call import finish_lost_call
from agent.events import Role, TranscriptSegment
from tests.helpers.calls import call_meta
from tests.live_server import AGENT_A, AGENT_B, SUPERVISOR, LiveServer, eventually, play_demo_call
from workbench.demo.synth import SynthesizedCall


async def test_a_calls_analytics_are_announced_stored_exported_and_tagged(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall
) -> None:
    server: LiveServer = await assist_server()
    assert (await play_demo_call(server, demo_call, "ana-1"))["type"] == "stopped"
    events = await server.store.read_events(server.store.keys.call_events("ana-1"), "0")
    types = [e.type for e in events]
    assert "sentiment" in types and types.index("analytics") < types.index("call_ended")
    sentiments = [e.data for e in events if e.type == "sentiment"]
    assert any(s["label"] == "negative" for s in sentiments)  # "너무 억울해서요"
    async with (
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as supervisor,
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as agent,
        httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_B}) as other,
    ):
        result = (await agent.get("/v1/calls/ana-1/analytics")).json()
        assert result["final"] is True and result["customer_turns"] >= 5
        qa = {item["name"]: item for item in result["qa"]["items"]}
        assert qa["greeting"]["status"] == "met" and "한결모바일" in qa["greeting"]["text"]
        assert qa["identity_verified"]["status"] == "met"  # asked for name and birth date before the charge
        assert qa["recording_notice"]["status"] == "missed"  # the demo agent never says it
        assert qa["empathy"]["status"] == "met" and qa["closing"]["status"] == "met"
        assert result["qa"]["score"] == 80.0
        assert (await other.get("/v1/calls/ana-1/analytics")).status_code == 403
        assert (await agent.get("/v1/calls/nope/analytics")).status_code == 404

        export = (await supervisor.get("/v1/calls/ana-1/export")).json()
        assert export["analytics"]["qa"]["score"] == 80.0
        markdown = (await supervisor.get("/v1/calls/ana-1/export", params={"format": "md"})).text
        assert "## 분석" in markdown and "녹음 고지: 누락" in markdown

        async def tagged() -> dict[str, Any] | None:
            found = (
                await supervisor.get("/v1/search/calls", params={"tag": "qa-missed-recording_notice"})
            ).json()
            return found if found["total"] else None

        assert [r["call_id"] for r in (await eventually(tagged))["results"]] == ["ana-1"]
        assert "sentiment-negative" in (await eventually(tagged))["results"][0]["tags"]

        report = (await supervisor.get("/v1/reports/gaps", params={"since": "1d"})).json()
        assert report["calls"] == 1 and report["asks"]["total"] >= 1
        assert (
            report["asks"]["total"]
            == report["asks"]["suggested"] + report["asks"]["unanswered"] + report["asks"]["repeat"]
        )
        assert report["suggestions"]["shown"] == len(export["suggestions"])
        assert (await agent.get("/v1/reports/gaps")).status_code == 403
        bad = await supervisor.get("/v1/reports/gaps", params={"since": "7x"})
        assert bad.status_code == 422 and "not a" in bad.json()["detail"]
        empty = (
            await supervisor.get("/v1/reports/gaps", params={"since": "2001-01-01", "until": "2001-01-02"})
        ).json()
        assert empty["calls"] == 0 and empty["unanswered_topics"] == []


async def test_analytics_rebuilt_for_a_call_nobody_finished(assist_server: Callable[..., Any]) -> None:
    server: LiveServer = await assist_server()
    services = server.app.state.services.assist
    lines = [
        (Role.AGENT, "안녕하세요 한결모바일 고객센터입니다"),
        (Role.CUSTOMER, "요금이 왜 이렇게 나왔는지 도대체 이해가 안 가요"),
        (Role.CUSTOMER, "이거 소비자원에 신고할 거예요"),
        (Role.AGENT, "불편을 드려 죄송합니다"),
    ]
    await server.store.start_call("lost-ana", "agent-a", call_meta())
    for seq, (role, text) in enumerate(lines):
        segment = TranscriptSegment(
            seq, 0 if role is Role.CUSTOMER else 1, role, seq * 3, seq * 3 + 2, "silence", text
        )
        await server.store.append_segment("lost-ana", "agent-a", segment)
    call = await server.store.get_call("lost-ana")
    assert call is not None
    await finish_lost_call(services, call)
    result = await services.records.analytics("lost-ana")
    assert result is not None and result["final"] is True
    assert [c["name"] for c in result["categories"]] == ["escalation"]
    assert result["risk_level"] == "high" and result["negative_turns"] == 2
    assert {i["name"]: i["status"] for i in result["qa"]["items"]}["empathy"] == "met"
