"""The demo data: users, and a year of work orders driven round the closed loop.

:func:`generate` expects the demo city in the database (:func:`seed.seed_city`), adds the demo
users, and simulates ``orders`` calls over the twelve months before ``end``: each order goes
round the closed loop with the simulated clock (see :mod:`simulation` and :mod:`flows`), many
orders per transaction. Every step is the ticket service's own ``*_op`` function (:mod:`steps`);
the rows are kept as lightweight records and written in bulk (:mod:`bulk_ops`), the same rows
and the same audit chain as the services write; ``through_services=True`` persists the steps as
the services do, ORM objects in a session (:mod:`service_ops`, the slow reference). The same
seed gives the same orders, states and texts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from db.models import AuditHead, Caller, Category, Department, Ticket, User
from hotline_tui.demo import text
from hotline_tui.demo.bulk_ops import BulkOps
from hotline_tui.demo.city import DEMO_USERS, DEPARTMENTS, UserSpec
from hotline_tui.demo.flows import Flows
from hotline_tui.demo.forced import Forced, apply_forced, forced_plans
from hotline_tui.demo.ops import AssignmentT, DemoOps, TicketT
from hotline_tui.demo.plans import plan_order
from hotline_tui.demo.service_ops import ServiceOps
from hotline_tui.demo.simulation import Clock, Flow, Simulation, arrivals
from hotline_tui.demo.world import DemoWorld, fill_pools, load_world
from hotline_tui.domain.errors import ConfigError, NotFound, ValidationError
from hotline_tui.domain.permissions import require
from hotline_tui.domain.states import CallerKind, RequestType, Role
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.admin.users import USERNAME, hash_password, system_actor
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

DEMO_PASSWORD = "hotline-demo"  # noqa: S105 (public by design: printed and in the README)
"""The password of every demo user (printed by ``hotline demo`` and listed in the README)."""


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run wrote."""

    orders: int
    by_state: dict[str, int]
    by_ending: dict[str, int]
    consult_share: float
    enterprise_share: float
    seconds: float
    events: int = 0
    first_number: str | None = None
    last_number: str | None = None
    repeat_phone: str | None = None
    users: list[str] = field(default_factory=list)


# -------------------------------------------------------------------------------------- users


def demo_user_specs() -> list[UserSpec]:
    """The fixed demo users plus one handler for every unit that has none of its own."""
    specs = [_lowercase(spec) for spec in DEMO_USERS]
    staffed = {spec.dept_code for spec in specs if spec.dept_code}
    for dept in DEPARTMENTS:
        if dept.code not in staffed:
            name = text.person_name(random.Random(f"handler:{dept.code}"))  # noqa: S311
            specs.append(UserSpec(f"h_{dept.code.lower()}", name, Role.HANDLER.value, dept.code))
    return specs


def _lowercase(spec: UserSpec) -> UserSpec:
    """User names are lowercase (``users.USERNAME``): ``h_M01`` becomes ``h_m01``."""
    return UserSpec(spec.username.lower(), spec.display_name, spec.role, spec.dept_code)


def add_users_with_hash(
    hl: Hotline,
    actor: Actor,
    specs: Iterable[UserSpec],
    password_hash: str | None,
    *,
    at: datetime | None = None,
) -> list[str]:
    """Add the users that do not exist yet, all with one password hash, in one transaction.

    The rows and the ``user.add`` audit events are those of :func:`users.add_user`; hashing once
    for all users is what makes this fast (argon2 is slow by design). Returns the names added.
    """
    require(actor.role, "user.add", username=actor.username)
    wanted = list(specs)
    for spec in wanted:
        if not USERNAME.match(spec.username):
            raise ValidationError("validation.username", value=spec.username)
        if spec.role not in {r.value for r in Role}:
            raise ValidationError(
                "validation.choice", field="role", value=spec.role, allowed=[r.value for r in Role]
            )

    def work(uow: UnitOfWork) -> list[str]:
        if at is not None:
            uow.now = at
        session = uow.session
        existing = set(session.execute(select(User.username)).scalars())
        dept_ids = {
            code: dept_id
            for code, dept_id in session.execute(select(Department.code, Department.id))
        }
        added: list[str] = []
        for spec in wanted:
            if spec.username in existing:
                continue
            if spec.dept_code is not None and spec.dept_code not in dept_ids:
                raise NotFound("not_found.dept", dept=spec.dept_code)
            user = User(
                username=spec.username,
                display_name=clean_text(spec.display_name, multiline=False, max_length=100)
                or spec.username,
                role=spec.role,
                dept_id=dept_ids[spec.dept_code] if spec.dept_code else None,
                password_hash=password_hash,
                created_at=uow.now,
            )
            session.add(user)
            session.flush()
            uow.record(
                "user.add",
                entity="user",
                entity_id=user.id,
                entity_version=user.version,
                data={"username": spec.username, "role": spec.role, "dept": spec.dept_code},
            )
            existing.add(spec.username)
            added.append(spec.username)
        return added

    return uow_module.write(hl, actor, work)


def ensure_demo_users(hl: Hotline, actor: Actor, *, at: datetime | None = None) -> list[str]:
    """Create the demo users that are missing (password :data:`DEMO_PASSWORD`)."""
    specs = demo_user_specs()
    with hl.reading() as session:
        existing = set(session.execute(select(User.username)).scalars())
    if all(spec.username in existing for spec in specs):
        return []
    return add_users_with_hash(hl, actor, specs, hash_password(DEMO_PASSWORD), at=at)


# ------------------------------------------------------------------------------------- orders


def generate(
    hl: Hotline,
    *,
    seed: int = 12345,
    orders: int = 20000,
    end: datetime | None = None,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
    through_services: bool = False,
) -> DemoSummary:
    """Simulate ``orders`` calls (and the duplicates they bring) over the year before ``end``.

    Needs the demo city in the database (:func:`seed.seed_city`); adds the demo users. Progress
    is reported with the number of calls taken so far, once per committed batch. The generator
    must be the only writer while it runs (it allocates the ids of the rows it writes).
    """
    started = time.perf_counter()
    if orders < 1:
        raise ValidationError("validation.demo_orders", orders=orders)
    end = end or hl.now()
    with hl.reading() as session:
        leaves = session.exec(
            select(func.count()).select_from(Category).where(col(Category.level) == 3)
        ).one()
    if not leaves:
        raise ConfigError("config.demo_city_missing")
    system = system_actor(hl)
    clock = Clock(hl.settings.timezone)
    ensure_demo_users(hl, system, at=end - timedelta(days=366))
    world = load_world(hl, clock, {spec.username for spec in demo_user_specs()})
    if not world.leaves or not world.operators or not world.dispatchers:
        raise ConfigError("config.demo_city_missing")
    master = random.Random(seed)  # noqa: S311 (deterministic demo data, not secrets)
    fill_pools(world, master, orders)
    times = arrivals(master, clock, end, orders)
    forced = forced_plans(master, times, end)
    with hl.reading() as session:
        head_before = int(session.execute(select(AuditHead.seq)).scalar_one())
    ops: DemoOps[Any, Any] = (
        ServiceOps(hl, system, end) if through_services else BulkOps(hl, system, end)
    )
    flows = _simulate(ops, world, seed, times, forced, end=end, batch=batch, progress=progress)
    seconds = time.perf_counter() - started
    return summarise(hl, flows.first_id, flows.last_id, head_before, seconds)


def _simulate(
    ops: DemoOps[TicketT, AssignmentT],
    world: DemoWorld,
    seed: int,
    times: list[datetime],
    forced: dict[int, Forced],
    *,
    end: datetime,
    batch: int,
    progress: Callable[[int], None] | None,
) -> Flows[TicketT, AssignmentT]:
    sim = Simulation(ops, end=end, batch=batch, progress=progress)
    flows = Flows(sim, world)
    sim.spawn(flows.archiver(times[0]), times[0])

    def start(index: int, _at: datetime) -> Flow:
        stream = random.Random(seed * 1_000_003 + index)  # noqa: S311 (one stream per call)
        plan = plan_order(world, stream)
        if index in forced:
            plan = apply_forced(world, plan, forced[index])
        return flows.order(plan)

    sim.run(times, start)
    return flows


def summarise(
    hl: Hotline, low: int | None, high: int | None, head_before: int, seconds: float
) -> DemoSummary:
    """Counts over the orders a run wrote (ids ``low`` … ``high``: nobody else writes then)."""
    if low is None or high is None:
        return DemoSummary(0, {}, {}, 0.0, 0.0, seconds)
    mine = col(Ticket.id).between(low, high)
    with Session(hl.engines.read) as session:
        by_state = _counts(session, col(Ticket.state), mine)
        by_ending = _counts(session, col(Ticket.ending), mine)
        by_type = _counts(session, col(Ticket.request_type), mine)
        enterprise = session.execute(
            select(func.count())
            .select_from(Ticket)
            .join(Caller, col(Caller.id) == col(Ticket.caller_id))
            .where(mine, col(Caller.kind) == CallerKind.ENTERPRISE.value)
        ).scalar_one()
        repeat = session.execute(
            select(Ticket.contact_phone)
            .where(mine, col(Ticket.contact_phone).is_not(None))
            .group_by(Ticket.contact_phone)
            .order_by(func.count().desc(), col(Ticket.contact_phone))
            .limit(1)
        ).scalar()
        found = session.execute(
            select(Ticket.id, Ticket.number).where(col(Ticket.id).in_([low, high]))
        )
        numbers = {int(ticket_id or 0): str(number) for ticket_id, number in found}
        head = int(session.execute(select(AuditHead.seq)).scalar_one())
        users = [spec.username for spec in demo_user_specs()]
    total = sum(by_state.values())
    return DemoSummary(
        orders=total,
        by_state=by_state,
        by_ending={k: v for k, v in by_ending.items() if k},
        consult_share=by_type.get(RequestType.CONSULT.value, 0) / total,
        enterprise_share=int(enterprise) / total,
        seconds=seconds,
        events=head - head_before,
        first_number=numbers.get(low),
        last_number=numbers.get(high),
        repeat_phone=repeat,
        users=users,
    )


def _counts(session: Session, column: Any, where: ColumnElement[bool]) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(where).group_by(column)).all()
    return {str(key) if key is not None else "": int(count) for key, count in rows}
