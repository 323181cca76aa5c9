"""The demo's steps on lightweight records, written in bulk: the ticket services' rules and
audit events, without the ORM.

Where a service operation only changes the order and assignment it is given, it is called as it
is, on records (``sign_op``, ``return_op``, ``request_extension_op``, ``decide_extension_op``,
``urge_op``, ``supervise_op``, ``flag_op``, ``visit_op``, ``close_unsatisfied_op``,
``reopen_op``, ``mark_abusive_op``, ``lead_replied``, and ``move_ticket``/``move_assignment``
with their hand-over counting and ``follow_lead``). Where it asks the database about other rows
(an order's assignments, its supervision items, its merged duplicates) or creates rows, it has a
twin here that asks the :class:`~bulk_store.BulkStore` instead and mirrors the service line by
line: the same transitions from the domain tables, counters, versions, timestamps and audit
events in the same order. ``tests/demo/test_bulk_equivalence.py`` proves the rows and
the audit chain equal to the services'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import text
from sqlmodel import Session

from db.models import Area, Assignment, Category, Ticket
from hotline_tui.demo.bulk_store import BulkStore
from hotline_tui.demo.records import AssignmentRec, TicketRec
from hotline_tui.domain.audit_fields import order_fields
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.intake import IntakeInput, clean_note
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.domain.states import (
    OPEN_ASSIGNMENT_STATES,
    AssignmentRole,
    AssignmentState,
    Ending,
    SupervisionKind,
    TicketState,
)
from hotline_tui.domain.text import order_search_text
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets import due_times
from hotline_tui.services.tickets.co_handlers import refuse_lead_reply, waiting_co_handlers
from hotline_tui.services.tickets.common import (
    DeptRef,
    dept_ref,
    ensure_allowed,
    move_assignment,
    move_ticket,
)
from hotline_tui.services.tickets.dispatch import (
    _distinct_depts,
    close_unsatisfied_op,
    decide_extension_op,
    reopen_op,
)
from hotline_tui.services.tickets.editing import mark_abusive_op
from hotline_tui.services.tickets.handling import request_extension_op, return_op, sign_op
from hotline_tui.services.tickets.intake import resolve_code, ticket_number
from hotline_tui.services.tickets.merging import lead_replied
from hotline_tui.services.tickets.supervision import flag_op, supervise_op, urge_op
from hotline_tui.services.tickets.visits import VisitResult, visit_op
from hotline_tui.services.uow import UnitOfWork

# The services' helpers are typed for ORM objects; records have the same fields.


def _t(ticket: TicketRec) -> Ticket:
    return cast(Ticket, ticket)


def _a(assignment: AssignmentRec) -> Assignment:
    return cast(Assignment, assignment)


class BulkOps:
    """:class:`~ops.DemoOps` over records, many orders per transaction."""

    def __init__(self, hl: Hotline, actor: Actor, now: datetime) -> None:
        self.hl = hl
        self.session = Session(hl.engines.write, expire_on_commit=False, autoflush=False)
        self.store = BulkStore(hl, self.session)
        self.uow = self._new_uow(actor, now)

    def _new_uow(self, actor: Actor, now: datetime) -> UnitOfWork:
        return UnitOfWork(session=cast(Session, self.store.view), actor=actor, now=now, hl=self.hl)

    # -- batches ---------------------------------------------------------------------------

    def act(self, actor: Actor) -> None:
        self.uow.actor = actor

    def begin_step(self, at: datetime) -> None:
        self.uow.now = at

    def commit(self) -> None:
        self.store.commit(self.uow.events)
        self.uow = self._new_uow(self.uow.actor, self.uow.now)

    def finish(self, *, commit: bool) -> None:
        try:
            if commit:
                self.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def analyse(self, *, final: bool) -> None:
        # The store asks the database little during the load: statistics for what comes after.
        if final and self.hl.dialect == "postgresql":
            self.session.execute(text("ANALYZE"))
            self.session.commit()

    # -- questions -------------------------------------------------------------------------

    def assignments_of(self, ticket: TicketRec) -> list[AssignmentRec]:
        return list(self.store.assignments_of(ticket))

    def lead_of(self, ticket: TicketRec) -> AssignmentRec:
        return next(
            a for a in self.store.assignments_of(ticket) if a.id == ticket.lead_assignment_id
        )

    def closed_before(self, cutoff: datetime, first_id: int) -> list[int]:
        return self.store.closed_before(cutoff, first_id)

    def tickets(self, ids: Sequence[int]) -> list[TicketRec]:
        return self.store.load_tickets(ids)

    # -- helpers -----------------------------------------------------------------------------

    def _parts(self, ticket: TicketRec) -> list[AssignmentRec]:
        """``assignments_of`` (by id), each about to change."""
        parts = self.store.assignments_of(ticket)
        self.store.touch_all(parts)
        return parts

    def _waiting_duplicates(self, lead: TicketRec) -> list[TicketRec]:
        """``merging.waiting_duplicates``: the orders merged into ``lead`` still waiting."""
        waiting = sorted(
            (
                child
                for child in self.store.duplicates_of(lead)
                if child.parent_id == lead.id and child.state == TicketState.MERGED.value
            ),
            key=lambda child: child.id,
        )
        lead.duplicates = list(waiting)
        self.store.touch_all(waiting)
        return waiting

    def _release_duplicates(self, lead: TicketRec) -> None:
        """``merging.release_duplicates``."""
        for child in self._waiting_duplicates(lead):
            lead_replied(self.uow, _t(child), _t(lead))

    def _unmerge_duplicates(self, lead: TicketRec) -> None:
        """``merging.unmerge_duplicates``."""
        for child in self._waiting_duplicates(lead):
            child.parent_id = None
            move_ticket(
                self.uow, _t(child), TicketAction.UNMERGE, bump=False, data={"lead": lead.number}
            )
        lead.duplicates = []

    def _new_assignments(
        self, ticket: TicketRec, depts: list[tuple[DeptRef, AssignmentRole]]
    ) -> list[AssignmentRec]:
        """``common.new_assignments`` (with ``refuse_assigned_twice``)."""
        uow = self.uow
        busy = {
            a.dept_id
            for a in self.store.assignments_of(ticket)
            if a.state in OPEN_ASSIGNMENT_STATES
        }
        for dept, _ in depts:
            if dept.id in busy:
                raise ValidationError(
                    "validation.dept_already_assigned", ticket=ticket.number, dept=dept.code
                )
        created = [
            AssignmentRec(
                id=self.store.allocate(AssignmentRec),
                ticket_id=ticket.id,
                dept_id=dept.id,
                role=role.value,
                state=AssignmentState.PENDING_SIGN.value,
                created_at=uow.now,
                dispatched_by=uow.actor.user_id,
            )
            for dept, role in depts
        ]
        for assignment, (dept, role) in zip(created, depts, strict=True):
            self.store.add_assignment(ticket, assignment)
            due_times.on_dispatched(uow.hl, uow.session, _t(ticket), _a(assignment))
            if role is AssignmentRole.LEAD:
                ticket.lead_assignment_id = assignment.id
            uow.record(
                "assign",
                entity="assignment",
                entity_id=assignment.id,
                entity_version=assignment.version,
                ticket_id=ticket.id,
                assignment_id=assignment.id,
                dept_id=dept.id,
                to_state=assignment.state,
                data={"dept": dept.code, "role": role.value},
            )
        return created

    # -- intake ----------------------------------------------------------------------------

    def register(self, intake: IntakeInput) -> TicketRec:
        """``intake.register_op``."""
        uow, store = self.uow, self.store
        caller = store.find_or_create_caller(uow, intake.caller)
        ticket_id = store.allocate(TicketRec)
        body = f"{intake.title} {intake.description}"
        ticket = TicketRec(
            id=ticket_id,
            number=ticket_number(ticket_id, uow.now, self.hl.settings.timezone),
            state=TicketState.REGISTERED.value,
            request_type=intake.request_type,
            urgency=intake.urgency,
            channel=intake.channel,
            category_id=resolve_code(uow, Category, intake.category),
            area_id=resolve_code(uow, Area, intake.area),
            address=intake.address,
            title=intake.title,
            description=intake.description,
            search_text=order_search_text(body, store.segment(body)),  # searchable()
            caller_id=caller.id if caller else None,
            contact_name=intake.caller.name,
            contact_phone=intake.caller.phone,
            callback_phone=intake.callback_phone,
            confidential=intake.confidential,
            kb_article_id=intake.kb_article_id,
            created_at=uow.now,
            registered_by=uow.actor.user_id,
            updated_at=uow.now,
        )
        store.add_ticket(ticket)
        uow.record(
            "register",
            entity="ticket",
            entity_id=ticket.id,
            entity_version=ticket.version,
            ticket_id=ticket.id,
            to_state=ticket.state,
            data={
                "request_type": ticket.request_type,
                "urgency": ticket.urgency,
                "fields": order_fields(self.hl.key.secret, ticket),
            },
        )
        return ticket

    def move(self, ticket: TicketRec, action: TicketAction, *, bump: bool = True) -> None:
        self.store.touch(ticket)
        move_ticket(self.uow, _t(ticket), action, bump=bump)

    def close(self, ticket: TicketRec, action: TicketAction, ending: Ending, note: str) -> None:
        """``intake.close_op``."""
        uow = self.uow
        self.store.touch(ticket)
        for assignment in self._parts(ticket):
            if assignment.state in OPEN_ASSIGNMENT_STATES:
                move_assignment(
                    uow, _t(ticket), _a(assignment), AssignmentAction.CANCEL, bump=False
                )
        move_ticket(uow, _t(ticket), action, note=note, data={"ending": ending.value})
        ticket.ending = ending.value
        ticket.closed_at = uow.now
        if ending is Ending.ANSWERED:
            self._release_duplicates(ticket)  # the duplicates' callers get the same answer
        elif ending in (Ending.WITHDRAWN, Ending.INVALID):
            self._unmerge_duplicates(ticket)

    def answer(self, ticket: TicketRec, text: str) -> None:
        """``intake.answer_op``."""
        self.store.touch(ticket)
        ticket.answer_text = clean_note(text, field_name="answer_text", required=True)
        self.close(ticket, TicketAction.ANSWER, Ending.ANSWERED, note=ticket.answer_text)

    def mark_abusive(self, ticket: TicketRec, note: str) -> None:
        mark_abusive_op(self.uow, _t(ticket), note)

    def merge(self, child: TicketRec, parent: TicketRec, note: str) -> None:
        """``merging.merge_op``."""
        uow = self.uow
        self.store.touch_all((child, parent))
        if parent.id == child.id or parent.parent_id is not None:
            raise ValidationError(
                "validation.merge_target", ticket=child.number, lead=parent.number
            )
        if parent.state in (TicketState.CLOSED, TicketState.ARCHIVED, TicketState.MERGED):
            raise ValidationError(
                "validation.merge_target", ticket=child.number, lead=parent.number
            )
        for assignment in self._parts(child):
            if assignment.state in OPEN_ASSIGNMENT_STATES:
                move_assignment(uow, _t(child), _a(assignment), AssignmentAction.CANCEL, bump=False)
        move_ticket(uow, _t(child), TicketAction.MERGE, note=note, data={"lead": parent.number})
        child.parent_id = parent.id
        duplicates = self.store.duplicates_of(parent)
        duplicates.append(child)
        for grandchild in self._waiting_duplicates(child):
            grandchild.parent_id = parent.id
            duplicates.append(grandchild)
            uow.record(
                "merge_moved",
                entity="ticket",
                entity_id=grandchild.id,
                ticket_id=grandchild.id,
                data={"from": child.number, "lead": parent.number},
            )
        child.duplicates = []
        uow.record(
            "merged_in",
            entity="ticket",
            entity_id=parent.id,
            ticket_id=parent.id,
            data={"duplicate": child.number},
        )
        if parent.state in (TicketState.PENDING_VISIT.value, TicketState.UNSATISFIED.value):
            self._release_duplicates(parent)

    # -- dispatch and the departments' turns --------------------------------------------------

    def dispatch(self, ticket: TicketRec, lead: str, co: Sequence[str]) -> list[AssignmentRec]:
        """``dispatch.dispatch_op`` (without a note: the demo's dispatchers write none)."""
        uow = self.uow
        self.store.touch(ticket)
        co_codes = _distinct_depts(lead, co)
        move_ticket(
            uow,
            _t(ticket),
            TicketAction.DISPATCH,
            note=clean_note(""),
            data={"lead": lead, "co": co_codes},
            handovers=0,
        )
        created = self._new_assignments(
            ticket,
            [(dept_ref(uow, lead), AssignmentRole.LEAD)]
            + [(dept_ref(uow, code), AssignmentRole.CO) for code in co_codes],
        )
        ticket.handover_count += len(created)
        return created

    def sign(self, ticket: TicketRec, assignment: AssignmentRec) -> None:
        self.store.touch_all((ticket, assignment))
        sign_op(self.uow, _t(ticket), _a(assignment))

    def return_(
        self, ticket: TicketRec, assignment: AssignmentRec, reason: str, basis: str
    ) -> None:
        self.store.touch_all((ticket, assignment))
        return_op(self.uow, _t(ticket), _a(assignment), reason, basis)

    def review_return(
        self,
        ticket: TicketRec,
        assignment: AssignmentRec,
        *,
        accept: bool,
        redispatch_to: str | None,
        note: str,
    ) -> None:
        """``dispatch.review_return_op``."""
        uow = self.uow
        self.store.touch_all((ticket, assignment))
        if not accept:
            move_assignment(
                uow, _t(ticket), _a(assignment), AssignmentAction.RETURN_REJECT, note=note
            )
            return
        move_assignment(
            uow,
            _t(ticket),
            _a(assignment),
            AssignmentAction.RETURN_ACCEPT,
            note=note,
            data={"redispatch_to": redispatch_to},
        )
        is_lead = assignment.role == AssignmentRole.LEAD.value
        if redispatch_to is not None:
            target = dept_ref(uow, redispatch_to)
            if target.id == assignment.dept_id:
                raise ValidationError("validation.redispatch_same_dept", dept=redispatch_to)
            if is_lead:
                move_ticket(
                    uow,
                    _t(ticket),
                    TicketAction.REDISPATCH,
                    note=note,
                    data={"lead": redispatch_to},
                )
            else:
                ticket.handover_count += 1
            self._new_assignments(ticket, [(target, AssignmentRole(assignment.role))])
        elif is_lead:
            move_ticket(uow, _t(ticket), TicketAction.REQUEUE, note=note)

    def request_extension(
        self, ticket: TicketRec, assignment: AssignmentRec, days: int, reason: str
    ) -> None:
        self.store.touch_all((ticket, assignment))
        request_extension_op(self.uow, _t(ticket), _a(assignment), days, reason)

    def decide_extension(
        self,
        ticket: TicketRec,
        assignment: AssignmentRec,
        *,
        approve: bool,
        days: int | None,
        note: str,
    ) -> None:
        self.store.touch_all((ticket, assignment))
        decide_extension_op(
            self.uow, _t(ticket), _a(assignment), approve=approve, days=days, note=note
        )

    def reply(self, ticket: TicketRec, assignment: AssignmentRec, text: str) -> None:
        """``handling.reply_op``."""
        uow = self.uow
        self.store.touch_all((ticket, assignment))
        ensure_allowed(uow, _t(ticket), _a(assignment), AssignmentAction.REPLY)
        if assignment.id == ticket.lead_assignment_id:
            waiting = waiting_co_handlers(self.store.assignments_of(ticket))
            refuse_lead_reply(uow.session, ticket.number, waiting)
        assignment.reply_text = text
        assignment.replied_at = uow.now
        move_assignment(uow, _t(ticket), _a(assignment), AssignmentAction.REPLY, note=text)

    def release(self, ticket: TicketRec, assignment: AssignmentRec, note: str) -> None:
        self.store.touch_all((ticket, assignment))
        move_assignment(self.uow, _t(ticket), _a(assignment), AssignmentAction.RELEASE, note=note)

    # -- flags beside the state --------------------------------------------------------------

    def urge(self, ticket: TicketRec, assignment: AssignmentRec, note: str) -> None:
        self.store.touch_all((ticket, assignment))
        urge_op(self.uow, _t(ticket), _a(assignment), note)

    def supervise(self, ticket: TicketRec, assignment: AssignmentRec, note: str) -> None:
        self.store.touch_all((ticket, assignment))
        supervise_op(self.uow, _t(ticket), _a(assignment), note)

    def supervise_reply(self, ticket: TicketRec, assignment: AssignmentRec, answer: str) -> None:
        """``supervision.supervise_reply_op``."""
        uow, store = self.uow, self.store
        store.touch_all((ticket, assignment))
        items = store.supervisions_of(ticket)
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
        store.touch(open_item)
        open_item.answer, open_item.answered_at = answer, uow.now
        open_item.answered_by = uow.actor.user_id
        move_assignment(
            uow, _t(ticket), _a(assignment), AssignmentAction.SUPERVISE_REPLY, note=answer
        )
        ticket.supervised = any(
            s.kind == SupervisionKind.SUPERVISE.value and s.answered_at is None for s in items
        )

    def flag(self, ticket: TicketRec, kind: SupervisionKind, note: str) -> None:
        self.store.touch(ticket)
        flag_op(self.uow, _t(ticket), kind, note)

    # -- review, visit, and after -------------------------------------------------------------

    def review(self, ticket: TicketRec, *, passed: bool, note: str) -> None:
        """``dispatch.review_op``."""
        uow = self.uow
        self.store.touch(ticket)
        if passed:
            move_ticket(uow, _t(ticket), TicketAction.REVIEW_PASS, note=note)
            ticket.visit_attempts = 0  # a new round of return visits begins
            for assignment in self._parts(ticket):
                if assignment.state == AssignmentState.REPLIED.value:
                    move_assignment(
                        uow, _t(ticket), _a(assignment), AssignmentAction.REVIEW_PASS, bump=False
                    )
            self._release_duplicates(ticket)
        else:
            move_ticket(uow, _t(ticket), TicketAction.REVIEW_FAIL, note=note)
            lead = self.lead_of(ticket)
            self.store.touch(lead)
            move_assignment(
                uow, _t(ticket), _a(lead), AssignmentAction.REVIEW_FAIL, note=note, bump=False
            )

    def visit(self, ticket: TicketRec, result: VisitResult) -> None:
        self.store.touch(ticket)
        visit_op(self.uow, _t(ticket), result)

    def close_unsatisfied(self, ticket: TicketRec, note: str) -> None:
        self.store.touch(ticket)
        close_unsatisfied_op(self.uow, _t(ticket), note)

    def redo(self, ticket: TicketRec, co_depts: Sequence[str], note: str) -> None:
        """``dispatch.redo_op``."""
        uow = self.uow
        self.store.touch(ticket)
        move_ticket(
            uow, _t(ticket), TicketAction.REDO, note=note, data={"co": list(co_depts)}, handovers=0
        )
        parts = self._parts(ticket)
        lead = next((a for a in parts if a.id == ticket.lead_assignment_id), None)
        if lead is None or lead.state != AssignmentState.DONE.value:
            # A merged duplicate has no department of its own: redo its lead order instead.
            parent = self.store.tickets.get(ticket.parent_id) if ticket.parent_id else None
            raise ValidationError(
                "validation.redo_no_lead",
                ticket=ticket.number,
                lead=parent.number if parent else "",
            )
        ticket.redo_count += 1
        ticket.visit_due_at = None
        picked = {dept_ref(uow, code).id for code in co_depts}
        # Newest first: after a reopen, a department's current part is redone, not its old one.
        for assignment in reversed(parts):
            is_lead = assignment.id == ticket.lead_assignment_id
            if assignment.state == AssignmentState.DONE.value and (
                is_lead or assignment.dept_id in picked
            ):
                move_assignment(
                    uow, _t(ticket), _a(assignment), AssignmentAction.REDO, note=note, bump=False
                )
                assignment.redo_count += 1
                ticket.handover_count += 1
                picked.discard(assignment.dept_id)
        if picked:
            raise ValidationError("validation.redo_dept", ticket=ticket.number)

    def reopen(self, ticket: TicketRec, note: str) -> None:
        self.store.touch(ticket)
        reopen_op(self.uow, _t(ticket), note)
