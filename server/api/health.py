"""Health, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import JSONResponse, Response

from server.api.common import principal_of, services_of
from server.auth import Role

router = APIRouter()


@router.get("/healthz", tags=["health"])
async def healthz(request: Request) -> Response:
    """The process is up and can go on (503 when it cannot recover by itself: restart it)."""
    failed = services_of(request).failed
    if failed:
        return JSONResponse({"status": "failed", "reason": failed}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/readyz", tags=["health"])
async def readyz(request: Request) -> Response:
    """Redis answers, the models are loaded and the server is not draining."""
    state = await services_of(request).ready()
    ok = state["redis"] == "ok" and "draining" not in state
    return JSONResponse({"status": "ready" if ok else "not ready", **state}, status_code=200 if ok else 503)


@router.get("/metrics", tags=["health"], response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """Prometheus counters (no call content). Served to loopback and to the networks in
    CALLASSIST_METRICS_NETWORKS without a key (a scraper), to anyone else with a valid key."""
    client = request.client.host if request.client else ""
    if not services_of(request).settings.metrics_open_to(client):
        principal_of(request, Role.INGEST, Role.AGENT, Role.SUPERVISOR)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
