"""The closed loop's transition tables (hotline_tui.domain.lifecycle), checked exhaustively.

The expectations below are written by hand from DESIGN.md §3 (main path, side paths, endings,
several departments on one order), not read back from the tables under test. Rows that §3 leaves
to the project (which states an edit, a flag or a merge is allowed in) are marked "local rule" and
follow the documented intent in ``lifecycle.py``/the services' docstrings.

For every action × every state: a listed pair must give exactly the expected target and hand-over
flag; any other pair must raise :class:`IllegalTransition` naming the order, the state and the
action (and, for an assignment, the department).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_tui.domain.errors import IllegalTransition
from hotline_tui.domain.lifecycle import (
    AssignmentAction,
    Step,
    TicketAction,
    assignment_actions_allowed,
    assignment_step,
    ticket_actions_allowed,
    ticket_step,
    visit_action,
    visit_is_valid,
)
from hotline_tui.domain.states import (
    AssignmentState,
    Resolution,
    Satisfaction,
    TicketState,
    VisitContact,
)

T = TicketState
A = AssignmentState
TA = TicketAction
AA = AssignmentAction
NUMBER = "20260302000042"
DEPT = "M02"

# States in which an order is still open (everything but closed and archived), listed by hand.
OPEN_ORDER = (
    T.REGISTERED,
    T.PENDING_DISPATCH,
    T.PENDING_SIGN,
    T.IN_PROGRESS,
    T.RETURN_REVIEW,
    T.EXTENSION_REVIEW,
    T.PENDING_REVIEW,
    T.PENDING_VISIT,
    T.UNSATISFIED,
    T.MERGED,
)
# Open, with somebody at the hotline or a department still working on it (not waiting for the
# call-back, not a duplicate waiting for its lead): where edits and flags make sense (local rule).
WORKING_ORDER = (
    T.REGISTERED,
    T.PENDING_DISPATCH,
    T.PENDING_SIGN,
    T.IN_PROGRESS,
    T.RETURN_REVIEW,
    T.EXTENSION_REVIEW,
    T.PENDING_REVIEW,
    T.UNSATISFIED,
)
BEFORE_DISPATCH = (T.REGISTERED, T.PENDING_DISPATCH)
LIVE_ASSIGNMENT = (A.PENDING_SIGN, A.IN_PROGRESS, A.RETURN_REVIEW, A.EXTENSION_REVIEW, A.REPLIED)

# action → {source state: (target state, counts as a hand-over)}
EXPECTED_TICKET: dict[TicketAction, dict[TicketState, tuple[TicketState, bool]]] = {
    # Main path: 已受理 → 待派单 (or 直接答复 → 已办结) → 待签收 → … → 已办结 → 已归档.
    TA.QUEUE: {T.REGISTERED: (T.PENDING_DISPATCH, False)},
    TA.ANSWER: {s: (T.CLOSED, False) for s in BEFORE_DISPATCH},
    TA.DISPATCH: {s: (T.PENDING_SIGN, True) for s in BEFORE_DISPATCH},
    # 退单 of the lead accepted: 改派 to a new department (a hand-over) or back to the queue.
    TA.REDISPATCH: {T.RETURN_REVIEW: (T.PENDING_SIGN, True)},
    TA.REQUEUE: {T.RETURN_REVIEW: (T.PENDING_DISPATCH, False)},
    # 审核: pass → 待回访; fail → back to the department (补办, a hand-over).
    TA.REVIEW_PASS: {T.PENDING_REVIEW: (T.PENDING_VISIT, False)},
    TA.REVIEW_FAIL: {T.PENDING_REVIEW: (T.IN_PROGRESS, True)},
    # 回访 outcomes.
    TA.VISIT_SATISFIED: {T.PENDING_VISIT: (T.CLOSED, False)},
    TA.VISIT_UNSATISFIED: {T.PENDING_VISIT: (T.UNSATISFIED, False)},
    TA.VISIT_UNREACHABLE: {T.PENDING_VISIT: (T.PENDING_VISIT, False)},
    TA.VISIT_GIVE_UP: {T.PENDING_VISIT: (T.CLOSED, False)},
    TA.VISIT_DECLINED: {T.PENDING_VISIT: (T.CLOSED, False)},
    # Unsatisfied → 重办 (办理中 again, a hand-over) or 办结 without redo.
    TA.REDO: {T.UNSATISFIED: (T.IN_PROGRESS, True)},
    TA.CLOSE: {T.UNSATISFIED: (T.CLOSED, False)},
    # 并单 before a department has started work (local rule), then called back after the lead.
    TA.MERGE: {s: (T.MERGED, False) for s in (*BEFORE_DISPATCH, T.PENDING_SIGN)},
    TA.LEAD_REPLIED: {T.MERGED: (T.PENDING_VISIT, False)},
    # local rule: the lead was withdrawn or invalid, so its duplicates go back to the queue
    TA.UNMERGE: {T.MERGED: (T.PENDING_DISPATCH, False)},
    # Other endings.
    TA.WITHDRAW: {s: (T.CLOSED, False) for s in OPEN_ORDER},
    # A dispatched order's withdrawal asked for and rejected: beside the state (issue 14).
    TA.WITHDRAW_REQUEST: {s: (s, False) for s in OPEN_ORDER},
    TA.WITHDRAW_REJECT: {s: (s, False) for s in OPEN_ORDER},
    TA.INVALID: {s: (T.CLOSED, False) for s in BEFORE_DISPATCH},
    TA.REOPEN: {T.CLOSED: (T.PENDING_DISPATCH, True)},
    TA.ARCHIVE: {T.CLOSED: (T.ARCHIVED, False)},
    # Edits and flags beside the state: the state does not change (local rule for where).
    TA.EDIT: {s: (s, False) for s in (*WORKING_ORDER, T.PENDING_VISIT)},
    TA.ESCALATE: {s: (s, False) for s in WORKING_ORDER},
    TA.CONSULT: {s: (s, False) for s in WORKING_ORDER},
    # local rule: a 提级's or 会商's outcome is recorded whenever it comes while the order is open.
    TA.ESCALATE_RESULT: {s: (s, False) for s in OPEN_ORDER},
    TA.CONSULT_RESULT: {s: (s, False) for s in OPEN_ORDER},
}

EXPECTED_ASSIGNMENT: dict[AssignmentAction, dict[AssignmentState, tuple[AssignmentState, bool]]] = {
    AA.SIGN: {A.PENDING_SIGN: (A.IN_PROGRESS, False)},
    # 退单 from 待签收 or 办理中 goes to the hotline's review: a hand-over.
    AA.RETURN: {s: (A.RETURN_REVIEW, True) for s in (A.PENDING_SIGN, A.IN_PROGRESS)},
    AA.RETURN_ACCEPT: {A.RETURN_REVIEW: (A.RETURNED, False)},
    # 驳回: back to the department (to handling if it had signed; see the unsigned test below).
    AA.RETURN_REJECT: {A.RETURN_REVIEW: (A.IN_PROGRESS, True)},
    AA.REQUEST_EXTENSION: {A.IN_PROGRESS: (A.EXTENSION_REVIEW, False)},
    AA.EXTENSION_APPROVE: {A.EXTENSION_REVIEW: (A.IN_PROGRESS, False)},
    AA.EXTENSION_DENY: {A.EXTENSION_REVIEW: (A.IN_PROGRESS, False)},
    AA.REPLY: {A.IN_PROGRESS: (A.REPLIED, True)},
    AA.REVIEW_PASS: {A.REPLIED: (A.DONE, False)},
    # The order-level REVIEW_FAIL / REDO count the hand-over; the assignment rows do not.
    AA.REVIEW_FAIL: {A.REPLIED: (A.IN_PROGRESS, False)},
    AA.REDO: {A.DONE: (A.IN_PROGRESS, False)},
    AA.RELEASE: {s: (A.RELEASED, False) for s in LIVE_ASSIGNMENT},
    AA.CANCEL: {s: (A.CANCELLED, False) for s in LIVE_ASSIGNMENT},
    # Flags (local rule for where): 催办 a department that has still to act; 督办 also during a
    # return review; the department answers a 督办 while its part is open or done.
    AA.URGE: {s: (s, False) for s in (A.PENDING_SIGN, A.IN_PROGRESS, A.EXTENSION_REVIEW)},
    AA.SUPERVISE: {
        s: (s, False) for s in (A.PENDING_SIGN, A.IN_PROGRESS, A.EXTENSION_REVIEW, A.RETURN_REVIEW)
    },
    AA.SUPERVISE_REPLY: {s: (s, False) for s in (*LIVE_ASSIGNMENT, A.DONE)},
}

HANDOVER_TICKET_ACTIONS = {TA.DISPATCH, TA.REDISPATCH, TA.REVIEW_FAIL, TA.REDO, TA.REOPEN}
HANDOVER_ASSIGNMENT_ACTIONS = {AA.RETURN, AA.RETURN_REJECT, AA.REPLY}

TICKET_PAIRS = list(itertools.product(TicketAction, TicketState))
ASSIGNMENT_PAIRS = list(itertools.product(AssignmentAction, AssignmentState))


def test_the_expectations_cover_every_action() -> None:
    assert set(EXPECTED_TICKET) == set(TicketAction)
    assert set(EXPECTED_ASSIGNMENT) == set(AssignmentAction)


@pytest.mark.parametrize(("action", "state"), TICKET_PAIRS, ids=lambda v: str(v))
def test_ticket_step(action: TicketAction, state: TicketState) -> None:
    expected = EXPECTED_TICKET[action].get(state)
    if expected is not None:
        target, handover = expected
        assert ticket_step(NUMBER, state.value, action) == Step(target.value, handover)
        return
    with pytest.raises(IllegalTransition) as info:
        ticket_step(NUMBER, state.value, action)
    assert info.value.code == "transition.ticket"
    assert info.value.params == {"ticket": NUMBER, "state": state.value, "action": action.value}


@pytest.mark.parametrize(("action", "state"), ASSIGNMENT_PAIRS, ids=lambda v: str(v))
def test_assignment_step(action: AssignmentAction, state: AssignmentState) -> None:
    expected = EXPECTED_ASSIGNMENT[action].get(state)
    if expected is not None:
        target, handover = expected
        assert assignment_step(NUMBER, DEPT, state.value, action) == Step(target.value, handover)
        return
    for signed in (True, False):
        with pytest.raises(IllegalTransition) as info:
            assignment_step(NUMBER, DEPT, state.value, action, signed=signed)
        assert info.value.code == "transition.assignment"
        assert info.value.params == {
            "ticket": NUMBER,
            "dept": DEPT,
            "state": state.value,
            "action": action.value,
        }


def test_a_rejected_return_goes_back_to_signing_when_never_signed() -> None:
    step = assignment_step(NUMBER, DEPT, A.RETURN_REVIEW.value, AA.RETURN_REJECT, signed=False)
    assert step == Step(A.PENDING_SIGN.value, True)
    signed = assignment_step(NUMBER, DEPT, A.RETURN_REVIEW.value, AA.RETURN_REJECT, signed=True)
    assert signed == Step(A.IN_PROGRESS.value, True)


@pytest.mark.parametrize(
    ("action", "state"),
    [(a, s) for a, rows in EXPECTED_ASSIGNMENT.items() if a is not AA.RETURN_REJECT for s in rows],
    ids=lambda v: str(v),
)
def test_signed_matters_only_for_a_rejected_return(
    action: AssignmentAction, state: AssignmentState
) -> None:
    unsigned = assignment_step(NUMBER, DEPT, state.value, action, signed=False)
    assert unsigned == assignment_step(NUMBER, DEPT, state.value, action, signed=True)


def test_handover_flags() -> None:
    """流转环节 are counted on dispatch, 改派, return, 驳回, reply, 补办, redo and reopen."""
    for action, rows in EXPECTED_TICKET.items():
        for state in rows:
            step = ticket_step(NUMBER, state.value, action)
            assert step.handover is (action in HANDOVER_TICKET_ACTIONS), (action, state)
    for a_action, a_rows in EXPECTED_ASSIGNMENT.items():
        for a_state in a_rows:
            a_step = assignment_step(NUMBER, DEPT, a_state.value, a_action)
            assert a_step.handover is (a_action in HANDOVER_ASSIGNMENT_ACTIONS), (
                a_action,
                a_state,
            )
    unsigned = assignment_step(NUMBER, DEPT, A.RETURN_REVIEW.value, AA.RETURN_REJECT, signed=False)
    assert unsigned.handover


def test_main_path_walks_from_intake_to_archive() -> None:
    path = [
        (TA.QUEUE, T.PENDING_DISPATCH),
        (TA.DISPATCH, T.PENDING_SIGN),
    ]
    state = T.REGISTERED.value
    for action, target in path:
        state = ticket_step(NUMBER, state, action).target
        assert state == target
    lead = A.PENDING_SIGN.value
    for a_action, a_target in [(AA.SIGN, A.IN_PROGRESS), (AA.REPLY, A.REPLIED)]:
        lead = assignment_step(NUMBER, DEPT, lead, a_action).target
        assert lead == a_target
    state = T.PENDING_REVIEW.value  # the order follows its lead's "replied"
    for action, target in [
        (TA.REVIEW_PASS, T.PENDING_VISIT),
        (TA.VISIT_SATISFIED, T.CLOSED),
        (TA.ARCHIVE, T.ARCHIVED),
    ]:
        state = ticket_step(NUMBER, state, action).target
        assert state == target


def test_archived_is_final_and_closed_only_reopens_or_archives() -> None:
    assert ticket_actions_allowed(T.ARCHIVED.value) == []
    assert set(ticket_actions_allowed(T.CLOSED.value)) == {TA.REOPEN, TA.ARCHIVE}
    for ended in (A.RETURNED, A.RELEASED, A.CANCELLED):
        assert assignment_actions_allowed(ended.value) == []


@pytest.mark.parametrize("state", list(TicketState), ids=str)
def test_ticket_actions_allowed_matches_the_table(state: TicketState) -> None:
    expected = [a for a in TicketAction if state in EXPECTED_TICKET[a]]
    assert ticket_actions_allowed(state.value) == expected


@pytest.mark.parametrize("state", list(AssignmentState), ids=str)
def test_assignment_actions_allowed_matches_the_table(state: AssignmentState) -> None:
    expected = [a for a in AssignmentAction if state in EXPECTED_ASSIGNMENT[a]]
    assert assignment_actions_allowed(state.value) == expected


# --- return visits ------------------------------------------------------------------------------

MAX = 3


@pytest.mark.parametrize("satisfaction", [None, *Satisfaction], ids=str)
@pytest.mark.parametrize("attempts", [0, MAX - 1, MAX + 2])
def test_visit_declined_closes_whatever_else(
    satisfaction: Satisfaction | None, attempts: int
) -> None:
    assert visit_action(VisitContact.DECLINED, satisfaction, attempts, MAX) is TA.VISIT_DECLINED


@pytest.mark.parametrize(
    ("attempts_so_far", "expected"),
    [
        (0, TA.VISIT_UNREACHABLE),  # this is attempt 1 of 3
        (MAX - 2, TA.VISIT_UNREACHABLE),  # attempt 2 of 3: attempts < max
        (MAX - 1, TA.VISIT_GIVE_UP),  # attempt 3 of 3: attempts = max, the last one
        (MAX, TA.VISIT_GIVE_UP),  # beyond the limit still gives up
    ],
)
def test_visit_unreachable_gives_up_on_the_last_attempt(
    attempts_so_far: int, expected: TicketAction
) -> None:
    assert visit_action(VisitContact.UNREACHABLE, None, attempts_so_far, MAX) is expected


def test_visit_unreachable_with_a_single_allowed_attempt_gives_up_at_once() -> None:
    assert visit_action(VisitContact.UNREACHABLE, None, 0, 1) is TA.VISIT_GIVE_UP


@pytest.mark.parametrize(
    ("satisfaction", "expected"),
    [
        (Satisfaction.SATISFIED, TA.VISIT_SATISFIED),
        (Satisfaction.BASIC, TA.VISIT_SATISFIED),  # 基本满意 counts as satisfied
        (Satisfaction.UNSATISFIED, TA.VISIT_UNSATISFIED),
    ],
)
@pytest.mark.parametrize("attempts", [0, MAX - 1, MAX])
def test_visit_reached(satisfaction: Satisfaction, expected: TicketAction, attempts: int) -> None:
    """Reaching the caller is judged on satisfaction, however many attempts it took."""
    assert visit_action(VisitContact.REACHED, satisfaction, attempts, MAX) is expected


@given(
    contact=st.sampled_from(VisitContact),
    satisfaction=st.none() | st.sampled_from(Satisfaction),
    attempts=st.integers(0, 10),
    max_attempts=st.integers(1, 10),
)
def test_visit_action_is_always_a_visit_row_of_pending_visit(
    contact: VisitContact, satisfaction: Satisfaction | None, attempts: int, max_attempts: int
) -> None:
    action = visit_action(contact, satisfaction, attempts, max_attempts)
    target, _ = EXPECTED_TICKET[action][T.PENDING_VISIT]
    if contact is VisitContact.UNREACHABLE:
        last = attempts + 1 >= max_attempts
        assert target == (T.CLOSED if last else T.PENDING_VISIT)


@pytest.mark.parametrize(
    ("contact", "resolution", "valid"),
    [
        (VisitContact.REACHED, None, False),
        (VisitContact.REACHED, Resolution.PARTLY, True),
        (VisitContact.UNREACHABLE, None, True),
        (VisitContact.DECLINED, None, True),
    ],
)
def test_visit_is_valid(contact: VisitContact, resolution: Resolution | None, valid: bool) -> None:
    assert visit_is_valid(contact, resolution) is valid
