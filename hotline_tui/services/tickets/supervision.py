"""催办, 督办 (with the department's answer), 提级 and 会商 (with their outcome): events beside
the state, each addressed to its parties (:mod:`hotline_tui.services.tickets.parties`).

A supervisor's own 催办 or 督办 reaches the department's notices as the scheduler's does (the
same step, the same audience). A 提级 (to a leader) or 会商 (of departments) names its
participants and gets a due time (``coordination_due_days`` working days, or the days given);
its outcome is recorded later (:func:`record_result`: who, when, what), audited, and shown with
it until then as waiting.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from db.models import Assignment, Supervision, Ticket
from db.models.base import text_limit
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.intake import clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction, ticket_step
from hotline_tui.domain.limits import Limit, Unit
from hotline_tui.domain.states import AssignmentState, SupervisionKind
from hotline_tui.domain.text import clean_text
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import move_assignment, move_ticket
from hotline_tui.services.tickets.handling import assignment_action
from hotline_tui.services.tickets.intake import Registered, order_action
from hotline_tui.services.tickets.parties import Parties, add_item, notify, resolve_parties
from hotline_tui.services.tickets.timelimits import calendar_for
from hotline_tui.services.uow import UnitOfWork

MAX_DUE_DAYS = 60
_NOTE_MAX = text_limit(Supervision, "note")
_ANSWER_MAX = text_limit(Supervision, "answer")  # a 督办's answer, a 提级's or 会商's outcome
_LIVE = (
    AssignmentState.PENDING_SIGN.value,
    AssignmentState.IN_PROGRESS.value,
    AssignmentState.EXTENSION_REVIEW.value,
    AssignmentState.RETURN_REVIEW.value,
)
_RESULTS = {
    SupervisionKind.ESCALATE: TicketAction.ESCALATE_RESULT,
    SupervisionKind.CONSULT: TicketAction.CONSULT_RESULT,
}


def urge_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment, note: str) -> Supervision:
    move_assignment(uow, ticket, assignment, AssignmentAction.URGE, note=note)
    ticket.urge_count += 1
    return add_item(uow, ticket, assignment, SupervisionKind.URGE, note)


def _told(uow: UnitOfWork, assignment: Assignment, act: Supervision, mark: int) -> None:
    """A hand-given step reaches the department's notices (the scheduler's are its steps)."""
    notify(uow, act, mark, Parties((assignment.dept_id,)))


def urge(
    hl: Hotline,
    actor: Actor,
    number: str,
    note: str = "",
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """催办 a department (the lead unless named); its handlers are told."""
    text = clean_note(note, max_length=_NOTE_MAX)

    def apply(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> None:
        mark = len(uow.events)
        _told(uow, assignment, urge_op(uow, ticket, assignment, text), mark)

    return assignment_action(
        hl, actor, number, "urge", apply, dept=dept, states=_LIVE, if_version=if_version
    )


def supervise_op(uow: UnitOfWork, ticket: Ticket, assignment: Assignment, note: str) -> Supervision:
    move_assignment(uow, ticket, assignment, AssignmentAction.SUPERVISE, note=note)
    ticket.supervised = True
    return add_item(uow, ticket, assignment, SupervisionKind.SUPERVISE, note)


def supervise(
    hl: Hotline,
    actor: Actor,
    number: str,
    note: str,
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    """督办: the department must answer it (``supervise_reply``); its handlers are told."""
    text = clean_note(note, required=True, max_length=_NOTE_MAX)

    def apply(uow: UnitOfWork, ticket: Ticket, assignment: Assignment) -> None:
        mark = len(uow.events)
        _told(uow, assignment, supervise_op(uow, ticket, assignment, text), mark)

    return assignment_action(
        hl, actor, number, "supervise", apply, dept=dept, states=_LIVE, if_version=if_version
    )


def supervise_reply_op(
    uow: UnitOfWork, ticket: Ticket, assignment: Assignment, answer: str
) -> None:
    items = uow.store.supervision_items(ticket)
    open_item = next(
        (
            s
            for s in items
            if s.assignment_id == assignment.id
            and s.kind == SupervisionKind.SUPERVISE.value
            and s.answered_at is None
        ),
        None,
    )
    if open_item is None:
        raise NotFound("not_found.supervision", ticket=ticket.number)
    open_item.answer, open_item.answered_at = answer, uow.now
    open_item.answered_by = uow.actor.user_id
    move_assignment(uow, ticket, assignment, AssignmentAction.SUPERVISE_REPLY, note=answer)
    ticket.supervised = any(
        s.kind == SupervisionKind.SUPERVISE.value and s.answered_at is None for s in items
    )


def supervise_reply(
    hl: Hotline,
    actor: Actor,
    number: str,
    answer: str,
    *,
    dept: str | None = None,
    if_version: int | None = None,
) -> Registered:
    text = clean_note(answer, field_name="answer", required=True, max_length=_ANSWER_MAX)
    return assignment_action(
        hl,
        actor,
        number,
        "supervise_reply",
        lambda uow, t, a: supervise_reply_op(uow, t, a, text),
        dept=dept,
        if_version=if_version,
    )


# ------------------------------------------------------------------------------ 提级 and 会商


def due_days(hl: Hotline, days: int | None) -> int:
    """The working days a 提级's or 会商's outcome is due in: given, or the setting."""
    chosen = hl.settings.coordination_due_days if days is None else days
    if not 1 <= chosen <= MAX_DUE_DAYS:
        raise ValidationError("validation.due_days", days=days, max=MAX_DUE_DAYS)
    return chosen


def _flag_action(kind: SupervisionKind) -> TicketAction:
    return TicketAction.ESCALATE if kind is SupervisionKind.ESCALATE else TicketAction.CONSULT


def flag_op(
    uow: UnitOfWork,
    ticket: Ticket,
    kind: SupervisionKind,
    note: str,
    *,
    days: int | None = None,
    parties: Parties | None = None,
) -> Supervision:
    """Flag the order 提级 or 会商, with the outcome due in ``days`` working days (the audit
    event names the ``parties`` told)."""
    chosen = due_days(uow.hl, days)
    due = calendar_for(uow.hl).add(uow.now, Limit(chosen, Unit.WD)).at
    data: dict[str, object] = {"due_at": due.isoformat()}
    if parties is not None:
        data["dept_ids"] = list(parties.dept_ids)
        data["leader_id"] = parties.leader_id
    move_ticket(uow, ticket, _flag_action(kind), note=note, data=data)
    if kind is SupervisionKind.ESCALATE:
        ticket.escalated = True
    else:
        ticket.consulted = True
    return add_item(uow, ticket, None, kind, note, due_at=due)


def _coordinate(
    hl: Hotline,
    actor: Actor,
    number: str,
    kind: SupervisionKind,
    note: str,
    depts: Sequence[str],
    leader: str | None,
    days: int | None,
    if_version: int | None,
) -> Registered:
    text = clean_note(note, required=True, max_length=_NOTE_MAX)
    due_days(hl, days)  # a wrong number is refused before anything is read

    def apply(uow: UnitOfWork, ticket: Ticket) -> None:
        ticket_step(ticket.number, ticket.state, _flag_action(kind))  # the state's refusal first
        parties = resolve_parties(uow, ticket, depts, leader, kind=kind)
        mark = len(uow.events)
        item = flag_op(uow, ticket, kind, text, days=days, parties=parties)
        notify(uow, item, mark, parties)

    return order_action(hl, actor, number, kind.value, if_version, apply)


def escalate(
    hl: Hotline,
    actor: Actor,
    number: str,
    note: str,
    *,
    leader: str | None = None,
    depts: Sequence[str] = (),
    days: int | None = None,
    if_version: int | None = None,
) -> Registered:
    """提级: a major case to a leader (``leader``, a supervisor's or administrator's username),
    with the departments concerned (``depts``, else those still working on it)."""
    kind = SupervisionKind.ESCALATE
    return _coordinate(hl, actor, number, kind, note, depts, leader, days, if_version)


def consult(
    hl: Hotline,
    actor: Actor,
    number: str,
    note: str,
    *,
    depts: Sequence[str] = (),
    leader: str | None = None,
    days: int | None = None,
    if_version: int | None = None,
) -> Registered:
    """会商: a joint consultation of the departments concerned (``depts``, else those still
    working on the order), a leader optionally taking part."""
    kind = SupervisionKind.CONSULT
    return _coordinate(hl, actor, number, kind, note, depts, leader, days, if_version)


def record_result_op(uow: UnitOfWork, ticket: Ticket, kind: SupervisionKind, text: str) -> None:
    """The outcome of the oldest 提级 (or 会商) of the order still waiting for one."""
    ticket_step(ticket.number, ticket.state, _RESULTS[kind])  # the state's refusal comes first
    item = uow.session.exec(
        select(Supervision)
        .where(
            Supervision.ticket_id == ticket.id,
            Supervision.kind == kind.value,
            col(Supervision.answered_at).is_(None),
        )
        .order_by(col(Supervision.id))
        .limit(1)
    ).one_or_none()
    if item is None:
        raise NotFound("not_found.coordination", ticket=ticket.number, kind=kind.value)
    item.answer, item.answered_at, item.answered_by = text, uow.now, uow.actor.user_id
    move_ticket(uow, ticket, _RESULTS[kind], note=text, data={"supervision": item.id})


def record_result(
    hl: Hotline,
    actor: Actor,
    number: str,
    kind: SupervisionKind,
    text: str,
    *,
    if_version: int | None = None,
) -> Registered:
    """提级结果 / 会商结果: what the leader or the meeting decided."""
    if kind not in _RESULTS:
        allowed = [k.value for k in _RESULTS]
        raise ValidationError("validation.choice", field="kind", value=kind.value, allowed=allowed)
    outcome = clean_text(text or "", max_length=_ANSWER_MAX, field="result")
    if not outcome:
        raise ValidationError("validation.required", field="result")
    return order_action(
        hl,
        actor,
        number,
        _RESULTS[kind].value,
        if_version,
        lambda uow, t: record_result_op(uow, t, kind, outcome),
    )
