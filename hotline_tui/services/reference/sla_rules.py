"""Managing the time-limit rules (限时规则): list, set one, import a CSV file.

A rule's scope is a request type (or ``any``), a category code (or every category) and an
urgency (or ``any``); it sets some of the six limits (``dispatch``, ``sign``, ``return_window``,
``complete``, ``extension_max``, ``visit``) and optionally the warning fraction. An unset limit
is inherited (:mod:`hotline_tui.domain.sla_rules`). Changing rules needs ``sla.set``; every
change is one transaction with one audit event, and the process's rule cache is dropped after it.

``set_rule`` changes only the limits it is given (``""`` returns a limit to inheriting);
``delete_rule`` removes a scope's rule (its limits are inherited again).
``import_rules`` reads ``request_type,category,urgency,dispatch,sign,return_window,complete,
extension_max,visit,warn_fraction`` (only ``request_type`` is required; empty cells inherit) and
replaces each named rule with the row, all-or-nothing; the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from db.models import Category, SlaRule, User
from hotline_tui.domain.errors import HotlineError, NotFound, ValidationError
from hotline_tui.domain.limits import LIMIT_FIELDS, Limit, Unit
from hotline_tui.domain.permissions import require
from hotline_tui.domain.sla_rules import ANY, builtin_rules
from hotline_tui.domain.states import RequestType, Urgency, values
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.reference.sla_rules_csv import read_rule_rows
from hotline_tui.services.tickets.timelimits import invalidate
from hotline_tui.services.uow import UnitOfWork

__all__ = [
    "RuleImportResult",
    "RuleView",
    "delete_rule",
    "import_rules",
    "list_rules",
    "set_rule",
]

REQUEST_TYPES = [*values(RequestType), ANY]
URGENCIES = [*values(Urgency), ANY]


@dataclass(frozen=True)
class RuleView:
    """A rule as shown; a limit of None is inherited. ``builtin``: a default, not stored."""

    request_type: str
    category_code: str | None
    category_path: str | None
    urgency: str
    dispatch: str | None
    sign: str | None
    return_window: str | None
    complete: str | None
    extension_max: str | None
    visit: str | None
    warn_fraction: float | None
    updated_by: str | None
    updated_at: datetime | None
    version: int
    builtin: bool = False


@dataclass(frozen=True)
class RuleImportResult:
    file: str
    sha256: str
    created: int
    updated: int
    unchanged: int


def list_rules(hl: Hotline, actor: Actor, *, include_defaults: bool = False) -> list[RuleView]:
    """The stored rules by type, category path and urgency (the built-in defaults after them)."""
    require(actor.role, "sla.read", username=actor.username)
    with hl.reading() as session:
        rows = session.execute(
            select(SlaRule, col(Category.code), col(Category.path), col(User.username))
            .join(Category, col(Category.id) == col(SlaRule.category_id), isouter=True)
            .join(User, col(User.id) == col(SlaRule.updated_by))
        ).all()
    views = [
        _view(
            rule.request_type,
            code,
            path,
            rule.urgency,
            {name: getattr(rule, name) for name in LIMIT_FIELDS},
            rule.warn_fraction,
            username,
            rule.updated_at,
            rule.version,
        )
        for rule, code, path, username in rows
    ]
    views.sort(key=lambda v: (v.request_type, v.category_path or "", v.urgency))
    if include_defaults:
        for spec in builtin_rules():
            limits = {name: str(spec.limits[name]) for name in LIMIT_FIELDS}
            fraction = hl.settings.sla_warn_fraction
            views.append(
                _view(spec.request_type, None, None, spec.urgency, limits, fraction, None, None, 0)
            )
    return views


def _view(
    request_type: str,
    code: str | None,
    path: str | None,
    urgency: str,
    limits: Mapping[str, str | None],
    warn_fraction: float | None,
    updated_by: str | None,
    updated_at: datetime | None,
    version: int,
) -> RuleView:
    return RuleView(
        request_type=request_type,
        category_code=code,
        category_path=path,
        urgency=urgency,
        dispatch=limits["dispatch"],
        sign=limits["sign"],
        return_window=limits["return_window"],
        complete=limits["complete"],
        extension_max=limits["extension_max"],
        visit=limits["visit"],
        warn_fraction=warn_fraction,
        updated_by=updated_by,
        updated_at=updated_at,
        version=version,
        builtin=updated_by is None,
    )


# ------------------------------------------------------------------------------------ checking


def _choice(field: str, value: str | None, allowed: list[str]) -> str:
    text = (value or ANY).strip().lower()
    if text not in allowed:
        raise ValidationError("validation.choice", field=field, value=value, allowed=allowed)
    return text


def _limit(field: str, value: str | None) -> str | None:
    """The limit's canonical spelling, or None (inherit) for an empty value."""
    if value is None or not value.strip():
        return None
    limit = Limit.parse(value, field=field)
    if field == "extension_max" and limit.unit is not Unit.WD:
        raise ValidationError("validation.limit_unit_wd", field=field, value=value)
    return str(limit)


def _fraction(value: float | str | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        fraction = float(value)
    except ValueError:
        raise ValidationError(
            "validation.warn_fraction", field="warn_fraction", value=value
        ) from None
    if not 0.0 <= fraction < 1.0:
        raise ValidationError("validation.warn_fraction", field="warn_fraction", value=value)
    return fraction


def _category_id(session: Session, code: str | None) -> int | None:
    if code is None or not code.strip():
        return None
    found = session.execute(
        select(col(Category.id)).where(col(Category.code) == code.strip())
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("not_found.category", code=code)
    return int(found)


def _find(session: Session, request_type: str, category_id: int | None, urgency: str) -> Any:
    query = select(SlaRule).where(
        col(SlaRule.request_type) == request_type, col(SlaRule.urgency) == urgency
    )
    if category_id is None:
        query = query.where(col(SlaRule.category_id).is_(None))
    else:
        query = query.where(col(SlaRule.category_id) == category_id)
    return session.execute(query.with_for_update()).scalar_one_or_none()


def _apply(uow: UnitOfWork, scope: tuple[str, int | None, str], values: dict[str, Any]) -> str:
    """Create or change one rule; ``created``, ``updated`` or ``unchanged``."""
    rule = _find(uow.session, *scope)
    if rule is None:
        if all(v is None for v in values.values()):
            raise ValidationError("validation.sla_empty")
        rule = SlaRule(
            request_type=scope[0],
            category_id=scope[1],
            urgency=scope[2],
            updated_by=uow.actor.user_id,
            updated_at=uow.now,
            **values,
        )
        uow.session.add(rule)
        uow.flush()
        status = "created"
    elif all(getattr(rule, k) == v for k, v in values.items()):
        return "unchanged"
    else:
        for key, value in values.items():
            setattr(rule, key, value)
        rule.updated_by, rule.updated_at = uow.actor.user_id, uow.now
        rule.version += 1
        uow.flush()
        status = "updated"
    uow.record(
        "sla.set",
        entity="sla_rule",
        entity_id=rule.id,
        entity_version=rule.version,
        data={
            "request_type": scope[0],
            "category_id": scope[1],
            "urgency": scope[2],
            **{name: getattr(rule, name) for name in (*LIMIT_FIELDS, "warn_fraction")},
        },
    )
    return status


# --------------------------------------------------------------------------------------- set


def set_rule(
    hl: Hotline,
    actor: Actor,
    request_type: str,
    *,
    category: str | None = None,
    urgency: str | None = None,
    limits: Mapping[str, str | None] | None = None,
    warn_fraction: float | str | None = None,
) -> RuleView:
    """Create or change the rule of a scope; only the limits given change (``""``: inherit)."""
    require(actor.role, "sla.set", username=actor.username)
    type_value = _choice("request_type", request_type, REQUEST_TYPES)
    urgency_value = _choice("urgency", urgency, URGENCIES)
    given = dict(limits or {})
    unknown = sorted(set(given) - set(LIMIT_FIELDS))
    if unknown:
        raise ValidationError(
            "validation.choice", field="limit", value=unknown[0], allowed=list(LIMIT_FIELDS)
        )
    changes: dict[str, Any] = {k: _limit(k, v) for k, v in given.items() if v is not None}
    if warn_fraction is not None:
        changes["warn_fraction"] = _fraction(warn_fraction)

    def work(uow: UnitOfWork) -> None:
        scope = (type_value, _category_id(uow.session, category), urgency_value)
        _apply(uow, scope, changes)

    uow_module.write(hl, actor, work)
    invalidate(hl)
    code = category.strip() if category and category.strip() else None
    return next(
        v
        for v in list_rules(hl, actor)
        if (v.request_type, v.category_code, v.urgency) == (type_value, code, urgency_value)
    )


# ------------------------------------------------------------------------------------ delete


def delete_rule(
    hl: Hotline,
    actor: Actor,
    request_type: str,
    *,
    category: str | None = None,
    urgency: str | None = None,
) -> RuleView:
    """Remove the rule of a scope (administrators; audited): its orders inherit the limits of
    the next rule up, or the built-in defaults. Returns the rule as it was."""
    require(actor.role, "sla.set", username=actor.username)
    type_value = _choice("request_type", request_type, REQUEST_TYPES)
    urgency_value = _choice("urgency", urgency, URGENCIES)
    code = category.strip() if category and category.strip() else None
    before = next(
        (
            v
            for v in list_rules(hl, actor)
            if (v.request_type, v.category_code, v.urgency) == (type_value, code, urgency_value)
        ),
        None,
    )

    def work(uow: UnitOfWork) -> None:
        scope = (type_value, _category_id(uow.session, code), urgency_value)
        rule = _find(uow.session, *scope)
        if rule is None or before is None:
            raise NotFound(
                "not_found.sla_rule",
                request_type=type_value,
                category=code or "全部",
                urgency=urgency_value,
            )
        uow.record(
            "sla.delete",
            entity="sla_rule",
            entity_id=rule.id,
            entity_version=rule.version,
            data={
                "request_type": scope[0],
                "category_id": scope[1],
                "urgency": scope[2],
                **{name: getattr(rule, name) for name in (*LIMIT_FIELDS, "warn_fraction")},
            },
        )
        uow.session.delete(rule)
        uow.flush()

    uow_module.write(hl, actor, work)
    invalidate(hl)
    assert before is not None
    return before


# ------------------------------------------------------------------------------------ import


def import_rules(hl: Hotline, actor: Actor, path: Path) -> RuleImportResult:
    """Replace the rules named in a CSV file, all-or-nothing (see the module docstring)."""
    require(actor.role, "sla.set", username=actor.username)
    report, sha256, rows = read_rule_rows(path)
    parsed: list[tuple[int, str, str | None, str, dict[str, Any]]] = []
    for line, row in rows:
        try:
            type_value = _choice("request_type", row.get("request_type") or "", REQUEST_TYPES)
            urgency = _choice("urgency", row.get("urgency"), URGENCIES)
            values: dict[str, Any] = {name: _limit(name, row.get(name)) for name in LIMIT_FIELDS}
            values["warn_fraction"] = _fraction(row.get("warn_fraction"))
        except HotlineError as exc:
            report.fail(line, exc.code.replace("validation.", ""), **exc.params)
        category = (row.get("category") or "").strip() or None
        parsed.append((line, type_value, category, urgency, values))

    def work(uow: UnitOfWork) -> RuleImportResult:
        seen: dict[tuple[str, int | None, str], int] = {}
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for line, type_value, category, urgency, values in parsed:
            try:
                scope = (type_value, _category_id(uow.session, category), urgency)
                if scope in seen:
                    report.fail(line, "duplicate_scope", first_line=seen[scope])
                seen[scope] = line
                counts[_apply(uow, scope, values)] += 1
            except (NotFound, ValidationError) as exc:
                reason = "unknown_category" if isinstance(exc, NotFound) else "sla_empty"
                report.fail(line, reason, value=category or "")
        return RuleImportResult(str(path), sha256, **counts)

    result = uow_module.write(hl, actor, work)
    invalidate(hl)
    return result
