"""A final's word probabilities as stored, announced, exported and searched with."""

from __future__ import annotations

from agent.assist.assistant import sure_text
from agent.assist.export import marked
from agent.events import Role, TranscriptSegment, parse_probs, probs_field
from agent.feed import Final


def _segment(**changes: object) -> TranscriptSegment:
    fields: dict = dict(seq=3, channel=0, role=Role.CUSTOMER, start=1.0, end=2.5, cut="silence",
                        text="요금이 너무 많이 나왔어요", source="whisper", word_probs=(0.9, 0.3, 0.8, 0.45),
                        uncertain_below=0.5)  # fmt: skip
    fields.update(changes)
    return TranscriptSegment(**fields)


def test_probabilities_survive_the_store_and_match_the_feed_contract() -> None:
    segment = _segment()
    back = TranscriptSegment.from_fields(segment.to_fields())
    assert back.word_probs == (0.9, 0.3, 0.8, 0.45) and back.uncertain == [1, 3]
    event = Final.of("c1", back)  # what the store announces
    assert event.uncertain == [1, 3] and event.word_probs == [0.9, 0.3, 0.8, 0.45]


def test_probabilities_that_do_not_line_up_or_are_not_numbers_are_dropped() -> None:
    fields = _segment().to_fields()
    assert TranscriptSegment.from_fields({**fields, "word_probs": "0.9 0.3"}).word_probs == ()
    assert TranscriptSegment.from_fields({**fields, "word_probs": "a b c d"}).word_probs == ()
    assert parse_probs("0.5 1.5") == () and parse_probs(probs_field((0.25, 1.0))) == (0.25, 1.0)
    plain = _segment(word_probs=())
    assert "word_probs" not in plain.to_fields() and Final.of("c1", plain).word_probs is None
    assert plain.uncertain == [] and _segment(uncertain_below=0.0).uncertain == []


def test_exports_mark_and_retrieval_leaves_out_the_uncertain_words() -> None:
    assert marked("요금이 너무 많이 나왔어요", [1, 3]) == "요금이 너무(?) 많이 나왔어요(?)"
    assert marked("네", []) == "네"
    assert sure_text(_segment()) == "요금이 많이"
    assert sure_text(_segment(word_probs=())) == "요금이 너무 많이 나왔어요"


def test_a_recognition_workers_reply_carries_the_probabilities() -> None:
    from agent.asr.interface import Transcription
    from agent.asr.worker import _reply_fields

    fields = _reply_fields(Transcription(text="네 알겠습니다", source="whisper", word_probs=(0.9, 0.42)))
    assert parse_probs(fields["word_probs"]) == (0.9, 0.42)
