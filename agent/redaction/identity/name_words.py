"""The words names are judged by: surnames, the syllables given names are made of, and the
ordinary words and titles that look like a name but are not one."""

from __future__ import annotations

SURNAMES_2 = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "을지", "망절", "어금")
SURNAMES_1 = (
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현"
    "함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범좌"
    "팽견옹승판단엽탄궉뇌곡갈"  # 팽 (彭), 견 (甄), 옹 (邕), 승 (承), 판 (判), 단 (段), 엽 (葉), 탄 (彈), 궉 (鴌), 뇌 (雷), 곡 (曲), 갈 (葛)
)
# Syllables Korean given names are mostly made of (민준, 서연, 영철, 순례, 하늘, 예린 …): two of
# them after a surname make a name where nothing else says so; most nouns that start with a
# surname's syllable hold one that is not here (유치원, 정비소, 태권도, 피아노, 노래방). (곤, 득, 루, 풍:
# 태곤, 득수, 하루, 풍호; not 실, which ends rooms: 경비실, 관리실)
GIVEN_SYLLABLES = frozenset(
    "가갑강건결겸경계곤광교구국군규귀균근금기길나남녀누늘다단달담대덕도돈동두득라란람래량려련렬령례로록룡루류륜률름리린림"
    "막만말명모무문미민바반배범별병보복본봄봉부분비빈빛산삼상새샘서석선설섭성세소솔솜송수숙순슬승시식신심롬늬올"
    "아안애양언여연열엽영예오옥온완왕요욱용우운웅원월위유윤율융은을음응의이익인일임"
    "자장재정제조종주준중지직진찬창채천철청초춘충칠태택판팔평표풍필하학한해행향헌혁현협형혜호홍화환황회효후훈휘흥희힘"
)
# … and syllables that end a given name only when its surname is said apart (누나 목 은실이고요): glued,
# they end rooms and places (경비실, 관리실, 사무실)
GIVEN_LAST_SAID_APART = frozenset("실")

# Titles and ordinary words that look like surname + syllables before 님/씨.
NOT_NAMES = frozenset(
    (  # noqa: SIM905 (one word list to read, not 200 quoted items)
        "가게 매장 꽃집 동기 동창 그게 그거 그건 저게 저거 저건 연말 연초 연휴 연금 연세 강아지 송아지 망아지 고양이 시아버 시아번 시어머 기사 선생 사장 부장 과장 차장 대리 팀장 원장 교수 회원 고객 상담사 상담원 손님 형 누나 언니 오빠 이분 그분 저분 이사 감독 반장 소장 실장 국장 "
        "의사 간호사 기자 작가 선배 후배 주인 사모 사장님 아버 어머 할머 할아 도련 아가 박사 신부 목사 스님 수녀 점장 매니저 대표 총무 계장 주임 조장 "
        "공무원 장관 시장 구청장 사원 사용자 이용자 본인 가족 동생 부모 아드 따님 아드님 고모 이모 삼촌 조카 사위 며느리 여러분 귀하 당신 우리 저희 정말 "
        "조금 이번 한번 이제 오늘 내일 어제 지금 그냥 진짜 혹시 하나 주문 문의 신청 변경 확인 안내 처리 이용 가입 해지 결제 요금 배송 수리 교체 방문 예약 "
        "취소 환불 어떻게 어떻 어디 어느 어떤 이거 이게 이것 이건 이렇게 그렇게 저렇게 저기 전화 전에 제가 하고 하는 안녕 주소 주민 성함 이름 명의 계약 "
        "연락 번호 사람 사실 서비스 상담 문자 방금 남편 아내 유심 우선 일단 이미 아직 다시 마지 나중 정도 정확 전부 전체 모두 명의자 예약자 수령인 보호자 가입자 "
        "신청자 계약자 고객명 예금주 소유자 운전자 피보험자 동반자 동행자 탑승자 투숙객 주문자 구매자 신고자 임차인 대리인 "
        "차주 세대주 임대인 매도인 매수인 채무자 보증인 수취인 수익자 수신인 오타 오기 부부 노부부 남매 형제 자매 모녀 모자 부녀 "  # owners and parties to a paper (차주는 제 남편이고요)
        "후견인 상속인 청구인 신청인 환자 대표자 성명 음력 양력 잘못 잘모 모르 회사 아저 공동 공용 아기 애기 부동산 정수기 주유소 안경원 한의원 편의점 세탁소 "
        "함자 외자 기억 오해 올해 최신형 기본형 그대 그대로 이대로 제대로 그래서 그래도 동두천 영문 연문 점알 영어 한글 한자 계좌 통장 계정 소개 추천 부탁 대신 정비소 태권도 유치원 피아노 어린이 손녀 손자 사위 장인 장모 집사람 남동생 여동생 형님 큰아들 큰딸 막내 어머니 아버지 어머님 아버님 할머니 할아버지 부모님 배우자 자녀 와이프 엄마 아빠 딸 아들 친구 지인 동료 담임 교장 교감 추가 명찰 명단 "
        "동의 동의서 서명 도장 허락 승낙 "  # what a party gives (임대인 동의가 필요한가요, 보호자 동의 받아야)
        "위임장 신청서 증명서 확인서 계약서 진단서 영수증 통지서 고지서 사무실 사무소 "  # a party's papers and office (대리인 위임장 양식은)
        "가치 가지 사진 도우미 예비군 장교 공익 여자아 남자아 여자아이 남자아이 조교 남자분 여자분 남자애 여자애 요일 일월 이월 삼월 사월 오월 유월 칠월 팔월 구월 시월 이십 삼십 사십 오십 육십 칠십 팔십 구십 선장 학년 목소리 가이드 예식장 요양원 어학원 조리원 간병인 요양사 보육원 "  # days, months and tens read out; a captain; a school year (중학교 이학년이에요); a voice, a guide, places of care and their carers before 선생님; 가지고 (having); a helper; the reserve forces; a girl or a boy (여자아이예요)
    ).split()
)
# A surname and a job title is how staff are named (정대리님, 김과장님), not a person's name.
TITLES = frozenset(
    (  # noqa: SIM905 (a word list to read)
        "대리 과장 부장 차장 팀장 사장 실장 소장 원장 국장 이사 기사 선생 교수 주임 계장 반장 점장 매니저 대표 상무 전무 "
        "장로 권사 집사 전도사 본부장 센터장 지점장 단장 사원 주무관 간호사 의사 기자 작가 감독 코치 다리 이장 통장 회장 관장 사무장 선장 기관장 항해사 조교 피디 트레이너 디자이너 에디터 프로 주무원"  # 다리: 대리 as heard; 주무원: 주무관
    ).split()
)
# surnames that are also words said before a noun (이 this, 안 not, 제 my, 갈 going: 갈 병원): after a name cue, said
# apart, a word and a noun as often as a name
WORD_SURNAMES = frozenset("이안제갈")
# … and those and other surnames said as words of their own (전 I or all, 한 one, 오 five, 구 nine,
# 주 week): a name said again is looked for glued to them only
WORDS_OF_THEIR_OWN = WORD_SURNAMES | frozenset("전한오구주")
# words that may follow a cue for a name and start no name (한국 이름은 따로 없어요, 이름은 아직 …)
ADVERBS = frozenset(
    "따로 아직 그냥 원래 다시 전부 모두 제대로 정말 진짜 혹시 일단 우선 같이 별도로 잠깐만 잠깐만요 잠시만 잠시만요 잠깐 잠시".split()  # noqa: SIM905
)
# 제 이름 석 자가: the name's three letters; 제 이름 대면 알아요, 이름 말하면: a name given, not said
NOT_NAME_STARTS = (
    "뭐",  # 당신 이름 뭐예요: a question, no name
    "뭔",
    "무슨",
    "무엇",
    "석 자",
    "석자",
    "세 글자",
    "대면",
    "대시면",
    "대고",
    "말하면",
    "말씀하시면",
    "부르면",
    "불러",
)
# a relation said short with its topic particle (엄마는 → 엄만 도금순이에요; 아들은 heard 아드는), or a child of several
# (큰애는, 하나는 표 지우 하나는 표 지아예요): a cue for a name
KIN_TOPIC = tuple(
    "엄만 아빤 어머닌 아버진 언닌 오빤 누난 할머닌 할아버진 아드는 아이는 애는 아기는 큰애는 작은애는 큰애가 작은애가 막내는 하나는".split()  # noqa: SIM905
)
# … and 아내는 heard 안에는, a cue only where it opens the sentence (안에는 기은정이고; not 가방 안에는 …: inside)
KIN_TOPIC_OPENING = ("안에는",)
