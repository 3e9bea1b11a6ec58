"""`kb eval` on the sample knowledge base and the hand-written query set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis.asyncio import Redis

from kb.embedders import LexicalEmbedder
from kb.evaluation import EvalQuery, evaluate, load_queries
from kb.knowledge import KnowledgeBase
from tests.helpers.kb_cli import run

SAMPLES = Path(__file__).resolve().parents[3] / "kb" / "samples"
QUERIES = Path(__file__).resolve().parents[2] / "data" / "kb_eval.jsonl"


async def test_sample_knowledge_base_and_query_set(redis: Redis, prefix: str) -> None:
    kb = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()
    report = await kb.ingest([SAMPLES])
    assert len(report.added) >= 10 and report.failed == []
    queries = load_queries(QUERIES)
    assert len(queries) >= 40
    scores = {s.mode: s for s in await evaluate(kb, queries)}
    assert set(scores) == {"keyword", "vector", "sound", "hybrid"}
    for s in scores.values():
        assert 0.0 <= s.recall_at_1 <= s.recall_at_3 <= s.recall_at_5 <= 1.0
        assert 0.0 < s.mrr_at_10 <= 1.0 and 0.0 < s.latency_p50_ms <= s.latency_p95_ms
    # Deterministic retrievers on a fixed set: the figures README reports must stay true.
    assert scores["hybrid"].recall_at_3 >= 0.9


async def test_unknown_relevant_documents_are_refused(redis: Redis, prefix: str) -> None:
    kb = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()
    with pytest.raises(ValueError, match="not in the index: nowhere"):
        await evaluate(kb, [EvalQuery("로밍", frozenset({"nowhere"}))])


def test_malformed_query_file(tmp_path: Path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"q": "로밍"}\n', "utf-8")
    with pytest.raises(ValueError, match=r"q\.jsonl:1: expected"):
        load_queries(bad)


def test_eval_command(tmp_path: Path) -> None:
    assert run(tmp_path, "ingest", str(SAMPLES)).returncode == 0
    out = run(tmp_path, "eval", str(QUERIES), "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout)
    assert summary["queries"] == len(load_queries(QUERIES))
    assert [r["mode"] for r in summary["retrievers"]] == ["keyword", "vector", "sound", "hybrid"]


async def test_category_and_tag_filters_on_the_samples(redis: Redis, prefix: str) -> None:
    kb = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()
    await kb.ingest([SAMPLES])
    for mode in ("vector", "keyword", "hybrid"):
        results = await kb.search("신청", k=10, mode=mode, filters={"category": "contract"})  # type: ignore[arg-type]
        assert results and {r.doc_id for r in results} <= {"cancellation", "number-porting"}, mode
        tagged = await kb.search("요금", k=10, mode=mode, filters={"tag": "보이스피싱"})  # type: ignore[arg-type]
        assert {r.doc_id for r in tagged} <= {"spam-protection"}, mode


async def test_letters_find_what_a_recognizer_misspelled(redis: Redis, prefix: str) -> None:
    kb = await KnowledgeBase(redis, prefix, LexicalEmbedder(), fusion_weights={"sound": 2.0}).open()
    await kb.ingest([SAMPLES])
    heard = "엄마랑 동생도 같이 쓰는데 가족하린 되나요"  # 할인 heard as 하린
    assert (await kb.search(heard, k=1, mode="sound"))[0].doc_id == "family-discount"
    assert (await kb.search(heard, k=1))[0].doc_id == "family-discount"
    assert "sound" in (await kb.search(heard, k=1))[0].retrievers
