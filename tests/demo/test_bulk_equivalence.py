"""The demo's bulk store writes exactly what the services' own unit of work writes.

Both run the same operations (the services' ``*_op`` functions, :mod:`hotline_tui.demo.steps`);
what is compared is their persistence: records written in bulk against ORM objects flushed by a
session, ids counted in memory against ids from the database, answers from memory against
queries.

Scripted scenarios covering every step the generator takes (co-handlers, returns accepted and
rejected, extensions, review failed, an unsatisfied visit and a redo, unreachable and declined
visits, duplicates merged, released and unmerged, reopen, withdraw, invalid, archive, urge and
supervision, repeat callers) run once through the services' store (:class:`ServiceOps`) and
once through the bulk store (:class:`BulkOps`), on two copies of one database, with the
same clock, actors and audit key; then every row of every table the demo writes, and the audit
chain with its MACs, must be identical. The whole generator is compared the same way.

On PostgreSQL the service path runs in one transaction: the services take ids from the
sequences ahead of use (``reserve_ids``), and an id taken but not used when a transaction ends is
a gap the bulk path does not reproduce. Within one transaction there are no gaps.
"""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic_core import PydanticUndefined
from sqlalchemy import select, text
from sqlmodel import SQLModel

from db.engine import make_engines
from db.models import (
    Assignment,
    Caller,
    CallerPhone,
    Supervision,
    Ticket,
    VisitAttempt,
    load_all,
)
from hotline_tui.demo import bulk_callers
from hotline_tui.demo.bulk_ops import BulkOps
from hotline_tui.demo.generator import generate
from hotline_tui.demo.ops import DemoOps
from hotline_tui.demo.records import (
    NOT_COLUMNS,
    AssignmentRec,
    CallerPhoneRec,
    CallerRec,
    SupervisionRec,
    TicketRec,
    VisitAttemptRec,
)
from hotline_tui.demo.service_ops import ServiceOps
from hotline_tui.demo.steps import Steps
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.states import (
    Ending,
    TicketState,
)
from hotline_tui.services.admin import audit
from hotline_tui.services.admin.users import system_actor
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import intake, queries, supervision
from hotline_tui.services.tickets.intake import Disposition
from tests.conftest import FakeClock, make_settings, pg_admin_url, pg_execute
from tests.demo.bulk_scenario import START, Script, scenario
from tests.demo.test_generator import END, Databases
from tests.world import actors, leaf_code

TABLES = (
    "caller",
    "caller_phone",
    "ticket",
    "assignment",
    "supervision",
    "visit_attempt",
    "audit_event",
)


def dump(hl: Hotline) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables the demo writes (and the audit chain), by key."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    load_all()
    with hl.engines.read.connect() as conn:
        for name in (*TABLES, "audit_head"):
            table = SQLModel.metadata.tables[name]
            key = table.c.seq if name == "audit_event" else table.c.id
            rows[name] = [tuple(r) for r in conn.execute(select(table).order_by(key))]
    return rows


def assert_same_rows(expected: Hotline, actual: Hotline) -> dict[str, list[tuple[Any, ...]]]:
    want, got = dump(expected), dump(actual)
    for name, rows in want.items():
        columns = [c.name for c in SQLModel.metadata.tables[name].columns]
        for a, b in zip(rows, got[name], strict=False):
            if a != b:
                diff = {c: (x, y) for c, x, y in zip(columns, a, b, strict=True) if x != y}
                pytest.fail(f"{name} row {a[0]} differs (services, bulk): {diff}")
        assert len(rows) == len(got[name]), name
    return want


# ------------------------------------------------------------------------------ the records


@pytest.mark.parametrize(
    ("record", "model"),
    [
        (TicketRec, Ticket),
        (AssignmentRec, Assignment),
        (CallerRec, Caller),
        (CallerPhoneRec, CallerPhone),
        (SupervisionRec, Supervision),
        (VisitAttemptRec, VisitAttempt),
    ],
)
def test_records_have_every_column_with_the_models_default(record: Any, model: Any) -> None:
    fields = {f.name: f for f in dataclasses.fields(record)}
    assert not NOT_COLUMNS & set(model.__table__.columns.keys())
    for column in model.__table__.columns:
        assert column.name in fields, f"{record.__name__} lacks a field for {column.name}"
        field = fields[column.name]
        default = model.model_fields[column.name].default
        if default is PydanticUndefined or column.primary_key:
            assert field.default is dataclasses.MISSING, column.name
        else:
            assert field.default == default, column.name


def test_the_two_stores_take_the_same_steps() -> None:
    """No step has a twin: both persist the steps of :class:`Steps` (the services' operations),
    and neither defines one of its own."""
    steps = {name for name in vars(Steps) if not name.startswith("_")}
    steps -= {"changing", "search_text"}  # what a store adds to a step
    assert {"register", "dispatch", "merge", "reply", "visit", "redo"} <= steps
    for persisting in (BulkOps, ServiceOps):
        assert not steps & set(vars(persisting)), persisting.__name__


# ---------------------------------------------------------------------------- the scenarios


@pytest.fixture
def twins(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path, key_file: Path
) -> Iterator[tuple[Hotline, Hotline]]:
    """Two copies of the test world's database (the services', the bulk path's)."""
    urls: list[str] = []
    made: list[str] = []
    if db_url.startswith("sqlite"):
        source = Path(db_url.removeprefix("sqlite:///"))
        for name in ("services", "bulk"):
            target = tmp_path / f"{name}.db"
            shutil.copy(source, target)
            urls.append(f"sqlite:///{target}")
    else:
        template = request.getfixturevalue("pg_template")
        for _ in range(2):
            name = f"hl_t_{uuid.uuid4().hex[:12]}"
            pg_execute(f"CREATE DATABASE {name} TEMPLATE {template}")
            made.append(name)
            urls.append(pg_admin_url(name))
    cores = [
        Hotline(make_settings(tmp_path, key_file, url), make_engines(url), clock=FakeClock())
        for url in urls
    ]
    yield cores[0], cores[1]
    for core in cores:
        core.close()
    for name in made:
        pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(ops: DemoOps[Any, Any], hl: Hotline, *, commits: bool) -> None:
    script = Script(ops, actors(hl), commits=commits)
    try:
        scenario(script, leaf_code(hl, "物业管理"))
    except BaseException:
        ops.finish(commit=False)
        raise
    ops.finish(commit=True)


def test_scripted_steps_write_what_the_services_write(twins: tuple[Hotline, Hotline]) -> None:
    services, bulk = twins
    system = actors(services)["system"]
    run(ServiceOps(services, system, START), services, commits=False)
    ops = BulkOps(bulk, system, START)
    ops.store.callers.cache = 1  # callers are read back from the database when called again
    run(ops, bulk, commits=True)
    rows = assert_same_rows(services, bulk)
    actions = {row[5] for row in rows["audit_event"]}
    assert {
        "merge_moved",
        "merged_in",
        "lead_replied",
        "unmerge",
        "visit_give_up",
        "visit_declined",
        "redo",
        "archive",
        "caller.mark_abusive",
        "follow_lead",
        "release",
        "requeue",
        "redispatch",
    } <= actions
    assert audit.verify(bulk, use_checkpoint=False).ok
    # The services go on from the ids the bulk path used (PostgreSQL: from the sequences).
    who = actors(bulk)
    caller = CallerInput(name="新来电人", phone="13200132000")
    call = IntakeInput(request_type="complaint", description="新的诉求。", caller=caller)
    registered = intake.register(bulk, who["op"], call, Disposition("dispatch", lead_dept="M01"))
    supervision.urge(bulk, who["sup"], registered.number, "催办。")
    assert audit.verify(bulk, use_checkpoint=False).ok


# ---------------------------------------------------------------------------- the generator


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def demo_databases(
    request: pytest.FixtureRequest, key_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    if request.param == "pg":
        request.getfixturevalue("pg_template")  # skips (or fails in CI) without a server
    dbs = Databases(request.param, tmp_path_factory.mktemp("bulk"), key_file)
    yield dbs
    dbs.drop()


def test_the_generator_writes_what_the_services_write(
    demo_databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_callers, "CALLER_CACHE", 20)
    services, bulk = demo_databases.fresh(), demo_databases.fresh()
    try:
        # The services in one transaction (see the module's note); the bulk path in many.
        expected = generate(
            services, seed=99, orders=400, end=END, batch=10**9, through_services=True
        )
        actual = generate(bulk, seed=99, orders=400, end=END, batch=37)
        assert expected.by_state == actual.by_state and expected.by_ending == actual.by_ending
        assert set(actual.by_state) == {s.value for s in TicketState}
        assert set(actual.by_ending) == {e.value for e in Ending}
        assert_same_rows(services, bulk)
        assert audit.verify(bulk, use_checkpoint=False).ok
        # The full-text index follows the rows (triggers, a generated column) on both paths.
        if demo_databases.backend == "sqlite":
            with bulk.engines.write.begin() as conn:
                conn.execute(text("INSERT INTO ticket_fts(ticket_fts) VALUES ('integrity-check')"))
        hits = 0
        for words in ("执照", "物业", "噪音", "社保 缴费"):
            query = queries.FindQuery(words=words, limit=1000)
            found = [
                [t.number for t in queries.find(core, system_actor(core), query)]
                for core in (services, bulk)
            ]
            assert found[0] == found[1], words
            hits += len(found[1])
        assert hits
    finally:
        services.close()
        bulk.close()
