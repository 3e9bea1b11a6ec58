"""What every REST resource shares: the services, the caller and its role, the audit record of a
read, a call the caller may see, time parameters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Path, Request

from agent.assist.assistant import AssistServices
from server.audit import AuditRecord, AuditUnavailable
from server.auth import Principal, Role
from server.errors import CloseCode, ProtocolError
from server.ingest.messages import ID_PATTERN
from server.services import Services
from server.times import parse_time

CallId = Annotated[str, Path(pattern=ID_PATTERN, description="1-128 letters, digits, '.', '_' or '-'")]

_HTTP_STATUS = {
    CloseCode.UNAUTHENTICATED: 401,
    CloseCode.FORBIDDEN: 403,
    CloseCode.NOT_FOUND: 404,
    CloseCode.POLICY_VIOLATION: 429,
}


def services_of(request: Request) -> Services:
    return request.app.state.services


async def audited(
    request: Request, principal: Principal, action: str, calls: list[str], detail: str = ""
) -> None:
    """One access-log record for this read, before its content is sent (503 if it cannot be written)."""
    record = AuditRecord.read_by(principal, action, calls, request, detail)
    try:
        await services_of(request).audit.append(record)
    except AuditUnavailable as exc:
        raise HTTPException(503, f"{exc}; the read was not done") from None


def principal_of(request: Request, *roles: Role) -> Principal:
    """The caller, if its key has one of `roles` (default: agent or supervisor); 401/403 otherwise."""
    try:
        return services_of(request).keys.require(request, *(roles or (Role.AGENT, Role.SUPERVISOR)))
    except ProtocolError as error:
        raise HTTPException(_HTTP_STATUS.get(error.code, 400), error.message) from None


def assist_of(request: Request) -> AssistServices:
    assist = services_of(request).assist
    if assist is None:
        raise HTTPException(409, "assistance is disabled on this server (CALLASSIST_ASSIST_ENABLED=false)")
    return assist


async def visible_call(request: Request, call_id: str) -> tuple[Principal, dict[str, Any]]:
    principal = principal_of(request)
    call = await services_of(request).store.get_call(call_id)
    if call is None:
        raise HTTPException(404, f"no call {call_id}")
    if not principal.can_view_call(call):
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    return principal, call


def time_param(value: str | None, *, end_of_day: bool = False) -> float | None:
    try:
        return parse_time(value, end_of_day=end_of_day)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
