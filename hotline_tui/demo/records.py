"""Lightweight rows for the demo's bulk write path (:mod:`bulk_store`, :mod:`bulk_ops`).

Each record has the field names and defaults of its table model (``db.models``), so the ticket
services' operations (``register_op``, ``move_ticket``, ``sign_op``, ``visit_op`` …) work on
it by duck typing, without the cost of an ORM object: no validation, no attribute
instrumentation, no session. The store writes the rows with Core ``INSERT``/``UPDATE``
executemany, with column lists taken from the tables, so a column added to a model is written
too once its field is here (``tests/demo/test_bulk_equivalence.py`` checks that every
column has a field with the model's default).

Besides the columns, a record knows whether its row is in the database yet (``stored``) and, for
an order, its assignments, supervision items and the duplicates merged into it, so that the
demo never asks the database what it wrote itself. ``None`` there means "not loaded" (an order
read back from the database by the archive job, which needs none of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hotline_tui.domain.states import Urgency

NOT_COLUMNS = frozenset({"stored", "assignments", "supervisions", "duplicates"})
"""Record fields that are not columns of the table."""


@dataclass(slots=True, eq=False, weakref_slot=True)
class CallerRec:
    """A row of ``caller``."""

    id: int
    kind: str
    created_at: datetime
    name: str = ""
    id_number: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    size: str | None = None
    area_id: int | None = None
    abusive: bool = False
    abusive_note: str | None = None
    version: int = 1
    stored: bool = False


@dataclass(slots=True, eq=False, weakref_slot=True)
class CallerPhoneRec:
    """A row of ``caller_phone``."""

    id: int
    caller_id: int
    phone: str
    stored: bool = False


@dataclass(slots=True, eq=False, weakref_slot=True)
class AssignmentRec:
    """A row of ``assignment``."""

    id: int
    ticket_id: int
    dept_id: int
    role: str
    state: str
    created_at: datetime
    dispatched_by: int
    signed_at: datetime | None = None
    replied_at: datetime | None = None
    reply_text: str | None = None
    return_reason: str | None = None
    return_basis: str | None = None
    return_count: int = 0
    extension_days_requested: int | None = None
    extension_reason: str | None = None
    extension_days_granted: int = 0
    redo_count: int = 0
    sign_due_at: datetime | None = None
    due_at: datetime | None = None
    warn_at: datetime | None = None
    provisional: bool = False
    clock_started_at: datetime | None = None
    time_limit: str | None = None
    sign_limit: str | None = None
    paused_at: datetime | None = None
    paused_seconds: int = 0
    ended_at: datetime | None = None
    review_due_at: datetime | None = None
    review_warn_at: datetime | None = None
    return_limit: str | None = None
    return_due_at: datetime | None = None
    return_late: bool = False
    extension_limit: str | None = None
    extension_requests: int = 0
    version: int = 1
    stored: bool = False


@dataclass(slots=True, eq=False, weakref_slot=True)
class SupervisionRec:
    """A row of ``supervision``."""

    id: int
    ticket_id: int
    kind: str
    created_at: datetime
    created_by: int
    assignment_id: int | None = None
    note: str = ""
    answer: str | None = None
    answered_at: datetime | None = None
    answered_by: int | None = None
    due_at: datetime | None = None
    stored: bool = False


@dataclass(slots=True, eq=False, weakref_slot=True)
class VisitAttemptRec:
    """A row of ``visit_attempt``."""

    id: int
    ticket_id: int
    attempt: int
    made_at: datetime
    made_by: int
    contact: str
    action: str
    resolution: str | None = None
    satisfaction: str | None = None
    note: str = ""
    stored: bool = False


@dataclass(slots=True, eq=False, weakref_slot=True)
class TicketRec:
    """A row of ``ticket``, with what the demo knows about the order beside it."""

    id: int
    number: str
    state: str
    request_type: str
    description: str
    created_at: datetime
    registered_by: int
    updated_at: datetime
    ending: str | None = None
    urgency: str = Urgency.NORMAL.value
    channel: str = "phone"
    category_id: int | None = None
    area_id: int | None = None
    address: str = ""
    title: str = ""
    search_text: str = ""
    caller_id: int | None = None
    contact_name: str = ""
    contact_phone: str | None = None
    callback_phone: str | None = None
    confidential: bool = False
    kb_article_id: int | None = None
    answer_text: str | None = None
    parent_id: int | None = None
    lead_assignment_id: int | None = None
    closed_at: datetime | None = None
    handover_count: int = 0
    redo_count: int = 0
    reopen_count: int = 0
    visit_attempts: int = 0
    visit_resolution: str | None = None
    visit_satisfaction: str | None = None
    visit_unreachable_at: datetime | None = None
    urge_count: int = 0
    supervised: bool = False
    escalated: bool = False
    consulted: bool = False
    dispatch_due_at: datetime | None = None
    visit_due_at: datetime | None = None
    dispatch_warn_at: datetime | None = None
    withdraw_requested_at: datetime | None = None
    withdraw_requested_by: int | None = None
    withdraw_note: str | None = None
    version: int = 1
    stored: bool = False
    # The order's assignments and supervision items (by id), and the orders merged into it.
    assignments: list[AssignmentRec] | None = field(default_factory=list)
    supervisions: list[SupervisionRec] | None = field(default_factory=list)
    duplicates: list[TicketRec] | None = field(default_factory=list)


Record = TicketRec | AssignmentRec | CallerRec | CallerPhoneRec | SupervisionRec | VisitAttemptRec
