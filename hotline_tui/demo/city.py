"""The fictional city 青川市: its areas, departments, dispatch catalogue and demo users.

Everything here is invented for demos and tests. Codes are stable ASCII:

* areas: ``QC`` (city), ``QCdd`` (district ``dd``), ``QCddss`` (street or town ``ss`` of it);
* departments: ``Mnn`` municipal units, ``Dddnn`` district bureaus, ``Sddss`` street offices
  (``Sddss`` serves area ``QCddss``).

The category tree lives in :mod:`hotline_tui.demo.categories` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from hotline_tui.demo.categories import (
    BRANCH_SHORT_NAMES,
    CATEGORIES,
    ENTERPRISE_ROOT,
    FIRST_LEVEL_NAMES,
    CategorySpec,
)
from hotline_tui.domain.catalogue import path_keys, pick_rule

__all__ = [
    "AREAS",
    "AREA_PARENTS",
    "BRANCH_SHORT_NAMES",
    "CATALOGUE",
    "CATEGORIES",
    "CITY_CODE",
    "CITY_NAME",
    "DEMO_USERS",
    "DEPARTMENTS",
    "ENTERPRISE_ROOT",
    "FIRST_LEVEL_NAMES",
    "HOUSING_DEPT_CODE",
    "MARKET_DEPT_CODE",
    "AreaSpec",
    "CatalogueRule",
    "CategorySpec",
    "DeptSpec",
    "UserSpec",
    "area_chain",
    "lookup_lead",
]


@dataclass(frozen=True, slots=True)
class AreaSpec:
    """An administrative area; ``level`` is ``"city"``, ``"district"`` or ``"street"``."""

    code: str
    name: str
    short_name: str
    parent_code: str | None
    level: str
    population: int | None = None  # residents, when the demo city knows them


@dataclass(frozen=True, slots=True)
class DeptSpec:
    """A handling unit; ``kind`` is ``"municipal"``, ``"district"`` or ``"street"``."""

    code: str
    name: str
    short_name: str
    kind: str
    area_code: str | None


@dataclass(frozen=True, slots=True)
class CatalogueRule:
    """Dispatch catalogue entry: a category path prefix (+ optional area) → lead (+ co-handlers)."""

    category_path: tuple[str, ...]
    area_code: str | None
    dept_code: str
    co_dept_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A demo login; ``role`` is operator, dispatcher, handler, supervisor or admin."""

    username: str
    display_name: str
    role: str
    dept_code: str | None


CITY_CODE = "QC"
CITY_NAME = "青川市"

# ---------------------------------------------------------------------------------------- areas

# district number → (name, short name, streets as "name:short:residents" entries; residents
# left out where the demo city does not know them, so that a rate shows —)
_DISTRICTS: tuple[tuple[str, str, str, str], ...] = (
    ("01", "东湖区", "东湖",
     "湖滨街道:湖滨:86000 望江街道:望江:64000 "
     "金桥街道:金桥:112000 柳岸街道:柳岸:47000"),
    ("02", "西山区", "西山",
     "松林街道:松林:52000 翠屏街道:翠屏:78000 "
     "石门街道:石门:39000 枫岭镇:枫岭:28000"),
    ("03", "南岸区", "南岸",
     "滨江街道:滨江:95000 南浦街道:南浦:71000 朝阳街道:朝阳:83000 "
     "白沙镇:白沙:31000 渔港街道:渔港:26000"),
    ("04", "北城区", "北城",
     "北关街道:北关:68000 广场街道:广场:104000 "
     "纺织街道:纺织:57000"),
    ("05", "高新区", "高新",
     "科创街道:科创:49000 软件园街道:软件园:62000 "
     "新桥街道:新桥:44000"),
    ("06", "青川县", "青川县",
     "城关镇:城关:73000 青石镇:青石:35000 "
     "桃源镇:桃源:29000 清溪镇:清溪"),
)  # fmt: skip


def _build_areas() -> tuple[AreaSpec, ...]:
    areas: list[AreaSpec] = []
    for number, name, short, streets in _DISTRICTS:
        district_code = f"{CITY_CODE}{number}"
        people: list[int | None] = []
        for index, entry in enumerate(streets.split(), start=1):
            street_name, street_short, residents = [*entry.split(":"), ""][:3]
            people.append(int(residents) if residents else None)
            code = f"{district_code}{index:02d}"
            areas.append(
                AreaSpec(code, street_name, street_short, district_code, "street", people[-1])
            )
        total = None if None in people else sum(p or 0 for p in people)
        areas.append(AreaSpec(district_code, name, short, CITY_CODE, "district", total))
    known = [a.population for a in areas if a.level == "district"]
    city_people = None if None in known else sum(p or 0 for p in known)
    city = AreaSpec(CITY_CODE, CITY_NAME, "青川", None, "city", city_people)
    rank = {"city": 0, "district": 1, "street": 2}
    # the city, then each district followed by its streets (the order of the tables above)
    ordered = sorted(areas, key=lambda a: (a.code[: len(CITY_CODE) + 2], rank[a.level], a.code))
    return (city, *ordered)


AREAS: tuple[AreaSpec, ...] = _build_areas()
"""The city, its 6 districts and their 23 streets/towns, parents before children."""

AREA_PARENTS: Mapping[str, str | None] = MappingProxyType({a.code: a.parent_code for a in AREAS})
"""Area code → parent area code (``None`` for the city); the shape :func:`lookup_lead` takes."""

_AREA_BY_CODE = {a.code: a for a in AREAS}

# ---------------------------------------------------------------------------------- departments

MARKET_DEPT_CODE = "M01"
"""青川市市场监督管理局 — the department of demo handler ``dept1``."""
HOUSING_DEPT_CODE = "M03"
"""青川市住房和城乡建设局 — the department of demo handler ``dept2``."""

# code, name (without the city prefix unless it starts with "!"), short name
_MUNICIPAL: tuple[tuple[str, str, str], ...] = (
    (MARKET_DEPT_CODE, "市场监督管理局", "市监局"),
    ("M02", "税务局", "市税务局"),
    (HOUSING_DEPT_CODE, "住房和城乡建设局", "市住建局"),
    ("M04", "人力资源和社会保障局", "市人社局"),
    ("M05", "生态环境局", "市环境局"),
    ("M06", "消防救援支队", "市消防支队"),
    ("M07", "自然资源和规划局", "市自规局"),
    ("M08", "交通运输局", "市交通局"),
    ("M09", "医疗保障局", "市医保局"),
    ("M10", "住房公积金管理中心", "市公积金中心"),
    ("M11", "教育局", "市教育局"),
    ("M12", "卫生健康委员会", "市卫健委"),
    ("M13", "公安局", "市公安局"),
    ("M14", "城市管理局", "市城管局"),
    ("M15", "水务局", "市水务局"),
    ("M16", "民政局", "市民政局"),
    ("M17", "文化广电旅游局", "市文旅局"),
    ("M18", "应急管理局", "市应急局"),
    ("M19", "发展和改革委员会", "市发改委"),
    ("M20", "政务服务管理局", "市政务服务局"),
    ("M21", "商务局", "市商务局"),
    ("M22", "农业农村局", "市农业农村局"),
    ("M23", "工业和信息化局", "市工信局"),
    ("M24", "地方金融管理局", "市金融局"),
    ("M25", "!青川供电公司", "供电公司"),
    ("M26", "燃气集团有限公司", "市燃气公司"),
    ("M27", "自来水有限公司", "市自来水公司"),
    ("M28", "热力有限公司", "市热力公司"),
    ("M29", "司法局", "市司法局"),
)

# Districts whose own bureaus take orders (the others are handled by the municipal bureaus).
_BUREAU_DISTRICTS = ("01", "02", "03")


def _build_departments() -> tuple[DeptSpec, ...]:
    depts: list[DeptSpec] = []
    for code, name, short in _MUNICIPAL:
        full = name[1:] if name.startswith("!") else CITY_NAME + name
        depts.append(DeptSpec(code, full, short, "municipal", CITY_CODE))
    for number, district, d_short, _streets in _DISTRICTS:
        if number not in _BUREAU_DISTRICTS:
            continue
        seat = f"{CITY_CODE}{number}"
        market = f"{CITY_NAME}市场监督管理局{d_short}分局"
        depts += [
            DeptSpec(f"D{number}01", market, f"{d_short}市监分局", "district", seat),
            DeptSpec(
                f"D{number}02", f"{district}住房和城乡建设局", f"{d_short}住建局", "district", seat
            ),
            DeptSpec(f"D{number}03", f"{district}城市管理局", f"{d_short}城管局", "district", seat),
        ]
    for street in AREAS:
        if street.level != "street":
            continue
        district_name = _AREA_BY_CODE[street.parent_code or CITY_CODE].name
        code = "S" + street.code[len(CITY_CODE) :]
        if street.name.endswith("镇"):
            name, short = f"{district_name}{street.name}人民政府", f"{street.name}政府"
        else:
            name, short = f"{district_name}{street.name}办事处", f"{street.name}办"
        depts.append(DeptSpec(code, name, short, "street", street.code))
    return tuple(depts)


DEPARTMENTS: tuple[DeptSpec, ...] = _build_departments()
"""29 municipal units, 9 district bureaus (东湖/西山/南岸) and one office per street/town."""

# ------------------------------------------------------------------------------------ catalogue

_CITY_WIDE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # "first" or "first/second", lead, co-handlers
    ("市场监管", MARKET_DEPT_CODE, ()),
    ("城乡建设", HOUSING_DEPT_CODE, ()),
    ("城乡建设/城乡规划", "M07", ()),
    ("城乡建设/房屋征收", HOUSING_DEPT_CODE, ("M07",)),
    ("劳动和社会保障", "M04", ()),
    ("教育", "M11", ()),
    ("卫生健康", "M12", ()),
    ("环境保护", "M05", ()),
    ("环境保护/固体废物", "M05", ("M14",)),
    ("交通运输", "M08", ()),
    ("公共安全", "M13", ()),
    ("公共安全/消防安全", "M06", ()),
    ("公共安全/安全生产", "M18", ()),
    ("民政", "M16", ()),
    (ENTERPRISE_ROOT, "M20", ()),
    (f"{ENTERPRISE_ROOT}/市场准入", MARKET_DEPT_CODE, ("M20",)),
    (f"{ENTERPRISE_ROOT}/工程建设项目审批", HOUSING_DEPT_CODE, ("M07", "M20")),
    (f"{ENTERPRISE_ROOT}/税费服务", "M02", ()),
    (f"{ENTERPRISE_ROOT}/融资与惠企政策", "M24", ("M23",)),
    (f"{ENTERPRISE_ROOT}/用工服务", "M04", ()),
    ("城市管理", "M14", ()),
    ("水电气暖", "M15", ()),
    ("水电气暖/供水", "M27", ("M15",)),
    ("水电气暖/供电", "M25", ()),
    ("水电气暖/燃气", "M26", ()),
    ("水电气暖/供暖", "M28", ()),
    ("医疗保障", "M09", ()),
    ("住房公积金", "M10", ()),
    ("其他", "M20", ()),
    ("其他/文化旅游", "M17", ()),
    ("其他/农业农村", "M22", ()),
)


def _build_catalogue() -> tuple[CatalogueRule, ...]:
    rules = [CatalogueRule(tuple(path.split("/")), None, lead, co) for path, lead, co in _CITY_WIDE]
    # District bureaus take their district's market, building-quality and city-management orders.
    for number in _BUREAU_DISTRICTS:
        seat = f"{CITY_CODE}{number}"
        rules += [
            CatalogueRule(("市场监管", "食品安全"), seat, f"D{number}01"),
            CatalogueRule(("市场监管", "消费维权"), seat, f"D{number}01"),
            CatalogueRule(("城乡建设", "工程质量"), seat, f"D{number}02"),
            CatalogueRule(("城市管理",), seat, f"D{number}03"),
        ]
    # Streets own property-management and illegal-building matters on their ground (属地管理).
    for street in AREAS:
        if street.level != "street":
            continue
        office = "S" + street.code[len(CITY_CODE) :]
        district_number = street.code[len(CITY_CODE) : len(CITY_CODE) + 2]
        housing = (f"D{district_number}02",) if district_number in _BUREAU_DISTRICTS else ()
        rules += [
            CatalogueRule(("城乡建设", "物业管理"), street.code, office, housing),
            CatalogueRule(("城市管理", "违法建设"), street.code, office),
        ]
    return tuple(rules)


CATALOGUE: tuple[CatalogueRule, ...] = _build_catalogue()
"""The dispatch catalogue: city-wide leads per branch, plus district and street overrides."""


def area_chain(area_code: str | None, area_parents: Mapping[str, str | None]) -> list[str | None]:
    """``[area, parent, …, city, None]`` — the areas whose rules apply, most specific first."""
    chain: list[str | None] = []
    code = area_code
    while code is not None and code not in chain:
        chain.append(code)
        code = area_parents.get(code)
    chain.append(None)
    return chain


def lookup_lead(
    rules: Iterable[CatalogueRule],
    leaf_path: tuple[str, ...],
    area_code: str | None,
    area_parents: Mapping[str, str | None],
) -> CatalogueRule | None:
    """The catalogue rule that leads on ``leaf_path`` in ``area_code``, or ``None``.

    A rule applies when its category path is a prefix of ``leaf_path`` and its area is the given
    area, one of its ancestors (street → district → city) or ``None`` (anywhere). The longest
    category prefix wins; between equally long prefixes the most specific area wins (an area rule
    beats an area-less one); a remaining tie goes to the rule listed first. The precedence itself
    is :func:`hotline_tui.domain.catalogue.pick_rule`, shared with the database services.
    """
    table: dict[tuple[str, str | None], CatalogueRule] = {}
    for rule in rules:
        if rule.category_path:  # an empty path is a prefix of everything: never a real rule
            # setdefault keeps the first of two rules on the same key, as documented above.
            table.setdefault(("/".join(rule.category_path), rule.area_code), rule)
    areas = [code for code in area_chain(area_code, area_parents) if code is not None]
    return pick_rule(table, path_keys(leaf_path), areas)


# ---------------------------------------------------------------------------------------- users

_STAFF: tuple[tuple[str, str, str, str | None], ...] = (
    ("op1", "林晓雯", "operator", None),
    ("op2", "赵一帆", "operator", None),
    ("op3", "孙佳琪", "operator", None),
    ("op4", "周子墨", "operator", None),
    ("disp1", "陈国栋", "dispatcher", None),
    ("dept1", "王海燕", "handler", MARKET_DEPT_CODE),
    ("dept2", "刘建平", "handler", HOUSING_DEPT_CODE),
    ("sup1", "郑秀兰", "supervisor", None),
    ("admin1", "何志远", "admin", None),
)

# One handler per municipal unit, in code order (h_M01 … h_M29).
_HANDLER_NAMES = (
    "吴敏 冯晓东 褚立新 卫红梅 蒋文博 沈丽娟 韩振宇 杨春燕 朱浩然 秦雪梅 许志强 何静怡 吕国华"
    " 施晓光 张雅琴 孔德明 曹丽萍 严俊杰 华玉兰 金世豪 魏晓峰 陶美玲 姜宏伟 戚佳慧 谢明辉 邹冬梅"
    " 喻文涛 柏雨萱 水立军"
)


def _build_users() -> tuple[UserSpec, ...]:
    users = [UserSpec(*staff) for staff in _STAFF]
    municipal = [d for d in DEPARTMENTS if d.kind == "municipal"]
    for dept, name in zip(municipal, _HANDLER_NAMES.split(), strict=True):
        users.append(UserSpec(f"h_{dept.code}", name, "handler", dept.code))
    return tuple(users)


DEMO_USERS: tuple[UserSpec, ...] = _build_users()
"""op1–op4, disp1, dept1 (市监局), dept2 (住建局), sup1, admin1 and ``h_Mnn`` per municipal unit."""
