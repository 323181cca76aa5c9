"""Random order histories through the real services, and the roll-up recomputed from raw rows
by plain counting (written here, not taken from the code under test)."""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import col

from db.engine import make_engines
from db.models import Assignment, AuditEvent, Department, Ticket, VisitAttempt
from db.models.stats import CELL_COLUMNS, stats_daily, stats_dept_day
from hotline_tui.domain.errors import HotlineError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.kpi_facts import COLUMNS
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.stats import rollup
from hotline_tui.services.tickets import closing, dispatch, handling, intake, visits
from hotline_tui.services.tickets.intake import Disposition
from tests.conftest import FakeClock, make_settings, pg_admin_url, pg_execute
from tests.world import actors

TZ = ZoneInfo("Asia/Shanghai")
DEPTS = ("M01", "M02", "M03")
HANDLER = {"M01": "h1", "M02": "h2", "M03": "h3"}
OPS = (
    "new",
    "new",
    "dispatch",
    "sign",
    "sign",
    "reply",
    "return",
    "accept",
    "reject",
    "reply",
    "pass",
    "fail",
    "visit",
    "update",
    "late",
)
VISITS = (
    ("reached", "resolved", "satisfied"),
    ("reached", "partly", "basic"),
    ("reached", "unresolved", "unsatisfied"),
    ("unreachable", None, None),
)

CATEGORY_OF_VARIANT = (None, "T003", "T007", "T010")
"""Leaves of tests.world's catalogue: 营业执照办理 (企业服务 T001), 物业管理 (城乡建设 T005),
社保缴费 (劳动保障 T008)."""

steps = st.lists(
    st.tuples(
        st.sampled_from(OPS),
        st.integers(0, 7),  # which order
        st.integers(0, 2),  # which department
        st.sampled_from((0, 0, 1, 2, 4, 30, 80)),  # hours passing first
        st.integers(0, 3),  # which variant (visit result, answer or queue, co-handler)
    ),
    min_size=5,
    max_size=30,
)


@contextmanager
def fresh_hotline(
    backend: str, template: object, key_file: Path, folder: Path
) -> Iterator[Hotline]:
    """A new copy of the test world per example (a file copy, or a database from template)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = None
    if backend == "sqlite":
        shutil.copy(str(template), folder / "hotline.db")
        url = f"sqlite:///{folder / 'hotline.db'}"
    else:
        name = f"hl_s_{uuid.uuid4().hex[:12]}"
        pg_execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        url = pg_admin_url(name)
    hl = Hotline(make_settings(folder, key_file, url), make_engines(url), clock=FakeClock())
    try:
        yield hl
    finally:
        hl.close()
        if name is not None:
            pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


def clock_of(hl: Hotline) -> FakeClock:
    clock = hl.clock
    assert isinstance(clock, FakeClock)
    return clock


def play(hl: Hotline, history: list[tuple[str, int, int, int, int]]) -> None:
    """Run the steps; refusals (an action the order's state does not allow) are skipped."""
    who = actors(hl)
    clock = hl.clock
    assert isinstance(clock, FakeClock)
    numbers: list[str] = []
    for op, which, dept_index, hours, variant in history:
        clock.advance(hours=hours)
        dept = DEPTS[dept_index]
        if op == "update":
            rollup.update(hl)
            continue
        if op == "new" or not numbers:
            numbers.append(_register(hl, who, dept, variant))
            continue
        number = numbers[which % len(numbers)]
        if op == "late":  # an act typed in with a time long past (a copy, a bulk import)
            saved = clock.current
            clock.advance(days=-20)
            _act(hl, who, "reply", number, dept_index, variant)
            clock.current = saved
            continue
        _act(hl, who, op, number, dept_index, variant)


def _register(hl: Hotline, who: dict[str, Actor], dept: str, variant: int) -> str:
    if variant == 0:
        disposition = Disposition(kind="answer", answer_text="已按政策答复")
    elif variant == 1:
        disposition = Disposition(kind="queue")
    else:
        co = (DEPTS[(DEPTS.index(dept) + 1) % 3],) if variant == 3 else ()
        disposition = Disposition(kind="dispatch", lead_dept=dept, co_depts=co)
    caller = (
        CallerInput(name="王五", phone=f"1380013{variant:04d}")
        if variant != 2
        else CallerInput(kind="anonymous")
    )
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type=("consult", "complaint", "help", "report")[variant],
            description="小区门口路灯不亮，晚上出行不便",
            area="S1" if variant % 2 else None,
            category=CATEGORY_OF_VARIANT[variant],
            channel=("phone", "web")[variant % 2],
            caller=caller,
        ),
        disposition,
    ).number


def _live_depts(hl: Hotline, number: str) -> list[str]:
    with hl.engines.read.connect() as conn:
        rows = conn.execute(
            select(col(Department.code))
            .join(Assignment, col(Assignment.dept_id) == col(Department.id))
            .join(Ticket, col(Ticket.id) == col(Assignment.ticket_id))
            .where(
                col(Ticket.number) == number,
                col(Assignment.state).not_in(("returned", "released", "cancelled")),
            )
            .order_by(col(Assignment.id))
        ).all()
    return [r[0] for r in rows]


def _act(
    hl: Hotline, who: dict[str, Actor], op: str, number: str, index: int, variant: int
) -> None:
    live = _live_depts(hl, number) or list(DEPTS)
    dept = live[index % len(live)]
    handler, disp = who[HANDLER[dept]], who["disp"]
    other = DEPTS[(DEPTS.index(dept) + 1) % 3]
    calls = {
        "dispatch": lambda: dispatch.dispatch(hl, disp, number, DEPTS[index % 3], []),
        "sign": lambda: handling.sign(hl, handler, number),
        "return": lambda: handling.return_order(
            hl, handler, number, reason="not_our_duty", basis="不属于本单位职责"
        ),
        "accept": lambda: dispatch.review_return(
            hl, disp, number, accept=True, redispatch_to=other, dept=dept
        ),
        "reject": lambda: dispatch.review_return(hl, disp, number, accept=False, dept=dept),
        "reply": lambda: handling.reply(hl, handler, number, text="已现场处理完毕"),
        "pass": lambda: closing.review(hl, disp, number, passed=True),
        "fail": lambda: closing.review(hl, disp, number, passed=False, note="答复不完整"),
        "visit": lambda: visits.visit(hl, who["op"], number, visits.parse_visit(*VISITS[variant])),
    }
    with suppress(HotlineError):
        calls[op]()


# ---------------------------------------------------------------- what is compared


def cells(hl: Hotline) -> dict[tuple[Any, ...], dict[str, int]]:
    """The roll-up as stored: cell → its non-zero columns."""
    with hl.engines.read.connect() as conn:
        rows = conn.execute(select(stats_daily)).mappings().all()
    out = {}
    for row in rows:
        key = tuple(row[c] for c in CELL_COLUMNS)
        key = (date.fromisoformat(key[0]) if isinstance(key[0], str) else key[0], *key[1:])
        out[key] = {c: int(row[c]) for c in COLUMNS if row[c]}
    return out


def dept_days(hl: Hotline) -> dict[tuple[date, int], dict[str, int]]:
    """The department days as stored: (day, department) → its non-zero columns."""
    with hl.engines.read.connect() as conn:
        rows = conn.execute(select(stats_dept_day)).mappings().all()
    out = {}
    for row in rows:
        day = row["day"]
        day = date.fromisoformat(day) if isinstance(day, str) else day
        out[(day, int(row["dept_id"]))] = {c: int(row[c]) for c in COLUMNS if row[c]}
    return out


def by_dept_day(
    stored: dict[tuple[Any, ...], dict[str, int]],
) -> dict[tuple[date, int], dict[str, int]]:
    """The cells added up per (day, department), their non-zero columns."""
    out: dict[tuple[date, int], Counter[str]] = {}
    for key, counts in stored.items():
        out.setdefault((key[0], key[1]), Counter()).update(counts)
    return {k: dict(+c) for k, c in out.items() if +c}


def _day(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def recount(hl: Hotline) -> dict[tuple[date, int, str], int]:
    """Per (day, department, column), counted straight from the rows: the columns that do not
    depend on the clock's rules. The department is the lead's for order columns, the part's
    for part columns."""
    out: Counter[tuple[date, int, str]] = Counter()
    with hl.engines.read.connect() as conn:
        tickets = conn.execute(
            select(
                col(Ticket.id),
                col(Ticket.created_at),
                col(Ticket.ending),
                col(Ticket.closed_at),
                col(Ticket.handover_count),
                col(Assignment.dept_id),
            ).join(Assignment, col(Assignment.id) == col(Ticket.lead_assignment_id), isouter=True)
        ).all()
        lead_dept = {t[0]: t[5] or 0 for t in tickets}
        parts = conn.execute(
            select(col(Assignment.ticket_id), col(Assignment.dept_id), col(Assignment.created_at))
        ).all()
        has_parts = {p[0] for p in parts}
        for tid, created, ending, closed, handovers, dept in tickets:
            out[(_day(created), dept or 0, "registered")] += 1
            out[(_day(created), dept or 0, "answered")] += ending == "answered"
            if closed is not None and tid in has_parts:
                out[(_day(closed), dept or 0, "closed")] += 1
                out[(_day(closed), dept or 0, "handovers")] += handovers
        for _tid, part_of, created in parts:
            out[(_day(created), part_of, "dispatches")] += 1
        for _ticket, part_dept, at in conn.execute(
            select(col(AuditEvent.ticket_id), col(AuditEvent.dept_id), col(AuditEvent.at)).where(
                col(AuditEvent.action) == "return"
            )
        ).all():
            out[(_day(at), part_dept or 0, "returns")] += 1
        for tid, made, resolution, satisfaction in conn.execute(
            select(
                col(VisitAttempt.ticket_id),
                col(VisitAttempt.made_at),
                col(VisitAttempt.resolution),
                col(VisitAttempt.satisfaction),
            ).where(col(VisitAttempt.contact) == "reached")
        ).all():
            key = (_day(made), lead_dept[tid])
            out[(*key, "valid_visits")] += 1
            out[(*key, "resolved")] += resolution == "resolved"
            out[(*key, "satisfied")] += satisfaction == "satisfied"
    return +out


def rollup_by_day_dept(
    stored: dict[tuple[Any, ...], dict[str, int]],
) -> dict[tuple[date, int, str], int]:
    columns = ("registered", "answered", "closed", "handovers", "dispatches", "returns",
               "valid_visits", "resolved", "satisfied")  # fmt: skip
    out: Counter[tuple[date, int, str]] = Counter()
    for key, counts in stored.items():
        for column in columns:
            out[(key[0], key[1], column)] += counts.get(column, 0)
    return +out
