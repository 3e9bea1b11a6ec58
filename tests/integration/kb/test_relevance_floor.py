"""The assistant's relevance floor on the sample guides: customer questions keep their passage,
small talk finds nothing above it (default lexical embedder, default floors)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from redis.asyncio import Redis

from agent.assist.assistant import AssistConfig, passes_floor
from kb.embedders import LexicalEmbedder
from kb.evaluation import load_queries
from kb.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[3]
SMALL_TALK = ["아 네.", "네 안녕하세요.", "감사합니다 좋은 하루 보내세요.", "아니요 없어요. 감사합니다.", "잠시만요 지금 밖이라서요.",
              "오늘 날씨가 너무 덥네요.", "제 이름은 이서연이에요.", "정말요? 감사합니다.", "여보세요 잘 들리세요?", "점심 뭐 먹었어요",
              "아 그렇구나", "음 잠깐만요 생각 좀 해볼게요", "네네 알겠습니다", "그래서 어떻게 하면 되는데요"]  # fmt: skip


async def test_floor_keeps_questions_and_drops_small_talk(redis: Redis, prefix: str) -> None:
    kb = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()
    await kb.ingest([Path(str(resources.files("kb").joinpath("samples")))])
    config = AssistConfig()
    queries = load_queries(ROOT / "tests" / "data" / "kb_eval.jsonl")
    kept = 0
    for query in queries:
        results = [r for r in await kb.search(query.q, k=6) if passes_floor(r, config)]
        kept += bool(results) and results[0].doc_id in query.rel
    print(f"\n{kept}/{len(queries)} questions keep a relevant passage above the floor")
    assert kept / len(queries) >= 0.85, kept
    for line in SMALL_TALK:
        assert not [r for r in await kb.search(line, k=6) if passes_floor(r, config)], line


async def test_a_word_heard_unsure_does_not_sink_its_passage_below_the_floor(
    redis: Redis, prefix: str
) -> None:
    """The recognizer heard "바꾸고" right but unsure of it: the keyword retriever ranks without it,
    and the floor is still judged on every word heard, so the plan-change passage stays suggested."""
    kb = await KnowledgeBase(redis, prefix, LexicalEmbedder()).open()
    await kb.ingest([Path(str(resources.files("kb").joinpath("samples")))])
    heard = "지금 쓰는 요금제가 너무 비싸서 좀 산 걸로 바꾸고 싶어요"
    sure = heard.replace(" 바꾸고", "")
    results = await kb.search(f"{heard} {heard}", k=6, focus=heard, sure=f"{sure} {sure}")
    plan = next(r for r in results if r.doc_id == "plan-change")
    assert plan.retriever_scores["keyword"] < 1.0 <= (plan.keyword_all_words or 0.0)  # sunk without it
    assert passes_floor(plan, AssistConfig())
    whole = await kb.search(f"{heard} {heard}", k=6, focus=heard)
    assert all(r.keyword_all_words is None for r in whole)  # nothing left out, nothing to report
