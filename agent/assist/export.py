"""A call as one document (JSON or Markdown): metadata, redacted transcript, suggestions with
their feedback, the summary, the wrap-up and the analytics (categories, sentiment, QA). The same document for `callassist export`, the REST API and
the console's download buttons.

Stored text is already redacted; every string is passed through the redactor once more on the
way out (masks contain no numbers, so this changes nothing that was already masked), and so
are the metadata values (already redacted when the call started)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from agent.assist.records import AssistRecords
from agent.assist.wrapup import WrapupRecords
from agent.events import TranscriptSegment
from agent.feed import Final
from agent.redaction.redactor import Redactor, redact_strings
from agent.store import CallStore
from kb.call_text import ROLE_LABEL


async def build_export(
    store: CallStore, records: AssistRecords, redactor: Redactor, call_id: str
) -> dict[str, Any] | None:
    call = await store.get_call(call_id)
    if call is None:
        return None
    feedback = await records.feedback(call_id)
    fields = ("seq", "role", "start", "end", "text", "source", "guard", "word_probs", "uncertain")
    transcript = []
    for row in await store.transcript(call_id):
        event = Final.of(
            call_id, TranscriptSegment.from_fields(row)
        ).model_dump()  # as the live `final` showed it
        transcript.append({k: event[k] for k in fields})
    suggestions = [
        {
            "suggestion_id": s["suggestion_id"],
            "mode": s.get("mode"),
            "reply": s.get("reply", ""),
            "fallback": s.get("fallback"),
            "trigger": s.get("trigger", {}).get("text", ""),
            "sources": [
                {"doc_id": src["doc_id"], "title": src["title"], "heading_path": src["heading_path"]}
                for src in s.get("sources", [])
            ],
            "feedback": feedback.get(s["suggestion_id"], {}).get("action"),
        }
        for s in await records.suggestions(call_id)
    ]
    wrapups = await WrapupRecords(store).all(call_id)
    document = {
        "call": call,
        "transcript": transcript,
        "suggestions": suggestions,
        "summary": await records.summary(call_id),
        "wrapup": wrapups.get(call["agent_id"]),  # the call's (last) agent's
        "wrapups": sorted(wrapups.values(), key=lambda w: w["at"]),  # every agent's who had the call
        "analytics": await records.analytics(call_id),  # categories, sentiment, risk, QA
    }
    redacted: dict[str, Any] = await asyncio.to_thread(redact_strings, document, redactor)  # off the loop
    return redacted


def marked(text: str, uncertain: list[int] | None) -> str:
    """`text` with the words the recognizer was unsure of marked `(?)`."""
    if not uncertain:
        return text
    flagged = set(uncertain)
    return " ".join(f"{word}(?)" if i in flagged else word for i, word in enumerate(text.split()))


def _time(epoch: float | None) -> str:
    if not epoch:
        return "-"
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _escaped(value: Any) -> Any:
    """Text as Markdown shows it, never as HTML a viewer would render (a transcript or a guide
    title with `<img onerror=…>` stays text); lists and dicts are escaped inside."""
    if isinstance(value, str):
        return value.translate(_MARKUP)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


_QA_STATUS = {"met": "충족", "missed": "누락", "n/a": "해당 없음"}
_RISK = {"low": "낮음", "medium": "보통", "high": "높음"}


def _analytics_lines(analytics: dict[str, Any] | None) -> list[str]:
    if not analytics:
        return []
    lines = ["## 분석", ""]
    qa = analytics.get("qa")
    if qa:
        score = "-" if qa.get("score") is None else f"{qa['score']:g}점"
        lines += [f"- **품질 점검**: {score}"]
        for item in qa.get("items", []):
            evidence = f" — `{_clock(item['start'])}` {item['text']}" if item.get("text") else ""
            lines.append(f"  - {item['label']}: {_QA_STATUS.get(item['status'], item['status'])}{evidence}")
    categories = analytics.get("categories") or []
    found = ", ".join(f"{c['label']} ({c['count']}회, `{_clock(c['start'])}`)" for c in categories)
    lines.append(f"- **분류**: {found or '없음'}")
    negative, turns = analytics.get("negative_turns", 0), analytics.get("customer_turns", 0)
    trend = analytics.get("trend")
    lines.append(
        f"- **고객 감정**: 부정 {negative}/{turns} 발화, 추세 {'-' if trend is None else f'{trend:+.2f}'}, "
        f"위험도 {_RISK.get(analytics.get('risk_level', 'low'), '-')} ({analytics.get('risk', 0):.2f})"
    )
    return [*lines, ""]


def to_markdown(document: dict[str, Any]) -> str:
    document = _escaped(document)
    call, summary = document["call"], document.get("summary")
    lines = [
        f"# 통화 {call['call_id']}",
        "",
        f"- 상담원: {call.get('agent_id', '-')}",
        f"- 시작: {_time(call.get('started_at'))}",
        f"- 종료: {_time(call.get('ended_at'))} ({call.get('end_reason', '-')})",
        f"- 길이: {float(call.get('audio_seconds') or 0):.0f}초",
        "",
    ]
    if summary:
        lines += ["## 요약", "", summary.get("prose", ""), ""]
        fields = [
            ("문의 이유", summary.get("reason")),
            ("고객 문제", summary.get("customer_issue")),
            ("결과", summary.get("resolution")),
        ]
        lines += [f"- **{name}**: {value}" for name, value in fields if value]
        for name, items in (
            ("상담원 조치", summary.get("agent_actions")),
            ("후속 조치", summary.get("follow_ups")),
        ):
            if items:
                lines += [f"- **{name}**:"] + [f"  - {item}" for item in items]
        if summary.get("guides_used"):
            lines.append("- **사용한 가이드**: " + ", ".join(g["title"] for g in summary["guides_used"]))
        if summary.get("keywords"):
            lines.append("- **핵심어**: " + ", ".join(summary["keywords"]))
        mode = "LLM" if summary.get("mode") == "llm" else "추출식(transcript에서 발췌)"
        edited = " · 상담원이 수정함" if summary.get("edited") else ""
        lines += ["", f"_요약 방식: {mode}{edited}_", ""]
    wrapup = document.get("wrapup")
    if wrapup:
        lines += ["## 통화 정리", "", f"- **처리 결과**: {wrapup['label']} (`{wrapup['disposition']}`)"]
        if wrapup.get("note"):
            lines.append(f"- **메모**: {wrapup['note']}")
        lines += [f"- **정리**: {wrapup.get('by', '-')}, {_time(wrapup.get('at'))}", ""]
    lines += _analytics_lines(document.get("analytics"))
    lines += ["## 대화록", ""]
    for segment in document["transcript"]:
        if segment["text"]:
            who = ROLE_LABEL.get(segment["role"], segment["role"])
            lines.append(
                f"- `{_clock(segment['start'])}` **{who}**: {marked(segment['text'], segment.get('uncertain'))}"
            )
    if any(segment.get("uncertain") for segment in document["transcript"]):
        lines += ["", "_(?): 음성 인식이 확실하지 않은 단어_"]
    if document["suggestions"]:
        lines += ["", "## 제안", ""]
        for s in document["suggestions"]:
            source = s["sources"][0] if s["sources"] else None
            where = " > ".join([source["title"], *source["heading_path"]]) if source else "-"
            kind = "생성" if s["mode"] == "llm" else "발췌"
            verdict = {"accept": "수락", "dismiss": "무시"}.get(s["feedback"] or "", "응답 없음")
            lines.append(f"- **{s['suggestion_id']}** ({kind}, {verdict}) {s['reply']}  \n  출처: {where}")
    return "\n".join(lines).rstrip() + "\n"
