"""Safe by default: the form's CSRF token, per-address rate limits, the body-size limit.

- **CSRF.** A visitor gets a random nonce in a ``SameSite=Strict``, ``HttpOnly`` cookie; every
  form carries ``HMAC(secret, nonce, issued)``. A post is accepted only with a token that
  matches the cookie's nonce and is less than :data:`TOKEN_HOURS` old: another site can
  neither read the cookie nor make the token. The secret is a file in the data directory
  (``web.secret``, 0600), made on first start, shared by every worker.
- **Rate limits.** A token bucket per client address and kind of request (questions, new
  requests), in each worker's memory: with N workers an address gets at most N times the
  rate (the reverse proxy in front may hold a global limit; README).
- **Body size.** A request whose body is longer than the limit is refused with 413 before the
  application reads it (the declared length, then the bytes as they arrive).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

__all__ = [
    "ASGIApp",
    "BodyLimit",
    "Csrf",
    "Message",
    "RateLimiter",
    "Receive",
    "Scope",
    "Send",
    "load_secret",
]

TOKEN_HOURS = 4
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def load_secret(path: Path) -> bytes:
    """The web secret at ``path``, made (0600, never overwritten) if there is none."""
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it meanwhile
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


class Csrf:
    """Tokens bound to the visitor's cookie nonce."""

    def __init__(self, secret: bytes, *, clock: Callable[[], float] = time.time) -> None:
        self.secret = hashlib.sha256(b"csrf:" + secret).digest()
        self.clock = clock

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(18)

    def _mac(self, nonce: str, issued: int) -> str:
        message = f"{nonce}.{issued}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:32]

    def issue(self, nonce: str) -> str:
        issued = int(self.clock())
        return f"{issued}.{self._mac(nonce, issued)}"

    def valid(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token or "." not in token or len(token) > 100:
            return False
        issued_text, mac = token.split(".", 1)
        if not issued_text.isdigit():
            return False
        issued = int(issued_text)
        age = self.clock() - issued
        if age < -60 or age > TOKEN_HOURS * 3600:
            return False
        return hmac.compare_digest(mac, self._mac(nonce, issued))


class RateLimiter:
    """Token buckets by key: ``per_minute`` tokens a minute, up to ``burst`` at once."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 20_000,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take a token for ``key`` if there is one."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)  # the longest idle address goes first
            return allowed


class BodyLimit:
    """ASGI middleware: 413 for a body longer than ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await _too_large(send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(send)


class BodyTooLarge(Exception):
    """A streamed body went past the limit."""


async def _too_large(send: Send) -> None:
    body = "请求内容过长。".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
