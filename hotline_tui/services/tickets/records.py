"""An order's supervisions (with their parties and outcomes) and return-visit calls, as views
for ``ticket show`` and the console's order view (:func:`queries.show`)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, select

from db.models import Department, Supervision, SupervisionParty, User, VisitAttempt
from hotline_tui.services.tickets.views import SupervisionView, VisitAttemptView

__all__ = ["supervision_views", "visit_views"]


def _usernames(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.username).where(col(User.id).in_(ids)))
    return {int(ident or 0): str(name) for ident, name in rows}


def supervision_views(
    session: Session, ticket_id: int, part_depts: Mapping[int, str]
) -> list[SupervisionView]:
    """The order's supervisions, oldest first; ``part_depts``: assignment id → department code."""
    items = list(
        session.exec(
            select(Supervision)
            .where(Supervision.ticket_id == ticket_id)
            .order_by(col(Supervision.id))
        )
    )
    parties = list(
        session.exec(
            select(SupervisionParty)
            .where(SupervisionParty.ticket_id == ticket_id)
            .order_by(col(SupervisionParty.id))
        )
    )
    dept_ids = {p.dept_id for p in parties if p.dept_id is not None}
    codes = (
        {
            int(ident or 0): str(code)
            for ident, code in session.exec(
                select(Department.id, Department.code).where(col(Department.id).in_(dept_ids))
            )
        }
        if dept_ids
        else {}
    )
    users = _usernames(
        session,
        {s.created_by for s in items}
        | {s.answered_by for s in items if s.answered_by is not None}
        | {p.user_id for p in parties if p.user_id is not None},
    )
    by_item: dict[int, list[SupervisionParty]] = {}
    for party in parties:
        by_item.setdefault(party.supervision_id, []).append(party)
    views = []
    for s in items:
        mine = by_item.get(s.id or 0, [])
        leader = next((users.get(p.user_id) for p in mine if p.user_id is not None), None)
        views.append(
            SupervisionView(
                kind=s.kind,
                dept=part_depts.get(s.assignment_id or 0),
                note=s.note,
                created_at=s.created_at,
                answer=s.answer,
                answered_at=s.answered_at,
                created_by=users.get(s.created_by, ""),
                answered_by=users.get(s.answered_by) if s.answered_by is not None else None,
                due_at=s.due_at,
                depts=[codes[p.dept_id] for p in mine if p.dept_id in codes],
                leader=leader,
            )
        )
    return views


def visit_views(session: Session, ticket_id: int) -> list[VisitAttemptView]:
    """Every return-visit call of the order, oldest first."""
    attempts = list(
        session.exec(
            select(VisitAttempt)
            .where(VisitAttempt.ticket_id == ticket_id)
            .order_by(col(VisitAttempt.id))
        )
    )
    users = _usernames(session, {a.made_by for a in attempts})
    return [
        VisitAttemptView(
            attempt=a.attempt,
            at=a.made_at,
            by=users.get(a.made_by, ""),
            contact=a.contact,
            resolution=a.resolution,
            satisfaction=a.satisfaction,
            action=a.action,
            note=a.note,
        )
        for a in attempts
    ]
