"""Users: add, list, disable, reset passwords, log in (argon2id, lockout), resolve the actor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from db.models import Department, User
from hotline_tui.domain.errors import AuthError, IllegalTransition, NotFound, ValidationError
from hotline_tui.domain.permissions import require
from hotline_tui.domain.states import Role
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

SYSTEM_USER = "system"
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: str
    dept: str | None
    os_account: str | None
    disabled: bool
    locked: bool


def actor_of(user: User, os_user: str | None = None, *, session: Session | None = None) -> Actor:
    """The acting user; with a ``session``, its department's code too (a login's actor)."""
    assert user.id is not None
    dept = session.get(Department, user.dept_id) if session and user.dept_id else None
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        dept_id=user.dept_id,
        os_user=os_user,
        dept_code=dept.code if dept is not None else None,
    )


def system_actor(hl: Hotline, os_user: str | None = None) -> Actor:
    """The built-in administrator used for set-up and by root on the command line."""
    with hl.reading() as session:
        user = session.exec(select(User).where(User.username == SYSTEM_USER)).one()
    return actor_of(user, os_user=os_user)


def ensure_system_user(hl: Hotline) -> None:
    """Create the ``system`` user (no password: it cannot log in) if the database has none."""
    with hl.reading() as session:
        if session.exec(select(User.id).where(User.username == SYSTEM_USER)).first():
            return
    boot = Actor(user_id=0, username=SYSTEM_USER, display_name="系统", role=Role.ADMIN)

    def work(uow: UnitOfWork) -> None:
        user = User(
            username=SYSTEM_USER, display_name="系统", role=Role.ADMIN.value, created_at=uow.now
        )
        uow.session.add(user)
        uow.flush()
        uow.record(
            "user.add",
            entity="user",
            entity_id=user.id,
            entity_version=1,
            data={"username": SYSTEM_USER, "role": Role.ADMIN.value},
            actor=Actor(
                user_id=user.id or 0, username=SYSTEM_USER, display_name="系统", role=Role.ADMIN
            ),
        )

    uow_module.write(hl, boot, work)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError("validation.password_short", min=MIN_PASSWORD)
    return _hasher.hash(password)


def _user(session: Session, username: str, *, lock: bool = False) -> User:
    query = select(User).where(User.username == username)
    if lock:
        query = query.with_for_update()
    user = session.exec(query).one_or_none()
    if user is None:
        raise NotFound("not_found.user", user=username)
    return user


def add_user(
    hl: Hotline,
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    *,
    password: str | None = None,
    dept: str | None = None,
    os_account: str | None = None,
) -> UserView:
    require(actor.role, "user.add", username=actor.username)
    if not USERNAME.match(username):
        raise ValidationError("validation.username", value=username)
    try:
        role_value = Role(role)
    except ValueError:
        raise ValidationError(
            "validation.choice", field="role", value=role, allowed=[r.value for r in Role]
        ) from None
    if role_value is Role.HANDLER and not dept:
        raise ValidationError("validation.required", field="dept")
    password_hash = hash_password(password) if password else None
    name = clean_text(display_name, multiline=False, max_length=100, field="name") or username

    def work(uow: UnitOfWork) -> UserView:
        session = uow.session
        if session.exec(select(User.id).where(User.username == username)).first():
            raise ValidationError("validation.user_exists", user=username)
        dept_row = None
        if dept:
            dept_row = session.exec(select(Department).where(Department.code == dept)).one_or_none()
            if dept_row is None:
                raise NotFound("not_found.dept", dept=dept)
        user = User(
            username=username,
            display_name=name,
            role=role_value.value,
            dept_id=dept_row.id if dept_row else None,
            password_hash=password_hash,
            os_account=os_account or None,
            created_at=uow.now,
        )
        session.add(user)
        session.flush()
        uow.record(
            "user.add",
            entity="user",
            entity_id=user.id,
            entity_version=user.version,
            data={"username": username, "role": role_value.value, "dept": dept},
        )
        return _view(user, dept)

    return uow_module.write(hl, actor, work)


def _view(user: User, dept_code: str | None) -> UserView:
    return UserView(
        user.username,
        user.display_name,
        user.role,
        dept_code,
        user.os_account,
        user.disabled,
        user.locked_until is not None,
    )


def list_users(hl: Hotline, actor: Actor) -> list[UserView]:
    require(actor.role, "user.list", username=actor.username)
    with hl.reading() as session:
        rows = session.exec(
            select(User, Department.code)
            .join(Department, col(Department.id) == col(User.dept_id), isouter=True)
            .order_by(col(User.username))
        ).all()
        now = hl.now()
        return [
            UserView(
                u.username,
                u.display_name,
                u.role,
                code,
                u.os_account,
                u.disabled,
                u.locked_until is not None and u.locked_until > now,
            )
            for u, code in rows
        ]


def set_disabled(hl: Hotline, actor: Actor, username: str, disabled: bool = True) -> None:
    require(actor.role, "user.disable", username=actor.username)

    def work(uow: UnitOfWork) -> None:
        if disabled:
            _keep_an_administrator(uow.session, username)
        user = _user(uow.session, username, lock=True)
        user.disabled = disabled
        user.version += 1
        uow.record(
            "user.disable" if disabled else "user.enable",
            entity="user",
            entity_id=user.id,
            entity_version=user.version,
        )

    uow_module.write(hl, actor, work)


def _keep_an_administrator(session: Session, username: str) -> None:
    """Refuse to disable the built-in system user or the last active administrator.

    Without an administrator nobody could enable users, import rules or publish again; without
    the system user the scheduler could not act. The active administrators' rows are locked
    first, so two administrators disabling each other at once cannot both succeed.
    """
    if username == SYSTEM_USER:
        raise IllegalTransition("user.system_required", user=username)
    admins = session.exec(
        select(User.username)
        .where(User.role == Role.ADMIN.value, col(User.disabled).is_(False))
        .where(User.username != SYSTEM_USER)
        .order_by(col(User.id))
        .with_for_update()
    ).all()
    if list(admins) == [username]:
        raise IllegalTransition("user.last_admin", user=username)


def map_os_account(hl: Hotline, actor: Actor, username: str, os_account: str) -> None:
    """Map an OS account to a hotline user (one user per OS account)."""
    require(actor.role, "user.add", username=actor.username)

    def work(uow: UnitOfWork) -> None:
        taken = uow.session.exec(select(User).where(User.os_account == os_account)).one_or_none()
        if taken is not None and taken.username != username:
            raise ValidationError(
                "validation.os_account_taken", os_account=os_account, user=taken.username
            )
        user = _user(uow.session, username, lock=True)
        user.os_account = os_account
        user.version += 1
        uow.record(
            "user.map_os_account",
            entity="user",
            entity_id=user.id,
            entity_version=user.version,
            data={"os_account": os_account},
        )

    uow_module.write(hl, actor, work)


def reset_password(hl: Hotline, actor: Actor, username: str, password: str) -> None:
    """Set a new password and clear a lockout."""
    require(actor.role, "user.reset_password", username=actor.username)
    password_hash = hash_password(password)

    def work(uow: UnitOfWork) -> None:
        user = _user(uow.session, username, lock=True)
        user.password_hash = password_hash
        user.failed_logins = 0
        user.locked_until = None
        user.version += 1
        uow.record(
            "user.reset_password", entity="user", entity_id=user.id, entity_version=user.version
        )

    uow_module.write(hl, actor, work)


def login(hl: Hotline, username: str, password: str) -> Actor:
    """Check a password; too many failures lock the account for a while (audited)."""
    settings = hl.settings

    def work(uow: UnitOfWork) -> Actor | AuthError:
        user = uow.session.exec(
            select(User).where(User.username == username).with_for_update()
        ).one_or_none()
        if user is None or user.password_hash is None:
            return AuthError("auth.failed", user=username)
        actor = actor_of(user, session=uow.session)
        uow.actor = actor
        if user.disabled:
            return AuthError("auth.disabled", user=username)
        if user.locked_until is not None and user.locked_until > uow.now:
            return AuthError("auth.locked", user=username, until=user.locked_until.isoformat())
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = uow.now + timedelta(minutes=settings.login_lockout_minutes)
                user.failed_logins = 0
                uow.record("user.locked", entity="user", entity_id=user.id)
                return AuthError("auth.locked", user=username, until=user.locked_until.isoformat())
            uow.record("user.login_failed", entity="user", entity_id=user.id)
            return AuthError("auth.failed", user=username)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins = 0
        uow.record("user.login", entity="user", entity_id=user.id)
        return actor

    anonymous = Actor(user_id=0, username=username, display_name="", role=Role.OPERATOR)
    # The failure is returned, not raised, so that the failure count is committed with it.
    result = uow_module.write(hl, anonymous, work)
    if isinstance(result, AuthError):
        raise result
    return result


def resolve_actor(
    hl: Hotline, os_user: str, *, as_user: str | None, may_act_as_others: bool
) -> Actor:
    """Map the OS account to its hotline user; ``--as`` only for root or the admin group."""
    with hl.reading() as session:
        mapped = session.exec(select(User).where(User.os_account == os_user)).one_or_none()
        if as_user is not None and (mapped is None or mapped.username != as_user):
            if not may_act_as_others:
                raise AuthError("auth.act_as_denied", os_user=os_user, user=as_user)
            target = _user(session, as_user)
        elif mapped is not None:
            target = mapped
        elif may_act_as_others:
            target = _user(session, SYSTEM_USER)
        else:
            raise AuthError("auth.unmapped", os_user=os_user)
        if target.disabled:
            raise AuthError("auth.disabled", user=target.username)
        return actor_of(target, os_user=os_user, session=session)
