"""Post-call work at hang-up: the final summary and the archive entry always come, promptly, even
when a rolling summary was due at the very moment the call ended."""

from __future__ import annotations

import asyncio
import time

from agent.assist.assistant import CallAssistant
from agent.events import Role, TranscriptSegment
from tests.live_server import LiveServer

LINES = [
    (Role.AGENT, "안녕하세요 한결모바일입니다."),
    (Role.CUSTOMER, "요금이 너무 많이 나왔어요."),
    (Role.AGENT, "확인해 드리겠습니다."),
    (Role.CUSTOMER, "로밍 신청을 안 했는데 왜 요금이 나왔죠?"),
    (Role.AGENT, "종량제로 부과되었습니다."),
    (Role.CUSTOMER, "감면받을 수 있나요?"),
]


async def test_final_summary_and_archive_when_a_rolling_summary_is_due_at_hang_up(  # type: ignore[no-untyped-def]
    assist_server,
) -> None:
    server: LiveServer = await assist_server(assist_summary_every=6)
    services = server.app.state.services.assist
    assistant = CallAssistant("post-call-1", "agent-a", services)
    assistant.start()
    for seq, (role, text) in enumerate(LINES):  # the 6th final makes a rolling summary due …
        segment = TranscriptSegment(
            seq, 0 if role is Role.CUSTOMER else 1, role, seq, seq + 0.9, "silence", text
        )
        assistant.on_final(segment, time.perf_counter())
    started = time.perf_counter()
    await asyncio.wait_for(assistant.finish(), 10)  # … and the call ends at once
    assert time.perf_counter() - started < 5
    summary = await services.records.summary("post-call-1")
    assert summary is not None and summary["kind"] == "final" and summary["finals"] == 6
    page = await services.archive.search("로밍 요금 감면")
    assert "post-call-1" in [hit.call_id for hit in page.hits]
