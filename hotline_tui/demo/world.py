"""What the demo generator knows about the seeded city, loaded once: ids, codes, actors, pools.

Everything a step needs repeatedly (department codes and ids, category codes, the dispatch lead of
a category in an area, the handler who acts for a department, the pool of repeat callers) is
looked up here once, so the simulation issues no query whose answer it already knows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from db.models import Category, Department, User
from hotline_tui.demo import text
from hotline_tui.demo.city import (
    AREA_PARENTS,
    AREAS,
    CATALOGUE,
    CATEGORIES,
    MARKET_DEPT_CODE,
    AreaSpec,
    CategorySpec,
    lookup_lead,
)
from hotline_tui.demo.simulation import Clock
from hotline_tui.domain.states import Role
from hotline_tui.services.admin.users import actor_of
from hotline_tui.services.context import Actor, Hotline

FALLBACK_LEAD = "M20"  # 政务服务管理局 takes what the catalogue does not place


@dataclass(frozen=True, slots=True)
class Leaf:
    """A leaf category of the demo tree with its database code."""

    path: tuple[str, str, str]
    code: str
    short_name: str


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    phone: str
    id_number: str | None
    street: AreaSpec


@dataclass
class DemoWorld:
    """The seeded city as the generator sees it."""

    clock: Clock
    visit_max_attempts: int
    extension_max_requests: int
    operators: list[Actor]
    dispatchers: list[Actor]
    supervisors: list[Actor]
    system: Actor
    handlers: dict[int, list[Actor]]
    dept_ids: dict[str, int]
    dept_codes: dict[int, str]
    municipal: list[str]
    leaves: list[Leaf]
    leaves_by_root: dict[str, list[Leaf]]
    streets: list[AreaSpec]
    persons: list[Person] = field(default_factory=list)
    enterprises: list[tuple[text.EnterpriseSpec, AreaSpec]] = field(default_factory=list)
    _leads: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def lead(self, leaf: Leaf, street: AreaSpec) -> tuple[str, tuple[str, ...]]:
        """The catalogue's lead department (and co-handlers) for a category in an area."""
        key = (leaf.code, street.code)
        found = self._leads.get(key)
        if found is None:
            rule = lookup_lead(CATALOGUE, leaf.path, street.code, AREA_PARENTS)
            if rule is None or rule.dept_code not in self.dept_ids:
                found = (FALLBACK_LEAD, ())
            else:
                co = tuple(c for c in rule.co_dept_codes if c in self.dept_ids)
                found = (rule.dept_code, co)
            self._leads[key] = found
        return found

    def handler(self, rng: random.Random, dept_id: int) -> Actor:
        """A handler of the department (the fixed demo users take most of their unit's work)."""
        actors = self.handlers[dept_id]
        return actors[0] if len(actors) == 1 or rng.random() < 0.7 else rng.choice(actors[1:])

    def other_municipal(self, rng: random.Random, *avoid: str) -> str:
        choices = [code for code in self.municipal if code not in avoid]
        return rng.choice(choices)

    def street_office(self, street: AreaSpec) -> str | None:
        code = "S" + street.code[2:]
        return code if code in self.dept_ids else None


def load_world(hl: Hotline, clock: Clock, usernames: set[str]) -> DemoWorld:
    """Read the seeded city's ids and the demo users (``usernames``) from the database."""
    with Session(hl.engines.read, expire_on_commit=False) as session:
        depts = list(session.execute(select(Department)).scalars())
        dept_ids = {d.code: d.id or 0 for d in depts}
        dept_codes = {d.id or 0: d.code for d in depts}
        users = [
            u
            for u in session.execute(select(User).order_by(col(User.id))).scalars()
            if u.username in usernames or u.username == "system"
        ]
        codes = {
            row.path: row.code
            for row in session.execute(
                select(Category.path, Category.code).where(col(Category.level) == 3)
            )
        }
    by_name = {u.username: u for u in users}

    def role(wanted: Role) -> list[Actor]:
        return [actor_of(u) for u in users if u.role == wanted.value and u.username != "system"]

    handlers: dict[int, list[Actor]] = {}
    preferred = {dept_ids.get(MARKET_DEPT_CODE): "dept1"}
    for user in users:
        if user.role == Role.HANDLER.value and user.dept_id is not None and not user.disabled:
            handlers.setdefault(user.dept_id, []).append(actor_of(user))
    for dept_id, actors in handlers.items():
        first = preferred.get(dept_id)
        actors.sort(
            key=lambda a: (a.username != first, not a.username.startswith("dept"), a.username)
        )
    leaves = [_leaf(spec, codes) for spec in CATEGORIES if "/".join(spec.path) in codes]
    by_root: dict[str, list[Leaf]] = {}
    for leaf in leaves:
        by_root.setdefault(leaf.path[0], []).append(leaf)
    return DemoWorld(
        clock=clock,
        visit_max_attempts=max(1, hl.settings.visit_max_attempts),
        extension_max_requests=max(1, hl.settings.extension_max_requests),
        operators=role(Role.OPERATOR),
        dispatchers=role(Role.DISPATCHER),
        supervisors=role(Role.SUPERVISOR),
        system=actor_of(by_name["system"]),
        handlers=handlers,
        dept_ids=dept_ids,
        dept_codes=dept_codes,
        municipal=sorted(c for c in dept_ids if c.startswith("M") and dept_ids[c] in handlers),
        leaves=leaves,
        leaves_by_root=by_root,
        streets=[a for a in AREAS if a.level == "street"],
    )


def _leaf(spec: CategorySpec, codes: dict[str, str]) -> Leaf:
    return Leaf(spec.path, codes["/".join(spec.path)], spec.short_name or spec.path[-1])


def fill_pools(world: DemoWorld, rng: random.Random, orders: int) -> None:
    """The repeat callers: people who call again and again, and enterprises that call back."""
    streets = world.streets
    world.persons = [
        Person(
            text.person_name(rng),
            text.mobile(rng),
            text.resident_id(rng) if rng.random() < 0.3 else None,
            rng.choice(streets),
        )
        for _ in range(max(20, orders // 40))
    ]
    world.enterprises = []
    for _ in range(max(10, orders // 25)):
        street = rng.choice(streets)
        world.enterprises.append((text.enterprise(rng, street.code), street))
