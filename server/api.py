"""REST endpoints (documented by FastAPI's OpenAPI at /docs and /openapi.json)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from server.auth import Principal, Role
from server.errors import CloseCode, ProtocolError
from server.services import Services

router = APIRouter()

_HTTP_STATUS = {CloseCode.UNAUTHENTICATED: 401, CloseCode.FORBIDDEN: 403, CloseCode.NOT_FOUND: 404}


class Segment(BaseModel):
    id: str
    seq: int
    channel: int
    role: str
    start: float
    end: float
    cut: str
    text: str | None


class CallDetail(BaseModel):
    call: dict[str, Any]
    transcript: list[Segment]


def _services(request: Request) -> Services:
    return request.app.state.services


def _principal(request: Request) -> Principal:
    try:
        return _services(request).keys.require(request, Role.AGENT, Role.SUPERVISOR)
    except ProtocolError as error:
        raise HTTPException(_HTTP_STATUS.get(error.code, 400), error.message) from None


@router.get("/healthz", tags=["health"])
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"])
async def readyz(request: Request) -> Response:
    """Redis answers and the models are loaded."""
    state = await _services(request).ready()
    ok = state["redis"] == "ok"
    return JSONResponse({"status": "ready" if ok else "not ready", **state}, status_code=200 if ok else 503)


@router.get("/metrics", tags=["health"], response_class=PlainTextResponse)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/v1/calls", tags=["calls"])
async def list_calls(
    request: Request,
    status: Literal["live", "all"] = "live",
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, list[dict[str, Any]]]:
    """Calls, newest first. An agent key lists only its own calls."""
    principal = _principal(request)
    agent_filter = principal.agent_id if principal.role is Role.AGENT else None
    calls = await _services(request).store.list_calls(
        live=status == "live", agent_id=agent_filter, limit=limit
    )
    return {"calls": calls}


@router.get("/v1/calls/{call_id}", tags=["calls"], response_model=CallDetail)
async def get_call(request: Request, call_id: str) -> CallDetail:
    """One call's metadata and its stored transcript."""
    principal = _principal(request)
    store = _services(request).store
    call = await store.get_call(call_id)
    if call is None:
        raise HTTPException(404, f"no call {call_id}")
    if not principal.can_view_call(call):
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    segments = [
        Segment(
            id=row["id"],
            seq=int(row["seq"]),
            channel=int(row["channel"]),
            role=row["role"],
            start=float(row["start"]),
            end=float(row["end"]),
            cut=row["cut"],
            text=row["text"] or None,
        )
        for row in await store.transcript(call_id)
    ]
    return CallDetail(call=call, transcript=segments)
