"""Immutable views of orders for the front ends, with personal data masked by role."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from hotline_tui.domain import permissions
from hotline_tui.domain.clock import shown_due
from hotline_tui.domain.limits import Limit, default_limits
from hotline_tui.domain.validation import mask_phone, mask_resident_id
from hotline_tui.services.context import Actor


@dataclass(frozen=True)
class CallerView:
    kind: str
    name: str
    phone: str | None
    id_number: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    size: str | None = None
    abusive: bool = False
    masked: bool = False
    callback_phone: str | None = None  # 回拨号码, masked like the phone


@dataclass(frozen=True)
class ContactView:
    """Whom a call back reaches, as the reader may see it (a work list's row: no lookup of the
    caller's record). ``hidden``: a confidential order's caller, not shown to this reader at
    all; else the name and numbers, the numbers masked for a role that does not see personal
    data. ``dial`` is the number to call: the 回拨号码 when the caller gave one."""

    name: str
    phone: str | None
    callback_phone: str | None = None
    anonymous: bool = False
    confidential: bool = False
    hidden: bool = False

    @property
    def dial(self) -> str | None:
        return self.callback_phone or self.phone


@dataclass(frozen=True)
class AssignmentView:
    id: int
    dept: str
    dept_name: str
    role: str
    state: str
    version: int
    created_at: datetime
    signed_at: datetime | None
    replied_at: datetime | None
    reply_text: str | None
    return_reason: str | None
    return_basis: str | None
    extension_days_requested: int | None
    extension_days_granted: int
    sign_due_at: datetime | None
    due_at: datetime | None
    warn_at: datetime | None
    provisional: bool
    time_limit: str | None = None  # the completion limit applied, e.g. "5wd"
    sign_limit: str | None = None
    # The department's own windows (domain.part_limits): the return window's end, whether the
    # last return came after it (超时退单), the extension cap on the total in working days and
    # what is left of it, the extension requests made.
    return_due_at: datetime | None = None
    return_late: bool = False
    extension_cap: int | None = None
    extension_left: int | None = None
    extension_requests: int = 0
    # The catalogue's short name (市监局), for narrow columns; "" where the catalogue has none.
    dept_short: str = ""

    @property
    def shown_due(self) -> datetime | None:
        """The due time to show beside the part (:func:`hotline_tui.domain.clock.shown_due`)."""
        return shown_due(self.state, self.due_at, self.sign_due_at)[0]


@dataclass(frozen=True)
class EventView:
    seq: int
    at: datetime
    actor: str
    os_user: str | None
    action: str
    from_state: str | None
    to_state: str | None
    dept: str | None
    note: str


@dataclass(frozen=True)
class SupervisionView:
    """A 催办/督办 (``dept``: the part's department) or a 提级/会商 with its participants
    (``depts``, ``leader``), its outcome's due time and the outcome (``answer``: a 督办's is the
    department's answer)."""

    kind: str
    dept: str | None
    note: str
    created_at: datetime
    answer: str | None
    answered_at: datetime | None
    created_by: str = ""
    answered_by: str | None = None
    due_at: datetime | None = None
    depts: list[str] = field(default_factory=list)
    leader: str | None = None


@dataclass(frozen=True)
class VisitAttemptView:
    """One return-visit call: who made it when, whether it reached the caller, the answers."""

    attempt: int
    at: datetime
    by: str
    contact: str
    resolution: str | None
    satisfaction: str | None
    action: str
    note: str


@dataclass(frozen=True)
class MaterialView:
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime


@dataclass(frozen=True)
class TicketSummary:
    number: str
    state: str
    ending: str | None
    request_type: str
    urgency: str
    category: str | None
    created_at: datetime
    contact_phone: str | None
    title: str
    description: str
    # The lead assignment's completion due time (None before dispatch and once it is done).
    due_at: datetime | None = None
    provisional: bool = False
    channel: str = "phone"  # 受理渠道 (a code of the ``intake_channels`` setting)


@dataclass(frozen=True)
class TicketDetail:
    number: str
    version: int
    state: str
    ending: str | None
    request_type: str
    urgency: str
    channel: str
    category: str | None
    category_path: str | None
    area: str | None
    address: str
    title: str
    description: str
    answer_text: str | None
    confidential: bool
    caller: CallerView | None
    created_at: datetime
    closed_at: datetime | None
    parent: str | None
    duplicates: list[str]
    counters: dict[str, int]
    flags: dict[str, bool]
    visit: dict[str, str | None]
    # The order's own clocks: dispatch due (waiting for dispatch), visit due (waiting for 回访).
    due: dict[str, datetime | None] = field(default_factory=dict)
    assignments: list[AssignmentView] = field(default_factory=list)
    supervisions: list[SupervisionView] = field(default_factory=list)
    materials: list[MaterialView] = field(default_factory=list)
    timeline: list[EventView] = field(default_factory=list)
    area_name: str | None = None  # 区划 as people say it (``area`` is its code)
    visits: list[VisitAttemptView] = field(default_factory=list)  # every 回访 call, oldest first
    # 受理渠道 as people say it (微信), from the ``intake_channels`` setting.
    channel_label: str = ""
    # An operator's 撤单申请 waiting for a dispatcher: its reason ("" if none given); else None.
    withdraw_requested: str | None = None


def extension_cap(extension_limit: str | None, request_type: str, urgency: str) -> int:
    """A part's extension cap in working days for a view: the one stored on it at dispatch, else
    (a part stored before caps were) the built-in default's; the services keep the rule's on
    the part the first time they need it."""
    if extension_limit:
        return Limit.parse(extension_limit).amount
    return default_limits(request_type, urgency).extension_max.amount


def part_window_fields(part: Any, request_type: str, urgency: str) -> dict[str, Any]:
    """The return-window and extension fields of a part's view (:class:`AssignmentView`)."""
    cap = extension_cap(part.extension_limit, request_type, urgency)
    return {
        "return_due_at": part.return_due_at,
        "return_late": part.return_late,
        "extension_cap": cap,
        "extension_left": max(0, cap - part.extension_days_granted),
        "extension_requests": part.extension_requests,
    }


def to_jsonable(value: Any) -> Any:
    """Dataclass views → plain JSON types (datetimes as ISO 8601 with offset)."""
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def sees_personal_data(actor: Actor) -> bool:
    """Department handlers get masked numbers; the hotline's own staff see them."""
    return permissions.sees_personal_data(actor.role)


def present_phone(actor: Actor, phone: str | None, *, reveal: bool = False) -> str | None:
    if phone is None or reveal or sees_personal_data(actor):
        return phone
    return mask_phone(phone)


def present_contact(actor: Actor, ticket: Any) -> ContactView:
    """An order's contact (``ticket``: its row) as ``actor`` may see it, by the same two rules
    as the order view: :func:`permissions.may_see_caller` and :func:`present_phone`."""
    confidential = bool(ticket.confidential)
    anonymous = ticket.caller_id is None and not ticket.contact_name
    if not permissions.may_see_caller(actor.role, confidential=confidential):
        return ContactView("", None, anonymous=False, confidential=True, hidden=True)
    return ContactView(
        name=ticket.contact_name or "",
        phone=present_phone(actor, ticket.contact_phone),
        callback_phone=present_phone(actor, ticket.callback_phone),
        anonymous=anonymous,
        confidential=confidential,
    )


def present_id(actor: Actor, value: str | None, *, reveal: bool = False) -> str | None:
    if value is None or reveal or sees_personal_data(actor):
        return value
    return mask_resident_id(value)
