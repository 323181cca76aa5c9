"""The catalogue of order actions: each entry's rule (role, department, state), its typed input
and its honest result, run against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.lifecycle import ASSIGNMENT_TRANSITIONS, TICKET_TRANSITIONS
from hotline_tui.domain.permissions import allowed
from hotline_tui.domain.states import AssignmentState, Role, TicketState
from hotline_tui.services.tickets.actions import inputs
from hotline_tui.services.tickets.actions.catalogue import ACTIONS, Standing, allows, run
from hotline_tui.services.tickets.intake import Registered
from hotline_tui.services.tickets.part_windows import ExtensionOutcome
from hotline_tui.services.tickets.views import MaterialView, TicketDetail
from tests.services.tickets.helpers import load, new_order

PART_ACTIONS = [a for a in ACTIONS.values() if a.part_action is not None]


def test_every_entry_names_a_permission_of_the_role_table_and_a_real_transition():
    for action in ACTIONS.values():
        assert any(allowed(role, action.permission) for role in Role), action.name
        assert action.ticket_action is None or action.ticket_action in TICKET_TRANSITIONS
        assert action.part_action is None or action.part_action in ASSIGNMENT_TRANSITIONS
        assert not (action.ticket_action and action.part_action), action.name


@pytest.mark.parametrize("action", PART_ACTIONS, ids=lambda a: a.name)
def test_a_department_acts_on_its_own_part_only(action):
    """Every state the part action is legal in: a handler of M03 may act on M03's part (if its
    role may at all), never on M01's; the hotline's staff on any department's part."""
    for state in ASSIGNMENT_TRANSITIONS[action.part_action]:
        for dept in ("M01", "M03"):
            standing = Standing(
                ticket_state=TicketState.IN_PROGRESS,
                part_state=state,
                part_dept=dept,
                part_role="co",
                supervised=True,
            )
            mine = allows(action, Role.HANDLER, "M03", standing)
            assert mine == (dept == "M03" and allowed(Role.HANDLER, action.permission))
            for role in (Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN):
                assert allows(action, role, None, standing) == allowed(role, action.permission)


def test_state_and_conditions_decide_beside_the_role():
    standing = Standing(ticket_state=TicketState.PENDING_DISPATCH)
    assert allows(ACTIONS["dispatch"], Role.DISPATCHER, None, standing)
    assert not allows(ACTIONS["dispatch"], Role.DISPATCHER, None, Standing(TicketState.CLOSED))
    assert not allows(ACTIONS["withdraw_confirm"], Role.DISPATCHER, None, standing)
    requested = Standing(ticket_state=TicketState.IN_PROGRESS, withdraw_requested=True)
    assert allows(ACTIONS["withdraw_confirm"], Role.DISPATCHER, None, requested)
    assert not allows(ACTIONS["sign"], Role.HANDLER, "M01", None)
    part = Standing(TicketState.IN_PROGRESS, AssignmentState.IN_PROGRESS, "M01", "lead")
    assert not allows(ACTIONS["supervise_reply"], Role.HANDLER, "M01", part)  # not supervised
    assert not allows(ACTIONS["release"], Role.DISPATCHER, None, part)  # the lead stays


def test_each_action_says_its_own_result():
    assert ACTIONS["sign"].result() is Registered
    assert ACTIONS["extend"].result() is ExtensionOutcome
    assert ACTIONS["extension_deny"].result() is ExtensionOutcome
    assert ACTIONS["attach"].result() is MaterialView
    assert ACTIONS["reveal"].result() is TicketDetail


def test_run_takes_the_entrys_input_only(hl, who):
    number = new_order(hl, who, lead="M01")
    with pytest.raises(TypeError):
        run(hl, who["h1"], ACTIONS["sign"], inputs.NoteInput(number=number))


def test_runs_reach_the_services_with_their_inputs(hl, who, tmp_path: Path):
    number = new_order(hl, who, lead="M01", co=["M03"])
    signed = run(hl, who["h3"], ACTIONS["sign"], inputs.PartInput(number=number, dept="M03"))
    assert isinstance(signed, Registered) and signed.state == "pending_sign"  # the lead has not
    with pytest.raises(PermissionDenied):  # another department's part: refused by the service
        run(hl, who["h3"], ACTIONS["sign"], inputs.PartInput(number=number, dept="M01"))
    run(hl, who["h1"], ACTIONS["sign"], inputs.PartInput(number=number))
    asked = run(
        hl, who["h1"], ACTIONS["extend"], inputs.ExtendInput(number=number, days=2, reason="核查")
    )
    assert isinstance(asked, ExtensionOutcome) and asked.days == 2
    paper = tmp_path / "现场照片说明.txt"
    paper.write_text("照片三张", encoding="utf-8")
    added = run(hl, who["h3"], ACTIONS["attach"], inputs.AttachInput(number=number, path=paper))
    assert isinstance(added, MaterialView) and added.filename == paper.name
    parts = {p.dept_id: p.state for p in load(hl, number)[1]}
    assert sorted(parts.values()) == ["extension_review", "in_progress"]
