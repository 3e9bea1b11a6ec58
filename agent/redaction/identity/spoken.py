"""How numbers and sentences are said in a call, shared by the finders: Sino-Korean numerals as
recognition writes them, a number in digits or words, the rest of a sentence after a cue."""

from __future__ import annotations

import re

SINO = r"[일이삼사오육칠팔구십백천공영인]{1,7}"  # 인: a common mishearing of 일
# a numeral whose last syllable took the ㄴ of 년 (구십구 년 heard 구십군 연, 구십 년 heard 구심 년)
SINO_N = r"[일이삼사오육칠팔구십백천공영인]{0,6}[군산온심]"
# a year counted in native numerals, as elders may give theirs (쉰다섯년, 마흔 둘 년생)
NATIVE_YEAR_NUMBER = (
    r"(?:스물|서른|마흔|쉰|예순|일흔|여든|아흔)\s?(?:하나|한|둘|두|셋|세|넷|네|다섯|여섯|일곱|여덟|아홉)?"
)
NUM = rf"(?:\d{{1,4}}|{SINO})"
# What follows a cue (주소는, 이메일은, 생일은): the rest of the sentence, its polite ending left out
SENTENCE_TAIL = re.compile(r"[^.?!]{4,60}?(?=\s?(?:이에요|이예요|예요|입니다|이고요|이요|요)?[.?!]?$|[.?!])")
