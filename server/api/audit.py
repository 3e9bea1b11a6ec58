"""The access log for auditors: its pages and the check of its hash chain."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from server.api.common import principal_of, services_of, time_param
from server.auth import Role

router = APIRouter()


@router.get("/v1/audit", tags=["audit"])
async def audit_log(
    request: Request,
    from_: str | None = Query(None, alias="from", description="Records at or after (epoch, YYYY-MM-DD, ISO)"),
    to: str | None = Query(None, description="Records at or before (a date includes the whole day)"),
    after: str | None = Query(
        None, pattern=r"^\d{1,20}-\d{1,20}$", description="Continue after this record id"
    ),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    """The access log, oldest first, a page at a time (auditor keys only): who read which calls,
    how, when and from where; `next` continues the page."""
    principal_of(request, Role.AUDITOR)
    records, next_after = await services_of(request).audit.page(
        since=time_param(from_), until=time_param(to, end_of_day=True), after=after, limit=limit
    )
    return {"records": records, "next": next_after}


@router.get("/v1/audit/verify", tags=["audit"])
async def audit_verify(request: Request) -> dict[str, Any]:
    """Walk the access log's hash chain: whether every record is where and as it was written."""
    principal_of(request, Role.AUDITOR)
    return await services_of(request).audit.verify()
