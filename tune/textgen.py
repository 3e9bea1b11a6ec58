"""A generator of Korean call-center sentences for synthetic corpora: ten service domains (telecom,
internet/TV, car sharing, delivery, banking, insurance, shopping, travel, utilities, clinics), each
with its own products, actions and problems, poured into customer and agent sentence frames;
amounts, dates, clock times, counts, phone numbers, names and addresses written out in Hangul as
they are spoken (Sino-Korean amounts, native-Korean hours and counts, digit-by-digit numbers).

Frames are split for evaluation: `part="train"` never uses the frames that `part="test"` uses, so a
test sentence is never a template instance seen in training. Reproducible from a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from agent.text.korean import sino_korean

_NATIVE_HOURS = ["한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "열한", "열두"]
_NATIVE_COUNTS = ["한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열"]
_DIGIT_WORDS = "공일이삼사오육칠팔구"
SURNAMES = [
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
    "황",
    "안",
    "송",
    "류",
    "홍",
    "전",
    "고",
    "문",
    "양",
    "손",
    "배",
    "백",
    "허",
    "남",
    "심",
]
GIVEN_NAMES = ["지훈", "서연", "민준", "수진", "현우", "지영", "도윤", "하은", "예준", "서윤", "준호", "미경", "성민", "은비", "동현", "유나", "재원", "소희", "태호", "혜진", "승우", "다은", "영수", "미숙", "정호", "윤아", "상철", "가영", "우진", "나래"]  # fmt: skip
PLACES = [
    "서울 강남구 역삼동", "서울 마포구 합정동", "서울 노원구 상계동", "부산 해운대구 우동", "대구 수성구 범어동",
    "인천 연수구 송도동", "광주 북구 용봉동", "대전 유성구 봉명동", "울산 남구 삼산동", "경기 성남시 분당구 정자동",
    "경기 수원시 영통구 매탄동", "경기 고양시 일산동구 장항동", "충북 청주시 흥덕구 복대동", "전북 전주시 완산구 효자동",
    "경남 창원시 성산구 상남동", "제주 제주시 노형동", "강원 춘천시 석사동", "세종시 나성동",
]  # fmt: skip


@dataclass(frozen=True)
class Domain:
    company: str
    items: tuple[str, ...]  # what customers call about (nouns)
    actions: tuple[str, ...]  # 하다-verbs' nouns: 신청, 해지 …
    problems: tuple[str, ...]  # complete complaint clauses
    facts: tuple[str, ...]  # what an agent states (complete clauses)


DOMAINS = {
    "telecom": Domain(
        "한결모바일",
        (
            "요금제",
            "데이터",
            "해외 로밍",
            "유심",
            "휴대폰",
            "부가 서비스",
            "가족 결합",
            "번호 이동",
            "멤버십 포인트",
            "소액 결제",
        ),
        ("신청", "해지", "변경", "조회", "정지", "연장"),
        (
            "문자가 안 와요",
            "통화가 자꾸 끊겨요",
            "데이터가 너무 느려요",
            "요금이 갑자기 많이 나왔어요",
            "휴대폰을 택시에 두고 내렸어요",
            "유심을 인식하지 못한다고 떠요",
            "해외에서 전화가 안 돼요",
        ),
        (
            "약정이 아직 남아 있습니다",
            "다음 달 일 일부터 새 요금제가 적용됩니다",
            "분실 신고가 접수되었습니다",
            "로밍은 도착하시면 자동으로 켜집니다",
        ),
    ),  # fmt: skip
    "internet": Domain(
        "누리넷",
        (
            "인터넷",
            "와이파이",
            "공유기",
            "셋톱박스",
            "티브이 채널",
            "설치 기사 방문",
            "인터넷 속도",
            "결합 상품",
        ),
        ("설치", "이전", "해지", "교체", "점검", "재약정"),
        (
            "인터넷이 자꾸 끊겨요",
            "와이파이가 안 잡혀요",
            "티브이 화면이 안 나와요",
            "공유기 불이 빨간색으로 깜빡여요",
            "이사 가는데 인터넷을 옮겨야 해요",
            "속도가 계약한 것보다 훨씬 느려요",
        ),
        (
            "기사님이 내일 오전에 방문하실 예정입니다",
            "원격으로 점검해 보니 회선에는 문제가 없습니다",
            "공유기 전원을 껐다가 다시 켜 주세요",
        ),
    ),  # fmt: skip
    "carshare": Domain(
        "바로카",
        (
            "차량 예약",
            "대여 시간",
            "반납 장소",
            "주유 카드",
            "하이패스",
            "자차 보험",
            "운전면허 정보",
            "쿠폰",
        ),
        ("예약", "취소", "연장", "반납", "변경", "등록"),
        (
            "차 문이 앱으로 안 열려요",
            "시동이 안 걸려요",
            "주차장에서 다른 차랑 부딪혔어요",
            "타이어 경고등이 켜졌어요",
            "기름이 거의 없는 상태였어요",
            "반납했는데 요금이 계속 올라가요",
            "차 안이 너무 더러워요",
        ),
        (
            "사고 접수는 앱의 긴급 버튼으로 하실 수 있습니다",
            "반납 시간을 삼십 분 연장해 드렸습니다",
            "면책 상품에 가입하셔서 자기부담금이 없습니다",
        ),
    ),  # fmt: skip
    "delivery": Domain(
        "빠른택배",
        ("택배", "배송 일정", "반품", "교환", "송장 번호", "방문 수거", "보관 기간", "착불 요금"),
        ("조회", "접수", "취소", "변경", "재배송", "수거"),
        (
            "택배가 아직 안 왔어요",
            "상자가 찢어진 채로 왔어요",
            "주문한 거랑 다른 물건이 왔어요",
            "배송 완료라고 뜨는데 물건이 없어요",
            "기사님이 연락도 없이 문 앞에 두고 갔어요",
        ),
        (
            "물건은 지금 지역 터미널에 도착해 있습니다",
            "내일 오후까지 배송될 예정입니다",
            "수거 기사님이 모레 방문하실 겁니다",
        ),
    ),  # fmt: skip
    "banking": Domain(
        "한빛은행",
        ("체크카드", "신용카드", "계좌", "대출", "적금", "자동 이체", "해외 송금", "인증서", "이체 한도"),
        ("재발급", "해지", "개설", "분실 신고", "한도 변경", "상환"),
        (
            "카드를 잃어버렸어요",
            "제가 쓰지 않은 결제 내역이 있어요",
            "이체가 자꾸 실패해요",
            "비밀번호를 다섯 번 틀렸어요",
            "계좌가 갑자기 정지됐어요",
            "대출 이자가 지난달보다 많이 나갔어요",
        ),
        (
            "카드 사용을 바로 정지해 드렸습니다",
            "새 카드는 영업일 기준 삼 일 안에 도착합니다",
            "이체 한도는 앱에서 직접 바꾸실 수 있습니다",
        ),
    ),  # fmt: skip
    "insurance": Domain(
        "든든보험",
        ("실손 보험", "자동차 보험", "보험금", "청구 서류", "보험료", "특약", "갱신 조건", "긴급 출동"),
        ("청구", "가입", "해지", "변경", "납입", "갱신"),
        (
            "보험금이 아직 안 들어왔어요",
            "보험료가 두 번 빠져나갔어요",
            "입원했는데 청구를 어떻게 하는지 모르겠어요",
            "도로에서 차가 멈춰 버렸어요",
            "갱신하면서 보험료가 너무 올랐어요",
        ),
        (
            "진단서와 영수증을 보내 주시면 접수됩니다",
            "보험금은 심사 후 칠 일 안에 지급됩니다",
            "긴급 출동 차량이 이십 분 안에 도착합니다",
        ),
    ),  # fmt: skip
    "shopping": Domain(
        "모아몰",
        ("주문", "쿠폰", "적립금", "환불", "결제 수단", "회원 등급", "사이즈 교환", "무료 배송"),
        ("취소", "환불", "교환", "적용", "변경", "확인"),
        (
            "쿠폰이 적용이 안 돼요",
            "결제가 두 번 됐어요",
            "환불이 아직 안 들어왔어요",
            "사이즈가 하나도 안 맞아요",
            "주문이 마음대로 취소됐어요",
            "적립금이 사라졌어요",
        ),
        (
            "환불은 카드사 사정에 따라 삼 일에서 오 일 걸립니다",
            "교환 상품은 회수가 끝나면 바로 보내 드립니다",
            "쿠폰은 최소 주문 금액을 넘어야 적용됩니다",
        ),
    ),  # fmt: skip
    "travel": Domain(
        "하늘항공",
        ("항공권", "좌석 배정", "위탁 수하물", "마일리지", "예약 변경", "탑승권", "기내식", "여권 정보"),
        ("예매", "취소", "변경", "환불", "적립", "확인"),
        (
            "비행기가 세 시간이나 지연됐어요",
            "짐이 도착하지 않았어요",
            "이름 철자를 잘못 입력했어요",
            "온라인 체크인이 안 돼요",
            "결항 문자를 받았어요",
        ),
        (
            "지연 보상은 마일리지로 지급됩니다",
            "다음 항공편으로 좌석을 잡아 드렸습니다",
            "수하물은 내일 댁으로 보내 드리겠습니다",
        ),
    ),  # fmt: skip
    "utilities": Domain(
        "한마음도시가스",
        ("가스 요금", "검침", "자동 이체", "전입 신고", "보일러 점검", "안전 점검", "요금 감면"),
        ("신청", "해지", "변경", "조회", "예약", "납부"),
        (
            "가스 냄새가 나는 것 같아요",
            "이번 달 요금이 평소의 두 배예요",
            "이사를 가는데 정산은 어떻게 해요",
            "보일러에서 이상한 소리가 나요",
            "검침원이 안 왔는데 요금이 나왔어요",
        ),
        (
            "안전 점검 기사가 한 시간 안에 출동합니다",
            "이사 전날 정산 요금을 문자로 보내 드립니다",
            "감면 대상이시면 다음 달부터 할인됩니다",
        ),
    ),  # fmt: skip
    "clinic": Domain(
        "새봄병원",
        ("진료 예약", "검사 결과", "처방전", "진료비 영수증", "건강 검진", "주차 등록", "입원 수속"),
        ("예약", "취소", "변경", "발급", "확인", "접수"),
        (
            "예약한 시간에 갔는데 기록이 없대요",
            "검사 결과가 아직 안 나왔어요",
            "진료비가 너무 많이 나온 것 같아요",
            "아이가 열이 심하게 나요",
            "처방전을 잃어버렸어요",
        ),
        (
            "검사 결과는 앱에서 확인하실 수 있습니다",
            "오전 진료는 열두 시 반에 마감됩니다",
            "영수증은 무인 발급기에서 바로 뽑으실 수 있습니다",
        ),
    ),  # fmt: skip
}

# Sentence frames. {i} item, {a} action, {p} problem, {f} fact, {c} company, {n} name, {amount},
# {date}, {time}, {count}, {phone}, {address}, {months}; {phone_to}/{address_to} + 으로/로; {i_obj} item + 을/를, {i_top} item + 은/는,
# {i_sub} item + 이/가, {amount_sub} amount + 이/가. Frames whose index is 4 mod 5 are test-only.
CUSTOMER_FRAMES = [
    "{i_obj} {a}하고 싶은데요",
    "{i_obj} {a}하려면 어떻게 해야 돼요",
    "{date}에 {a} 신청했는데 아직 처리가 안 됐어요",
    "저기요 {p}",
    "{p} 어떻게 해야 하나요",
    "{i} {a} 수수료는 얼마예요",
    "제 이름은 {n}이고 번호는 {phone}이에요",
    "주소가 {address_to} 바뀌었어요",
    "{amount_sub} 결제됐는데 저는 쓴 적이 없어요",
    "혹시 {i}도 {a_sub} 되나요",
    "어제부터 {p}",
    "{i} 때문에 전화드렸어요",
    "{time}쯤 다시 전화 주실 수 있나요",
    "{i} 말고 다른 방법은 없어요",
    "지난번에 {i} 문의했던 {n}인데요",
    "{p} 벌써 {count} 번째예요",
    "{i_sub} 왜 이렇게 비싸요 {amount}이나 나왔어요",
    "{months} 개월 전에 {a}했는데 아직도 돈이 나가요",
    "{c} 맞죠 {i} 좀 여쭤보려고요",
    "급해서 그러는데 {i_obj} 오늘 안에 {a}할 수 있을까요",
    "{address} 사는데 거기도 되나요",
    "아니 {p} 정말 화가 나네요",
    "{i_top} 한 달에 얼마씩 내야 돼요",
    "문자로 {i} 안내를 받았는데 무슨 뜻인지 모르겠어요",
    "{date}까지 {a}하면 위약금이 있나요",
]
AGENT_FRAMES = [
    "안녕하세요 {c} 상담원 {n}입니다 무엇을 도와드릴까요",
    "네 고객님 {i} {a} 말씀이시죠",
    "확인해 보니 {date}에 {amount_sub} 결제되었습니다",
    "{time}까지 처리해 드리겠습니다",
    "본인 확인을 위해 생년월일 여섯 자리를 말씀해 주세요",
    "{f}",
    "불편을 드려 죄송합니다 바로 {a} 도와드리겠습니다",
    "{amount_top} 다음 달 청구서에서 차감됩니다",
    "말씀하신 주소가 {address} 맞으신가요",
    "잠시만 기다려 주시면 {i} 확인해 보겠습니다",
    "네 {n} 고객님 {f}",
    "{i_top} 월 {amount}입니다",
    "등록된 연락처 {phone_to} 문자를 보내 드렸습니다",
    "{i} {a_top} 앱이나 홈페이지에서도 가능합니다",
    "기다려 주셔서 감사합니다 {i} {a} 완료되었습니다",
    "{count} 번 시도하셨는데 모두 실패로 나옵니다",
    "{months} 개월 약정이 남아 있어서 위약금이 {amount} 발생합니다",
    "혹시 다른 궁금하신 점은 없으신가요",
    "{date} {time}에 예약해 드렸습니다",
    "담당 부서로 연결해 드릴 테니 잠시만 기다려 주세요",
]


def _has_final(word: str) -> bool:
    last = word.rstrip()[-1:]
    return bool(last) and "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def _josa(word: str, with_final: str, without: str) -> str:
    return word + (with_final if _has_final(word) else without)


def _to(word: str) -> str:
    """word + 으로/로 (로 after a vowel or ㄹ)."""
    last = word.rstrip()[-1:]
    final = (ord(last) - 0xAC00) % 28 if last and "가" <= last <= "힣" else 0
    return word + ("으로" if final not in (0, 8) else "로")


def _amount(rng: random.Random) -> str:
    value = rng.choice(
        [rng.randint(1, 99) * 1000, rng.randint(1, 300) * 100, rng.randint(10, 99) * 1000 + 500,
         rng.randint(1, 50) * 10000, rng.randint(100, 3000) * 1000]
    )  # fmt: skip
    return sino_korean(value) + " 원"


def _date(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.6:
        return f"{sino_korean(rng.randint(1, 12))}월 {sino_korean(rng.randint(1, 30))}일"
    if choice < 0.8:
        return rng.choice(["지난주 금요일", "지난달 말", "오늘 아침", "이번 주 월요일", "지난 주말"])
    return f"{sino_korean(rng.randint(1, 30))}일"


def _time(rng: random.Random) -> str:
    hour = rng.choice(_NATIVE_HOURS)
    minute = rng.choice(["", " 반", f" {sino_korean(rng.choice([10, 15, 20, 40, 45, 50]))}분"])
    return f"{rng.choice(['오전 ', '오후 ', ''])}{hour} 시{minute}"


def _phone(rng: random.Random) -> str:
    def digits(n: int) -> str:
        return "".join(rng.choice(_DIGIT_WORDS) for _ in range(n))

    return f"공일공 {digits(4)} {digits(4)}"


def _address(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    if rng.random() < 0.5:
        return f"{place} {sino_korean(rng.randint(1, 999))}번지"
    return f"{place} {sino_korean(rng.randint(101, 120))}동 {sino_korean(rng.randint(101, 2504))}호"


def _fill(frame: str, domain: Domain, rng: random.Random) -> str:
    item, action, amount = rng.choice(domain.items), rng.choice(domain.actions), _amount(rng)
    phone, address = _phone(rng), _address(rng)
    values = {
        "i": item, "i_obj": _josa(item, "을", "를"), "i_top": _josa(item, "은", "는"), "i_sub": _josa(item, "이", "가"),
        "a": action, "a_sub": _josa(action, "이", "가"), "a_top": _josa(action, "은", "는"), "p": rng.choice(domain.problems), "f": rng.choice(domain.facts),
        "c": domain.company, "n": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES), "amount": amount,
        "amount_sub": _josa(amount, "이", "가"), "amount_top": _josa(amount, "은", "는"), "date": _date(rng),
        "time": _time(rng), "count": rng.choice(_NATIVE_COUNTS), "phone": phone, "phone_to": _to(phone), "address": address, "address_to": _to(address),
        "months": sino_korean(rng.randint(1, 36)),
    }  # fmt: skip
    return frame.format(**values)


def frames(part: str = "all") -> list[str]:
    """The sentence frames of `part`: "train" (4 of every 5), "test" (the fifth) or "all"."""
    if part not in ("train", "test", "all"):
        raise ValueError(f"part is train, test or all, got {part!r}")
    every = CUSTOMER_FRAMES + AGENT_FRAMES
    if part == "all":
        return every
    return [f for n, f in enumerate(every) if (n % 5 == 4) == (part == "test")]


def sentence(rng: random.Random, part: str = "all") -> str:
    domain = DOMAINS[rng.choice(sorted(DOMAINS))]
    return _fill(rng.choice(frames(part)), domain, rng)


def sentences(count: int, seed: int = 0, extra: list[str] | None = None, part: str = "all") -> list[str]:
    """`count` sentences: generated ones, mixed with `extra` lines (from text files) when given."""
    rng = random.Random(seed)
    pool = list(extra or [])
    out = []
    for _ in range(count):
        out.append(rng.choice(pool) if pool and rng.random() < 0.5 else sentence(rng, part))
    return out
