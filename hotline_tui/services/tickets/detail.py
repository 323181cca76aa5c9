"""One order in full (:class:`TicketDetail`): its parts, timeline, supervisions, materials,
visits and the caller as the reader may see them; :func:`hotline_tui.services.tickets.queries.show`
and ``reveal`` read it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from db.models import (
    Area,
    Assignment,
    AuditEvent,
    Caller,
    Category,
    Department,
    Material,
    Ticket,
)
from hotline_tui.domain.permissions import may_see_caller
from hotline_tui.services.context import Actor
from hotline_tui.services.tickets.records import supervision_views, visit_views
from hotline_tui.services.tickets.views import (
    AssignmentView,
    CallerView,
    EventView,
    MaterialView,
    TicketDetail,
    part_window_fields,
    present_id,
    present_phone,
    sees_personal_data,
)

__all__ = ["order_detail"]


def _caller_view(session: Session, actor: Actor, ticket: Ticket, reveal: bool) -> CallerView | None:
    if not may_see_caller(actor.role, confidential=ticket.confidential):
        return None  # a whistleblower's identity is hidden from departments, not only masked
    caller = session.get(Caller, ticket.caller_id) if ticket.caller_id else None
    masked = not sees_personal_data(actor) and not reveal
    return CallerView(
        kind=caller.kind if caller else "anonymous",
        name=ticket.contact_name or (caller.name if caller else ""),
        phone=present_phone(actor, ticket.contact_phone, reveal=reveal),
        id_number=present_id(actor, caller.id_number if caller else None, reveal=reveal),
        credit_code=caller.credit_code if caller else None,
        industry=caller.industry if caller else None,
        size=caller.size if caller else None,
        abusive=caller.abusive if caller else False,
        masked=masked,
        callback_phone=present_phone(actor, ticket.callback_phone, reveal=reveal),
    )


def order_detail(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    reveal: bool,
    channels: dict[str, str] | None = None,
) -> TicketDetail:
    """``ticket`` in full as ``actor`` may see it (``reveal``: the caller's numbers unmasked)."""
    depts = _departments(session, ticket)
    category = session.get(Category, ticket.category_id) if ticket.category_id else None
    area = session.get(Area, ticket.area_id) if ticket.area_id else None
    parent = session.get(Ticket, ticket.parent_id) if ticket.parent_id else None
    assignments = _part_views(session, ticket, depts)
    timeline = _timeline(session, ticket, depts)
    by_assignment = {a.id: a.dept for a in assignments}
    supervisions = supervision_views(session, ticket.id or 0, by_assignment)
    materials = _materials(session, ticket)
    duplicates = list(
        session.exec(
            select(Ticket.number).where(Ticket.parent_id == ticket.id).order_by(col(Ticket.id))
        )
    )
    return TicketDetail(
        number=ticket.number,
        version=ticket.version,
        state=ticket.state,
        ending=ticket.ending,
        request_type=ticket.request_type,
        urgency=ticket.urgency,
        channel=ticket.channel,
        category=category.code if category else None,
        category_path=category.path if category else None,
        area=area.code if area else None,
        area_name=area.name if area else None,
        channel_label=(channels or {}).get(ticket.channel, ticket.channel),
        withdraw_requested=ticket.withdraw_note or "" if ticket.withdraw_requested_at else None,
        address=ticket.address,
        title=ticket.title,
        description=ticket.description,
        answer_text=ticket.answer_text,
        confidential=ticket.confidential,
        caller=_caller_view(session, actor, ticket, reveal),
        created_at=ticket.created_at,
        closed_at=ticket.closed_at,
        parent=parent.number if parent else None,
        duplicates=duplicates,
        counters={
            "handovers": ticket.handover_count,
            "redo": ticket.redo_count,
            "reopen": ticket.reopen_count,
            "urge": ticket.urge_count,
            "visit_attempts": ticket.visit_attempts,
        },
        flags={
            "supervised": ticket.supervised,
            "escalated": ticket.escalated,
            "consulted": ticket.consulted,
        },
        visit={"resolution": ticket.visit_resolution, "satisfaction": ticket.visit_satisfaction},
        due={"dispatch_due_at": ticket.dispatch_due_at, "visit_due_at": ticket.visit_due_at},
        assignments=assignments,
        supervisions=supervisions,
        materials=materials,
        timeline=timeline,
        visits=visit_views(session, ticket.id or 0),
    )


def _departments(session: Session, ticket: Ticket) -> dict[int | None, Department]:
    """The departments of the order's parts, past and present, by id."""
    return {
        d.id: d
        for d in session.exec(
            select(Department)
            .join(Assignment, col(Assignment.dept_id) == col(Department.id))
            .where(Assignment.ticket_id == ticket.id)
        )
    }


def _part_views(
    session: Session, ticket: Ticket, depts: dict[int | None, Department]
) -> list[AssignmentView]:
    """The order's department parts, oldest first."""
    return [
        AssignmentView(
            id=a.id or 0,
            dept=depts[a.dept_id].code,
            dept_name=depts[a.dept_id].name,
            dept_short=depts[a.dept_id].short_name or "",
            role=a.role,
            state=a.state,
            version=a.version,
            created_at=a.created_at,
            signed_at=a.signed_at,
            replied_at=a.replied_at,
            reply_text=a.reply_text,
            return_reason=a.return_reason,
            return_basis=a.return_basis,
            extension_days_requested=a.extension_days_requested,
            extension_days_granted=a.extension_days_granted,
            sign_due_at=a.sign_due_at,
            due_at=a.due_at,
            warn_at=a.warn_at,
            provisional=a.provisional,
            time_limit=a.time_limit,
            sign_limit=a.sign_limit,
            **part_window_fields(a, ticket.request_type, ticket.urgency),
        )
        for a in session.exec(
            select(Assignment).where(Assignment.ticket_id == ticket.id).order_by(col(Assignment.id))
        )
    ]


def _timeline(
    session: Session, ticket: Ticket, depts: dict[int | None, Department]
) -> list[EventView]:
    """The order's audit events in order; they name departments of this order only (its
    parts, past and present)."""
    dept_codes = {dept_id: dept.code for dept_id, dept in depts.items()}
    return [
        EventView(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            os_user=e.os_user,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            dept=dept_codes.get(e.dept_id) if e.dept_id else None,
            note=e.note,
        )
        for e in session.exec(
            select(AuditEvent)
            .where(AuditEvent.ticket_id == ticket.id)
            .order_by(col(AuditEvent.seq))
        )
    ]


def _materials(session: Session, ticket: Ticket) -> list[MaterialView]:
    """The files attached to the order, in upload order."""
    return [
        MaterialView(m.filename, m.media_type, m.size, m.sha256, m.uploaded_at)
        for m in session.exec(
            select(Material).where(Material.ticket_id == ticket.id).order_by(col(Material.id))
        )
    ]
