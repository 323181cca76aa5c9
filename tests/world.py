"""A small fictional world for tests: areas, departments, categories, users.

Written once into a template database per test session; each test gets a copy.
"""

from __future__ import annotations

from sqlmodel import select

from db.models import Area, CatalogueRule, Category, Department, User
from hotline_tui.services import uow as uow_module
from hotline_tui.services.admin.users import actor_of, add_user, system_actor
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.uow import UnitOfWork

PASSWORD = "test-pass-123"

AREAS = [
    ("C1", "测试市", None, "city"),
    ("D1", "甲区", "C1", "district"),
    ("D2", "乙区", "C1", "district"),
    ("S1", "一街道", "D1", "street"),
]
DEPTS = [
    ("M01", "测试市市场监督管理局", "市监局", "municipal"),
    ("M02", "测试市住房和城乡建设局", "市住建局", "municipal"),
    ("M03", "测试市人力资源和社会保障局", "市人社局", "municipal"),
    ("S01", "一街道办事处", "一街道", "street"),
]
CATEGORIES = [
    ("企业服务", "登记注册", "营业执照办理"),
    ("企业服务", "登记注册", "名称变更"),
    ("城乡建设", "住房", "物业管理"),
    ("劳动保障", "社保", "社保缴费"),
]
USERS = [
    ("op", "operator", None),
    ("disp", "dispatcher", None),
    ("h1", "handler", "M01"),
    ("h2", "handler", "M02"),
    ("h3", "handler", "M03"),
    ("sup", "supervisor", None),
    ("adm", "admin", None),
]


def seed_world(hl: Hotline) -> None:
    admin = system_actor(hl)

    def work(uow: UnitOfWork) -> None:
        s = uow.session
        areas: dict[str, int] = {}
        for code, name, parent, area_level in AREAS:
            area = Area(code=code, name=name, parent_id=areas.get(parent or ""), level=area_level)
            s.add(area)
            s.flush()
            areas[code] = area.id or 0
        for code, name, short, kind in DEPTS:
            s.add(Department(code=code, name=name, short_name=short, kind=kind))
        nodes: dict[str, int] = {}
        for path in CATEGORIES:
            for level in (1, 2, 3):
                key = "/".join(path[:level])
                if key in nodes:
                    continue
                cat = Category(
                    code=f"T{len(nodes) + 1:03d}",
                    name=path[level - 1],
                    level=level,
                    parent_id=nodes.get("/".join(path[: level - 1])),
                    path=key,
                )
                s.add(cat)
                s.flush()
                nodes[key] = cat.id or 0
        s.flush()
        m01 = s.exec(select(Department.id).where(Department.code == "M01")).one()
        s.add(CatalogueRule(category_id=nodes["企业服务"], dept_id=m01 or 0))
        uow.record("test.seed", entity="reference")

    uow_module.write(hl, admin, work)
    for username, role, dept in USERS:
        add_user(hl, admin, username, f"用户{username}", role, password=PASSWORD, dept=dept)


def actors(hl: Hotline) -> dict[str, Actor]:
    with hl.reading() as session:
        return {u.username: actor_of(u) for u in session.exec(select(User))}


def leaf_code(hl: Hotline, name: str) -> str:
    with hl.reading() as session:
        return str(session.exec(select(Category.code).where(Category.name == name)).one())
