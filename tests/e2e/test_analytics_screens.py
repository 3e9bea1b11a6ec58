"""The analytics in the real browser: the review page's analysis panel (QA checklist with evidence
and score, categories, sentiment strip), the supervisor's knowledge-gap report and live list with
risk (sorted by risk or by start), and an agent-facing category alert on the sidebar."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.async_api import Browser, expect

from agent.feed import CategoryFound
from tests.helpers.browser import SIDEBAR, screenshot, watch_errors
from tests.helpers.streams import call_bytes, send_audio
from tests.live_server import AGENT_A, INGEST, SUPERVISOR, LiveServer, play_demo_call, start_message
from workbench.demo.synth import SynthesizedCall


async def test_review_page_supervisor_report_and_live_risk(
    assist_server: Callable[..., Any], demo_call: SynthesizedCall, browser: Browser
) -> None:
    server: LiveServer = await assist_server(wrapup_hold_s=0)  # the next call takes the sidebar at once
    assert (await play_demo_call(server, demo_call, "ana-ui-1"))["type"] == "stopped"
    review = await browser.new_page()
    errors = [watch_errors(review)]
    await review.goto(f"{server.http}/calls/ana-ui-1?key={SUPERVISOR}")
    await expect(review.locator("#qa-score")).to_have_text("품질 점검 80점", timeout=10_000)
    await expect(review.locator('#qa tr[data-item="greeting"]')).to_contain_text("충족")
    await expect(review.locator('#qa tr[data-item="greeting"]')).to_contain_text("한결모바일")
    await expect(review.locator('#qa tr[data-item="recording_notice"]')).to_contain_text("누락")
    await expect(review.locator(".sentiment-strip span.negative")).not_to_have_count(0)
    await screenshot(review, "call-review-analytics")

    # two live calls: the later one riskier comes first; once the earlier one is riskier it moves up
    # under the risk sort, and the sort by start puts the later one first again
    records = server.app.state.services.assist.records
    supervisor = await browser.new_page()
    errors.append(watch_errors(supervisor))
    sidebar = await (await browser.new_context(viewport=SIDEBAR)).new_page()
    errors.append(watch_errors(sidebar))
    await sidebar.goto(f"{server.http}/agent?key={AGENT_A}")
    await expect(sidebar.locator("#connection")).to_have_text("실시간 연결됨")
    async with (
        server.connect("/v1/calls/live-early/audio", INGEST) as early,
        server.connect("/v1/calls/live-late/audio", INGEST) as late,
    ):
        await early.send(start_message(agent_id="agent-b"))
        assert json.loads(await early.recv())["type"] == "started"
        await late.send(start_message(agent_id="agent-a"))
        assert json.loads(await late.recv())["type"] == "started"
        await send_audio(late, call_bytes(demo_call)[: 16000 * 4 * 2])
        await expect(sidebar.locator("#call-label")).to_have_text("live-late", timeout=10_000)
        hit = {"name": "churn_risk", "label": "해지 위험", "severity": "warning", "alert": ["supervisor", "agent"],
               "seq": 3, "role": "customer", "start": 12.5, "how": "phrase", "evidence": "다른 통신사"}  # fmt: skip
        await server.store.announce("agent-a", CategoryFound(call_id="live-late", **hit))
        alert = sidebar.locator('#alerts li[data-category="churn_risk"]')
        await expect(alert).to_contain_text("해지 위험")
        await expect(alert).to_contain_text("다른 통신사")
        await screenshot(sidebar, "sidebar-alert")

        base = {"sentiment": [], "trend": -0.4, "negative_turns": 1, "customer_turns": 2, "final": False}
        await records.put_analytics(
            "live-early", {**base, "categories": [], "risk": 0.2, "risk_level": "low"}
        )
        await records.put_analytics(
            "live-late", {**base, "categories": [{**hit, "count": 1}], "risk": 0.6, "risk_level": "high"}
        )
        await supervisor.goto(f"{server.http}/supervisor?key={SUPERVISOR}")
        rows = supervisor.locator("#live tr")
        await expect(rows).to_have_count(2, timeout=10_000)
        await expect(rows.first).to_have_attribute("data-call", "live-late")
        await expect(rows.first).to_contain_text("높음")
        await expect(rows.first).to_contain_text("해지 위험")
        await records.put_analytics(
            "live-early", {**base, "categories": [], "risk": 0.9, "risk_level": "high"}
        )
        await expect(rows.first).to_have_attribute("data-call", "live-early", timeout=10_000)
        await supervisor.locator("#live-sort").select_option("recent")
        await expect(rows.first).to_have_attribute("data-call", "live-late")

        # the knowledge-gap report covers the ended call's asks
        await expect(supervisor.locator("#gaps-summary")).to_contain_text("문의")
        await expect(supervisor.locator("#gap-guides tr")).not_to_have_count(0)
        await expect(supervisor.locator("#no-gaps")).to_be_visible()  # every ask of the call was answered
        await screenshot(supervisor, "supervisor-analytics")
    assert [e for page_errors in errors for e in page_errors] == []
