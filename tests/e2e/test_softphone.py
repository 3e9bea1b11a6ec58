"""The softphone page in headless Chromium with a fake microphone fed from a WAV file (the agent's
side of the synthesized call) and the customer's side chosen as a file: both reach the server over
WebRTC and their utterances arrive under the right roles."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import numpy as np
from playwright.async_api import async_playwright, expect

from agent.audio.wav import read_wav, write_wav
from tests.helpers.browser import CHROMIUM_ARGS
from tests.live_server import AGENT_A, LiveServer, eventually
from workbench.demo.synth import SynthesizedCall

CLIP_S = 15.0


async def test_microphone_and_customer_file_arrive_as_agent_and_customer(
    server: LiveServer, demo_call: SynthesizedCall, tmp_path: Path
) -> None:
    rate, audio = read_wav(demo_call.wav_path)
    clip = audio[: int(CLIP_S * rate)]
    microphone, customer = tmp_path / "agent.wav", tmp_path / "customer.wav"
    write_wav(microphone, np.ascontiguousarray(clip[:, 1]), rate)  # the agent speaks into the microphone
    write_wav(customer, np.ascontiguousarray(clip[:, 0]), rate)
    fake_media = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    ]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS + fake_media
        )
        page = await browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(f"{server.http}/softphone?key={AGENT_A}")
        await expect(page.locator("#agent-id")).to_have_value("agent-a")
        await page.fill("#call-id", "soft-1")
        await page.set_input_files("#customer-file", str(customer))
        await page.get_by_role("button", name="통화 시작 (마이크 = 상담원)").click()
        await expect(page.locator("#connection")).to_have_text("통화 중", timeout=15_000)
        await expect(page.locator("#sidebar-link")).to_have_attribute("href", "/agent?call=soft-1")
        await asyncio.sleep(CLIP_S + 1.5)
        await page.get_by_role("button", name="통화 종료").click()
        await expect(page.locator("#connection")).to_have_text("통화 종료", timeout=15_000)
        assert errors == []
        await browser.close()

    call = await eventually(lambda: server.store.get_call("soft-1"))
    assert (
        call["status"] == "ended"
        and call["channel_roles"] == ["agent", "customer"]
        and call["agent_id"] == "agent-a"
    )
    transcript = await server.store.transcript("soft-1")
    roles = {row["role"] for row in transcript}
    assert roles == {"agent", "customer"}, transcript
    assert all(row["role"] == ("agent" if row["channel"] == "0" else "customer") for row in transcript)
