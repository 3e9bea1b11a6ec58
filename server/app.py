"""App factory: `create_app(settings)` builds the FastAPI app; its lifespan starts the shared
services (Redis, VAD model, worker pool) once and stops them on shutdown."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import structlog
from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import FileResponse, Response

from server.api import ROUTERS
from server.body_guard import BodyGuard
from server.console import handle_agent_events, handle_call_events
from server.ingest.audiohook import handle_audiohook
from server.ingest.native import handle_ingest
from server.ingest.twilio import handle_twilio
from server.logging import configure_logging
from server.services import Services
from server.settings import Settings

log = structlog.get_logger(__name__)
STATIC_DIR = resources.files("server").joinpath("static")
# Every response: the pages load only their own scripts and styles, talk only to this server, are
# never framed, and never send their address (which may have held a key) to anyone.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(self)",
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_format)
        services = await Services.start(settings)
        app.state.services = services
        try:
            yield
        finally:
            await services.stop()

    app = FastAPI(
        title="callassist",
        version="0.1.0",
        lifespan=lifespan,
        description="Real-time assistant for call-center agents. Websocket protocols are described in docs/protocols.md.",
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN: the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.settings = settings
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(
        BodyGuard, max_body_bytes=settings.max_body_bytes
    )  # keys before bodies, 413 past the cap

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        """422 with where and why, without echoing the input back (it may hold NaN, which JSON
        cannot carry, or a client's megabytes)."""
        detail = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in error.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.middleware("http")
    async def log_requests(request: Request, call_next):
        started = time.perf_counter()
        response: Response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.url.path.startswith("/v1/"):
            response.headers["Cache-Control"] = "no-store"  # call data never sits in a cache
        if request.url.path not in ("/healthz", "/metrics"):  # query strings may hold keys: never logged
            log.info(
                "http_request",
                method=request.method,
                path=request.url.path,
                status=response.status_code,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
        return response

    @app.websocket("/v1/calls/{call_id}/audio")
    async def ingest(websocket: WebSocket, call_id: str) -> None:
        await handle_ingest(websocket, call_id)

    @app.websocket("/v1/twilio/media")
    async def twilio_media(websocket: WebSocket) -> None:
        await handle_twilio(websocket)

    @app.websocket("/v1/audiohook")
    async def audiohook(websocket: WebSocket) -> None:
        await handle_audiohook(websocket)

    @app.websocket("/v1/calls/{call_id}/events")
    async def call_events(websocket: WebSocket, call_id: str) -> None:
        await handle_call_events(websocket, call_id)

    @app.websocket("/v1/agents/{agent_id}/events")
    async def agent_events(websocket: WebSocket, agent_id: str) -> None:
        await handle_agent_events(websocket, agent_id)

    @app.get("/", include_in_schema=False)
    async def status_page() -> FileResponse:
        return FileResponse(str(STATIC_DIR.joinpath("index.html")))

    @app.get("/agent", include_in_schema=False)
    async def agent_sidebar() -> FileResponse:
        return FileResponse(str(STATIC_DIR.joinpath("agent.html")))

    @app.get("/softphone", include_in_schema=False)
    async def softphone_page() -> FileResponse:
        return FileResponse(str(STATIC_DIR.joinpath("softphone.html")))

    @app.get("/supervisor", include_in_schema=False)
    async def supervisor_page() -> FileResponse:
        return FileResponse(str(STATIC_DIR.joinpath("supervisor.html")))

    @app.get("/calls/{call_id}", include_in_schema=False)
    async def call_page(call_id: str) -> FileResponse:
        return FileResponse(str(STATIC_DIR.joinpath("call.html")))

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app
