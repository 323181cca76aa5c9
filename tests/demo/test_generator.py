"""The demo generator: deterministic, the whole loop present, consistent rows, a sound audit chain.

Runs on SQLite and PostgreSQL, on fresh databases holding only the demo city (a module-scoped
template is copied per database), and once on the test world's database as well.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from db.engine import make_engines
from db.models import Assignment, AuditEvent, Caller, Ticket
from hotline_tui.demo.generator import (
    DEMO_PASSWORD,
    DemoSummary,
    demo_user_specs,
    ensure_demo_users,
    generate,
)
from hotline_tui.demo.seed import seed_city
from hotline_tui.domain.states import (
    FOLLOWS_LEAD,
    OPEN_ASSIGNMENT_STATES,
    AssignmentRole,
    AssignmentState,
    Ending,
    TicketState,
)
from hotline_tui.services.admin import audit, audit_deep
from hotline_tui.services.admin.install import initialise
from hotline_tui.services.admin.users import login, system_actor
from hotline_tui.services.context import Hotline
from tests.conftest import make_settings, pg_admin_url, pg_available, pg_execute

ORDERS = 600
SEED = 4242
END = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LOOP_ACTIONS = {
    "register",
    "queue",
    "answer",
    "dispatch",
    "assign",
    "sign",
    "return",
    "return_accept",
    "return_reject",
    "redispatch",
    "requeue",
    "request_extension",
    "extension_approve",
    "extension_deny",
    "reply",
    "review_pass",
    "review_fail",
    "visit_satisfied",
    "visit_unsatisfied",
    "visit_unreachable",
    "visit_give_up",
    "visit_declined",
    "redo",
    "close",
    "merge",
    "merged_in",
    "unmerge",
    "lead_replied",
    "withdraw",
    "invalid",
    "reopen",
    "archive",
    "urge",
    "supervise",
    "supervise_reply",
    "escalate",
    "consult",
    "release",
    "cancel",
    "caller.mark_abusive",
    "follow_lead",
}


class Databases:
    """Fresh databases with the demo city and users, copied from one template per backend."""

    def __init__(self, backend: str, folder: Path, key_file: Path) -> None:
        self.backend, self.folder, self.key_file = backend, folder, key_file
        self.made: list[str] = []
        self.template = self._new_name()
        hl = self.open(self._url(self.template), create=True)
        initialise(hl)
        seed_city(hl, system_actor(hl))
        ensure_demo_users(hl, system_actor(hl))
        hl.close()

    def _new_name(self) -> str:
        return f"hl_demo_{uuid.uuid4().hex[:10]}"

    def _url(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / name}.db"
        return pg_admin_url(name)

    def open(self, url: str, *, create: bool = False) -> Hotline:
        if create and self.backend == "pg":
            pg_execute(f"CREATE DATABASE {url.rsplit('/', 1)[1]}")
        settings = make_settings(self.folder, self.key_file, url)
        return Hotline(settings, make_engines(url), clock=lambda: END)

    def fresh(self) -> Hotline:
        name = self._new_name()
        if self.backend == "sqlite":
            shutil.copy(self.folder / f"{self.template}.db", self.folder / f"{name}.db")
        else:
            pg_execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
            self.made.append(name)
        return self.open(self._url(name))

    def drop(self) -> None:
        if self.backend == "pg":
            for name in [*self.made, self.template]:
                pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def databases(
    request: pytest.FixtureRequest, key_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    if request.param == "pg" and not pg_available():
        pytest.skip("PostgreSQL not reachable")
    dbs = Databases(request.param, tmp_path_factory.mktemp("demo"), key_file)
    yield dbs
    dbs.drop()


@pytest.fixture(scope="module")
def generated(databases: Databases) -> Iterator[tuple[Hotline, DemoSummary]]:
    hl = databases.fresh()
    summary = generate(hl, seed=SEED, orders=ORDERS, end=END, batch=97)
    yield hl, summary
    hl.close()


def _tickets(hl: Hotline) -> list[Ticket]:
    with hl.reading() as session:
        return list(session.execute(select(Ticket).order_by(col(Ticket.id))).scalars())


def test_every_state_and_every_ending(generated):
    hl, summary = generated
    assert summary.orders >= ORDERS
    assert set(summary.by_state) == {s.value for s in TicketState}
    assert all(count > 0 for count in summary.by_state.values())
    assert set(summary.by_ending) == {e.value for e in Ending}, summary.by_ending
    tickets = _tickets(hl)
    assert {t.state for t in tickets} == {s.value for s in TicketState}
    assert sum(summary.by_state.values()) == len(tickets)


def test_consultations_enterprises_and_callers(generated):
    hl, summary = generated
    assert 0.55 <= summary.consult_share <= 0.8
    assert 0.1 <= summary.enterprise_share <= 0.35
    tickets = _tickets(hl)
    with hl.reading() as session:
        callers = {c.id: c for c in session.execute(select(Caller)).scalars()}
    answered = [t for t in tickets if t.ending == Ending.ANSWERED.value]
    consults = [t for t in tickets if t.request_type == "consult"]
    assert len(answered) > 0.7 * len(consults)
    enterprises = [
        callers[t.caller_id]
        for t in tickets
        if t.caller_id and callers[t.caller_id].kind == "enterprise"
    ]
    assert all(c.credit_code and len(c.credit_code) == 18 for c in enterprises)
    assert any(t.caller_id is None for t in tickets)  # anonymous callers
    assert any(t.confidential for t in tickets)  # 举报 whistleblowers
    assert any(c.abusive for c in callers.values())
    phones = [t.contact_phone for t in tickets if t.contact_phone]
    assert max(phones.count(p) for p in set(phones)) >= 3  # repeat callers
    assert summary.repeat_phone in phones
    assert any(t.parent_id for t in tickets)  # merged duplicates


def test_the_whole_loop_is_in_the_audit_trail(generated):
    hl, _ = generated
    with hl.reading() as session:
        actions = set(session.execute(select(col(AuditEvent.action)).distinct()).scalars())
        co = session.execute(
            select(col(Assignment.id))
            .where(col(Assignment.role) == AssignmentRole.CO.value)
            .limit(1)
        ).first()
    assert actions >= LOOP_ACTIONS, LOOP_ACTIONS - actions
    assert co is not None
    report = audit.verify(hl, use_checkpoint=False)
    assert report.ok, report


def test_every_order_and_part_agrees_with_its_events(generated):
    hl, summary = generated
    report = audit_deep.verify_rows(hl)
    assert report.ok, report.mismatches
    assert report.orders == summary.orders and report.unchecked_fields == 0


def test_times_move_forward_and_recent_orders_are_open(generated):
    hl, _ = generated
    tickets = _tickets(hl)
    assert all(t.created_at <= t.updated_at <= END for t in tickets)
    assert all(t.closed_at is None or t.created_at <= t.closed_at <= END for t in tickets)
    first = min(t.created_at for t in tickets)
    assert (END - first).days >= 330
    open_ones = [t for t in tickets if t.state not in ("closed", "archived")]
    assert min(t.created_at for t in open_ones) > min(t.created_at for t in tickets)
    archived = [t for t in tickets if t.state == "archived"]
    assert archived
    assert max(t.closed_at or END for t in archived) < max(t.created_at for t in tickets)
    with hl.reading() as session:
        events = session.execute(
            select(col(AuditEvent.at), col(AuditEvent.ticket_id))
            .where(col(AuditEvent.ticket_id).is_not(None))
            .order_by(col(AuditEvent.seq))
        ).all()
    by_ticket: dict[int, object] = {}
    for at, ticket_id in events:  # each order's own steps go forward in time
        assert by_ticket.get(ticket_id, at) <= at
        by_ticket[ticket_id] = at


def test_assignments_agree_with_their_orders(generated):
    hl, _ = generated
    with hl.reading() as session:
        assignments = list(session.execute(select(Assignment)).scalars())
    by_ticket: dict[int, list[Assignment]] = {}
    for a in assignments:
        by_ticket.setdefault(a.ticket_id, []).append(a)
    follows = {state.value: lead.value for lead, state in FOLLOWS_LEAD.items()}
    opened = {s.value for s in OPEN_ASSIGNMENT_STATES}
    for t in _tickets(hl):
        mine = by_ticket.get(t.id or 0, [])
        lead = next((a for a in mine if a.id == t.lead_assignment_id), None)
        if t.state in follows:
            assert lead is not None and lead.state == follows[t.state], (t.number, t.state)
        if t.state == TicketState.PENDING_REVIEW.value:
            assert all(
                a.state in ("replied", "done", "returned", "released", "cancelled")
                for a in mine
                if a.role == "co"
            )
        if t.state in ("closed", "archived", "merged", "pending_visit", "unsatisfied"):
            assert not [a for a in mine if a.state in opened], (t.number, t.state)
        if t.state in ("pending_visit", "unsatisfied") and lead is not None:
            assert lead.state == AssignmentState.DONE.value
        if t.state in ("closed", "archived"):
            assert t.ending and t.closed_at, t.number
        else:
            assert t.ending is None and t.closed_at is None, t.number
        if t.state == TicketState.MERGED.value:
            assert t.parent_id is not None
        if t.state in ("registered", "pending_dispatch") and lead is not None:
            assert lead.state not in opened
        for a in mine:
            assert (a.signed_at is None) or a.signed_at >= a.created_at
            assert a.state not in opened or t.state not in ("closed", "archived")


def test_the_same_seed_gives_the_same_demo(databases, generated):
    hl, summary = generated
    other = databases.fresh()
    try:
        again = generate(other, seed=SEED, orders=ORDERS, end=END, batch=500)
        assert (again.orders, again.by_state, again.by_ending) == (
            summary.orders,
            summary.by_state,
            summary.by_ending,
        )

        def rows(core: Hotline) -> list[tuple[object, ...]]:
            return [
                (
                    t.number,
                    t.state,
                    t.ending,
                    t.request_type,
                    t.description,
                    t.contact_phone,
                    t.created_at,
                    t.closed_at,
                    t.handover_count,
                )
                for t in _tickets(core)
            ]

        def trail(core: Hotline) -> list[tuple[object, ...]]:
            with core.reading() as session:
                return [
                    tuple(r)
                    for r in session.execute(
                        select(
                            col(AuditEvent.ticket_id),
                            col(AuditEvent.action),
                            col(AuditEvent.actor),
                            col(AuditEvent.at),
                            col(AuditEvent.from_state),
                            col(AuditEvent.to_state),
                            col(AuditEvent.note),
                        )
                        .where(col(AuditEvent.ticket_id).is_not(None))
                        .order_by(col(AuditEvent.seq))
                    )
                ]

        assert rows(other) == rows(hl)
        assert trail(other) == trail(hl)
    finally:
        other.close()


def test_demo_users_log_in_with_the_demo_password(generated):
    hl, _ = generated
    names = {spec.username for spec in demo_user_specs()}
    assert {"op1", "disp1", "dept1", "dept2", "sup1", "admin1", "h_m01"} <= names
    assert login(hl, "dept1", DEMO_PASSWORD).dept_id is not None
    assert login(hl, "h_s0101", DEMO_PASSWORD).username == "h_s0101"


def test_generates_on_the_test_worlds_database_too(hl, who):
    seed_city(hl, who["system"])
    summary = generate(hl, seed=1, orders=60, end=END)
    assert summary.orders >= 60
    assert audit.verify(hl, use_checkpoint=False).ok
    assert audit_deep.verify_rows(hl).ok
