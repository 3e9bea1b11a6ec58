"""How `tune eval --engine` tells right recognized words from wrong ones, and scores the word
probabilities against that."""

from __future__ import annotations

from tune.evaluate import ConfidenceScores, word_correctness


def test_a_word_is_right_when_its_letters_line_up_whatever_the_spacing() -> None:
    assert (
        word_correctness("자기부담금만 내시면 됩니다", ["자기", "부담금", "만내시면", "됩니다"]) == [True] * 4
    )
    assert word_correctness("수리 비용은 보험으로", ["수입이용은", "보험으로"]) == [False, True]
    assert word_correctness("요금이 나왔어요", ["요금", "나왔어요"]) == [False, True]  # 이 missing after it
    assert word_correctness("네", ["네", "."]) == [True, None]


def test_scores_say_how_the_flagged_words_split() -> None:
    scores = ConfidenceScores(0.5)
    scores.add(
        "수리 비용은 보험으로 처리가 되나요", "수입이용은 보험으로 처리가 되나요", (0.2, 0.9, 0.4, 0.95)
    )
    scores.add("네", "네 네", (0.9,))  # not lined up: left out
    summary = scores.summary()
    assert summary["words"] == 4 and summary["wrong_share"] == 0.25
    assert (
        summary["flagged_share"] == 0.5
        and summary["flagged_wrong"] == 0.5
        and summary["wrong_flagged"] == 1.0
    )
    assert summary["auc"] == 1.0
    assert ConfidenceScores().summary() == {}
