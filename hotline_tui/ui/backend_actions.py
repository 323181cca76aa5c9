"""The console's lifecycle actions by name (:data:`~hotline_tui.ui.actions.ACTIONS`): each one
service call with what the modal asked for and the version the user saw, run from a worker by
:meth:`~hotline_tui.ui.backend.Backend.act`. The services are imported inside, as in the backend,
so that nothing heavy is imported before the console's first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotline_tui.domain.errors import ValidationError
from hotline_tui.ui.actions import ACTIONS, Target

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.tickets.intake import Registered

__all__ = ["run_action"]


def run_action(
    hl: Hotline, actor: Actor, name: str, target: Target, values: Mapping[str, Any]
) -> Registered:
    """Run the lifecycle action ``name`` on ``target`` with the versions the user saw."""
    from hotline_tui.domain.states import SupervisionKind
    from hotline_tui.services.tickets import dispatch, handling, intake, supervision, visits

    number = target.number
    spec = ACTIONS[name]
    part = spec.part_action is not None
    seen = target.part_version if part else target.ticket_version
    dept = None if actor.role.value == "handler" else target.dept
    note = str(values.get("note") or "")

    def days() -> int:
        try:
            return int(str(values.get("days") or "").strip())
        except ValueError:
            raise ValidationError(
                "validation.extension_days_text", field="days", days=values.get("days")
            ) from None

    def due_days() -> int | None:
        typed = str(values.get("due_days") or "").strip()
        if not typed:
            return None  # the setting's
        if not typed.isdigit():
            raise ValidationError("validation.due_days", days=typed, max=supervision.MAX_DUE_DAYS)
        return int(typed)

    result = str(values.get("result") or "")
    calls: dict[str, Callable[[], Registered]] = {
        "sign": lambda: handling.sign(hl, actor, number, dept=dept, if_version=seen),
        "return": lambda: handling.return_order(
            hl,
            actor,
            number,
            reason=str(values.get("reason") or ""),
            basis=str(values.get("basis") or ""),
            dept=dept,
            if_version=seen,
        ),
        "extend": lambda: handling.request_extension(
            hl, actor, number, days=days(), reason=note, dept=dept, if_version=seen
        ),
        "reply": lambda: handling.reply(
            hl, actor, number, text=str(values.get("text") or ""), dept=dept, if_version=seen
        ),
        "supervise_reply": lambda: supervision.supervise_reply(
            hl, actor, number, str(values.get("answer") or ""), dept=dept, if_version=seen
        ),
        "dispatch": lambda: dispatch.dispatch(
            hl,
            actor,
            number,
            str(values.get("lead") or ""),
            tuple(values.get("co") or ()),
            note,
            if_version=seen,
        ),
        "return_accept": lambda: dispatch.review_return(
            hl,
            actor,
            number,
            accept=True,
            redispatch_to=values.get("to") or None,
            dept=dept,
            note=note,
            if_version=seen,
            approve_late=values.get("approve_late") == "yes",
        ),
        "return_reject": lambda: dispatch.review_return(
            hl, actor, number, accept=False, dept=dept, note=note, if_version=seen
        ),
        "extension_approve": lambda: dispatch.decide_extension(
            hl, actor, number, approve=True, days=days(), dept=dept, note=note, if_version=seen
        ),
        "extension_deny": lambda: dispatch.decide_extension(
            hl, actor, number, approve=False, dept=dept, note=note, if_version=seen
        ),
        "review_pass": lambda: dispatch.review(
            hl, actor, number, passed=True, note=note, if_version=seen
        ),
        "review_fail": lambda: dispatch.review(
            hl, actor, number, passed=False, note=note, if_version=seen
        ),
        "visit": lambda: visits.visit(
            hl,
            actor,
            number,
            visits.parse_visit(
                str(values.get("contact") or "reached"),
                values.get("resolution") or None,
                values.get("satisfaction") or None,
                note,
            ),
            if_version=seen,
        ),
        "redo": lambda: dispatch.redo(
            hl,
            actor,
            number,
            co_depts=tuple(values.get("co") or ()),
            note=note,
            if_version=seen,
        ),
        "close": lambda: dispatch.close(hl, actor, number, note, if_version=seen),
        "urge": lambda: supervision.urge(
            hl, actor, number, note, dept=target.dept, if_version=seen
        ),
        "supervise": lambda: supervision.supervise(
            hl, actor, number, note, dept=target.dept, if_version=seen
        ),
        "escalate": lambda: supervision.escalate(
            hl,
            actor,
            number,
            note,
            leader=str(values.get("leader") or ""),
            depts=tuple(values.get("depts") or ()),
            days=due_days(),
            if_version=seen,
        ),
        "escalate_result": lambda: supervision.record_result(
            hl, actor, number, SupervisionKind.ESCALATE, result, if_version=seen
        ),
        "withdraw": lambda: intake.withdraw(hl, actor, number, note, if_version=seen),
        "withdraw_confirm": lambda: _decide_withdrawal(hl, actor, number, True, note, seen),
        "withdraw_reject": lambda: _decide_withdrawal(hl, actor, number, False, note, seen),
        "reopen": lambda: dispatch.reopen(hl, actor, number, note, if_version=seen),
        "merge": lambda: intake.merge(
            hl, actor, number, str(values.get("into") or "").strip(), note, if_version=seen
        ),
        "unmerge": lambda: intake.unmerge(hl, actor, number, note, if_version=seen),
        "consult": lambda: supervision.consult(
            hl,
            actor,
            number,
            note,
            depts=tuple(values.get("depts") or ()),
            days=due_days(),
            if_version=seen,
        ),
        "consult_result": lambda: supervision.record_result(
            hl, actor, number, SupervisionKind.CONSULT, result, if_version=seen
        ),
        "release": lambda: dispatch.release(
            hl, actor, number, str(target.dept or ""), note, if_version=seen
        ),
        "edit": lambda: _edit(hl, actor, target, values),
        "attach": lambda: _attach(hl, actor, target, values),
    }
    return calls[name]()


def _decide_withdrawal(
    hl: Hotline, actor: Actor, number: str, accept: bool, note: str, seen: int | None
) -> Registered:
    from hotline_tui.services.tickets import withdrawal

    return withdrawal.confirm(hl, actor, number, accept=accept, note=note, if_version=seen)


def _edit(hl: Hotline, actor: Actor, target: Target, values: Mapping[str, Any]) -> Registered:
    from hotline_tui.services.tickets import editing
    from hotline_tui.ui.order_forms import edit_changes

    changes = edit_changes(target.extra, values)
    if not changes:
        raise ValidationError("validation.nothing_changed", ticket=target.number)
    return editing.edit(hl, actor, target.number, changes, if_version=target.ticket_version)


def _attach(hl: Hotline, actor: Actor, target: Target, values: Mapping[str, Any]) -> Registered:
    """添加材料: a file on this host, stored once; the order itself does not change."""
    from hotline_tui.services.tickets import materials
    from hotline_tui.services.tickets.intake import Registered

    path = Path(str(values.get("path") or "").strip()).expanduser()
    materials.add_material(hl, actor, target.number, path, str(values.get("note") or ""))
    return Registered(target.number, target.ticket_state, target.ticket_version)
