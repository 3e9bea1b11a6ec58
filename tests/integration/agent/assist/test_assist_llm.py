"""The LLM path against a loopback OpenAI-compatible server (real HTTP and SSE): streamed answers,
JSON-mode summaries, and the fallbacks on timeout, HTTP errors and malformed JSON."""

from __future__ import annotations

import json
from typing import Any

from tests.fake_llm import FakeLlm
from tests.live_server import LiveServer, play_demo_call
from workbench.demo.synth import SynthesizedCall

VALID_SUMMARY = {
    "reason": "해외 로밍 요금 과다 청구 문의",
    "customer_issue": "로밍 요금제 없이 일본에서 데이터를 써서 요금이 많이 나옴",
    "agent_actions": ["로밍 요금 감면 안내"],
    "resolution": "첫 해외 이용으로 한 번 감면, 다음 달 청구서에 반영",
    "follow_ups": ["다음 출국 전 로밍 요금제 신청"],
    "keywords": ["로밍", "감면"],
    "prose": "고객이 로밍 요금을 문의했고 상담원이 감면을 안내했다.",
}


def llm_settings(fake: FakeLlm, **overrides: Any) -> dict[str, Any]:
    return {
        "llm_model": "test-model",
        "llm_base_url": fake.base_url,
        "llm_api_key": "test-llm-key",
        **overrides,
    }


async def call_events(server: LiveServer, call_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (e.type, e.data) for e in await server.store.read_events(server.store.keys.call_events(call_id), "0")
    ]


def first_suggestion(events: list[tuple[str, dict]]) -> tuple[dict, list[str], dict]:
    """The call's first suggestion event, the text of its deltas in order, and its done event."""
    first = next(d for k, d in events if k == "suggestion")
    mine = [(k, d) for k, d in events if d.get("suggestion_id") == first["suggestion_id"]]
    deltas = [d["text"] for k, d in mine if k == "suggestion_delta"]
    return first, deltas, next(d for k, d in mine if k == "suggestion_done")


async def test_answers_stream_token_by_token_and_summary_uses_json_mode(  # type: ignore[no-untyped-def]
    assist_server, demo_call: SynthesizedCall, fake_llm: FakeLlm
) -> None:
    fake_llm.json_replies = [json.dumps(VALID_SUMMARY, ensure_ascii=False)]
    server: LiveServer = await assist_server(**llm_settings(fake_llm))
    await play_demo_call(server, demo_call, "llm-1")
    events = await call_events(server, "llm-1")
    first, deltas, done = first_suggestion(events)
    assert first["status"] == "streaming" and first["mode"] == "llm" and first["reply"] == ""
    assert len(deltas) >= 2  # streamed, not one block
    assert "".join(deltas).strip() == done["reply"] == "".join(fake_llm.answer).strip()
    assert done["mode"] == "llm" and done["fallback"] is None
    assert done["latency_ms"]["first_token"] is not None
    index = [k for k, _ in events]
    assert index.index("suggestion") < index.index("suggestion_delta") < index.index("suggestion_done")

    # grounded prompt: the retrieved passage is in it; no personal number ever left the server
    answer_request = next(r for r in fake_llm.requests if r.get("stream"))
    prompt = answer_request["messages"][1]["content"]
    assert "[가이드]" in prompt and "[1]" in prompt and "고객:" in prompt
    sent = fake_llm.prompts()
    assert "일이삼사" not in sent and "오육칠팔" not in sent and "[전화번호]" in sent

    summary = [d for k, d in events if k == "summary"][-1]
    assert summary["kind"] == "final" and summary["mode"] == "llm" and summary["fallback"] is None
    assert summary["reason"] == VALID_SUMMARY["reason"]
    assert fake_llm.requests_json()[-1]["response_format"] == {"type": "json_object"}


async def test_timeout_falls_back_to_extractive_and_says_so(  # type: ignore[no-untyped-def]
    assist_server, demo_call: SynthesizedCall, fake_llm: FakeLlm
) -> None:
    fake_llm.first_byte_delay_s = 3.0
    server: LiveServer = await assist_server(
        **llm_settings(fake_llm, llm_timeout_s=0.8, assist_summary_every=0)
    )
    await play_demo_call(server, demo_call, "llm-2")
    events = await call_events(server, "llm-2")
    done = [d for k, d in events if k == "suggestion_done"]
    assert done and all(d["mode"] == "extractive" and d["fallback"] == "timeout after 0.8 s" for d in done)
    assert all(d["reply"] for d in done)
    summary = [d for k, d in events if k == "summary"][-1]
    assert summary["mode"] == "extractive" and summary["fallback"] == "timeout after 0.8 s"
    assert summary["reason"]

    # a stream that starts but does not finish in time: what was streamed is replaced (two tokens
    # each past the delta flush interval, then a stall past the timeout: no race with the load)
    fake_llm.first_byte_delay_s = 0.0
    fake_llm.token_delay_s = 0.06
    fake_llm.stall_after, fake_llm.stall_s = 2, 3.0
    await play_demo_call(server, demo_call, "llm-2b")
    events = await call_events(server, "llm-2b")
    _, streamed, done = first_suggestion(events)
    assert streamed and done["fallback"] == "timeout after 0.8 s" and done["reply"] != "".join(streamed)
    assert done["mode"] == "extractive" and done["reply"]


async def test_http_error_and_malformed_json_fall_back(  # type: ignore[no-untyped-def]
    assist_server, demo_call: SynthesizedCall, fake_llm: FakeLlm
) -> None:
    fake_llm.fail_status = 500
    server: LiveServer = await assist_server(**llm_settings(fake_llm, assist_summary_every=0))
    await play_demo_call(server, demo_call, "llm-3")
    events = await call_events(server, "llm-3")
    done = [d for k, d in events if k == "suggestion_done"]
    assert done and all(d["mode"] == "extractive" and "HTTP 500" in d["fallback"] for d in done)

    fake_llm.fail_status = None
    fake_llm.requests.clear()
    fake_llm.json_replies = ["this is not JSON", json.dumps({"reason": 1})]
    await play_demo_call(server, demo_call, "llm-4")
    summary = [d for k, d in await call_events(server, "llm-4") if k == "summary"][-1]
    assert summary["mode"] == "extractive"
    assert summary["fallback"].startswith("the reply did not match the summary schema")
    assert len(fake_llm.requests_json()) == 2  # tried, retried once, then fell back
