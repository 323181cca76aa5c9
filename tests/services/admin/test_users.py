"""Users: argon2id passwords, lockout, disable, reset, and mapping OS accounts to users."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import User
from hotline_tui.domain.errors import (
    AuthError,
    IllegalTransition,
    PermissionDenied,
    ValidationError,
)
from hotline_tui.services.admin import users
from tests.world import PASSWORD


def test_login_checks_an_argon2id_hash(hl, who):
    actor = users.login(hl, "op", PASSWORD)
    assert actor.username == "op" and actor.role.value == "operator"
    with hl.reading() as s:
        stored = s.exec(select(User.password_hash).where(User.username == "op")).one()
    assert stored is not None and stored.startswith("$argon2id$")
    with pytest.raises(AuthError) as err:
        users.login(hl, "op", "wrong-password")
    assert err.value.code == "auth.failed"
    with pytest.raises(AuthError):
        users.login(hl, "nobody", PASSWORD)


def test_repeated_failures_lock_the_account_until_reset(hl, who, clock):
    for _ in range(hl.settings.login_max_failures - 1):
        with pytest.raises(AuthError):
            users.login(hl, "h1", "bad-password")
    with pytest.raises(AuthError) as err:
        users.login(hl, "h1", "bad-password")
    assert err.value.code == "auth.locked"
    with pytest.raises(AuthError) as err:
        users.login(hl, "h1", PASSWORD)  # even the right password waits for the lockout
    assert err.value.code == "auth.locked"
    clock.advance(minutes=hl.settings.login_lockout_minutes + 1)
    assert users.login(hl, "h1", PASSWORD).username == "h1"
    for _ in range(hl.settings.login_max_failures):
        with pytest.raises(AuthError):
            users.login(hl, "h1", "bad-password")
    users.reset_password(hl, who["adm"], "h1", "a-new-password")
    assert users.login(hl, "h1", "a-new-password").username == "h1"


def test_disabled_users_cannot_log_in_or_act(hl, who):
    users.set_disabled(hl, who["adm"], "op", True)
    with pytest.raises(AuthError) as err:
        users.login(hl, "op", PASSWORD)
    assert err.value.code == "auth.disabled"
    with pytest.raises(AuthError):
        users.resolve_actor(hl, "someone", as_user="op", may_act_as_others=True)
    assert [u.disabled for u in users.list_users(hl, who["adm"]) if u.username == "op"] == [True]


def test_the_last_active_administrator_and_the_system_user_cannot_be_disabled(hl, who):
    with pytest.raises(IllegalTransition) as err:
        users.set_disabled(hl, who["adm"], "adm", True)
    assert err.value.code == "user.last_admin"
    with pytest.raises(IllegalTransition) as err:
        users.set_disabled(hl, who["adm"], users.SYSTEM_USER, True)
    assert err.value.code == "user.system_required"
    # With a second administrator either may go, but not both.
    users.add_user(hl, who["adm"], "adm2", "管理员二", "admin", password=PASSWORD)
    users.set_disabled(hl, who["adm"], "adm", True)
    adm2 = users.login(hl, "adm2", PASSWORD)
    with pytest.raises(IllegalTransition):
        users.set_disabled(hl, adm2, "adm2", True)
    users.set_disabled(hl, adm2, "adm", False)
    users.set_disabled(hl, adm2, "adm2", True)
    assert {u.username: u.disabled for u in users.list_users(hl, who["adm"])}["adm2"] is True


def test_only_admins_manage_users(hl, who):
    with pytest.raises(PermissionDenied):
        users.add_user(hl, who["sup"], "newbie", "新人", "operator", password=PASSWORD)
    with pytest.raises(ValidationError):
        users.add_user(hl, who["adm"], "Bad Name", "x", "operator")
    with pytest.raises(ValidationError):
        users.add_user(hl, who["adm"], "h9", "处理人", "handler")  # a handler needs a department
    with pytest.raises(ValidationError):
        users.add_user(hl, who["adm"], "short", "短", "operator", password="123")


def test_os_accounts_map_to_users_and_act_as_needs_privilege(hl, who):
    users.add_user(
        hl, who["adm"], "op9", "话务员九", "operator", password=PASSWORD, os_account="alice"
    )
    assert users.resolve_actor(hl, "alice", as_user=None, may_act_as_others=False).username == "op9"
    actor = users.resolve_actor(hl, "root", as_user="disp", may_act_as_others=True)
    assert (actor.username, actor.os_user) == ("disp", "root")
    with pytest.raises(AuthError) as err:
        users.resolve_actor(hl, "alice", as_user="disp", may_act_as_others=False)
    assert err.value.code == "auth.act_as_denied"
    with pytest.raises(AuthError) as err:
        users.resolve_actor(hl, "mallory", as_user=None, may_act_as_others=False)
    assert err.value.code == "auth.unmapped"
    assert users.resolve_actor(hl, "root", as_user=None, may_act_as_others=True).username == (
        "system"
    )
