"""After-call work: the wrap-up form's data, submitting it, and the wrap-ups still pending."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

import structlog
from fastapi import APIRouter, HTTPException, Query, Request

from agent.assist.post_call import archive_call, start_tags
from agent.assist.wrapup import (
    Disposition,
    WrapupIn,
    WrapupRecords,
    edited_summary,
    parse_dispositions,
    suggested_disposition,
)
from agent.events import turns_from_transcript
from agent.feed import Summary
from server.api.common import CallId, assist_of, audited, principal_of, services_of, visible_call
from server.auth import Principal, Role

log = structlog.get_logger(__name__)

router = APIRouter()


def _dispositions(request: Request) -> tuple[Disposition, ...]:
    return parse_dispositions(services_of(request).settings.wrapup_dispositions)


@router.get("/v1/calls/{call_id}/wrapup", tags=["wrap-up"])
async def get_wrapup(request: Request, call_id: CallId) -> dict[str, Any]:
    """What the wrap-up form needs: the codes, the one most likely for this call, the final summary
    to check, and the wrap-up if it was submitted already."""
    principal, call = await visible_call(request, call_id)
    services, assist = services_of(request), assist_of(request)
    summary = await assist.records.summary(call_id)
    dispositions = _dispositions(request)
    suggested = suggested_disposition(
        dispositions,
        call,
        summary,
        await assist.records.suggestions(call_id),
        await assist.records.feedback(call_id),
    )
    await audited(request, principal, "GET /v1/calls/{call_id}/wrapup", [call_id])
    return {
        "call_id": call_id,
        "status": call["status"],
        "dispositions": [asdict(d) for d in dispositions],
        "suggested": suggested,
        "summary": summary,
        "submitted": await WrapupRecords(services.store).get(call_id, _whose_wrapup(principal, call)),
        "hold_s": services.settings.wrapup_hold_s,
    }


@router.post("/v1/calls/{call_id}/wrapup", tags=["wrap-up"])
async def submit_wrapup(request: Request, call_id: CallId, wrapup: WrapupIn) -> dict[str, Any]:
    """Store the agent's after-call work with the ended call: disposition, note (redacted), summary
    corrections (redacted); announced as `wrapup`, in exports, and as a `disposition-CODE` tag in
    archive search. Submitting again replaces it."""
    principal, call = await visible_call(request, call_id)
    whose = _whose_wrapup(principal, call)
    if call["status"] != "ended" and whose == call["agent_id"]:
        raise HTTPException(409, f"call {call_id} is still live; wrap up once it has ended")
    dispositions = _dispositions(request)
    chosen = next((d for d in dispositions if d.code == wrapup.disposition), None)
    if chosen is None:
        codes = ", ".join(d.code for d in dispositions)
        raise HTTPException(422, f"disposition {wrapup.disposition!r} is not one of: {codes}")
    services, assist = services_of(request), assist_of(request)
    summary = await assist.records.summary(call_id)
    # the summary is corrected by whoever wraps up the ended call (a live one's is still rolling)
    corrected = (
        edited_summary(summary, wrapup.summary, services.redactor) if call["status"] == "ended" else None
    )
    if corrected is not None:
        await assist.records.put_summary(call["agent_id"], Summary.model_validate(corrected))
        summary = corrected
    by = principal.agent_id if principal.role is Role.AGENT else principal.role.value
    note = services.redactor.redact(wrapup.note.strip())
    stored = await WrapupRecords(services.store).put(
        call_id, whose, chosen, note, corrected is not None, by or ""
    )
    if summary is not None and whose == call["agent_id"] and call["status"] == "ended":
        try:  # the archive entry again, with the corrected summary and the disposition as a tag
            turns = turns_from_transcript(await services.store.transcript(call_id))
            tags = [*start_tags(call), f"disposition-{chosen.code}"]
            ended_at = float(call.get("ended_at") or time.time())
            await archive_call(assist, call, Summary.model_validate(summary), turns, tags, ended_at)
        except Exception as exc:  # stored and announced all the same; the archive keeps its entry
            log.warning("wrapup_not_archived", call_id=call_id, error=repr(exc))
    return stored.data  # the record as stored and announced, with the call id


def _whose_wrapup(principal: Principal, call: dict[str, Any]) -> str:
    """An agent wraps up their own part of the call (the call's agent, or one it was transferred
    away from); a supervisor, the call's agent's."""
    mine = principal.agent_id if principal.role is Role.AGENT else None
    if mine and mine != call["agent_id"] and mine in (call.get("previous_agents") or []):
        return mine
    return str(call["agent_id"])


@router.get("/v1/wrapups/pending", tags=["wrap-up"])
async def pending_wrapups(
    request: Request, hours: float = Query(24, gt=0, le=168, description="Calls that started this recently")
) -> dict[str, Any]:
    """Ended calls whose agent has not submitted the wrap-up yet, and how long each has waited
    (supervisor keys)."""
    principal_of(request, Role.SUPERVISOR)
    waiting = await WrapupRecords(services_of(request).store).pending(time.time() - hours * 3600)
    return {"calls": waiting}
