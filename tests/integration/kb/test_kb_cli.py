"""`callassist kb ingest` and `kb search` as a user runs them (embedded Redis in a fresh data dir)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.guides import GUIDES
from tests.helpers.kb_cli import run


def test_ingest_and_search_from_the_command_line(tmp_path: Path) -> None:
    guides = tmp_path / "guides"
    guides.mkdir()
    for name, text in GUIDES.items():
        (guides / name).write_text(text, "utf-8")
    (guides / "broken.pdf").write_bytes(b"not a pdf")
    ingested = run(tmp_path, "ingest", str(guides))
    assert ingested.returncode == 0, ingested.stderr[-2000:]
    assert "added 3, updated 0, unchanged 0, removed 0, failed 1; 4 chunks written" in ingested.stdout
    assert "skipped" in ingested.stderr and "broken.pdf: not a readable PDF" in ingested.stderr

    again = run(tmp_path, "ingest", str(guides))
    assert "added 0, updated 0, unchanged 3" in again.stdout  # persisted in the data dir's Redis

    found = run(tmp_path, "search", "로밍 요금이 왜 이렇게 많이 나왔어요", "--json", "--k", "2")
    assert found.returncode == 0, found.stderr[-2000:]
    results = json.loads(found.stdout)
    assert results[0]["doc_id"] == "roaming" and results[0]["heading_path"] == ["요금"]
    text = run(tmp_path, "search", "분실 신고")
    assert "휴대폰 분실" in text.stdout and "[lost-phone]" in text.stdout
