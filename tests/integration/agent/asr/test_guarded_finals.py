"""A final whose text a guard dropped reads the same everywhere: live event, stored transcript,
REST and export all give "" with the guard's reason; null means only that no recognizer ran."""

from __future__ import annotations

import httpx

from agent.events import Role, TranscriptSegment
from tests.helpers.calls import call_meta
from tests.live_server import SUPERVISOR, LiveServer


async def test_guarded_and_timing_only_finals_are_told_apart(server: LiveServer) -> None:
    store = server.store
    await store.start_call("guarded-1", "agent-a", call_meta())
    segments = [
        TranscriptSegment(0, 0, Role.CUSTOMER, 0.5, 2.0, "silence", "", "whisper", -0.8, 0.2, "repetition"),
        TranscriptSegment(1, 1, Role.AGENT, 2.5, 3.5, "silence", None),  # no recognizer
        TranscriptSegment(2, 0, Role.CUSTOMER, 4.0, 5.0, "silence", "네 맞아요", "whisper", -0.3, 0.01),
    ]
    for segment in segments:
        await store.append_segment("guarded-1", "agent-a", segment)
    await store.end_call("guarded-1", "agent-a", "stop", 6.0)

    live = [
        e.data for e in await store.read_events(store.keys.call_events("guarded-1"), "0") if e.type == "final"
    ]
    assert [(f["text"], f["guard"]) for f in live] == [("", "repetition"), (None, None), ("네 맞아요", None)]
    stored = [TranscriptSegment.from_fields(row) for row in await store.transcript("guarded-1")]
    assert stored == segments

    headers = {"Authorization": f"Bearer {SUPERVISOR}"}
    async with httpx.AsyncClient(base_url=server.http, headers=headers) as client:
        rest = (await client.get("/v1/calls/guarded-1")).json()["transcript"]
        export = (await client.get("/v1/calls/guarded-1/export", params={"format": "json"})).json()
    assert [(s["text"], s["guard"], s["source"]) for s in rest] == [
        ("", "repetition", "whisper"),
        (None, None, None),
        ("네 맞아요", None, "whisper"),
    ]
    assert [(s["text"], s["guard"]) for s in export["transcript"]] == [
        ("", "repetition"),
        (None, None),
        ("네 맞아요", None),
    ]


async def test_transcript_entries_written_before_text_became_optional_read_as_timing_only(
    server: LiveServer,
) -> None:
    fields = {
        "seq": "0",
        "channel": "0",
        "role": "customer",
        "start": "0.5",
        "end": "1.0",
        "cut": "silence",
        "text": "",
    }
    assert TranscriptSegment.from_fields(fields).text is None
