"""Work orders (工单), their callers, department assignments, supervision flags (with whom they
are addressed to), return-visit attempts and materials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, Relationship, SQLModel

from db.models.base import partial_index, state_in, utc_field
from db.types import one_of
from hotline_tui.domain.clock import CLOCK_RUNNING_STATES
from hotline_tui.domain.states import (
    AssignmentRole,
    AssignmentState,
    CallerKind,
    Ending,
    RequestType,
    Resolution,
    ReturnReason,
    Satisfaction,
    SupervisionKind,
    TicketState,
    Urgency,
    VisitContact,
    values,
)

CALLER_SIZES = ["micro", "small", "medium", "large"]
# The partial indexes of the time-limit queries (overdue, near due, sign overdue, visit due):
# assignments whose completion clock runs, assignments waiting to be signed, orders to call back.
CLOCK_RUNNING = state_in(CLOCK_RUNNING_STATES)
TO_SIGN = "state = 'pending_sign'"
TO_VISIT = "state = 'pending_visit'"
WITHDRAWAL_ASKED = "withdraw_requested_at IS NOT NULL"
# The hotline's own steps (domain.hotline_steps): orders waiting for dispatch, parts waiting for
# the hotline's decision on a return or an extension request.
TO_DISPATCH = "state = 'pending_dispatch'"
IN_REVIEW = "state IN ('return_review', 'extension_review')"


class Caller(SQLModel, table=True):
    """A person, an enterprise (with its unified social credit code) or an anonymous caller."""

    __tablename__ = "caller"
    __table_args__ = (
        one_of("kind", values(CallerKind)),
        one_of("size", CALLER_SIZES, nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    name: str = Field(default="", max_length=200)
    id_number: str | None = Field(default=None, max_length=18, index=True)
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    industry: str | None = Field(default=None, max_length=100)
    size: str | None = Field(default=None, max_length=16)
    area_id: int | None = Field(default=None, foreign_key="area.id")
    abusive: bool = False
    abusive_note: str | None = Field(default=None, max_length=500)
    created_at: datetime = utc_field()
    version: int = 1


class CallerPhone(SQLModel, table=True):
    """A phone number known for a caller (a caller may have several)."""

    __tablename__ = "caller_phone"
    __table_args__ = (UniqueConstraint("phone", "caller_id"),)

    id: int | None = Field(default=None, primary_key=True)
    caller_id: int = Field(foreign_key="caller.id", index=True)
    phone: str = Field(max_length=32)

    # Never read: declared so that one flush writes a new caller before its phone (the unit
    # of work orders inserts by relationships, not by foreign keys alone).
    caller: Caller = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class Ticket(SQLModel, table=True):
    """A work order from intake to archive. ``version`` guards the order's own fields."""

    __tablename__ = "ticket"
    __table_args__ = (
        one_of("state", values(TicketState)),
        one_of("ending", values(Ending), nullable=True),
        one_of("request_type", values(RequestType)),
        one_of("urgency", values(Urgency)),
        one_of("visit_resolution", values(Resolution), nullable=True),
        one_of("visit_satisfaction", values(Satisfaction), nullable=True),
        Index("ix_ticket_contact_phone_id", "contact_phone", "id"),
        Index("ix_ticket_state_created_at", "state", "created_at"),
        partial_index("ix_ticket_visit_due", "visit_due_at", where=TO_VISIT),
        partial_index(
            "ix_ticket_withdraw_requested", "withdraw_requested_at", where=WITHDRAWAL_ASKED
        ),
        partial_index(
            "ix_ticket_dispatch_due", "dispatch_due_at", "dispatch_warn_at", where=TO_DISPATCH
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    state: str = Field(max_length=20)
    ending: str | None = Field(default=None, max_length=20)
    request_type: str = Field(max_length=16)
    urgency: str = Field(default=Urgency.NORMAL.value, max_length=16)
    channel: str = Field(default="phone", max_length=16)
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    area_id: int | None = Field(default=None, foreign_key="area.id")
    address: str = Field(default="", max_length=300)
    title: str = Field(default="", max_length=200)
    description: str = Field(sa_column=Column(Text, nullable=False))
    # Title and description as jieba's words and character bigrams (domain.text.order_search_text),
    # indexed by FTS5 (SQLite) or a tsvector (PostgreSQL).
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    caller_id: int | None = Field(default=None, foreign_key="caller.id", index=True)
    contact_name: str = Field(default="", max_length=100)
    contact_phone: str | None = Field(default=None, max_length=32)
    # 回拨号码: where the caller wants to be called back, when not the number they called from.
    callback_phone: str | None = Field(default=None, max_length=32)
    confidential: bool = False
    kb_article_id: int | None = Field(default=None)
    answer_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    parent_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    lead_assignment_id: int | None = Field(default=None)
    created_at: datetime = utc_field()
    registered_by: int = Field(foreign_key="user_account.id")
    updated_at: datetime = utc_field()
    closed_at: datetime | None = utc_field(nullable=True)
    handover_count: int = 0
    redo_count: int = 0
    reopen_count: int = 0
    visit_attempts: int = 0
    visit_resolution: str | None = Field(default=None, max_length=16)
    visit_satisfaction: str | None = Field(default=None, max_length=16)
    # When the caller was last found unreachable in this round of visits: the next try waits
    # ``visit_retry_gap_minutes`` after it (every attempt is kept in ``visit_attempt``).
    visit_unreachable_at: datetime | None = utc_field(nullable=True)
    urge_count: int = 0
    supervised: bool = False
    escalated: bool = False
    consulted: bool = False
    # When the order must be dispatched (派单) and called back (回访); see domain.limits.
    dispatch_due_at: datetime | None = utc_field(nullable=True)
    visit_due_at: datetime | None = utc_field(nullable=True)
    # When the dispatch queue item turns yellow (domain.hotline_steps).
    dispatch_warn_at: datetime | None = utc_field(nullable=True)
    # 撤单申请: an operator asked to withdraw a dispatched order; a dispatcher confirms or
    # rejects it (then these are cleared).
    withdraw_requested_at: datetime | None = utc_field(nullable=True)
    withdraw_requested_by: int | None = None  # a user's id (no foreign key: added in place)
    withdraw_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = 1

    # Never read: so that one flush writes a new caller before the order (see CallerPhone).
    caller: Caller = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class Assignment(SQLModel, table=True):
    """One department's part of an order, lead (主办) or co-handler (协办), with its own state.

    ``version`` guards the assignment's own actions, separately from the order's fields.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        one_of("role", values(AssignmentRole)),
        one_of("state", values(AssignmentState)),
        one_of("return_reason", values(ReturnReason), nullable=True),
        Index("ix_assignment_dept_state_due", "dept_id", "state", "due_at"),
        partial_index(
            "ix_assignment_open_due",
            "due_at",
            "dept_id",
            # warn_at and state: the near-due and overdue boards read the index alone (SQLite
            # counts a column of the partial index's predicate as one the query needs).
            "warn_at",
            "state",
            where=CLOCK_RUNNING,
        ),
        partial_index("ix_assignment_sign_due", "sign_due_at", "dept_id", "state", where=TO_SIGN),
        partial_index(
            "ix_assignment_review_due",
            "review_due_at",
            "review_warn_at",
            "state",
            where=IN_REVIEW,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    dept_id: int = Field(foreign_key="department.id")
    role: str = Field(max_length=8)
    state: str = Field(max_length=20)
    created_at: datetime = utc_field()
    dispatched_by: int = Field(foreign_key="user_account.id")
    signed_at: datetime | None = utc_field(nullable=True)
    replied_at: datetime | None = utc_field(nullable=True)
    reply_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    return_reason: str | None = Field(default=None, max_length=20)
    return_basis: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    return_count: int = 0
    extension_days_requested: int | None = None
    extension_reason: str | None = Field(default=None, max_length=500)
    extension_days_granted: int = 0
    redo_count: int = 0
    # Due times; the time-limit rules fill them (``provisional``: the year's calendar is missing).
    sign_due_at: datetime | None = utc_field(nullable=True)
    due_at: datetime | None = utc_field(nullable=True)
    warn_at: datetime | None = utc_field(nullable=True)
    provisional: bool = False
    # The inputs the due times are recomputed from (domain.limits.ClockInputs): when the
    # completion clock started, the limits applied ("5wd"), the clock's pause so far.
    clock_started_at: datetime | None = utc_field(nullable=True)
    time_limit: str | None = Field(default=None, max_length=12)
    sign_limit: str | None = Field(default=None, max_length=12)
    paused_at: datetime | None = utc_field(nullable=True)
    paused_seconds: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    ended_at: datetime | None = utc_field(nullable=True)
    # While a return or an extension request waits for the hotline: when the hotline's
    # decision is due and when it turns yellow (domain.hotline_steps); cleared once decided.
    review_due_at: datetime | None = utc_field(nullable=True)
    review_warn_at: datetime | None = utc_field(nullable=True)
    # The department's own windows (domain.part_limits), fixed at dispatch from the order's rule
    # and recomputed when its urgency changes: the return window ("2wd") and its end, whether
    # the last return came after it (超时退单, under ``return_after_window = "review"``), the
    # extension cap ("10wd", on the total granted) and the requests made so far.
    return_limit: str | None = Field(default=None, max_length=12)
    return_due_at: datetime | None = utc_field(nullable=True)
    return_late: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    extension_limit: str | None = Field(default=None, max_length=12)
    extension_requests: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    version: int = 1

    # Never read: so that one flush writes a new order before its assignments (see CallerPhone).
    ticket: Ticket = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class Supervision(SQLModel, table=True):
    """催办 / 督办 / 提级 / 会商: an event beside the state, with its answer.

    A 督办's answer is the department's; a 提级's or 会商's is its outcome (结果), recorded by the
    hotline by ``due_at``. Whom it is addressed to is in ``supervision_party``.
    """

    __tablename__ = "supervision"
    __table_args__ = (one_of("kind", values(SupervisionKind)),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    kind: str = Field(max_length=16)
    note: str = Field(default="", max_length=1000)
    created_at: datetime = utc_field()
    created_by: int = Field(foreign_key="user_account.id")
    answer: str | None = Field(default=None, max_length=2000)
    answered_at: datetime | None = utc_field(nullable=True)
    answered_by: int | None = Field(default=None, foreign_key="user_account.id")
    # 提级 / 会商: when the outcome is due (working days from the setting).
    due_at: datetime | None = utc_field(nullable=True)


class SupervisionParty(SQLModel, table=True):
    """Whom a supervision is addressed to, and that party's notice.

    A department urged or supervised by hand, the departments and the leader of a 提级 or a
    会商. ``seq`` is the audit event of the act: the console polls notices by it, beside the
    scheduler's steps (:mod:`hotline_tui.services.tickets.notices`). A department named here may
    read the order (it has to, to take part).
    """

    __tablename__ = "supervision_party"
    __table_args__ = (
        Index("ix_supervision_party_dept_id_seq", "dept_id", "seq"),
        Index("ix_supervision_party_ticket_id_dept_id", "ticket_id", "dept_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    supervision_id: int = Field(foreign_key="supervision.id", index=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    dept_id: int | None = Field(default=None, foreign_key="department.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True, index=True))


class VisitAttempt(SQLModel, table=True):
    """One return-visit call (回访) and what came of it; the order keeps the latest as summary."""

    __tablename__ = "visit_attempt"
    __table_args__ = (
        one_of("contact", values(VisitContact)),
        one_of("resolution", values(Resolution), nullable=True),
        one_of("satisfaction", values(Satisfaction), nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    attempt: int  # the order's ``visit_attempts`` after this one (its number in the round)
    made_at: datetime = utc_field()
    made_by: int = Field(foreign_key="user_account.id")
    contact: str = Field(max_length=16)
    resolution: str | None = Field(default=None, max_length=16)
    satisfaction: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=20)  # the transition it made (visit_give_up …)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Material(SQLModel, table=True):
    """An attachment stored once per order and visible to every department on it."""

    __tablename__ = "material"
    __table_args__ = (UniqueConstraint("ticket_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    filename: str = Field(max_length=255)
    media_type: str = Field(default="application/octet-stream", max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    note: str = Field(default="", max_length=500)
    uploaded_by: int = Field(foreign_key="user_account.id")
    uploaded_at: datetime = utc_field()
