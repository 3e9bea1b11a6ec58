"""Personal names: a surname and a given name where something around them says it is a name
(see the package's docstring)."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.redaction.identity.answered_names import opening_name
from agent.redaction.identity.closing_names import closing_names
from agent.redaction.identity.described_names import described_names
from agent.redaction.identity.foreign_names import foreign_names
from agent.redaction.identity.given_names import given_names
from agent.redaction.identity.name_shape import (
    DAUGHTER_HEARD,
    DIGITS_READ,
    OPEN_SYLLABLES,
    PLACE_ENDINGS,
    RELATION,
    RELATION_WORD,
    SURNAME,
    VERB_ENDING,
    a_place,
    given_name_shaped,
    is_name,
    names_a_thing,
    reads_as_name,
    shaped_names,
    starts_no_name,
)
from agent.redaction.identity.name_words import (
    GIVEN_SYLLABLES,
    KIN_TOPIC,
    KIN_TOPIC_OPENING,
    NOT_NAMES,
    SURNAMES_1,
    SURNAMES_2,
    WORD_SURNAMES,
)
from agent.redaction.identity.rare_surname_names import rare_surname_names
from agent.redaction.identity.relation_names import relation_names
from agent.redaction.identity.repeated_names import joined_names, said_again
from agent.redaction.identity.spans import IdentityKind, IdentitySpan, spans_of
from agent.redaction.identity.spelled_names import spelled_names
from agent.redaction.identity.titled_names import TITLE_OR_CONFIRMED, titled_names

# A name: surname + one or two syllables (a space between surname and given name is allowed).
_NAME = (
    rf"{SURNAME}(?:\s?[가-힣]{{1,2}}|[가-힣]\s[가-힣]|\s[가-힣]\s[가-힣])"  # 권 도 현: said letter by letter
)
# After a cue that can only announce a name, recognized speech may have misheard the surname:
# any two to four syllables (one space among them) will do.
_ANY_NAME = r"[가-힣](?:\s?[가-힣]{1,2}|[가-힣]\s[가-힣]{1,2}|[가-힣]{2}\s?[가-힣])"  # 독구 영재: 독고 heard
# who a name belongs to on a form, said with 명 after it (예약자명, 주문자 명은, 수령인명)
_ROLE_WITH_NAME = r"(?:사용자|이용자|회원|가입자|예금주|예약자|주문자|수령인|수취인|구매자|신청자|계약자|탑승자|투숙객|보호자|환자|대표자|결제자|후원자)"  # not 사업자명, 판매자명: a business's name as often
# Words that announce the name that follows (a word or two may stand between: 명의는 저희 어머니 …).
_NAME_CUE = re.compile(
    rf"(?<![가-힣\d])(?:{_ROLE_WITH_NAME}\s?[명면]|"  # 사용자 명은, 예약자명 (면 as heard): before the role alone
    r"이름|실명|본명|성함|존함|함자|성명|명의\s?자|명의|예약자|수령인|수령|수신인|수신이(?=는)|(?:임차|수령|대리|신청|청구|후견|상속|[매메][도수]|양[도수]|임대)이(?=는)|차주|매[도수]인|양[도수]인|임대인|채무자|보증인|수취인|수익자|세대주|보호자|가입자|신청자|계약자|고객명|예금[주조자]|소유자|"
    r"주인|대표자|동반자|동행자|탑승자|투숙객|주문자|구매자|결제자|후원자|후견인|담당자|(?:신규|신입|새)\s?직원|신고자|임차인|대리인|상속인|청구인|신청인|민원인|의뢰인|환자분?|[명영]단에|"
    r"(?:받는|반는|반든|반은|봤는|받으실|받으시는|보내는|보내시는|(?:주문|신청|예약|접수|결제|가입)한)\s?(?:사람|분)|반응\s?부(?=[은는])|"  # 받는 as it is said: [반는], heard 봤는, 반은, 반응 부는; 주문한 사람은
    rf"운전자|[피비]보험자|{RELATION}님?|{'|'.join(KIN_TOPIC)}|(?<![가-힣]\s){'|'.join(KIN_TOPIC_OPENING)})분?(?:은요|는요|은|는|이|가|이요|요|이고|고|:)?(?:\?|,)?(?=\s|$)"  # 피 heard 비; 장모님
)
_KIN_TOPICS = frozenset((*KIN_TOPIC, *KIN_TOPIC_OPENING))  # a relation said short, as a cue
_SELF_CUE = re.compile(r"(?:^|(?<=\s))(?:저는|전|제가|나는|난|본인은)(?=\s)")
_BARE_SELF_CUE = re.compile(r"(?:^|(?<=\s))저(?=\s)")  # "저 최민호라고 하는데요"
_AGENT_CUE = re.compile(r"(?:상담원|상담사|고객센터|매니저)(?=\s)")
_WORD_START = re.compile(r"\s+(?=\S)")
# a full name after a cue, then a pause and the sentence going on (주문자는 도예린 받는 곳은 …)
_PARTICLE_SYLLABLES = tuple("을를은는이가에의로와과도")
_COPULA_JOINED = ("이라", "이고", "이면", "이니")
# … nor a verb before its noun (할머니가 남기신 유언장): what a paused name may not end with
_NO_PAUSED_NAME_ENDINGS = (*_PARTICLE_SYLLABLES, "신", "던")
_NAME_THEN_PAUSE = re.compile(rf"(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=\s|,)")
# a given name's last final (ㄴ, ㄹ) carried over into its copula as heard (추영란이고 → 추영라니고,
# 하늘이에요 → 하느리에요); the name is what comes before (not 아니고: not)
_LIAISON = rf"(?<=[{OPEN_SYLLABLES}])(?<!아)[니리](?:고요|고\s|고$|에요|예요|요\b|라[고코]|라서|구요)"
# A name as a cue's answer: the name, then a copula, a particle that goes with a name, or a pause.
_ANSWER_NAME = re.compile(
    rf"(?P<name>{_NAME})(?=이\s?고요|이\s?구요|이\s?에요|이\s?예요|예요|입니다|이고|이요|이오\b|요\b|요[,.?]|고요|인데요|"
    r"이?\s?라[고코예]|이?래요|입니더|인디요|이?나\s?고\s?[합하]|이?라서|이?라는|이?거든요|이\s거든|이랑|으로|로\b|로\s|님|씨|시(?=\s|이에요|예요|입니다)|(?<=[가-힣]{3})시(?:로|가\s|는\s|한테|께서)|이\s고\s|\s?고객님|\s?고객\s?(?:맞|이시|되시)|\s본인|"
    r"이\s고(?=[가-힣])|\s[씨시]\s|"  # 이고요 heard apart (탁수민이 고유학 …); 씨 heard 시, apart
    r"이?시고|이?세요|이?십니다|이?신데|이가(?=\s)|이도(?=\s)|이(?=\s(?:빠졌|빠져|없|안\s|틀렸|틀려|잘못|들어가|맞|있|왔|나와|적혀|돼|되어))|도(?=\s(?:넣어|추가|같이|함께|있|빠졌|빠져|적어|올려|등록|포함|회원|가족))|인데(?=\s|$)|한테|에게|께(?=\s)|\s(?:환자|학생|어린이)|\s(?:적어|적으|쓰시|써\s)|,|\.|\?|$|"
    rf"{TITLE_OR_CONFIRMED}|(?<=[{OPEN_SYLLABLES}])[고가]\s|\s(?P=name)|{_LIAISON})"  # said twice: 도하윤 도하윤입니다
)
# Cues after which only a name can follow (no relation word, no 저는): the surname may be misheard.
_STRONG_CUE = re.compile(  # a relation glued to it by recognition (고모성함은 변순이에요); 성함 heard 성삼
    rf"(?<![가-힣\d])(?:{RELATION}(?=이름|성함|존함))?(?:{_ROLE_WITH_NAME}\s?[명면]|"
    r"이름|실명|본명|성함|성삼|존함|함자|성명|명의\s?자|예약자|수령인|수령이|수신인|수취인|보호자|가입자|신청자|계약자|고객명|예금주)"
    r"(?:은요|는요|은|는|이|가|도|이요|요|:)?(?:\?|,)?\s"
)
_LOOSE_NAME = re.compile(
    rf"(?P<name>{_ANY_NAME})(?=이\s?고요|이\s고\s|인데(?=\s|$)|이\s?에요|예요|입니다|이고|이요|요\b|요[,.]|이라고|라고|이?라예|입니더|이?라서|이?거든요|이\s거든|으로|로\s|,|\.|$|이었|였|"  # 강 철이었나
    rf"[고구]\s?요|(?<=[{OPEN_SYLLABLES}])[고구]\s|{_LIAISON}|"  # 이고요 as heard after an open syllable (설민호구 요)
    r"\s(?:생년|생일|주소|연락처|전화|번호|본인|님|씨)|[씨시](?=\s|였|이었|예요|이에요)|이?신[데대](?=\s|$)|"  # 진선우 씨 heard 진선우시; 표 정란이신데
    rf"{TITLE_OR_CONFIRMED})"
)
_OURS = r"저희|저[흐흠히브흘흔]|저흐이|조희|접[은으]|접으[이시]"  # 저희, and what recognition makes of it (접은 어머니, 조희 아버지)
# what may stand between a cue and its name (제 is heard 재, and glued to the word after it: 재동생)
_BETWEEN = re.compile(
    rf"(?:{_OURS}|[제재저]|우리|지금|현재|명의(?:라서|인데|라|이고)|[제재]?{RELATION}|{DAUGHTER_HEARD}|(?<=[제재]\s)안에|본인[이은]?|음|어|[란칸]에는?|애|아이|석\s?자(?:로|는)?|세\s?글자(?:로|는)?|[가-힣]{{1,4}}팀|"  # 음: a filler; 성명 란에는; 아내 heard 안에; 이름 석 자 …; 재무팀 (a team)
    r"[공영일이삼사오육칠팔구십백천\d]{2,8}\s?[년영](?:\s?(?:[시유]|[일이삼사오육칠팔구십\d]{1,3})\s?월)?생)(?=\s)"  # 딸 heard 달; a birth year (저는 칠십구년생 육 영숙이고요)
)
# the filler recognition glues to the surname after a cue (요, the cue's 은요 heard apart, was tried: it
# found nothing more and read 요금제, 요청 as names)
_GLUED_FILLER = "음"
_NOUN_PARTICLE = re.compile(r"으로|로\s|이라고|라고")
_CUE_PARTICLE = re.compile(r"(?:분|님)?(?:은요|는요|은|는|이|가|이요|요|이고|:)?[?,]?$")
# 이라고 as recognition may split it (오세훈이 라고) or hear it on a phone line (라코)
# 이라고 합니다 heard 이나 고합니다 on a phone line
_SELF_NAME_END = re.compile(
    r"이?\s?라[고코]|이?나\s?고\s?[합하]|이?라서|이에요|예요|입니다|이고|이요|요|이랑\s|하고\s|,\s|(?<=[가-힣]\s[가-힣]{2})고(?:요|\s)|"  # 저는 우 다은, …; 공 서하고요
    # 이고요 heard apart, its 요 glued to the next word (저는 공서하고 요가 …, 저는 탁수민이 고유학 …);
    # 씨 heard 시 said apart (저는 하은비 시 보호자인데)
    r"(?<=[가-힣])고\s요|이\s고(?=[가-힣])|\s[씨시]\s|" + _LIAISON
)
# a full name before the role it has here (저는 오세훈 고객인데요) or before a year (저는 우다은
# 구십칠년 …); two syllables there are mostly a kind of customer (신규, 우수, 기존 고객), so only three
_SELF_ROLE_NAME = re.compile(
    rf"(?:^|(?<=\s))(?:저는|전|제가|본인은|[아네]?저)\s(?P<name>{SURNAME}[가-힣]{{2}})"
    r"(?:\s?(?:고객|회원|가입자|계약자)(?:이|인|입|으로|님)|(?=\s[일이삼사오육칠팔구십천]{2,7}\s?[년연면]))"  # … 구십칠년
)
# 본인 and a full name said as who one is (피보험자 본인 변희정인데요)
_SELF_STATED_NAME = re.compile(
    rf"(?:^|(?<=\s))본인\s(?P<name>{SURNAME}[가-힣]{{2}})(?=인데요|인데|이에요|입니다|이고)"
)
# 저 glued by recognition to the name after it (저석진우고요, 저사공 민철이 나고 하는데)
_GLUED_SELF_NAME = re.compile(
    rf"(?:^|(?<=\s))[아네]?저(?P<name>{SURNAME}[가-힣]\s?[가-힣]|(?:{'|'.join(SURNAMES_2)})\s?[가-힣]{{1,2}}|(?![도기만]\s){SURNAME}\s[가-힣]{{2}})"  # 저방지 석입니다: split as heard; 저단 예지고
    rf"(?=이?\s?라[고코]|이?\s?나\s?고|이?고요|인데요|인데\s|입니다|이에요|예요|(?<=\s[가-힣]{{2}})(?<=[{OPEN_SYLLABLES}])고\s)"
)
# a cue's particle glued to the surname by recognition, the given name apart (이름이 금소라 씨였는데 →
# 이름이금 소라시였는데, 성함이 도상철 기사님 → 성함이도 상철 기사님)
_CUE_GLUED_NAME = re.compile(
    rf"(?:이름|성함|존함|성명)(?:은|는|이|가)(?P<name>{SURNAME}\s[가-힣]{{2}})"
    r"(?=\s?[씨시]|\s?님|\s(?:기사|선생|실장|팀장|과장|대리|주임|사장)|이에요|예요|이고|입니다|이요|이라고|인데|[,.?]|\s?$)"
)
_QUOTED_NAME_END = re.compile(r"이?\s?라[고코]|입니다")
# 저 and a full name with 인데요 or a copula (저 엄태성인데요): three syllables, and not a kind of
# person that ends like one (신입생, 임산부, 연구원, 대학생 …) or a place
_BARE_SELF_NAME = re.compile(  # 저 석진우고요 too; not a noun with 이 before the ending (저 장남이고요)
    rf"(?:^|(?<=\s))[아네]?저\s(?:[가-힣]{{1,4}}팀\s)?(?P<name>{SURNAME}\s?[가-힣]{{2}})(?=인[데디]\s?요|인데\s|인데$|하고\s|(?<=[{OPEN_SYLLABLES}])고\s|(?<!이)(?:이?고요|이고\s|이에요|예요|입니다))"  # 저 곽 서영하고 남편 …; 저 단 예지고 …
)
_ROLE_ENDINGS = ("생", "부", "객", "자", "원", "사", "장", "관", "님", "인")
# who one is by an earlier call (지난주에 통화했던 표승현인데요, 어제 전화드렸던 …입니다): a three-syllable
# name after a clause about calling, then a copula
_CALLED_BEFORE_NAME = re.compile(
    rf"(?:통화|전화|연락)[가-힣]{{0,5}}던\s(?P<name>{SURNAME}\s?[가-힣]{{2}}|[A-Za-z]{{4,12}})"  # 채 하늘: said apart
    r"(?=인데요|인데\s|인데$|입니다|이에요|예요)"
)
_AGENT_NAME_END = re.compile(r"입니다|이에요|예요|이고요|이고")
CUE_WORDS_SKIPPED = 2  # words between a cue and its name (저희 어머니)
# What may stand between a cue that only a name can follow and the name: the same words, and a
# filler the speaker (or the recognizer) put there (이름이 어 …, 성함은 음 …).
_STRONG_BETWEEN = re.compile(
    rf"(?:{_OURS}|[제재]|우리|[제재]?{RELATION}|{DAUGHTER_HEARD}|어|음|아|그|요)(?=\s)"
)
_NAME_AS = re.compile(
    rf"(?<![가-힣])(?P<name>{_NAME})(?<!\s[제저내])(?:\s|이\s|\s?[씨시]\s)?(?=이름으로|명의로|앞으로|이름이요|명의예요|명의입니다|이?라는\s?(?:이름|명의))"
)


def strong_cue_ends(text: str) -> list[int]:
    """Where the name begins after each cue only a name can follow (이름은, 성함이, 예금주 …; not
    a pet's or a shop's 이름): for the recognizer's unsure words (agent/redaction/confidence.py)."""
    return [cue.end() for cue in _STRONG_CUE.finditer(text) if not names_a_thing(text, cue.start())]


def stands_before_name(text: str, pos: int) -> bool:
    """The word at `pos` may stand between a cue and its name (제, 저희, 남편, 어 …)."""
    return _STRONG_BETWEEN.match(text, pos) is not None


def _name_after(text: str, cue_end: int, ends: re.Pattern[str] | None = None) -> IdentitySpan | None:
    """The name a cue announces: the next word with a name's shape (for `ends`, followed by one of
    those endings), with at most CUE_WORDS_SKIPPED relation words before it (저희 어머니)."""

    def answer(pos: int) -> IdentitySpan | None:
        found = _ANSWER_NAME.match(text, pos)
        if (
            found is None
            # said apart (엄마 전 미숙이에요): whole, of a given name's syllables
            or not reads_as_name(found.group("name"))
            or a_place(found.group("name"))
            or starts_no_name(found.group("name"))
            or _word_and_ending_first(found.group("name"), eun=False)
            or _BEING_THERE.match(text, found.end("name") - 1) is not None  # 어머니 가기 계세요
            or _HA_VERB.match(text, found.end("name") - 1) is not None  # 제 딸 방학하고 나서: a verb
            or (ends is not None and not ends.match(text, found.end()))
        ):
            # a name and a pause (주문자는 도예린 받는 …); not a noun and its particle (환자 기록을 …),
            # nor this, not or my before a noun (받는 사람은 제 대학 동기 …)
            paused = None if ends is not None else _NAME_THEN_PAUSE.match(text, pos)
            if (
                paused is None
                or paused.group("name").endswith(_NO_PAUSED_NAME_ENDINGS)
                or paused.group("name").endswith(_COPULA_JOINED)  # 친구 사이라 그래요: a word and 이라
                or (paused.group("name")[0] in WORD_SURNAMES and paused.group("name")[1] == " ")
                or not given_name_shaped(paused.group("name"))
            ):
                return None
            return IdentitySpan(paused.start(), paused.end(), IdentityKind.NAME)
        return IdentitySpan(found.start(), found.end(), IdentityKind.NAME)

    def answer_or_after_a_filler(pos: int) -> IdentitySpan | None:
        # a filler glued to the surname by recognition (저는 음 서동욱이고요 → 저는 음서 동욱이고요)
        found = answer(pos)
        if found is None and text.startswith(_GLUED_FILLER, pos):
            return answer(pos + len(_GLUED_FILLER))
        return found

    gap = _WORD_START.match(text, cue_end)
    return None if gap is None else _past_words(text, gap.end(), _BETWEEN, answer_or_after_a_filler)


# a noun and 하고 going on as a verb does (제 딸 정리하고 있어요, 아들 여행하고 와서, 방학하고 나서), not
# a name ending in 하 and 이고 (공서하고 요가 …), nor 아이고 heard 하고 (제 안에 견수하고 출산 예정일은 …)
_HA_VERB = re.compile(
    r"(?<![가-힣]\s)(?<=[가-힣]{2})하고\s(?:있|나서|나면|나니|와|왔|오|가|갔|싶|계|다니|놀|들어|돌아|끝|했)"
)
# 계시다, where someone is (집에는 어머니가 계세요, heard 어머니 가기 계세요): no name ends in its 계
_BEING_THERE = re.compile(r"계(?:세요|셔|신다|신데|셨)")  # not 표순계시이에요: 씨 heard 시 after a name
_HONORIFIC_COPULA = re.compile(r"이(?:세요|시고|십니다|신데|시죠|셨)")  # after a cue: 아버님 이세요
# what a relation does, said with the honorific 시 (할머니가 우신다고요, 어머니가 가시고, 고모가 주신
# 돈, 할아버지가 주무세요): a verb, no name, where the 시 ends what reads as one
_HONORIFIC_VERB = re.compile(
    r"[가-힣]{1,2}(?:(?:시|신|셨|셔)(?:다|대|고|요|죠|지|는|면|니|며|서|어)|신\s|세요)"
)  # not 봉세 영도: a name heard apart
# what the one named may do, after any cue (부모님이 오실 수도 있어요): no name
_MAY_DO = re.compile(r"[가-힣]{1,2}실\s?수(?:도|가|는)?\s?[있없]")
_OBJECT_OR_TOPIC = (
    "는",
    "를",
    "을",
    "로",  # 차는 남편 차로 가요: by car, then a verb
)  # a word so ended, then a space, is no surname heard before a given name


def _word_and_ending_first(name: str, *, eun: bool = True) -> bool:
    """A word and its object or topic ending, then the next word (명을 으로: 명의로 as heard; 같은 분):
    no surname said apart from a given name. `eun`: a word of two syllables or more ending in 은 too
    (not where 성은 starts the span, as in 남편은 성은 진이고 …: the whole is masked as the name)."""
    first = name.split()[0]
    return " " in name and (
        first.endswith(_OBJECT_OR_TOPIC) or (eun and len(first) >= 2 and first.endswith("은"))
    )


# 저고요, 저구요 (it is me) as recognition carries the ㄱ back onto 저
_ME_HEARD = frozenset(("적오", "적우"))


def _loose_name_after(text: str, pos: int) -> IdentitySpan | None:
    """After a cue only a name can follow: any name-shaped word (the surname may be misheard), past
    at most CUE_WORDS_SKIPPED words that may stand between (제 남편, a filler such as 어 or 음)."""

    def loose(at: int) -> IdentitySpan | None:
        found = _LOOSE_NAME.match(text, at)
        if found is None or starts_no_name(found.group("name")):
            return None
        name = found.group("name")
        # a surname said apart (국 동팔로) is judged whole: its given name is no word of its own here;
        # with two given syllables (not 이 분), not the particle 으로 cut (이 분으로), no ordinary word
        # (이 사람으로), and after 이, 안 or 제 (this, not, my) only of given names' syllables (not 이 카드로)
        given = name[2:].replace(" ", "")
        apart = len(name) >= 4 and name[1] == " " and name[0] in SURNAMES_1 and given not in NOT_NAMES
        apart = apart and not (name.endswith("으") and text.startswith("로", found.end("name")))
        apart = apart and (name[0] not in WORD_SURNAMES or all(c in GIVEN_SYLLABLES for c in given))
        if not (is_name(name.replace(" ", ""), apart=True) if apart else is_name(name)):
            return None
        if _word_and_ending_first(found.group("name")):
            return None  # 보호자 동의는 필요 없죠, 같은 분이에요: a word and its ending, then the next word
        # two syllables: a surname and a given syllable, or a given name alone; either way the
        # second is one names are made of (초코, a pet's name, is not)
        compact = found.group("name").replace(" ", "")
        if len(compact) == 3 and compact.endswith("예") and text.startswith("요", found.end("name")):
            compact = compact[:2]  # 초코예요: a word and its copula
        if len(compact) == 2 and compact[1] not in GIVEN_SYLLABLES:
            return None
        if compact in _ME_HEARD:  # 보호자는 적오요 for 저고요: the speaker, no name
            return None
        # a verb's ending (… 하지요) is no name, unless a particle only a noun takes follows (배수지로)
        if VERB_ENDING.search(found.group("name")) and not _NOUN_PARTICLE.match(text, found.end("name")):
            return None
        return IdentitySpan(found.start("name"), found.end("name"), IdentityKind.NAME)

    return _past_words(text, pos, _STRONG_BETWEEN, loose)


def _past_words(
    text: str, pos: int, between: re.Pattern[str], find: Callable[[int], IdentitySpan | None]
) -> IdentitySpan | None:
    """`find` at `pos`, else past each of at most CUE_WORDS_SKIPPED words `between` allows there."""
    for _ in range(CUE_WORDS_SKIPPED + 1):
        found = find(pos)
        if found is not None:
            return found
        word = between.match(text, pos)
        gap = None if word is None else _WORD_START.match(text, word.end())
        if gap is None:
            return None
        pos = gap.end()
    return None


def names(
    text: str,
    *,
    agent: bool = False,
    agent_name: bool = False,
    expected: bool = False,
    segment_start: int = 0,
) -> list[IdentitySpan]:
    """Names in `text`. `agent`: the agent is speaking (their own name in a greeting is kept
    unless `agent_name`); `expected`: the text answers a question for a name; `segment_start`:
    where the latest segment begins (earlier text is the speaker's previous finals)."""
    found: list[IdentitySpan] = []
    cues: list[tuple[re.Pattern[str], re.Pattern[str] | None]] = [(_NAME_CUE, None)]
    if not agent or agent_name:
        cues += [(_SELF_CUE, _SELF_NAME_END), (_BARE_SELF_CUE, _QUOTED_NAME_END)]
    if agent and agent_name:
        cues.append((_AGENT_CUE, _AGENT_NAME_END))
    for cue, ends in cues:
        for match in cue.finditer(text):
            if names_a_thing(text, match.start()):
                continue
            span = _name_after(text, match.end(), ends)
            # after a relation alone (손자가 태블릿으로), of a given name's syllables (딸 은채가, 아들
            # 유재석으로: a surname before them)
            relation = _CUE_PARTICLE.sub("", match.group())
            kin = RELATION_WORD.fullmatch(relation) or match.group() in _KIN_TOPICS
            if (
                span is not None
                and not (kin and not _kin_name(text[span.start : span.end]))
                and not (kin and _HONORIFIC_VERB.match(text, span.start))
                and not _MAY_DO.match(text, span.start)
                and not _HONORIFIC_COPULA.match(text, span.start)  # 아버님 이세요: a copula, no name
            ):
                found.append(span)
    if not agent:
        found += [
            s
            for pattern in (_SELF_ROLE_NAME, _SELF_STATED_NAME)
            for s in spans_of(pattern, text, IdentityKind.NAME, "name")
            if is_name(text[s.start : s.end])
        ]
    found += titled_names(text)
    found += relation_names(text) + described_names(text)
    for strong in _STRONG_CUE.finditer(text):
        if names_a_thing(text, strong.start()):
            continue
        loose = _loose_name_after(text, strong.end())
        if loose is not None:
            found.append(loose)
    found += rare_surname_names(text) + foreign_names(text) + given_names(text)
    found += [  # 우 정민 앞으로: judged whole
        s
        for s in spans_of(_NAME_AS, text, IdentityKind.NAME, "name")
        if reads_as_name(text[s.start : s.end])
        and not DIGITS_READ.fullmatch(text[s.start : s.end])
        and not text.startswith("이라", s.start)  # Sora Kim 이라는 이름으로: the quote's 이라, no surname
    ]
    if not agent:
        for bare in _BARE_SELF_NAME.finditer(text):
            name = bare.group("name")
            shaped = given_name_shaped(name) if " " in name else is_name(name)  # 저 표 하은인데요
            if shaped and not name.endswith(_ROLE_ENDINGS + PLACE_ENDINGS):
                found.append(IdentitySpan(bare.start("name"), bare.end("name"), IdentityKind.NAME))
        found += shaped_names(text, (_GLUED_SELF_NAME, _CUE_GLUED_NAME))
        for called in _CALLED_BEFORE_NAME.finditer(text):
            name = called.group("name")
            if reads_as_name(name) and not name.endswith(_ROLE_ENDINGS):
                found.append(IdentitySpan(called.start("name"), called.end("name"), IdentityKind.NAME))
    found += closing_names(text, agent=agent, answer_at=segment_start if expected else None)
    opening = opening_name(text, segment_start, expected=expected)
    if opening is not None:
        found.append(opening)
    found += spelled_names(text)
    found += joined_names(text, found)
    return found + said_again(text, found)


def _kin_name(name: str) -> bool:
    """A name said after a relation word: a given name's syllables (은채), with a surname, or a
    syllable heard for it, before them (유재석; 최우리, 지승으 as recognized), not a thing (태블릿)."""
    compact = name.replace(" ", "")
    if compact.endswith(("예요", "에요", "이요")):
        return False  # 어머니 차예요: a thing and its copula
    if compact[:2] in SURNAMES_2 and len(compact) > 2:
        return True  # 남편은 서문 탁이고: a two-syllable surname, then its given name
    given = compact if len(compact) <= 2 else compact[1:3]
    return given[0] in GIVEN_SYLLABLES and all(c in GIVEN_SYLLABLES or c == "으" for c in given)
