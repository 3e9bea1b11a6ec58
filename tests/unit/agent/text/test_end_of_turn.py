import pytest

from agent.text.end_of_turn import TurnEnd, judge

COMPLETE = TurnEnd.COMPLETE
INCOMPLETE = TurnEnd.INCOMPLETE
UNKNOWN = TurnEnd.UNKNOWN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sentences that end
        ("요금이 두 번 청구됐어요", COMPLETE),
        ("해지하고 싶습니다.", COMPLETE),
        ("환불은 언제 되나요?", COMPLETE),
        ("그건 제가 확인해 드리죠", COMPLETE),
        ("주소 변경이 가능합니까", COMPLETE),
        ("이번 달만 그런 거야", COMPLETE),
        ("네", COMPLETE),
        ("아니요.", COMPLETE),
        ("감사합니다", COMPLETE),
        ("지금 바로 되냐", COMPLETE),
        ("카드로 결제했는데요", COMPLETE),  # -는데요: a polite ending, not the connective
        ("어제 신청했고요", COMPLETE),
        ("“그렇게 해 주세요.”", COMPLETE),
        ("이거 맞아?", COMPLETE),  # a question mark settles it
        # sentences that go on
        ("제가 어제 인터넷으로 결제를 했는데", INCOMPLETE),
        ("휴대폰 번호는", INCOMPLETE),
        ("계좌로", INCOMPLETE),
        ("로밍을 신청하고", INCOMPLETE),
        ("해외에 나가면", INCOMPLETE),
        ("번호가 공일공", INCOMPLETE),
        ("카드 번호가 1234", INCOMPLETE),
        ("생년월일은 구십 일", INCOMPLETE),
        ("그러니까", INCOMPLETE),
        ("음", INCOMPLETE),
        ("요금이 좀,", INCOMPLETE),
        ("그게...", INCOMPLETE),
        # no evidence either way
        ("", UNKNOWN),
        (None, UNKNOWN),
        ("   ", UNKNOWN),
        ("?", UNKNOWN),
        ("로밍 요금제.", UNKNOWN),
        ("메시지", UNKNOWN),
    ],
)
def test_endings(text: str | None, expected: TurnEnd) -> None:
    assert judge(text) is expected


def test_judging_is_constant_time_on_any_input() -> None:
    assert judge("가" * 200_000 + " 했어요") is COMPLETE
    assert judge("네, " * 50_000 + "네") is COMPLETE
    assert judge("요금이, " * 50_000) is INCOMPLETE
    assert judge("?" * 100_000) is UNKNOWN
