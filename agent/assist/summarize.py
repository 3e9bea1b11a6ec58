"""Call summaries: a rolling one while the call runs, a final one at hang-up.

Structured fields (reason, customer issue, agent actions, resolution, follow-ups, guides used,
keywords) plus a short prose summary. With an LLM configured it writes them in JSON mode; the
reply is validated against `LlmSummary`, retried once, and on a second failure the extractive
summary is used and `fallback` says why. Without an LLM the summary is extractive: sentences of
the (redacted) transcript picked by rules, and the guides of the suggestions shown and accepted.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import structlog
from pydantic import BaseModel, Field, ValidationError

from agent.assist.llm import LlmClient, LlmError
from agent.assist.prompts import summary_messages
from agent.assist.triggers import find_ask
from agent.events import Turn
from agent.feed import Summary
from agent.redaction.kinds import MASK_PATTERN
from kb.terms import kiwi, sentences

log = structlog.get_logger(__name__)

_ACTION = re.compile(
    r"안내|확인해|확인했|감면|변경|접수|신청|처리|해지|발송|환불|등록|정지|해제|적용|반영|도와드리|보내 드|해 드"
)
_RESOLUTION = re.compile(
    r"해 ?드릴 수 있|해 ?드렸|해 ?드리겠|처리되|처리해|처리했|완료|반영해 ?드|접수되|접수했|접수해|적용됩니다|감면|해제되|정지했"
)
_FOLLOW_UP = re.compile(
    r"다음 달|다음에|예정|연락드리|연락 드리|방문|반영됩니다|발송|할게요|하겠습니다|드리겠습니다|까지"
)
_SMALL_TALK = re.compile(r"무엇을 도와|성함|생년월일|좋은 하루|감사합니다\.?$|안녕하세요")
_KEYWORD_TAGS = ("NNG", "NNP")
# Proper nouns shaped like a Korean personal name (surname + one to three syllables) are skipped:
# keywords name topics, not the people on the call.
_PERSON_NAME = re.compile(
    r"^[김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥인맹제모탁국어은편용예경봉][가-힣]{1,3}$"
)
_STOP_NOUNS = {"고객", "고객님", "상담원", "전화", "감사", "말씀", "확인", "하루", "성함", "생년월일", "센터", "안녕",
               "이번", "다음", "지난주", "오늘", "내일", "정도", "때문", "경우", "부분", "모바일", "번호", "문의"}  # fmt: skip
MAX_FIELD_CHARS = 160


class LlmSummary(BaseModel):
    """The JSON an LLM must return (validated; anything else is a failed attempt)."""

    reason: str = Field(max_length=400)
    customer_issue: str = Field(max_length=600)
    agent_actions: list[str] = Field(max_length=10)
    resolution: str = Field(max_length=400)
    follow_ups: list[str] = Field(max_length=10)
    keywords: list[str] = Field(max_length=15)
    prose: str = Field(max_length=1200)


# What a summary holds is what the console's `summary` event carries: one model for both.
CallSummary = Summary


def guides_used(
    suggestions: Sequence[Mapping[str, Any]], feedback: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, str]]:
    """Guides of the suggestions shown, accepted ones first, each guide once."""
    accepted = [s for s in suggestions if feedback.get(s["suggestion_id"], {}).get("action") == "accept"]
    others = [
        s
        for s in suggestions
        if s not in accepted and feedback.get(s["suggestion_id"], {}).get("action") != "dismiss"
    ]
    seen: dict[str, dict[str, str]] = {}
    for suggestion in accepted + others:
        for source in suggestion.get("sources", [])[:1]:
            if source["doc_id"] not in seen:
                seen[source["doc_id"]] = {
                    "doc_id": source["doc_id"],
                    "title": source["title"],
                    "status": "accepted" if suggestion in accepted else "shown",
                }
    return list(seen.values())


def _clip(text: str) -> str:
    return text if len(text) <= MAX_FIELD_CHARS else text[: MAX_FIELD_CHARS - 1].rstrip() + "…"


def keywords(turns: Sequence[Turn], limit: int = 8) -> list[str]:
    counts: Counter[str] = Counter()
    for turn in turns:
        for token in kiwi().tokenize(MASK_PATTERN.sub(" ", turn.text)):
            if token.tag == "NNP" and _PERSON_NAME.match(token.form) and len(token.form) >= 3:
                continue
            if token.tag in _KEYWORD_TAGS and len(token.form) > 1 and token.form not in _STOP_NOUNS:
                counts[token.form] += 1
    return [word for word, _ in counts.most_common(limit)]


def extractive_fields(turns: Sequence[Turn]) -> dict[str, Any]:
    customer = [t.text for t in turns if t.role == "customer"]
    asks = [found[1] for text in customer if (found := find_ask(text)) is not None]
    reason = asks[0] if asks else (customer[0] if customer else "")
    issue = [reason] + [a for a in asks[1:] if a != reason][-1:]
    agent_turns = [sentences(t.text) for t in turns if t.role == "agent"]
    agent_sentences = [s for turn_sentences in agent_turns for s in turn_sentences]
    actions = [  # what the agent did or told; questions to the customer are not actions
        s for s in agent_sentences if _ACTION.search(s) and not _SMALL_TALK.search(s) and not s.endswith("?")
    ]
    resolved = []  # a resolving sentence, with the follow-up sentence that comes right after it
    for turn_sentences in agent_turns:
        for i, sentence in enumerate(turn_sentences):
            if _RESOLUTION.search(sentence):
                after = turn_sentences[i + 1] if i + 1 < len(turn_sentences) else ""
                resolved.append(f"{sentence} {after}".strip() if _FOLLOW_UP.search(after) else sentence)
    follow_ups = [
        s for t in turns for s in sentences(t.text) if _FOLLOW_UP.search(s) and not _SMALL_TALK.search(s)
    ]
    resolution = resolved[-1] if resolved else "확인되지 않음"
    prose_parts = []
    if reason:
        prose_parts.append(f"고객 문의: {_clip(reason)}")
    if actions:
        prose_parts.append(f"상담원 조치: {_clip(actions[0])}")
    if resolved:
        prose_parts.append(f"결과: {_clip(resolution)}")
    return {
        "reason": _clip(reason),
        "customer_issue": _clip(" / ".join(issue)) if reason else "",
        "agent_actions": [_clip(a) for a in dict.fromkeys(actions)][:3],
        "resolution": _clip(resolution),
        "follow_ups": [_clip(f) for f in dict.fromkeys(follow_ups)][:3],
        "keywords": keywords(turns),
        "prose": " ".join(prose_parts) or "대화 내용이 없습니다.",
    }


class Summarizer:
    def __init__(self, llm: LlmClient | None) -> None:
        self.llm = llm

    async def summarize(
        self,
        call_id: str,
        kind: Literal["rolling", "final"],
        turns: Sequence[Turn],
        guides: list[dict[str, str]],
    ) -> CallSummary:
        started = time.perf_counter()
        fields: dict[str, Any] | None = None
        mode: Literal["extractive", "llm"] = "extractive"
        fallback = None
        if self.llm is not None and turns:
            try:
                fields = await self._llm_fields(turns, guides)
                mode = "llm"
            except LlmError as error:
                fallback = error.reason
                log.warning("llm_summary_failed", call_id=call_id, reason=error.reason)
        if fields is None:
            fields = await asyncio.to_thread(extractive_fields, turns)
        return CallSummary(
            call_id=call_id,
            kind=kind,
            mode=mode,
            guides_used=guides,
            finals=len(turns),
            generated_at=round(time.time(), 3),
            fallback=fallback,
            ms=round((time.perf_counter() - started) * 1000, 1),
            **fields,
        )

    async def _llm_fields(self, turns: Sequence[Turn], guides: list[dict[str, str]]) -> dict[str, Any]:
        assert self.llm is not None
        messages = summary_messages(turns, guides)
        last_error = ""
        for _attempt in range(2):  # one retry
            try:
                reply = await self.llm.json(messages)
                return LlmSummary.model_validate(reply).model_dump()
            except ValidationError as error:
                last_error = f"the reply did not match the summary schema ({error.error_count()} errors)"
            except LlmError as error:
                last_error = error.reason
        raise LlmError(last_error)
