"""The agent sidebar on recognized speech: the default model (Whisper base) transcribes the demo
call, the transcript shows its text with the words it was unsure of marked, and the sidebar says
which model wrote it and that an untuned base model's Korean is not to be trusted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, expect

from agent.audio.codecs import Encoding
from agent.audio.wav import read_wav, write_wav
from tests.helpers.browser import SIDEBAR, screenshot, watch_errors
from tests.live_server import AGENT_A, INGEST, LiveServer
from workbench.demo.player import play_wav
from workbench.demo.synth import SynthesizedCall


async def test_sidebar_shows_recognized_text_and_the_model(
    make_server: Callable[..., Any],
    base_model_dir: Path,
    demo_call: SynthesizedCall,
    browser: Browser,
    tmp_path: Path,
) -> None:
    rate, audio = read_wav(demo_call.wav_path)
    opening = tmp_path / "opening.wav"  # the first 30 s: enough turns on both sides, half the model time
    write_wav(opening, audio[: 30 * rate], rate)
    server: LiveServer = await make_server(asr_model=str(base_model_dir), asr_device="cpu")
    page = await (await browser.new_context(viewport=SIDEBAR)).new_page()
    errors = watch_errors(page)
    await page.goto(f"{server.http}/agent?key={AGENT_A}")
    await expect(page.locator("#connection")).to_have_text("실시간 연결됨")
    result = await play_wav(
        server.http, "recognized-1", INGEST, opening, channel_roles=demo_call.channel_roles,
        agent_id="agent-a", encoding=Encoding.PCM_S16LE, speed=0,
    )  # fmt: skip
    assert result["type"] == "stopped"
    notice = page.locator("#asr-notice")
    await expect(notice).to_be_visible()
    await expect(notice).to_contain_text("whisper-base")
    await expect(notice).to_contain_text("튜닝 전 기본 모델")
    await expect(page.locator("#script-notice")).to_be_hidden()
    lines = page.locator("#transcript li[data-seq] .text")
    await expect(lines.first).to_be_visible(timeout=20_000)
    texts = await lines.all_inner_texts()
    assert any(any("가" <= ch <= "힣" for ch in text) for text in texts), texts
    scripted = {u["text"] for u in demo_call.utterances}
    assert not scripted & set(texts)  # recognized, not the script
    # the words the recognizer was unsure of are marked apart, exactly those the finals name
    events = await server.store.read_events(server.store.keys.call_events("recognized-1"), "0")
    flagged = sum(len(e.data["uncertain"]) for e in events if e.type == "final" and e.data["text"])
    assert flagged > 0  # the untuned base is unsure of much of this Korean
    await expect(page.locator("#transcript li[data-seq] .text .uncertain")).to_have_count(flagged)
    await screenshot(page, "sidebar-recognized")
    assert errors == []
