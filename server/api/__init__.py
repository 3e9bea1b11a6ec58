"""REST endpoints, one module per resource (documented by FastAPI's OpenAPI schema at
/openapi.json): health, calls, assistance, wrap-up, audit, WebRTC ingest, analytics."""

from fastapi import APIRouter

from server.api import analytics, assist, audit, calls, health, webrtc, wrapup

ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router for module in (health, calls, assist, wrapup, audit, webrtc, analytics)
)
