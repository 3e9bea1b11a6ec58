"""The agent sidebar, the call review page and the supervisor page in a real browser, with a
scripted call streamed into the real server: partials replaced by finals, suggestions with their
sources, feedback that persists, a dropped websocket that resumes without duplicates, the summary
at hang-up, exports, search, and an agent key kept out of another agent's call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, expect

from agent.audio.codecs import Encoding
from tests.helpers.browser import SIDEBAR, screenshot, watch_errors
from tests.live_server import AGENT_A, AGENT_B, INGEST, SUPERVISOR, LiveServer
from workbench.demo.player import play_wav
from workbench.demo.synth import SynthesizedCall

CALL = "console-1"
COUNT_PARTIALS = """() => {
  window.partialsSeen = 0;
  new MutationObserver((changes) => {
    for (const change of changes) for (const node of change.addedNodes)
      if (node.classList?.contains("partial")) window.partialsSeen += 1;
  }).observe(document.getElementById("transcript"), { childList: true });
}"""


async def test_sidebar_review_and_search(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall, browser: Browser, tmp_path: Path
) -> None:
    server: LiveServer = await assist_server()
    context = await browser.new_context(viewport=SIDEBAR, accept_downloads=True)
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.http)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(f"{server.http}/agent?key={AGENT_A}")
    assert "key=" not in page.url  # the key leaves the address bar
    await expect(page.locator("#connection")).to_have_text("실시간 연결됨")
    await page.evaluate(COUNT_PARTIALS)

    playing = asyncio.create_task(
        play_wav(server.http, CALL, INGEST, demo_call.wav_path, channel_roles=demo_call.channel_roles,
                 agent_id="agent-a", encoding=Encoding.PCM_S16LE, speed=6.0, metadata={"tags": ["vip"]})
    )  # fmt: skip
    finals = page.locator("#transcript li[data-seq]")
    await expect(page.locator("#call-label")).to_have_text(CALL, timeout=10_000)
    await expect(finals.nth(3)).to_be_visible(timeout=20_000)
    await expect(page.locator("#script-notice")).to_be_visible()  # the transcript is the script, and says so

    # the supervisor's live monitor shows the call while it runs
    supervisor = await browser.new_page()
    errors += watch_errors(supervisor)
    await supervisor.goto(f"{server.http}/supervisor?key={SUPERVISOR}")
    row = supervisor.locator(f'#live tr[data-call="{CALL}"]')
    await expect(row).to_contain_text("agent-a", timeout=5_000)
    await expect(row.locator("a")).to_have_attribute("href", f"/agent?call={CALL}")

    # a dropped websocket reconnects and resumes from the last event id
    await page.evaluate("window.callassist.feed.drop()")
    await expect(page.locator("#connection")).to_have_text("실시간 연결됨", timeout=10_000)

    card = page.locator("#suggestions li.card").last  # the first suggestion (newest are on top)
    await expect(card).to_contain_text("출처:", timeout=20_000)
    await screenshot(page, "sidebar-mid-call")
    assert not playing.done(), "the call ended before the mid-call checks"
    assert (await playing)["type"] == "stopped"

    # hang-up: every final once, no partial left, the summary, the review link
    await expect(page.locator("#summary-kind")).to_contain_text("통화 후 요약", timeout=10_000)
    await expect(finals).to_have_count(len(demo_call.utterances))
    seqs = await finals.evaluate_all("items => items.map(i => i.dataset.seq)")
    assert len(seqs) == len(set(seqs)) == len(demo_call.utterances)
    await expect(page.locator("#transcript li.partial")).to_have_count(0)
    assert await page.evaluate("window.partialsSeen") > 0  # partials were shown, then replaced
    await expect(page.locator("#transcript li[data-seq]").filter(has_text="[전화번호]")).to_have_count(1)
    await expect(page.locator("#transcript")).not_to_contain_text("일이삼사")

    # scrolled up, the transcript stops following and offers a way back
    await page.locator("#transcript-box").evaluate("box => { box.scrollTop = 0; }")
    await expect(page.get_by_role("button", name="↓ 실시간으로 이동")).to_be_visible()
    await page.get_by_role("button", name="↓ 실시간으로 이동").click()
    await expect(page.get_by_role("button", name="↓ 실시간으로 이동")).to_be_hidden()
    assert await page.locator("#transcript-box").evaluate(
        "b => b.scrollHeight - b.scrollTop - b.clientHeight < 48"
    )

    cards = page.locator("#suggestions li.card")
    await _call_ended(server, CALL)  # every suggestion is stored: the console must show them all
    stored = await server.store.read_events(server.store.keys.call_events(CALL), "0")
    count = sum(1 for e in stored if e.type == "suggestion")
    await expect(cards).to_have_count(count)
    ids = await cards.evaluate_all("items => items.map(i => i.dataset.id)")
    assert len(ids) == len(set(ids)) >= 2
    await expect(page.locator("#suggestions")).to_contain_text("해외 로밍 안내")
    await expect(page.locator("#suggestions .kind").first).to_have_text("가이드 발췌")
    first, second = page.locator('li.card[data-id="s1"]'), page.locator('li.card[data-id="s2"]')
    await first.locator("details summary").click()
    await expect(first.locator("details p")).to_be_visible()

    # accept with the mouse, dismiss with the keyboard (D acts on the newest undecided card)
    await first.get_by_role("button", name="수락").click()
    await expect(first.locator(".verdict")).to_have_text("✓ 수락함")
    for number in range(count, 2, -1):  # newest first, each awaited before the next key
        await page.keyboard.press("a")
        await expect(page.locator(f'li.card[data-id="s{number}"] .verdict')).to_have_text("✓ 수락함")
    await page.keyboard.press("d")
    await expect(second.locator(".verdict")).to_have_text("무시함")
    await page.keyboard.press("c")  # copies the newest reply
    newest_reply = await cards.first.locator(".reply").inner_text()
    assert await page.evaluate("navigator.clipboard.readText()") == newest_reply

    # feedback persists: a fresh page replays the call with its verdicts
    await page.reload()
    await expect(first.locator(".verdict")).to_have_text("✓ 수락함")
    await expect(second.locator(".verdict")).to_have_text("무시함")
    await expect(page.locator("#summary-kind")).to_contain_text("통화 후 요약")

    # post-call review and exports (the same documents as `callassist export`)
    await page.set_viewport_size({"width": 1100, "height": 900})
    await page.get_by_role("link", name="통화 기록 보기 · 내보내기").click()
    await expect(page.locator("#call-label")).to_have_text(CALL)
    await expect(page.locator("#transcript li")).to_have_count(len(demo_call.utterances))
    await expect(page.locator('#suggestions tr[data-id="s1"] .feedback')).to_have_text("수락")
    await expect(page.locator('#suggestions tr[data-id="s2"] .feedback')).to_have_text("무시")
    await expect(page.locator("#summary")).to_contain_text("감면")
    await screenshot(page, "call-review")
    async with httpx.AsyncClient(
        base_url=server.http, headers={"Authorization": f"Bearer {AGENT_A}"}
    ) as http:
        expected_json = (await http.get(f"/v1/calls/{CALL}/export?format=json")).json()
        expected_md = (await http.get(f"/v1/calls/{CALL}/export?format=md")).text
    async with page.expect_download() as downloaded:
        await page.get_by_role("button", name="JSON 내보내기").click()
    download = await downloaded.value
    assert download.suggested_filename == f"call-{CALL}.json"
    await download.save_as(tmp_path / "call.json")
    assert json.loads((tmp_path / "call.json").read_text("utf-8")) == expected_json
    async with page.expect_download() as downloaded:
        await page.get_by_role("button", name="Markdown 내보내기").click()
    await (await downloaded.value).save_as(tmp_path / "call.md")
    assert (tmp_path / "call.md").read_text("utf-8") == expected_md

    # supervisor search finds the call, highlights the words, and opens it
    await supervisor.set_viewport_size({"width": 1100, "height": 900})
    await expect(supervisor.locator("#no-live")).to_be_visible(timeout=5_000)
    await supervisor.fill("#q", "로밍 요금 감면")
    await supervisor.fill("#tag", "vip")
    await supervisor.get_by_role("button", name="검색").click()
    hit = supervisor.locator(f'#results li[data-call="{CALL}"]')
    await expect(hit).to_be_visible()
    await expect(hit.locator("mark").first).to_be_visible()
    await screenshot(supervisor, "search")
    await supervisor.fill("#tag", "no-such-tag")
    await supervisor.get_by_role("button", name="검색").click()
    await expect(supervisor.locator("#result-count")).to_contain_text("조건에 맞는 통화가 없습니다")
    await supervisor.fill("#tag", "")
    await supervisor.get_by_role("button", name="검색").click()
    await hit.locator("a.title").click()
    await expect(supervisor.locator("#transcript li")).to_have_count(len(demo_call.utterances))
    assert errors == []
    await context.close()


async def test_an_agent_key_stays_out_of_another_agents_call(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall, browser: Browser
) -> None:
    server: LiveServer = await assist_server()
    result = await play_wav(server.http, "other-1", INGEST, demo_call.wav_path, channel_roles=demo_call.channel_roles,
                            agent_id="agent-a", encoding=Encoding.PCM_S16LE, speed=0)  # fmt: skip
    assert result["type"] == "stopped"
    page = await browser.new_page()
    await page.goto(f"{server.http}/calls/other-1?key={AGENT_B}")
    await expect(page.locator("#error")).to_contain_text("403")
    await expect(page.locator("#transcript li")).to_have_count(0)
    await expect(page.get_by_role("button", name="JSON 내보내기")).to_be_disabled()
    await page.goto(f"{server.http}/agent?call=other-1")  # the key is kept for this tab
    await expect(page.locator("#connection")).to_have_text("연결 실패")
    await expect(page.locator("#error")).to_contain_text("not assigned to this agent")
    await expect(page.locator("#transcript li")).to_have_count(0)
    await page.goto(f"{server.http}/supervisor")
    await page.fill("#q", "로밍")
    await page.get_by_role("button", name="검색").click()
    await expect(page.locator("#result-count")).to_contain_text("조건에 맞는 통화가 없습니다")
    await expect(page.locator("#agent")).to_have_value("agent-b")


async def _call_ended(server: LiveServer, call_id: str) -> None:
    for _ in range(200):
        events = await server.store.read_events(server.store.keys.call_events(call_id), "0")
        if any(e.type == "call_ended" for e in events):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{call_id} never ended")
