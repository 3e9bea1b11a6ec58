"""Writes tests/data/pii_corpus.jsonl: synthetic Korean call lines with personal numbers (positives)
and with numbers that are not personal (negatives: dates, prices, times, order and company
numbers…). Deterministic (fixed seed). Every number is invented; cards are generated to pass Luhn.

    .venv/bin/python tests/data/make_pii_corpus.py

Each line: {"segments": [one speaker's consecutive finals], "entities": [{"type", "digits"|"value"}]}.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from agent.redaction.numbers import luhn_ok

rng = random.Random(20261121)
HANGUL = "공일이삼사오육칠팔구"


def hangul(digits: str, zero: str = "공") -> str:
    return "".join(zero if d == "0" else HANGUL[int(d)] for d in digits)


def rand_digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError


def mobile() -> str:
    return "01" + rng.choice("016789") + rand_digits(8)


def birth() -> str:
    return f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def card() -> str:
    return luhn_complete(rng.choice(["4", "5", "9"]) + rand_digits(14))


def fmt_groups(digits: str, sizes: list[int], sep: str) -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(digits[pos : pos + size])
        pos += size
    return sep.join(out)


def pos(segments: list[str], type_: str, digits: str = "", value: str = "") -> dict:
    entity = {"type": type_, "digits": digits} if digits else {"type": type_, "value": value}
    return {"segments": segments, "entities": [entity]}


def positives() -> list[dict]:
    items = []
    phone_frames = [
        "제 번호는 {}이에요.",
        "연락처는 {}입니다.",
        "{}로 연락 주세요.",
        "네 {}요.",
        "휴대폰 번호 {} 맞아요.",
    ]
    for i in range(10):  # mobile, Arabic
        d = mobile()
        shape = [
            d,
            fmt_groups(d, [3, 4, 4], "-"),
            fmt_groups(d, [3, 4, 4], " "),
            fmt_groups(d, [3, 4, 4], "."),
        ][i % 4]
        items.append(pos([phone_frames[i % 5].format(shape)], "phone", d))
    for _ in range(4):  # +82
        d = mobile()
        items.append(pos([f"해외에서는 +82 {d[1:3]}-{d[3:7]}-{d[7:]}로 걸면 돼요."], "phone", "82" + d[1:]))
    for i in range(12):  # mobile, Hangul digits (various separators)
        d = mobile()
        zero = "공" if i % 3 else "영"
        a, b, c = hangul(d[:3], zero), hangul(d[3:7], zero), hangul(d[7:], zero)
        sep = [" ", "에 ", " 다시 ", "의 "][i % 4]
        items.append(pos([phone_frames[i % 5].format(f"{a}{sep}{b}{sep}{c}")], "phone", d))
    for _ in range(4):  # mixed Arabic and Hangul
        d = mobile()
        items.append(pos([f"번호는 {d[:3]} {hangul(d[3:7])} {d[7:]}입니다."], "phone", d))
    for i in range(8):  # landlines
        area = ["02", "031", "051", "064", "070", "02", "042", "053"][i]
        d = area + rand_digits(7 if area == "02" and i % 2 else 8 if area == "070" else 7)
        text = (
            f"{area}-{d[len(area) : -4]}-{d[-4:]}" if i % 2 == 0 else f"({area}) {d[len(area) : -4]}-{d[-4:]}"
        )
        if i == 5:
            text = f"{hangul(area)} {hangul(d[2:-4])} {hangul(d[-4:])}"
        items.append(pos([f"집 전화는 {text}이에요."], "phone", d))
    for i in range(8):  # split across two finals
        d = mobile()
        if i % 2:
            segs = [f"제 번호가 {hangul(d[:3])}", f"{hangul(d[3:7])} {hangul(d[7:])}이에요."]
        else:
            segs = [f"연락처는 {d[:3]}-{d[3:7]}", f"{d[7:]}입니다."]
        items.append(pos(segs, "phone", d))
    for i in range(12):  # resident registration numbers
        d = birth() + rng.choice("1234") + rand_digits(6)
        shape = [
            f"{d[:6]}-{d[6:]}",
            d,
            f"{d[:6]} {d[6:]}",
            f"{hangul(d[:6])} 다시 {hangul(d[6:])}",
            f"{hangul(d[:6])}에 {hangul(d[6:])}",
            f"{hangul(d[:6])} {hangul(d[6:9])} {hangul(d[9:])}",
        ][i % 6]
        frame = ["주민번호는 {}입니다.", "주민등록번호 {}이요.", "{}요.", "네 {}이에요."][i % 4]
        items.append(pos([frame.format(shape)], "rrn", d))
    for i in range(4):  # RRN split
        d = birth() + rng.choice("1234") + rand_digits(6)
        segs = (
            [f"주민번호 앞자리가 {hangul(d[:6])}", f"뒷자리는 {hangul(d[6:])}입니다."]
            if i % 2
            else [f"주민번호는 {d[:6]}", f"{d[6:]}이에요."]
        )
        items.append(pos(segs, "rrn", d))
    for i in range(6):  # foreigner registration numbers
        d = birth() + rng.choice("5678") + rand_digits(6)
        shape = [f"{d[:6]}-{d[6:]}", f"{hangul(d[:6])} 다시 {hangul(d[6:])}", d][i % 3]
        items.append(pos([f"외국인등록번호는 {shape}입니다."], "frn", d))
    for i in range(10):  # cards, Luhn-valid
        d = card()
        shape = [
            fmt_groups(d, [4, 4, 4, 4], "-"),
            fmt_groups(d, [4, 4, 4, 4], " "),
            d,
            " ".join(hangul(d[k : k + 4]) for k in range(0, 16, 4)),
        ][i % 4]
        frame = ["카드번호는 {}입니다.", "{}로 결제해 주세요.", "네 {}이요.", "결제할 카드는 {}예요."][i % 4]
        items.append(pos([frame.format(shape)], "card", d))
    for _ in range(2):  # 15-digit (Amex-shaped)
        d = luhn_complete("37" + rand_digits(12))
        items.append(pos([f"아멕스 카드 {fmt_groups(d, [4, 6, 5], '-')}로 해 주세요."], "card", d))
    for _ in range(3):  # announced card number without a valid check digit (a misheard digit)
        d = card()
        d = d[:-1] + str((int(d[-1]) + 1) % 10)
        items.append(pos([f"카드 번호 {fmt_groups(d, [4, 4, 4, 4], '-')}요."], "card", d))
    for i in range(4):  # card split
        d = card()
        segs = (
            [f"카드번호가 {d[:4]} {d[4:8]}", f"{d[8:12]} {d[12:]}이요."]
            if i % 2
            else [
                f"카드 번호는 {hangul(d[:4])} {hangul(d[4:8])}",
                f"{hangul(d[8:12])} {hangul(d[12:])}입니다.",
            ]
        )
        items.append(pos(segs, "card", d))
    banks = [("국민은행", [6, 2, 6]), ("신한은행", [3, 3, 6]), ("우리은행", [4, 3, 6]), ("농협", [3, 4, 4, 2]),
             ("카카오뱅크", [4, 2, 7]), ("하나은행", [3, 6, 5]), ("기업은행", [3, 6, 2, 3]), ("토스뱅크", [4, 4, 4])]  # fmt: skip
    for i in range(12):  # accounts
        bank, sizes = banks[i % len(banks)]
        d = rand_digits(sum(sizes))
        shape = fmt_groups(d, sizes, "-") if i % 3 else d
        frame = ["환불은 {} {}로 받을게요.", "{} 계좌번호 {}입니다.", "입금 계좌는 {} {}예요."][i % 3]
        if i == 10:
            items.append(
                pos([f"계좌번호는 {hangul(d[:3])} {hangul(d[3:6])} {hangul(d[6:])}이에요."], "account", d)
            )
            continue
        items.append(pos([frame.format(bank, shape)], "account", d))
    for _ in range(3):  # account split
        d = rand_digits(13)
        items.append(pos([f"우리은행 계좌번호는 {d[:4]}-{d[4:7]}", f"{d[7:]}예요."], "account", d))
    users = ["hong.gildong", "kim_92", "seoyeon.lee", "minji0315", "park-js", "leeh"]
    domains = ["naver.com", "gmail.com", "daum.net", "hanmail.net", "kakao.com", "company.co.kr"]
    for i in range(6):
        items.append(pos([f"메일 주소는 {users[i]}@{domains[i]}입니다."], "email", value=users[i]))
    for i in range(4):
        user, domain = users[i], domains[i].split(".")[0]
        items.append(pos([f"이메일은 {user} 골뱅이 {domain} 닷컴이에요."], "email", value=user))
    return items


def negatives() -> list[dict]:
    lines = [
        "2024년 3월 15일에 가입했어요.",
        "강남역 2번 출구로 나와서 테헤란로 쪽으로 오세요.",
        "이마트 성수점은 밤 열한 시까지 해요.",
        "매장은 역삼동 123-45 이층이에요.",
        "김 대리님께 전달해 드릴게요.",
        "가입일이 2024-03-15로 나와요.",
        "24.03.15에 개통했습니다.",
        "이천이십사년 삼월 십오일에 바꿨어요.",
        "구십이년 삼월 십오일생이에요.",
        "팔십팔년 칠월 이일생입니다.",
        "이번 달 요금이 32,000원 나왔어요.",
        "삼만 이천 원이 청구됐어요.",
        "1,250,000원짜리 폰이에요.",
        "월 55,000원 요금제 쓰고 있어요.",
        "하루 11,000원이에요.",
        "0.5KB당 2.2원이 부과됩니다.",
        "오후 3시 15분에 방문할게요.",
        "15:30까지 가면 되나요?",
        "영업시간은 09:00~18:00입니다.",
        "주문번호는 2024031512345이에요.",
        "주문 번호 A-2024-0315-001입니다.",
        "운송장 번호 6123 4567 8901이요.",
        "예약번호는 20240315-0012입니다.",
        "접수번호 1234567890으로 조회해 주세요.",
        "고객번호는 8812345670이에요.",
        "사업자등록번호 123-45-67890입니다.",
        "고객센터 114로 전화했어요.",
        "1588-1234로 걸었는데 안 받아요.",
        "080-123-4567로 수신 거부했어요.",
        "데이터 6GB 남았어요.",
        "5G 요금제로 바꾸고 싶어요.",
        "이번 달 일이 많아서 못 갔어요.",
        "오늘 이사 가요.",
        "일일 이용권 있나요?",
        "삼성 갤럭시 S24 쓰고 있어요.",
        "아이폰 15 프로요.",
        "우편번호는 06234예요.",
        "테헤란로 123번지예요.",
        "모델명이 SM-S921N이에요.",
        "일련번호 R3CX1234567입니다.",
        "30% 할인된다고 들었어요.",
        "2년 약정이에요.",
        "24개월 할부로 샀어요.",
        "카드 뒷자리 1234로 결제된 거요.",
        "카드 결제일은 매월 15일이에요.",
        "계좌 자동이체는 25일에 빠져요.",
        "은행 가서 3시에 입금했어요.",
        "이체 수수료 500원이요.",
        "사일 뒤에 다시 전화 주세요.",
        "이삼일 걸린다고 하던데요.",
        "오륙 년 쓴 폰이에요.",
        "일이 층에 매장이 있어요.",
        "삼사 만 원 정도요.",
        "구 층으로 올라오세요.",
        "요금이 이만 삼천사백 원이요.",
        "십이 개월 무이자예요.",
        "칠팔 월에 여행 가요.",
        "포인트 12,500점 남았어요.",
        "멤버십 등급이 VIP예요.",
        "3번 눌러서 상담원 연결했어요.",
        "2번 메뉴요.",
        "1층 고객센터요.",
        "버전 15.3.1이에요.",
        "2024년형 모델이에요.",
        "2023년 12월 31일까지요.",
        "11월 21일 오후 2시에 예약했어요.",
        "12시 30분쯤 전화했어요.",
        "100만 원 넘게 나왔어요.",
        "요금 98,700원 맞나요?",
        "약정 할인 25%요.",
        "기가 당 2,000원이에요.",
        "유심 번호는 뒷면에 있어요.",
        "매장 주소가 서울시 강남구 역삼동 123-45예요.",
        "3,300원 부가세 포함이에요.",
        "통화 시간 1시간 20분이요.",
        "문자 150건 보냈어요.",
        "국제전화 001 붙여서 걸었어요.",
        "114 눌렀어요.",
        "화요일 10시에서 12시 사이요.",
        "5월 5일 어린이날이요.",
        "2월 29일은 없던데요.",
        "회원번호 20240001이요.",
        "쿠폰 번호 ABCD-1234-EFGH예요.",
        "인증번호 123456 받았어요.",
        "비밀번호 네 자리요.",
        "공일공으로 시작하는 번호였어요.",
    ]
    items = [{"segments": [line], "entities": []} for line in lines]
    splits = [
        ["이번 달 요금이", "삼만 이천 원이에요."],
        ["2024년", "3월 15일이요."],
        ["주문번호는 2024", "0315 12345예요."],
        ["오후", "3시 15분에 갈게요."],
        ["하루에", "11,000원씩이요."],
        ["포인트가", "12,500점 있어요."],
        ["카드 결제일이", "15일이에요."],
        ["예약번호가 2024", "0315-0012예요."],
        ["구십이년", "삼월 십오일생이요."],
        ["고객센터", "1588-1234요."],
        ["운송장 번호 6123", "4567 8901입니다."],
        ["요금이 오만", "오천 원이요."],
        ["이천이십삼년", "십이월이요."],
        ["데이터가", "6GB 남았어요."],
        ["일이 많아서", "사일 뒤에요."],
        ["약정이", "24개월이에요."],
        ["매장은", "2층이에요."],
        ["모델이", "SM-S921N이요."],
        ["인증번호", "123456이요."],
        ["대리점 번호", "1577-0000이요."],
    ]
    items += [{"segments": segs, "entities": []} for segs in splits]
    return items


# Lines first written as negatives of the numbers (a birth date, a house address) that are
# quasi-identifiers the redactor masks too (agent/redaction/identity/): labelled so. Of a birth
# date split across finals only the second part can be masked (the first was stored already).
QUASI_IDENTIFIERS = {
    ("구십이년 삼월 십오일생이에요.",): [{"type": "birth_date", "parts": ["구십이년", "삼월", "십오일"]}],
    ("팔십팔년 칠월 이일생입니다.",): [{"type": "birth_date", "parts": ["팔십팔년", "칠월", "이일"]}],
    ("테헤란로 123번지예요.",): [{"type": "address", "parts": ["123"]}],
    ("구십이년", "삼월 십오일생이요."): [{"type": "birth_date", "parts": ["삼월", "십오일"]}],
}


def main() -> None:
    items = positives() + negatives()
    for item in items:
        item["entities"] = QUASI_IDENTIFIERS.get(tuple(item["segments"]), item["entities"])
    out = Path(__file__).with_name("pii_corpus.jsonl")
    out.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    print(
        f"{out}: {sum(1 for i in items if i['entities'])} positives, {sum(1 for i in items if not i['entities'])} negatives"
    )


if __name__ == "__main__":
    main()
