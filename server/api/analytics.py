"""REST endpoints of the analytics: one call's categories, sentiment, risk and QA, and the
knowledge-gap report (docs/assistance.md, "Analytics")."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from agent.analytics.gaps import MAX_CALLS, GapRange, example_calls, gap_report
from server.api.common import CallId, assist_of, audited, principal_of, visible_call
from server.auth import Role
from server.times import parse_since, parse_time

router = APIRouter()


@router.get("/v1/calls/{call_id}/analytics", tags=["analytics"])
async def call_analytics(request: Request, call_id: CallId) -> dict[str, Any]:
    """The call's analytics as they stand: live (`final`: false) or after hang-up, with the QA
    checklist (each item met with its evidence turn, missed, or n/a) and its score."""
    principal, _ = await visible_call(request, call_id)
    assist = assist_of(request)
    if assist.analytics is None:
        raise HTTPException(409, "analytics are off on this server (CALLASSIST_ANALYTICS=false)")
    result = await assist.records.analytics(call_id)
    if result is None:
        raise HTTPException(404, f"call {call_id} has no analytics yet (no customer turn analysed)")
    await audited(request, principal, "call.analytics", [call_id])
    return {"call_id": call_id, **result}


@router.get("/v1/reports/gaps", tags=["analytics"])
async def gaps_report(
    request: Request,
    since: str = Query("7d", description="epoch s, YYYY-MM-DD, ISO time, or a span back: 30m, 12h, 7d, 4w"),
    until: str | None = Query(None, description="epoch s, YYYY-MM-DD (whole day) or ISO time; default now"),
    limit: int = Query(1000, ge=1, le=MAX_CALLS, description="calls read per page (oldest first)"),
) -> dict[str, Any]:
    """What the guides could not answer and how the suggestions fared, over calls started in the
    range: asks unanswered, grouped by topic with redacted examples; acceptance per guide and
    passage. More calls than `limit`: `next_since` is where the next page starts. Supervisors only."""
    principal = principal_of(request, Role.SUPERVISOR)
    now = time.time()
    try:
        start = parse_since(since, now)
        end = parse_time(until, end_of_day=True) if until else now
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    if start is None or end is None or start >= end:
        raise HTTPException(422, "`since` must be before `until`")
    assist = assist_of(request)
    report = await gap_report(assist.records, GapRange(start, end, limit), assist.kb.embedder)
    await audited(request, principal, "report.gaps", example_calls(report), f"{report['calls']} calls")
    return report
