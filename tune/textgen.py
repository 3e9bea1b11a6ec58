"""A generator of Korean call-center sentences: templates filled with product names, dates and
amounts, numbers written out in Hangul as they are spoken. For synthetic corpora only."""

from __future__ import annotations

import random

from agent.text.korean import sino_korean

PRODUCTS = ["한결 오 지 요금제", "데이터 무제한 요금제", "가족 결합 할인", "해외 로밍 패스", "멤버십 포인트", "휴대폰 보험",
            "인터넷 결합 상품", "청소년 요금제", "알뜰 요금제", "부가 서비스"]  # fmt: skip
ACTIONS = ["신청", "해지", "변경", "조회", "환불", "감면", "연장", "정지", "재개", "이전"]
TEMPLATES = [
    "{product} {action}하고 싶어요",
    "이번 달 요금이 {amount} 원 나왔는데 왜 그런가요",
    "{month} 월 {day} 일에 {product} {action}했는데 아직 안 됐어요",
    "{product}은 한 달에 얼마예요",
    "고객님 {product}은 월 {amount} 원입니다",
    "{month} 월 {day} 일까지 {action} 처리해 드리겠습니다",
    "포인트가 {points} 점 남아 있습니다",
    "{product} {action}하시면 다음 달부터 적용됩니다",
    "확인해 보니 {amount} 원이 청구되어 있습니다",
    "약정이 {months} 개월 남아 있어서 위약금이 {amount} 원 나옵니다",
    "잠시만 기다려 주시면 {action} 도와드리겠습니다",
    "{product} 관련해서 문의드릴 게 있어요",
    "데이터를 {gb} 기가 더 쓰고 싶은데 가능한가요",
    "로밍 요금이 {amount} 원이나 나왔어요",
    "네 고객님 {product} {action} 완료되었습니다",
]


def sentence(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    values = {
        "product": rng.choice(PRODUCTS),
        "action": rng.choice(ACTIONS),
        "amount": sino_korean(
            rng.choice(
                [rng.randint(1, 99) * 1000, rng.randint(1, 300) * 100, rng.randint(10, 99) * 1000 + 500]
            )
        ),
        "month": sino_korean(rng.randint(1, 12)),
        "day": sino_korean(rng.randint(1, 30)),
        "points": sino_korean(rng.randint(1, 50) * 100),
        "months": sino_korean(rng.randint(1, 24)),
        "gb": sino_korean(rng.randint(1, 20)),
    }
    return template.format(**values)


def sentences(count: int, seed: int = 0, extra: list[str] | None = None) -> list[str]:
    """`count` sentences: generated ones, mixed with `extra` lines (from text files) when given."""
    rng = random.Random(seed)
    pool = list(extra or [])
    out = []
    for _ in range(count):
        out.append(rng.choice(pool) if pool and rng.random() < 0.5 else sentence(rng))
    return out
