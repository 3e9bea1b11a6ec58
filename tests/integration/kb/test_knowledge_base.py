"""The knowledge base on the real Redis 8 (vector sets), with the lexical embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis.asyncio import Redis

from kb.document_store import IndexMismatch
from kb.embedders import LexicalEmbedder
from kb.embedders.cache import VectorCache
from kb.knowledge import KnowledgeBase
from kb.vector_backends import VectorSetBackend
from tests.helpers.embedders import CountingEmbedder
from tests.helpers.guides import GUIDES


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir()
    for name, text in GUIDES.items():
        (folder / name).write_text(text, "utf-8")
    return folder


@pytest.fixture
async def kb(redis: Redis, prefix: str) -> KnowledgeBase:
    return await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()


async def test_ingest_then_search_finds_the_right_guide(kb: KnowledgeBase, guides: Path) -> None:
    report = await kb.ingest([guides])
    assert sorted(report.added) == ["lost-phone", "payment", "roaming"] and report.failed == []
    assert report.chunks == 4
    results = await kb.search("일본 갔다 왔는데 로밍 요금이 너무 많이 나왔어요", k=3)
    top = results[0]
    assert top.doc_id == "roaming" and top.title == "해외 로밍 안내" and top.heading_path == ("요금",)
    assert "종량제" in top.snippet and top.retrievers == ("keyword", "vector")
    assert set(top.retriever_scores) == {"keyword", "vector"} and 0.0 < top.retriever_scores["vector"] <= 1.0
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert (await kb.search("자동이체 신청", k=1))[0].doc_id == "payment"


async def test_reingest_is_incremental_and_prune_deletes(kb: KnowledgeBase, guides: Path) -> None:
    await kb.ingest([guides])
    version = await kb.index.version()
    again = await kb.ingest([guides])
    assert sorted(again.unchanged) == ["lost-phone", "payment", "roaming"] and again.chunks == 0
    assert await kb.index.version() == version  # nothing changed, nothing written
    (guides / "payment.txt").write_text("요금 납부일은 매월 10일로 바뀌었습니다.", "utf-8")
    (guides / "lost-phone.md").unlink()
    changed = await kb.ingest([guides], prune=True)
    assert changed.updated == ["payment"] and changed.removed == ["lost-phone"]
    assert "10일" in (await kb.search("납부일", k=1))[0].snippet
    assert all(r.doc_id != "lost-phone" for r in await kb.search("분실 신고", k=5))
    assert await kb.index.version() > version


async def test_bad_files_are_reported_and_the_rest_ingested(kb: KnowledgeBase, guides: Path) -> None:
    (guides / "broken.pdf").write_bytes(b"not a pdf")
    (guides / "empty.md").write_bytes(b"")
    report = await kb.ingest([guides])
    assert sorted(Path(p).name for p, _ in report.failed) == ["broken.pdf", "empty.md"]
    assert len(report.added) == 3


async def test_filters_narrow_the_search(kb: KnowledgeBase, guides: Path) -> None:
    await kb.ingest([guides])
    results = await kb.search("신청", k=5, filters={"doc": "payment"})
    assert results and {r.doc_id for r in results} == {"payment"}
    assert (
        VectorSetBackend.filter_expression({"doc": "payment", "tag": "요금"})
        == '.doc == "payment" and "요금" in .tags'
    )
    with pytest.raises(ValueError, match="unknown filter"):
        VectorSetBackend.filter_expression({"color": "red"})
    with pytest.raises(ValueError, match="letters, digits"):
        VectorSetBackend.filter_expression({"doc": 'x" or 1'})


async def test_a_different_embedder_is_refused_with_an_explanation(
    kb: KnowledgeBase, redis: Redis, prefix: str
) -> None:
    with pytest.raises(
        IndexMismatch, match=r"indexed with embedder lexical-kiwi-hash-v1-1024 \(1024 dimensions\)"
    ):
        await KnowledgeBase(redis, prefix, LexicalEmbedder(dim=256)).open()


async def test_empty_index_and_empty_query(kb: KnowledgeBase, guides: Path) -> None:
    assert await kb.search("로밍") == []  # nothing indexed yet
    await kb.ingest([guides])
    assert await kb.search("   ", k=3) == []  # a query with nothing to match on


async def test_each_retriever_alone(kb: KnowledgeBase, guides: Path) -> None:
    await kb.ingest([guides])
    vector = await kb.search("로밍 요금", k=2, mode="vector")
    keyword = await kb.search("로밍 요금", k=2, mode="keyword")
    assert vector and all(r.retrievers == ("vector",) for r in vector)
    assert keyword and all(r.retrievers == ("keyword",) for r in keyword)
    assert keyword[0].doc_id == "roaming"
    assert await kb.search("우주선", k=2, mode="keyword") == []  # no shared word: BM25 has nothing
    filtered = await kb.search("신청", k=5, mode="keyword", filters={"doc": "lost-phone"})
    assert filtered and {r.doc_id for r in filtered} == {"lost-phone"}


async def test_keyword_index_follows_ingests_made_elsewhere(redis: Redis, prefix: str, guides: Path) -> None:
    writer = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()
    reader = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()  # another process's view
    await writer.ingest([guides / "roaming.md"])
    assert (await reader.search("분실 신고", k=3, mode="keyword")) == []
    await writer.ingest([guides / "lost-phone.md"])
    found = await reader.search("분실 신고", k=3, mode="keyword")
    assert found and found[0].doc_id == "lost-phone"  # rebuilt because the index version moved


def test_reciprocal_rank_fusion() -> None:
    from kb.hybrid import RRF_K, fuse

    fused = fuse({"vector": [("a", 0.9), ("b", 0.8)], "keyword": [("b", 7.0), ("c", 3.0)]})
    assert [c for c, _, _ in fused] == ["b", "a", "c"]  # found by both beats first place in one
    assert fused[0][1] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert fused[0][2] == {"vector": 0.8, "keyword": 7.0}


async def test_an_emptied_index_is_refilled_from_the_vector_cache(
    redis: Redis, prefix: str, guides: Path, tmp_path: Path
) -> None:
    """Another Redis (here another prefix) ingesting the same guides embeds nothing again, and
    searches the same."""
    cache = VectorCache(tmp_path / "vectors.sqlite")
    first_embedder, second_embedder = CountingEmbedder(), CountingEmbedder()
    first = await KnowledgeBase(redis, prefix, first_embedder, vector_cache=cache).open()
    await first.ingest([guides])
    second = await KnowledgeBase(redis, f"{prefix}again:", second_embedder, vector_cache=cache).open()
    report = await second.ingest([guides])
    assert report.chunks == 4 and len(first_embedder.embedded) == 4 and second_embedder.embedded == []
    query = "일본 갔다 왔는데 로밍 요금이 너무 많이 나왔어요"
    assert [r.chunk_id for r in await first.search(query, k=3)] == [
        r.chunk_id for r in await second.search(query, k=3)
    ]
