"""The words sent to an LLM. Everything in them is already redacted (transcript from the store,
guide passages from the knowledge base)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from agent.events import Turn
from kb.call_text import transcript_line

if TYPE_CHECKING:
    from kb.knowledge import SearchResult


ANSWER_SYSTEM = (
    "당신은 콜센터 상담원을 돕는 도우미입니다. 아래 [가이드] 구절에 있는 내용만 근거로, 상담원이 고객에게 "
    "그대로 말할 수 있는 짧은 답변(한두 문장, 존댓말)을 한국어로 쓰세요. 근거로 쓴 구절 번호를 문장 끝에 [1]처럼 "
    "표시하세요. 구절에 답이 없으면 '가이드에서 답을 찾지 못했습니다.'라고만 쓰세요. 추측하지 마세요."
)

SUMMARY_SYSTEM = (
    "당신은 콜센터 통화를 요약합니다. 대화록만 근거로 다음 키를 가진 JSON 객체 하나만 출력하세요: "
    '"reason"(문의 이유, 한 문장), "customer_issue"(고객의 문제), "agent_actions"(상담원이 한 일, 문자열 배열), '
    '"resolution"(결과, 미해결이면 그렇게), "follow_ups"(후속 조치, 문자열 배열), "keywords"(핵심어 배열, 8개 이하), '
    '"prose"(세 문장 이내의 요약). 대화록의 [전화번호] 같은 가림 표시는 그대로 두고 복원하지 마세요.'
)


def answer_messages(customer_turns: Sequence[str], passages: Sequence[SearchResult]) -> list[dict[str, str]]:
    guide = "\n".join(
        f"[{n}] {' > '.join((p.title, *p.heading_path))}\n{p.snippet}" for n, p in enumerate(passages, 1)
    )
    asked = "\n".join(f"고객: {text}" for text in customer_turns)
    return [
        {"role": "system", "content": ANSWER_SYSTEM},
        {"role": "user", "content": f"[가이드]\n{guide}\n\n[최근 고객 발화]\n{asked}\n\n상담원이 할 답변:"},
    ]


def summary_messages(turns: Sequence[Turn], guides: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    transcript = "\n".join(transcript_line(t.role, t.text) for t in turns)
    used = json.dumps([g["title"] for g in guides], ensure_ascii=False)
    return [
        {"role": "system", "content": SUMMARY_SYSTEM},
        {"role": "user", "content": f"[대화록]\n{transcript}\n\n[상담에 쓰인 가이드]\n{used}"},
    ]
