"""What every request handler of the web front end holds: the services' core, the knowledge
search, the channel accounts, the CSRF signer, the rate limits and the templates."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.web.security import Csrf, RateLimiter

__all__ = ["Limits", "WebContext", "client_tag", "templates"]

T = TypeVar("T")

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Limits:
    """The safety limits (README, "hotline serve"): per address, per worker."""

    questions_per_minute: float = 30.0
    questions_burst: int = 10
    requests_per_minute: float = 3.0
    requests_burst: int = 3
    body_bytes: int = 64 * 1024  # a 4,000-character description, URL-encoded, is 36 KiB


def templates() -> Environment:
    """Jinja2 with autoescape on for every template: stored text is data, never markup."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,
    )


@dataclass
class WebContext:
    hl: Hotline
    kb: KnowledgeBase
    web: Actor
    open311: Actor
    csrf: Csrf
    secret: bytes
    questions: RateLimiter
    requests: RateLimiter
    env: Environment
    limits: Limits
    areas: tuple[tuple[str, str], ...] = ()  # (code, label) for the picker
    _limiter: anyio.CapacityLimiter | None = field(default=None, repr=False)

    async def call(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a (blocking) service call in a worker thread. At most half the database pool's
        connections' worth run at once: a call may hold two connections for a moment (a read
        beside its write), and threads beyond the pool would only wait for it — long enough,
        under load, to time out."""
        if self._limiter is None:  # made in the event loop, on the first call
            settings = self.hl.settings
            tokens = max(1, (settings.db_pool_size + settings.db_max_overflow) // 2)
            self._limiter = anyio.CapacityLimiter(tokens)
        work = functools.partial(func, *args, **kwargs)
        return await anyio.to_thread.run_sync(work, limiter=self._limiter)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


def client_tag(secret: bytes, request: Request) -> str:
    """The client's address as the logs keep it: a keyed hash (an address is personal data)."""
    digest = hmac.new(secret, client_address(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:12]
