"""The partner systems' keys of the Open311 API (``hotline apikey add|list|revoke``).

A key is 32 random bytes, shown once when it is made; only its SHA-256 is stored (a key of that
strength needs no slow hash), with its first characters so that an administrator can tell keys
apart. A request's key is found by its hash: :func:`partner_of` returns the partner's name, or
None for a key that is unknown or revoked.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from db.models import ApiKey
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.permissions import require
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

__all__ = ["KeyView", "add_key", "list_keys", "partner_of", "revoke_key"]

PARTNER = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
PREFIX = 8


@dataclass(frozen=True)
class KeyView:
    partner: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _view(row: ApiKey) -> KeyView:
    return KeyView(row.partner, row.prefix, row.created_at, row.revoked_at)


def add_key(hl: Hotline, actor: Actor, partner: str) -> tuple[KeyView, str]:
    """A new key for ``partner`` (one per partner); the key itself is returned only here."""
    require(actor.role, "apikey.manage", username=actor.username)
    if not PARTNER.match(partner):
        raise ValidationError("validation.username", value=partner)
    key = secrets.token_urlsafe(32)

    def work(uow: UnitOfWork) -> KeyView:
        session = uow.session
        if session.exec(select(ApiKey.id).where(ApiKey.partner == partner)).first():
            raise ValidationError("validation.user_exists", user=partner)
        row = ApiKey(
            partner=partner,
            key_hash=_hash(key),
            prefix=key[:PREFIX],
            created_at=uow.now,
            created_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        uow.record("apikey.add", entity="api_key", entity_id=row.id, data={"partner": partner})
        return _view(row)

    return uow_module.write(hl, actor, work), key


def list_keys(hl: Hotline, actor: Actor) -> list[KeyView]:
    require(actor.role, "apikey.manage", username=actor.username)
    with hl.reading() as session:
        return [_view(r) for r in session.exec(select(ApiKey).order_by(col(ApiKey.partner)))]


def revoke_key(hl: Hotline, actor: Actor, partner: str) -> KeyView:
    """Revoke ``partner``'s key at once (kept, with the time, for the audit trail)."""
    require(actor.role, "apikey.manage", username=actor.username)

    def work(uow: UnitOfWork) -> KeyView:
        row = uow.session.exec(
            select(ApiKey).where(ApiKey.partner == partner).with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound("not_found.user", user=partner)
        if row.revoked_at is None:
            row.revoked_at = uow.now
            uow.record(
                "apikey.revoke", entity="api_key", entity_id=row.id, data={"partner": partner}
            )
        return _view(row)

    return uow_module.write(hl, actor, work)


def partner_of(hl: Hotline, key: str) -> str | None:
    """The partner whose live key ``key`` is, else None."""
    if not key or len(key) > 200:
        return None
    with hl.reading() as session:
        row = session.exec(select(ApiKey).where(ApiKey.key_hash == _hash(key))).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return row.partner
