"""Every lifecycle action the console offers, driven by its key and confirmed in its dialog,
asserted on the database (the happy paths of test_loop.py are not repeated here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from db.models import Department
from hotline_tui.services.tickets import closing, handling, intake, supervision, visits
from hotline_tui.ui.screens.action_modal import ActionModal
from tests.services.tickets.helpers import load, new_order
from tests.ui.conftest import drive, settle


def signed(hl, who, **kw) -> str:
    number: str = new_order(hl, who, lead="M01", **kw)
    handling.sign(hl, who["h1"], number)
    return number


def replied(hl, who) -> str:
    number = signed(hl, who)
    handling.reply(hl, who["h1"], number, text="已处理")
    return number


def unsatisfied(hl, who) -> str:
    number = replied(hl, who)
    closing.review(hl, who["disp"], number, passed=True)
    visits.visit(
        hl,
        who["op"],
        number,
        visits.parse_visit("reached", "unresolved", "unsatisfied"),
    )
    return number


def returned(hl, who) -> str:
    number: str = new_order(hl, who, lead="M01")
    handling.return_order(hl, who["h1"], number, reason="not_our_duty", basis="非本单位")
    return number


def extending(hl, who) -> str:
    number = signed(hl, who)
    handling.request_extension(hl, who["h1"], number, days=3, reason="需现场核查")
    return number


def supervised(hl, who) -> str:
    number = signed(hl, who)
    supervision.supervise(hl, who["sup"], number, "请说明进度")
    return number


def closed(hl, who) -> str:
    number: str = new_order(hl, who)
    intake.answer(hl, who["op"], number, "已当场答复")
    return number


def lead_code(hl, number: str) -> str:
    _ticket, parts = load(hl, number)
    with hl.reading() as s:
        return str(s.exec(select(Department.code).where(Department.id == parts[-1].dept_id)).one())


@dataclass(frozen=True)
class Case:
    action: str
    user: str
    setup: Callable[[Any, Any], str]
    keys: tuple[str, ...]  # to reach the row: queue steps, or a palette jump ("open")
    typed: tuple[str, ...]  # keys typed in the dialog before Ctrl+S
    check: Callable[[Any, str], bool]


def ticket_is(state: str, **fields: Any) -> Callable[[Any, str], bool]:
    def check(hl: Any, number: str) -> bool:
        ticket, _parts = load(hl, number)
        return ticket.state == state and all(getattr(ticket, k) == v for k, v in fields.items())

    return check


def part_is(state: str, **fields: Any) -> Callable[[Any, str], bool]:
    def check(hl: Any, number: str) -> bool:
        _ticket, parts = load(hl, number)
        part = parts[0]
        return part.state == state and all(getattr(part, k) == v for k, v in fields.items())

    return check


Q = "right_square_bracket"
CASES = [
    Case(
        "dispatch",
        "disp",
        lambda hl, who: new_order(hl, who),
        (),
        ("s", "j", "j", "enter"),
        lambda hl, n: ticket_is("pending_sign")(hl, n) and lead_code(hl, n) == "M01",
    ),
    Case("return_reject", "disp", returned, (Q,), tuple("keep it"), part_is("pending_sign")),
    Case(
        "extension_deny",
        "disp",
        extending,
        (Q, Q),
        tuple("no"),
        part_is("in_progress", extension_days_granted=0),
    ),
    Case("review_fail", "disp", replied, (Q, Q, Q), tuple("incomplete"), ticket_is("in_progress")),
    Case(
        "close",
        "disp",
        unsatisfied,
        (Q, Q, Q, Q),
        tuple("unlawful demand"),
        ticket_is("closed", ending="unsatisfied_closed"),
    ),
    Case(
        "reply",
        "h1",
        signed,
        (Q,),
        tuple("fixed the lamp"),
        lambda hl, n: (
            ticket_is("pending_review")(hl, n)
            and part_is("replied", reply_text="fixed the lamp")(hl, n)
        ),
    ),
    Case(
        "supervise_reply",
        "h1",
        supervised,
        (Q,),
        tuple("working on it"),
        ticket_is("in_progress", supervised=False),
    ),
    Case(
        "supervise",
        "sup",
        signed,
        ("open",),
        tuple("why late"),
        ticket_is("in_progress", supervised=True),
    ),
    Case(
        "escalate",
        "sup",
        signed,
        ("open",),
        (*"adm", "tab", "tab", "tab", *"major case"),  # leader, departments, days, note
        ticket_is("in_progress", escalated=True),
    ),
    Case("withdraw", "disp", signed, ("open",), (), ticket_is("closed", ending="withdrawn")),
    Case("reopen", "disp", closed, ("open",), tuple("caller again"), ticket_is("pending_dispatch")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.action for c in CASES])
def test_action(console, hl, who, clock, case):
    number = case.setup(hl, who)
    app = console(case.user)
    from hotline_tui.ui.actions import ACTIONS

    async def scenario(pilot):
        for key in case.keys:
            if key == "open":
                app.open_order(number)
            else:
                await pilot.press(key)
            await settle(pilot)
        await pilot.press(ACTIONS[case.action].key)
        await settle(pilot)
        assert isinstance(app.screen, ActionModal), app.screen
        assert app.screen.spec.name == case.action
        await pilot.press(*case.typed)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ActionModal)  # accepted

    drive(app, scenario)
    assert case.check(hl, number)
