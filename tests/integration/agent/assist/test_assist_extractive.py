"""The extractive path end to end: scripted call → redacted transcript → suggestions citing the
roaming guide → final summary → export → the call found by archive search."""

from __future__ import annotations

import json

import httpx

from tests.live_server import AGENT_A, AGENT_B, SUPERVISOR, LiveServer, play_demo_call
from workbench.demo.synth import SynthesizedCall


async def test_scripted_call_gets_suggestions_summary_export_and_archive(  # type: ignore[no-untyped-def]
    assist_server, demo_call: SynthesizedCall
) -> None:
    server: LiveServer = await assist_server()
    result = await play_demo_call(server, demo_call, "assist-1", tags=["vip"], caller="010-9876-5432")
    assert result["type"] == "stopped"
    call = await server.store.get_call("assist-1")
    assert call is not None and call["metadata"] == {"tags": ["vip"], "caller": "[전화번호]"}
    events = [
        (e.type, e.data)
        for e in await server.store.read_events(server.store.keys.call_events("assist-1"), "0")
    ]
    kinds = [k for k, _ in events]
    # a suggestion for the last question may finish after the audio ended; the summary and the
    # call's analytics come last
    assert [k for k in kinds if k != "suggestion"][-4:] == [
        "audio_ended",
        "summary",
        "analytics",
        "call_ended",
    ]
    last_summary = len(kinds) - 1 - kinds[::-1].index("summary")
    assert last_summary > max(i for i, k in enumerate(kinds) if k == "suggestion")

    # PII: the customer's phone number never reached Redis in any form
    finals = [d for k, d in events if k == "final"]
    phone_line = next(d["text"] for d in finals if "전화번호" in (d["text"] or ""))
    assert phone_line == "네 [전화번호]이에요."
    raw = json.dumps([d for _, d in events], ensure_ascii=False)
    assert "일이삼사" not in raw and "오육칠팔" not in raw
    assert all("일이삼사" not in row["text"] for row in await server.store.transcript("assist-1"))

    # suggestions: triggered by customer questions, citing the roaming guide, extractive, with latency
    suggestions = [d for k, d in events if k == "suggestion"]
    assert suggestions, kinds
    first = suggestions[0]
    assert first["mode"] == "extractive" and first["status"] == "done" and first["reply"]
    assert first["sources"][0]["doc_id"] == "bill-dispute"  # "이번 달 요금이 평소보다 너무 많이 나와서…"
    roaming = next(s for s in suggestions if s["sources"][0]["doc_id"] == "roaming")
    assert roaming["sources"][0]["title"] == "해외 로밍 안내"
    assert "일본 출장" in roaming["trigger"]["text"] or "조정" in roaming["trigger"]["text"]
    assert set(first["latency_ms"]) >= {"trigger", "retrieval", "answer", "total"}
    assert first["trigger"]["kind"] in ("question", "problem", "request")
    finals_by_seq = {d["seq"]: d for d in finals}
    assert all(finals_by_seq[s["trigger"]["seq"]]["role"] == "customer" for s in suggestions)
    shown = [s["sources"][0]["chunk_id"] for s in suggestions]
    assert len(shown) == len(set(shown)), "a suggestion was repeated while its topic continued"
    reduction = [s for s in suggestions if "감면" in s["reply"]]
    assert reduction, [s["reply"] for s in suggestions]

    # final summary
    summary = [d for k, d in events if k == "summary"][-1]
    assert any(d["kind"] == "rolling" for k, d in events if k == "summary")
    assert summary["kind"] == "final" and summary["mode"] == "extractive"
    assert "요금" in summary["reason"]
    assert any("감면" in a for a in summary["agent_actions"]) and "감면" in summary["resolution"]
    assert {g["doc_id"] for g in summary["guides_used"]} >= {"bill-dispute", "roaming"}
    assert "로밍" in summary["keywords"]
    assert summary["prose"]

    async with httpx.AsyncClient(
        base_url=server.http, headers={"Authorization": f"Bearer {AGENT_A}"}
    ) as http:
        # feedback: accept one, dismiss another; persisted and announced
        sid = suggestions[0]["suggestion_id"]
        response = await http.post(
            f"/v1/calls/assist-1/suggestions/{sid}/feedback", json={"action": "accept"}
        )
        assert response.status_code == 200, response.text
        bad = await http.post(f"/v1/calls/assist-1/suggestions/{sid}/feedback", json={"action": "love"})
        assert bad.status_code == 422
        missing = await http.post("/v1/calls/assist-1/suggestions/s999/feedback", json={"action": "accept"})
        assert missing.status_code == 404 and "s999" in missing.json()["detail"]

        # summary and export (JSON and Markdown)
        got = (await http.get("/v1/calls/assist-1/summary")).json()
        assert got["kind"] == "final" and got["reason"] == summary["reason"]
        exported = (await http.get("/v1/calls/assist-1/export?format=json")).json()
        assert (
            exported["call"]["call_id"] == "assist-1"
            and exported["call"]["metadata"]["caller"] == "[전화번호]"
        )
        assert exported["suggestions"][0]["feedback"] == "accept"
        assert any(seg["text"] == "네 [전화번호]이에요." for seg in exported["transcript"])
        markdown = await http.get("/v1/calls/assist-1/export?format=md")
        assert markdown.headers["content-disposition"] == 'attachment; filename="call-assist-1.md"'
        assert (
            "## 요약" in markdown.text and "[전화번호]" in markdown.text and "일이삼사" not in markdown.text
        )
        summary_md = await http.get("/v1/calls/assist-1/summary?format=md")
        assert summary_md.text == markdown.text

        # archive search: the agent finds its call; filters narrow it down
        found = (await http.get("/v1/search/calls", params={"q": "로밍 요금 감면"})).json()
        assert found["total"] >= 1 and found["results"][0]["call_id"] == "assist-1"
        hit = found["results"][0]
        assert hit["highlights"] and all(hit["snippet"][s:e] for s, e in hit["highlights"])
        assert (await http.get("/v1/search/calls", params={"q": "로밍", "tag": "vip"})).json()["total"] == 1
        assert (await http.get("/v1/search/calls", params={"q": "로밍", "tag": "roaming"})).json()[
            "total"
        ] == 1
        assert (await http.get("/v1/search/calls", params={"q": "로밍", "tag": "other"})).json()["total"] == 0
        assert (await http.get("/v1/search/calls", params={"q": "로밍", "to": "2000-01-01"})).json()[
            "total"
        ] == 0
        assert (await http.get("/v1/search/calls", params={"q": "", "from": "2000-01-01"})).json()[
            "total"
        ] == 1
        other = await http.get("/v1/search/calls", params={"q": "로밍", "agent": "agent-b"})
        assert other.status_code == 403
        bad_time = await http.get("/v1/search/calls", params={"q": "로밍", "from": "yesterday"})
        assert bad_time.status_code == 422 and "yesterday" in bad_time.json()["detail"]

    async with httpx.AsyncClient(
        base_url=server.http, headers={"Authorization": f"Bearer {AGENT_B}"}
    ) as http:
        assert (await http.get("/v1/search/calls", params={"q": "로밍"})).json()["total"] == 0
        assert (await http.get("/v1/calls/assist-1/export")).status_code == 403
    async with httpx.AsyncClient(
        base_url=server.http, headers={"Authorization": f"Bearer {SUPERVISOR}"}
    ) as http:
        found = (await http.get("/v1/search/calls", params={"q": "일본 출장", "agent": "agent-a"})).json()
        assert found["results"][0]["call_id"] == "assist-1"
