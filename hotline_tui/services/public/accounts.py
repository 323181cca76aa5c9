"""The accounts the public channels act as: one per channel, role ``channel``.

A web page or a partner system is not a person with a password: it acts as its channel's
account (``web``, ``open311``), which may only register requests, hand them to the dispatch
queue, look one up for the person who left it, and read and rate published articles
(:mod:`hotline_tui.domain.permissions`). Every order it registers names that account, and every
action is in the audit trail like anyone's. ``hotline serve`` and ``hotline demo`` make the
accounts when the database has none (:func:`ensure_channel_accounts`).
"""

from __future__ import annotations

from sqlmodel import col, select

from db.models import User
from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.states import Role
from hotline_tui.services.admin.users import actor_of, add_user, system_actor
from hotline_tui.services.context import Actor, Hotline

__all__ = ["CHANNEL_ACCOUNTS", "channel_actor", "ensure_channel_accounts"]

# Channel code (the order's 受理渠道) → the account's username and display name.
CHANNEL_ACCOUNTS: dict[str, tuple[str, str]] = {
    "web": ("web", "网站渠道"),
    "open311": ("open311", "开放接口渠道"),
}


def ensure_channel_accounts(hl: Hotline) -> list[str]:
    """Add the channel accounts the database lacks (as the system user); their usernames."""
    wanted = {username: name for username, name in CHANNEL_ACCOUNTS.values()}
    with hl.reading() as session:
        present = set(session.exec(select(User.username).where(col(User.username).in_(wanted))))
    missing = [username for username in wanted if username not in present]
    if missing:
        admin = system_actor(hl)
        for username in missing:
            add_user(hl, admin, username, wanted[username], Role.CHANNEL.value)
    return missing


def channel_actor(hl: Hotline, channel: str) -> Actor:
    """The actor of ``channel``'s account (made by :func:`ensure_channel_accounts`)."""
    username = CHANNEL_ACCOUNTS[channel][0]
    with hl.reading() as session:
        user = session.exec(select(User).where(User.username == username)).one_or_none()
    if user is None or user.role != Role.CHANNEL.value or user.disabled:
        raise NotFound("not_found.user", user=username)
    return actor_of(user)
