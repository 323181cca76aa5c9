"""The ASGI application: routes, the safety middleware, error pages, access logs.

:func:`build_app` takes an open :class:`Hotline`; the knowledge search starts with the
application (its lifespan) and stops with it. Nothing a handler raises reaches the client as a
trace: the page answers 500 in Chinese, the API in its error format, and the log keeps the
trace with the request's id.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.services.public.accounts import channel_actor
from hotline_tui.services.reference.catalogue import list_areas
from hotline_tui.web import open311_api, pages
from hotline_tui.web.context import Limits, WebContext, client_tag, templates
from hotline_tui.web.security import (
    ASGIApp,
    BodyLimit,
    Csrf,
    Message,
    RateLimiter,
    Receive,
    Scope,
    Send,
    load_secret,
)

__all__ = ["build_app"]

access_log = logging.getLogger("hotline.web.access")
log = logging.getLogger(__name__)
API = "/open311/v2"


def _routes() -> list[Route]:
    return [
        Route("/", pages.home, methods=["GET"]),
        Route("/ask", pages.ask, methods=["POST"]),
        Route("/feedback", pages.feedback, methods=["POST"]),
        Route("/request", pages.leave_request, methods=["POST"]),
        Route("/status", pages.status, methods=["GET", "POST"]),
        Route("/kb/{article_id}", pages.article, methods=["GET"]),
        Route("/healthz", _health, methods=["GET"]),
        Route(API + "/services.{fmt}", open311_api.service_list, methods=["GET"]),
        Route(API + "/requests.{fmt}", open311_api.request_list, methods=["GET"]),
        Route(API + "/requests.{fmt}", open311_api.post_request, methods=["POST"]),
        Route(API + "/requests/{request_id}.{fmt}", open311_api.one_request, methods=["GET"]),
    ]


async def _health(request: Request) -> Response:
    return Response("ok", media_type="text/plain")


def _area_choices(hl: Hotline, actor: Actor) -> tuple[tuple[str, str], ...]:
    """The area picker's choices: each area with its parent's name before it."""
    areas = list_areas(hl, actor)
    names = {a.code: a.name for a in areas}
    return tuple(
        (a.code, f"{names[a.parent_code]} {a.name}" if a.parent_code in names else a.name)
        for a in areas
    )


def context_for(hl: Hotline, kb: KnowledgeBase, limits: Limits) -> WebContext:
    secret = load_secret(hl.settings.data_dir / "web.secret")
    web = channel_actor(hl, "web")
    return WebContext(
        hl=hl,
        kb=kb,
        web=web,
        open311=channel_actor(hl, "open311"),
        csrf=Csrf(secret),
        secret=secret,
        questions=RateLimiter(limits.questions_per_minute, limits.questions_burst),
        requests=RateLimiter(limits.requests_per_minute, limits.requests_burst),
        env=templates(),
        limits=limits,
        areas=_area_choices(hl, web),
    )


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    if request.url.path.startswith(API):
        return open311_api.error(None, status, "not found" if status == 404 else "refused")
    text = "页面不存在。" if status == 404 else "请求方式不正确。"
    return pages.message(request, text, status)


async def _failed(request: Request, exc: Exception) -> Response:
    incident = uuid.uuid4().hex[:12]
    log.error("request failed (incident %s)", incident, exc_info=exc)
    if request.url.path.startswith(API):
        return open311_api.error(None, 500, f"internal error (incident {incident})")
    return pages.message(request, f"系统繁忙，请稍后再试（编号 {incident}）。", 500)


class AccessLog:
    """One JSON line per request: method, route, status, milliseconds, a keyed hash of the
    address. Never the query string, the body or a number someone typed."""

    def __init__(self, app: ASGIApp, secret: bytes) -> None:
        self.app, self.secret = app, secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            entry = {
                "method": scope.get("method"),
                "route": getattr(route, "path", None) or "-",
                "status": status["code"],
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client_tag(self.secret, Request(scope)),
            }
            access_log.info(json.dumps(entry))


def build_app(
    hl: Hotline, *, limits: Limits | None = None, kb: KnowledgeBase | None = None
) -> Starlette:
    """The application over ``hl`` (the channel accounts must exist)."""
    limits = limits or Limits()
    search = kb or KnowledgeBase(hl)
    context = context_for(hl, search, limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        search.start()
        try:
            yield
        finally:
            search.close()

    app = Starlette(
        routes=_routes(),
        middleware=[
            Middleware(AccessLog, secret=context.secret),
            Middleware(BodyLimit, limit=limits.body_bytes),
        ],
        exception_handlers={404: _not_found, 405: _not_found, Exception: _failed},
        lifespan=lifespan,
    )
    app.state.web = context
    return app
