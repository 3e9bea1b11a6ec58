import pytest

from agent.text.korean import cer, cer_no_space, normalize, sino_korean


@pytest.mark.parametrize(
    ("n", "spoken"),
    [
        (0, "영"),
        (1, "일"),
        (10, "십"),
        (11, "십일"),
        (15, "십오"),
        (100, "백"),
        (1000, "천"),
        (1234, "천이백삼십사"),
        (10000, "만"),
        (32000, "삼만 이천"),
        (10001, "만 일"),
        (110000, "십일만"),
        (100000000, "일억"),
        (123456789, "일억 이천삼백사십오만 육천칠백팔십구"),
        (10**12, "일조"),
    ],
)
def test_sino_korean_readings(n: int, spoken: str) -> None:
    assert sino_korean(n) == spoken


def test_normalize_rules() -> None:
    assert normalize("로밍 요금이 32,000원 청구되었습니다!") == "로밍 요금이 삼만 이천 원 청구되었습니다"
    assert normalize("3.5 GB") == "삼 점 오 gb"
    assert normalize("  네,   안녕하세요?? ") == "네 안녕하세요"
    assert normalize("ＡＢＣ") == "abc"  # full-width forms folded


def test_cer_with_and_without_spaces() -> None:
    assert cer("안녕하세요", "안녕하세요") == 0.0
    assert cer("삼만 이천 원", "32,000원") == 0.0  # digits and spoken numbers compare equal
    assert cer("다음 달 청구서", "다음달 청구서") == pytest.approx(1 / 8)  # one missing space
    assert cer_no_space("다음 달 청구서", "다음달 청구서") == 0.0
    assert cer_no_space("감사합니다", "감사함니다") == pytest.approx(1 / 5)
    assert cer("", "") == 0.0
