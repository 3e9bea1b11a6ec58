"""After-call work in the real browser: when a call ends the sidebar stays on it with the wrap-up
form (the likeliest disposition chosen, the summary editable), a call that starts meanwhile waits
as a banner, the supervisors' page lists the call as still in wrap-up, and Ctrl+Enter submits
and hands the sidebar to the waiting call."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, expect

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav, write_wav
from tests.helpers.browser import SIDEBAR, screenshot, watch_errors
from tests.helpers.streams import call_bytes, send_audio
from tests.live_server import AGENT_A, AGENT_B, INGEST, SUPERVISOR, LiveServer, start_message
from workbench.demo.player import play_wav
from workbench.demo.synth import SynthesizedCall


async def test_wrapup_holds_the_next_call_until_submitted(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall, browser: Browser, tmp_path: Path
) -> None:
    server: LiveServer = await assist_server(wrapup_hold_s=300)
    page = await (await browser.new_context(viewport=SIDEBAR)).new_page()
    errors = watch_errors(page)
    await page.goto(f"{server.http}/agent?key={AGENT_A}")
    await expect(page.locator("#connection")).to_have_text("실시간 연결됨")
    rate, audio = read_wav(demo_call.wav_path)
    opening = tmp_path / "opening.wav"  # the first 30 s: a call with finals, a suggestion and a summary
    write_wav(opening, audio[: 30 * rate], rate)
    played = await play_wav(server.http, "wrap-ui-1", INGEST, opening, channel_roles=demo_call.channel_roles,
                            agent_id="agent-a", encoding=Encoding.PCM_S16LE, speed=0)  # fmt: skip
    assert played["type"] == "stopped"

    form = page.locator("#wrapup")
    await expect(form).to_be_visible(timeout=15_000)
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as api:
        suggested = (await api.get("/v1/calls/wrap-ui-1/wrapup")).json()["suggested"]
    await expect(page.locator("#disposition")).to_have_value(suggested)
    await expect(page.locator("#wrapup-state")).to_have_text("정리 전")

    # a second call for the same agent starts: it waits as a banner, the sidebar stays on the first
    async with server.connect("/v1/calls/wrap-ui-2/audio", INGEST) as ingest:
        await ingest.send(start_message())
        assert json.loads(await ingest.recv())["type"] == "started"
        await send_audio(ingest, call_bytes(demo_call)[: 16000 * 4 * 3])
        await expect(page.locator("#next-call")).to_contain_text("wrap-ui-2")
        await expect(page.locator("#call-label")).to_have_text("wrap-ui-1")
        async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as api:
            live = await api.post("/v1/calls/wrap-ui-2/wrapup", json={"disposition": suggested})
            assert live.status_code == 409  # not while it is live

        # the supervisor sees the first call still in wrap-up, with how long
        supervisor = await browser.new_page()
        errors += watch_errors(supervisor)
        await supervisor.goto(f"{server.http}/supervisor?key={SUPERVISOR}")
        await expect(supervisor.locator('#wrapups tr[data-call="wrap-ui-1"]')).to_contain_text("agent-a")

        # keyboard only: W to the form, pick a code, correct the result, a note, Ctrl+Enter
        await page.keyboard.press("w")
        await expect(page.locator("#disposition")).to_be_focused()
        await page.locator("#disposition").select_option("follow_up")
        await page.locator("#wrapup-resolution").fill("로밍 요금 감면 신청, 결과는 문자로 안내")
        await expect(page.locator("#wrapup-resolution")).to_have_class("edited")
        await page.locator("#wrapup-note").fill("010-3456-7890 으로 재연락 요청")
        await screenshot(page, "sidebar-wrapup")
        await page.keyboard.press("Control+Enter")

        # submitted: the waiting call takes the sidebar, with everything it said meanwhile
        await expect(page.locator("#call-label")).to_have_text("wrap-ui-2", timeout=10_000)
        await expect(page.locator("#next-call")).to_be_hidden()
        await expect(form).to_be_hidden()
        await expect(supervisor.locator('#wrapups tr[data-call="wrap-ui-1"]')).to_have_count(
            0, timeout=10_000
        )
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": AGENT_A}) as api:
        done = (await api.get("/v1/calls/wrap-ui-1/wrapup")).json()
    assert done["submitted"]["disposition"] == "follow_up" and "[전화번호]" in done["submitted"]["note"]
    assert done["summary"]["resolution"] == "로밍 요금 감면 신청, 결과는 문자로 안내"
    review = await browser.new_page()  # the call's review page shows the wrap-up with the call
    errors += watch_errors(review)
    await review.goto(f"{server.http}/calls/wrap-ui-1?key={AGENT_A}")
    await expect(review.locator("#meta")).to_contain_text("후속 조치 필요")
    await expect(review.locator("#meta")).to_contain_text("[전화번호]")
    assert errors == []


async def test_a_transfer_opens_the_call_for_the_new_agent_and_wraps_up_the_old_one(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall, browser: Browser
) -> None:
    server: LiveServer = await assist_server()
    pages = {}
    errors: list[str] = []
    for key, agent in ((AGENT_A, "agent-a"), (AGENT_B, "agent-b")):
        page = await (await browser.new_context(viewport=SIDEBAR)).new_page()
        errors += watch_errors(page)
        await page.goto(f"{server.http}/agent?key={key}")
        await expect(page.locator("#connection")).to_have_text("실시간 연결됨")
        pages[agent] = page
    audio = call_bytes(demo_call)
    half = len(audio) // 2 // 1280 * 1280
    async with server.connect("/v1/calls/moved-1/audio", INGEST) as ingest:
        await ingest.send(start_message())
        assert json.loads(await ingest.recv())["type"] == "started"
        await send_audio(ingest, audio[:half])
        said = pages["agent-a"].locator("#transcript li[data-seq]")
        await expect(said.nth(2)).to_be_visible(timeout=20_000)
        before = await said.count()

        # the supervisor moves the call to agent-b mid-call
        async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as api:
            moved = await api.post("/v1/calls/moved-1/transfer", json={"agent_id": "agent-b"})
        assert moved.json() == {
            "call_id": "moved-1",
            "from_agent": "agent-a",
            "to_agent": "agent-b",
            "transferred": True,
        }
        b = pages["agent-b"]
        await expect(b.locator("#call-label")).to_have_text("moved-1", timeout=10_000)
        lines = b.locator("#transcript li[data-seq]")
        await expect(lines.nth(before - 1)).to_be_visible()  # what was said so far is there
        await expect(b.locator("#next-call")).to_contain_text("agent-a 상담원에게서 넘겨받은 통화")
        a = pages["agent-a"]
        await expect(a.locator("#wrapup")).to_be_visible(timeout=10_000)
        await expect(a.locator("#next-call")).to_contain_text("agent-b 상담원에게 넘어갔습니다")

        # agent-a wraps up their part while the call goes on with agent-b
        await a.locator("#wrapup-note").fill("요금 문의 후 로밍 담당으로 이관")
        await a.keyboard.press("Control+Enter")
        await expect(a.locator("#wrapup-state")).to_contain_text("정리됨", timeout=10_000)
        await send_audio(ingest, audio[half:])
        await ingest.send(json.dumps({"type": "stop"}))
        assert json.loads(await ingest.recv())["type"] == "stopped"
    await expect(b.locator("#wrapup")).to_be_visible(timeout=15_000)
    stored = await server.store.read_events(server.store.keys.call_events("moved-1"), "0")
    finals = [e for e in stored if e.type == "final" and e.data["text"]]
    await expect(lines).to_have_count(len(finals))  # the new agent has the whole call, each line once
    assert await said.count() < len(finals)  # the previous agent's sidebar stopped at the transfer
    call = await server.store.get_call("moved-1")
    assert call is not None and call["agent_id"] == "agent-b" and call["previous_agents"] == ["agent-a"]
    async with httpx.AsyncClient(base_url=server.http, headers={"X-API-Key": SUPERVISOR}) as api:
        export = (await api.get("/v1/calls/moved-1/export")).json()
    assert [w["agent_id"] for w in export["wrapups"]] == ["agent-a"] and export["wrapup"] is None
    assert errors == []
