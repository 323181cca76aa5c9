"""The lead's reply waits for its co-handlers (DESIGN.md §3): which parts hold it up, and the
refusal that names them.

The lead replies for the order once every co-handler has replied or been released. A co-handler
still to sign, at work, or waiting for the hotline (its return under review, its extension
request to decide) holds the reply up; the refusal is a state error (exit 6) naming each such
department and its state, so the front ends can say what unblocks it: the co-handler's reply,
the hotline's decision, or the dispatcher releasing the part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from db.models import Department
from hotline_tui.domain.errors import IllegalTransition
from hotline_tui.domain.states import ENDED_ASSIGNMENT_STATES, AssignmentRole, AssignmentState

__all__ = ["refuse_lead_reply", "waiting_co_handlers"]

_ANSWERED = (AssignmentState.REPLIED.value, AssignmentState.DONE.value)


class PartLike(Protocol):
    role: str
    state: str
    dept_id: int


P = TypeVar("P", bound=PartLike)


def waiting_co_handlers(parts: Iterable[P]) -> list[P]:
    """The co-handlers' parts the lead's reply still waits for."""
    return [
        a
        for a in parts
        if a.role == AssignmentRole.CO.value
        and a.state not in ENDED_ASSIGNMENT_STATES
        and a.state not in _ANSWERED
    ]


def refuse_lead_reply(session: Session, number: str, waiting: Iterable[PartLike]) -> None:
    """Raise the refusal naming each waiting co-handler: its code, name and state."""
    waiting = list(waiting)
    if not waiting:
        return
    ids = {a.dept_id for a in waiting}
    names = {
        int(i): (str(code), str(short or name))
        for i, code, short, name in session.execute(
            select(
                col(Department.id),
                col(Department.code),
                col(Department.short_name),
                col(Department.name),
            ).where(col(Department.id).in_(ids))
        )
    }
    parts = [
        {
            "dept": names.get(a.dept_id, (str(a.dept_id), ""))[0],
            "dept_name": names.get(a.dept_id, ("", str(a.dept_id)))[1],
            "state": a.state,
        }
        for a in waiting
    ]
    raise IllegalTransition(
        "transition.co_handlers_pending",
        ticket=number,
        pending=[p["dept"] for p in parts],
        parts=parts,
    )
