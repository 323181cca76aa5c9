"""Structured errors raised by the domain and the services.

Every error carries a stable ``code`` and its ``params``; front ends turn them into words in the
user's language (see ``hotline_tui.labels.errors``). The English ``str()`` is for logs and tests.
"""

from __future__ import annotations

from typing import Any


class HotlineError(Exception):
    """Base class: a code such as ``"validation.mobile"`` and the parameters that explain it."""

    code: str = "error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params
        super().__init__(self.describe())

    def describe(self) -> str:
        """A plain English rendering, for logs and for front ends without a translation."""
        if not self.params:
            return self.code
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.code}: {details}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form for ``--json`` output."""
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}


class ValidationError(HotlineError):
    """Input that breaks a data rule (DESIGN.md §6); ``field`` names the input."""


class NotFound(HotlineError):
    """The named record does not exist (or is not visible to the actor)."""


class PermissionDenied(HotlineError):
    """The actor's role or department does not allow the action."""


class IllegalTransition(HotlineError):
    """The action is not allowed in the order's (or assignment's) current state."""


class Conflict(HotlineError):
    """A stale version: someone else changed the record since the user read it."""


class Busy(HotlineError):
    """The database stayed locked by other writers for longer than the busy timeout."""


class AuthError(HotlineError):
    """Login failed, the account is locked or disabled."""


class ConfigError(HotlineError):
    """Settings, key files or paths are missing or wrong."""


class ImportFailed(HotlineError):
    """A file could not be imported; nothing was changed."""


class AuditMismatch(HotlineError):
    """The audit trail contradicts its checkpoints (a head that went backwards or forked, a
    checkpoint file that does not verify): evidence of tampering, so nothing is recorded. The
    command line exits 1, as ``audit verify`` does when it finds the same."""


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
