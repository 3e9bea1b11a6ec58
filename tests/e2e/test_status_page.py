"""The status page in a real browser (Debian's chromium, driven by Playwright): a live call's
VAD events appear as they happen, and a bad key is explained."""

from __future__ import annotations

import asyncio

from playwright.async_api import Browser, expect

from agent.audio.codecs import Encoding
from tests.live_server import INGEST, SUPERVISOR, LiveServer, eventually
from workbench.demo.player import play_wav
from workbench.demo.synth import SynthesizedCall


async def test_live_call_events_appear_on_the_status_page(
    server: LiveServer, demo_call: SynthesizedCall, browser: Browser
) -> None:
    playing = asyncio.create_task(
        play_wav(
            server.http,
            "e2e-1",
            INGEST,
            demo_call.wav_path,
            channel_roles=demo_call.channel_roles,
            agent_id="agent-a",
            encoding=Encoding.PCM_S16LE,
            speed=10.0,
        )
    )
    await eventually(lambda: server.store.get_call("e2e-1"))

    page = await browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{server.http}/?key={SUPERVISOR}")
    await expect(page.locator("#calls button")).to_contain_text("e2e-1 · agent-a")
    # Live: speech shows up while the call is still playing.
    await expect(page.locator("#events li[data-type=final].agent").first).to_be_visible(timeout=10_000)
    assert not playing.done()
    await expect(page.locator("#connection")).to_contain_text("live")

    assert (await playing)["type"] == "stopped"
    await expect(page.locator("#events li[data-type=call_ended]")).to_have_count(1, timeout=10_000)
    utterances = page.locator("#events li[data-type=final]")
    await expect(utterances).to_have_count(len(demo_call.utterances))
    assert await page.locator("#events li[data-type=final].customer").count() == sum(
        u["role"] == "customer" for u in demo_call.utterances
    )
    await expect(utterances.first).to_contain_text("음성 인식 모델 없음")  # says there is no speech model
    await expect(page.locator("#connection")).to_contain_text("통화 종료")
    assert errors == []


async def test_a_bad_key_is_explained(server: LiveServer, browser: Browser) -> None:
    page = await browser.new_page()
    await page.goto(f"{server.http}/?key=wrong")
    await expect(page.locator("#error")).to_contain_text("missing or unknown API key")
    assert "key=" not in page.url  # taken out of the address bar (and so out of history and referrers)
    fresh = await browser.new_page()  # a new tab has no key kept
    await fresh.goto(f"{server.http}/")
    await expect(fresh.locator("#error")).to_contain_text("?key=")
