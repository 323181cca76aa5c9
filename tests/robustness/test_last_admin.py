"""Two administrators disabling each other at the same moment: one wins, one stays active.

The check "is another administrator still active?" and the disabling are one transaction, and
the active administrators' rows are locked before the check, so the second transaction waits for
the first and then sees it. On PostgreSQL the first holds its locks until the second is seen
waiting for them (pg_locks), then commits; on SQLite the second waits for the write lock that
``BEGIN IMMEDIATE`` gave the first.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import text

from hotline_tui.domain.errors import IllegalTransition
from hotline_tui.services.admin import users
from tests.world import PASSWORD


def test_two_administrators_cannot_disable_each_other_at_once(hl, who, monkeypatch):
    users.add_user(hl, who["adm"], "adm2", "管理员二", "admin", password=PASSWORD)
    adm2 = users.login(hl, "adm2", PASSWORD)
    locked, go = threading.Event(), threading.Event()
    original = users._keep_an_administrator

    def keep_then_hold(session: Any, username: str) -> None:
        original(session, username)
        if username == "adm2":  # the first transaction: hold the locks until told
            locked.set()
            assert go.wait(timeout=120)

    monkeypatch.setattr(users, "_keep_an_administrator", keep_then_hold)
    outcomes: dict[str, str] = {}

    def disable(actor: Any, target: str) -> None:
        try:
            users.set_disabled(hl, actor, target, True)
            outcomes[target] = "disabled"
        except IllegalTransition as exc:
            outcomes[target] = exc.code

    a = threading.Thread(target=disable, args=(who["adm"], "adm2"))
    a.start()
    assert locked.wait(timeout=120)
    b = threading.Thread(target=disable, args=(adm2, "adm"))
    b.start()
    if hl.dialect == "postgresql":
        with hl.engines.read.connect() as conn:  # until the second waits on the first's locks
            waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
            while not conn.execute(waiting).scalar():
                conn.rollback()
                assert b.is_alive(), outcomes
    go.set()
    a.join(timeout=120)
    b.join(timeout=120)
    assert outcomes == {"adm2": "disabled", "adm": "user.last_admin"}
    admins = [u for u in users.list_users(hl, who["adm"]) if u.role == "admin"]
    active = [u.username for u in admins if not u.disabled and u.username != users.SYSTEM_USER]
    assert active == ["adm"]
