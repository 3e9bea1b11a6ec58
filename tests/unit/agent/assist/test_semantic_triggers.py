"""The trigger's two tiers: rules decide what they can, the nearest labelled exemplars (in a real
semantic embedder's space) decide the rest; the bundled exemplars load; the evaluation scores
typed and unpunctuated text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.assist.trigger_eval import evaluate
from agent.assist.triggers import EXEMPLARS, SemanticTriggers, TriggerKind, load_exemplars, rule_verdict
from kb.embedders.cache import VectorCache
from kb.embedders.e5 import E5Embedder
from server.settings import default_cache_dir
from tests.helpers.paths import DATA


@pytest.fixture(scope="module")
def semantic() -> SemanticTriggers:
    cache = VectorCache(default_cache_dir() / "vectors.sqlite")  # as a server keeps its exemplars
    return SemanticTriggers(E5Embedder(), load_exemplars(), cache=cache)


def test_rules_decide_asks_and_clear_non_asks_and_leave_the_rest() -> None:
    assert rule_verdict("요금제 바꾸고 싶어요") == (TriggerKind.REQUEST, True)
    assert rule_verdict("네 네") == (None, True)
    assert rule_verdict("네 그렇게 해 주세요") == (None, True)  # agreeing with the agent
    assert rule_verdict("세탁기가 배송 중에 찌그러졌어요") == (None, False)  # no rule knows this verb
    # thanks and the customer's own next step close a call; a next step alone may be a request
    assert rule_verdict("아 그렇군요 고맙습니다 다음부터는 미리 충전해 둘게요") == (None, True)
    assert rule_verdict("알려 주셔서 감사해요 내일 매장에 가 볼게요") == (None, True)
    assert rule_verdict("방문 수리 접수 좀 할게요") == (None, False)
    assert rule_verdict("감사합니다 근데 왜 환불이 안 되는 거죠") == (TriggerKind.PROBLEM, True)
    # said to the agent, not asked of them: permission, an offer, a choice made
    assert rule_verdict("네 천천히 보셔도 괜찮아요") == (None, True)
    assert rule_verdict("제 주소 불러 드릴게요") == (None, True)
    assert rule_verdict("그럼 두 번째 상품으로 할게요") == (None, True)
    assert rule_verdict("반품 접수 부탁드릴게요") == (TriggerKind.REQUEST, True)  # a request still is one
    assert rule_verdict("현금으로 내도 돼요") == (TriggerKind.QUESTION, True)  # asking permission is asking


def test_the_semantic_tier_catches_problems_the_rules_do_not_know(semantic: SemanticTriggers) -> None:
    assert semantic.classify("세탁기가 배송 중에 찌그러졌어요") is TriggerKind.PROBLEM
    assert semantic.classify("냉장고 문짝이 휘어서 도착했어요") is TriggerKind.PROBLEM
    assert semantic.classify("오늘 날씨가 참 좋네요") is None
    assert semantic.classify("지금 사무실이에요") is None


def test_bundled_exemplars_hold_both_classes_and_every_kind() -> None:
    exemplars = load_exemplars(EXEMPLARS)
    kinds = {e.kind for e in exemplars}
    assert None in kinds and {TriggerKind.QUESTION, TriggerKind.REQUEST, TriggerKind.PROBLEM} <= kinds


def test_bad_exemplar_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "요금이 이상해요"}) + "\n")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_exemplars(path)


def test_the_evaluation_scores_each_tier_on_typed_and_unpunctuated_text(semantic: SemanticTriggers) -> None:
    items = load_exemplars(DATA / "trigger_holdout.jsonl")
    scores = {(s.tier, s.text): s for s in evaluate(items, semantic)}
    assert set(scores) == {(t, x) for t in ("rules", "rules+semantic") for x in ("typed", "unpunctuated")}
    both = scores[("rules+semantic", "unpunctuated")]
    assert both.items == len(items) and both.recall >= scores[("rules", "unpunctuated")].recall
