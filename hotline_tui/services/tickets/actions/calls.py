"""Each order action's service call, from its typed input (:mod:`.inputs`).

One small function per action of :mod:`.catalogue`, typed with the service's own result. The
service modules are imported inside, so that the catalogue is light to import (the console
builds its keys from it before its first paint, and a ``hotline`` command that reads loads no
action's services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotline_tui.domain.states import SupervisionKind
from hotline_tui.services.tickets.actions.inputs import (
    AnswerInput,
    AttachInput,
    ConsultInput,
    DispatchInput,
    EditInput,
    EscalateInput,
    ExtendInput,
    ExtensionApproveInput,
    MergeInput,
    NoteInput,
    OrderInput,
    PartInput,
    PartNoteInput,
    RedoInput,
    ReleaseInput,
    ReplyInput,
    ResultInput,
    ReturnAcceptInput,
    ReturnInput,
    RevealInput,
    SuperviseReplyInput,
    VisitInput,
)

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.tickets.intake import Registered
    from hotline_tui.services.tickets.part_windows import ExtensionOutcome
    from hotline_tui.services.tickets.views import MaterialView, TicketDetail

# ---------------------------------------------------------------- the department's side


def sign(hl: Hotline, actor: Actor, i: PartInput) -> Registered:
    from hotline_tui.services.tickets import handling

    return handling.sign(hl, actor, i.number, dept=i.dept, if_version=i.if_version)


def return_order(hl: Hotline, actor: Actor, i: ReturnInput) -> Registered:
    from hotline_tui.services.tickets import handling

    return handling.return_order(
        hl, actor, i.number, reason=i.reason, basis=i.basis, dept=i.dept, if_version=i.if_version
    )


def extend(hl: Hotline, actor: Actor, i: ExtendInput) -> ExtensionOutcome:
    from hotline_tui.services.tickets import handling

    return handling.request_extension(
        hl, actor, i.number, days=i.days, reason=i.reason, dept=i.dept, if_version=i.if_version
    )


def reply(hl: Hotline, actor: Actor, i: ReplyInput) -> Registered:
    from hotline_tui.services.tickets import handling

    return handling.reply(hl, actor, i.number, text=i.text, dept=i.dept, if_version=i.if_version)


def supervise_reply(hl: Hotline, actor: Actor, i: SuperviseReplyInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    return supervision.supervise_reply(
        hl, actor, i.number, i.answer, dept=i.dept, if_version=i.if_version
    )


# ---------------------------------------------------------------- the hotline's side


def dispatch(hl: Hotline, actor: Actor, i: DispatchInput) -> Registered:
    from hotline_tui.services.tickets import dispatch as service

    return service.dispatch(hl, actor, i.number, i.lead, i.co, i.note, if_version=i.if_version)


def return_accept(hl: Hotline, actor: Actor, i: ReturnAcceptInput) -> Registered:
    from hotline_tui.services.tickets import dispatch

    return dispatch.review_return(
        hl,
        actor,
        i.number,
        accept=True,
        redispatch_to=i.to,
        dept=i.dept,
        note=i.note,
        if_version=i.if_version,
        approve_late=i.approve_late,
    )


def return_reject(hl: Hotline, actor: Actor, i: PartNoteInput) -> Registered:
    from hotline_tui.services.tickets import dispatch

    return dispatch.review_return(
        hl, actor, i.number, accept=False, dept=i.dept, note=i.note, if_version=i.if_version
    )


def extension_approve(hl: Hotline, actor: Actor, i: ExtensionApproveInput) -> ExtensionOutcome:
    from hotline_tui.services.tickets import dispatch

    return dispatch.decide_extension(
        hl,
        actor,
        i.number,
        approve=True,
        days=i.days,
        dept=i.dept,
        note=i.note,
        if_version=i.if_version,
    )


def extension_deny(hl: Hotline, actor: Actor, i: PartNoteInput) -> ExtensionOutcome:
    from hotline_tui.services.tickets import dispatch

    return dispatch.decide_extension(
        hl, actor, i.number, approve=False, dept=i.dept, note=i.note, if_version=i.if_version
    )


def review_pass(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import closing

    return closing.review(hl, actor, i.number, passed=True, note=i.note, if_version=i.if_version)


def review_fail(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import closing

    return closing.review(hl, actor, i.number, passed=False, note=i.note, if_version=i.if_version)


def visit(hl: Hotline, actor: Actor, i: VisitInput) -> Registered:
    from hotline_tui.services.tickets import visits

    result = visits.parse_visit(i.contact, i.resolution, i.satisfaction, i.note)
    return visits.visit(hl, actor, i.number, result, if_version=i.if_version)


def redo(hl: Hotline, actor: Actor, i: RedoInput) -> Registered:
    from hotline_tui.services.tickets import closing

    return closing.redo(hl, actor, i.number, co_depts=i.co, note=i.note, if_version=i.if_version)


def close(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import closing

    return closing.close(hl, actor, i.number, i.note, if_version=i.if_version)


def reopen(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import closing

    return closing.reopen(hl, actor, i.number, i.note, if_version=i.if_version)


def archive(hl: Hotline, actor: Actor, i: OrderInput) -> Registered:
    from hotline_tui.services.tickets import closing

    return closing.archive(hl, actor, i.number, if_version=i.if_version)


def release(hl: Hotline, actor: Actor, i: ReleaseInput) -> Registered:
    from hotline_tui.services.tickets import dispatch

    return dispatch.release(hl, actor, i.number, i.dept, i.note, if_version=i.if_version)


# ---------------------------------------------------------------- intake's own


def answer(hl: Hotline, actor: Actor, i: AnswerInput) -> Registered:
    from hotline_tui.services.tickets import intake

    return intake.answer(hl, actor, i.number, i.text, if_version=i.if_version)


def withdraw(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    """撤单; of a dispatched order, by an operator: a request (``withdraw_requested`` in the
    result's warnings) that a dispatcher confirms."""
    from hotline_tui.services.tickets import intake

    return intake.withdraw(hl, actor, i.number, i.note, if_version=i.if_version)


def withdraw_confirm(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import withdrawal

    return withdrawal.confirm(
        hl, actor, i.number, accept=True, note=i.note, if_version=i.if_version
    )


def withdraw_reject(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import withdrawal

    return withdrawal.confirm(
        hl, actor, i.number, accept=False, note=i.note, if_version=i.if_version
    )


def invalid(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import intake

    return intake.mark_invalid(hl, actor, i.number, i.note, if_version=i.if_version)


def merge(hl: Hotline, actor: Actor, i: MergeInput) -> Registered:
    from hotline_tui.services.tickets import intake

    return intake.merge(hl, actor, i.number, i.into, i.note, if_version=i.if_version)


def unmerge(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import intake

    return intake.unmerge(hl, actor, i.number, i.note, if_version=i.if_version)


# ---------------------------------------------------------------- flags beside the state


def urge(hl: Hotline, actor: Actor, i: PartNoteInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    return supervision.urge(hl, actor, i.number, i.note, dept=i.dept, if_version=i.if_version)


def supervise(hl: Hotline, actor: Actor, i: PartNoteInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    return supervision.supervise(hl, actor, i.number, i.note, dept=i.dept, if_version=i.if_version)


def escalate(hl: Hotline, actor: Actor, i: EscalateInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    return supervision.escalate(
        hl,
        actor,
        i.number,
        i.note,
        leader=i.leader,
        depts=i.depts,
        days=i.days,
        if_version=i.if_version,
    )


def consult(hl: Hotline, actor: Actor, i: ConsultInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    return supervision.consult(
        hl,
        actor,
        i.number,
        i.note,
        depts=i.depts,
        leader=i.leader,
        days=i.days,
        if_version=i.if_version,
    )


def escalate_result(hl: Hotline, actor: Actor, i: ResultInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    kind = SupervisionKind.ESCALATE
    return supervision.record_result(hl, actor, i.number, kind, i.result, if_version=i.if_version)


def consult_result(hl: Hotline, actor: Actor, i: ResultInput) -> Registered:
    from hotline_tui.services.tickets import supervision

    kind = SupervisionKind.CONSULT
    return supervision.record_result(hl, actor, i.number, kind, i.result, if_version=i.if_version)


# ---------------------------------------------------------------- the order's tools


def edit(hl: Hotline, actor: Actor, i: EditInput) -> Registered:
    from hotline_tui.services.tickets import editing

    return editing.edit(hl, actor, i.number, dict(i.changes), if_version=i.if_version)


def mark_abusive(hl: Hotline, actor: Actor, i: NoteInput) -> Registered:
    from hotline_tui.services.tickets import editing

    return editing.mark_abusive(hl, actor, i.number, i.note)


def attach(hl: Hotline, actor: Actor, i: AttachInput) -> MaterialView:
    """添加材料: stored once; the order itself does not change (no new state or version)."""
    from hotline_tui.services.tickets import materials

    return materials.add_material(hl, actor, i.number, i.path, i.note)


def reveal(hl: Hotline, actor: Actor, i: RevealInput) -> TicketDetail:
    """The order with the caller's full numbers (audited, with the reason)."""
    from hotline_tui.services.tickets import queries

    return queries.reveal(hl, actor, i.number, i.why)
