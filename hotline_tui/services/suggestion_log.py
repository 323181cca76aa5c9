"""The intake suggestions' log: written with the registration, read for ``hotline nlp stats``.

The intake form hands the service what each task's suggestion was (:class:`Offered`: the label,
its probability, whether it filled the field in) with the rest of the call
(:class:`~hotline_tui.services.tickets.intake.Disposition`); :func:`log_op` writes one row per
task in the registration's own transaction, beside the value registered, said as the models
say it (a request-type code, the category's path, the lead department's code), so that a
retraining reads both and :func:`acceptance_between` can count what was kept
(:mod:`hotline_tui.domain.suggestion_log`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from db.models import Category, NlpSuggestion, Ticket
from hotline_tui.domain.permissions import require
from hotline_tui.domain.suggestion_log import TASKS, Acceptance, LoggedSuggestion, acceptance
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

__all__ = ["Offered", "acceptance_between", "log_op", "logged_between"]

LABEL_LENGTH = 400


@dataclass(frozen=True)
class Offered:
    """One task's suggestion as it stood when the operator saved the call."""

    task: str
    label: str
    probability: float
    auto_filled: bool


def _finals(uow: UnitOfWork, ticket: Ticket, lead: str | None) -> dict[str, str | None]:
    path = None
    if ticket.category_id is not None:
        category = uow.session.get(Category, ticket.category_id)
        path = category.path if category is not None else None
    return {"request_type": ticket.request_type, "category": path, "department": lead}


def log_op(uow: UnitOfWork, ticket: Ticket, offered: tuple[Offered, ...], lead: str | None) -> None:
    """One row per task suggested, in the caller's transaction (``lead``: the lead department
    dispatched to, None when the call was not dispatched)."""
    finals = _finals(uow, ticket, lead)
    for item in offered:
        if item.task not in TASKS:
            continue
        uow.session.add(
            NlpSuggestion(
                ticket_id=ticket.id or 0,
                at=uow.now,
                user_id=uow.actor.user_id,
                task=item.task,
                suggested=item.label[:LABEL_LENGTH],
                probability=float(item.probability),
                auto_filled=item.auto_filled,
                final=(finals[item.task] or None),
            )
        )


def logged_between(
    hl: Hotline, actor: Actor, since: datetime, until: datetime
) -> list[LoggedSuggestion]:
    """The rows logged in ``[since, until)``."""
    require(actor.role, "nlp.eval", username=actor.username)
    with hl.reading() as session:
        rows = session.execute(
            select(NlpSuggestion)
            .where(col(NlpSuggestion.at) >= since)
            .where(col(NlpSuggestion.at) < until)
            .order_by(col(NlpSuggestion.id))
        ).scalars()
        return [
            LoggedSuggestion(r.task, r.suggested, r.probability, r.auto_filled, r.final)
            for r in rows
        ]


def acceptance_between(
    hl: Hotline, actor: Actor, since: datetime, until: datetime
) -> list[Acceptance]:
    """The suggestions' acceptance per task and way over ``[since, until)``."""
    return acceptance(logged_between(hl, actor, since, until))
