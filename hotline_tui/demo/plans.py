"""What happens to each demo order, decided up front from its own random stream.

A plan holds the call as the operator records it (caller, category, area, text) and the turns its
handling will take: direct answer or dispatch, co-handlers, returns, extensions, supervision,
review, return visits, redo, reopening, duplicates. The flows in :mod:`flows` carry it out through
the services. Forced plans (:mod:`forced`) make sure that even a small demo shows every state and
every ending of the loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from hotline_tui.demo import text
from hotline_tui.demo.categories import ENTERPRISE_ROOT
from hotline_tui.demo.city import AreaSpec
from hotline_tui.demo.simulation import pick
from hotline_tui.demo.world import DemoWorld, Leaf
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.states import (
    CallerKind,
    RequestType,
    Resolution,
    Satisfaction,
    Urgency,
    VisitContact,
)
from hotline_tui.services.tickets.visits import VisitResult

_TYPES = tuple(RequestType)
_TYPE_WEIGHTS = (71, 11, 7, 4, 3, 1.5, 2.5)  # consult complaint help report suggestion praise other

# First-level classes people call about, by request type (others share what is left evenly).
_ROOT_WEIGHTS: dict[str, dict[str, float]] = {
    "consult": {
        "劳动和社会保障": 14,
        "医疗保障": 9,
        "住房公积金": 9,
        ENTERPRISE_ROOT: 18,
        "教育": 8,
        "城乡建设": 8,
        "卫生健康": 6,
        "民政": 6,
        "交通运输": 5,
        "公共安全": 5,
        "水电气暖": 4,
        "市场监管": 4,
        "其他": 4,
    },
    "complaint": {
        "市场监管": 16,
        "城乡建设": 16,
        "城市管理": 12,
        "环境保护": 12,
        "水电气暖": 8,
        "交通运输": 8,
        "劳动和社会保障": 8,
        ENTERPRISE_ROOT: 6,
        "教育": 4,
        "卫生健康": 4,
    },
    "help": {
        "水电气暖": 15,
        "民政": 12,
        "劳动和社会保障": 12,
        "城乡建设": 10,
        "城市管理": 8,
        "公共安全": 8,
        "医疗保障": 6,
        "卫生健康": 6,
        ENTERPRISE_ROOT: 8,
    },
    "report": {
        "市场监管": 25,
        "环境保护": 20,
        "城市管理": 15,
        "公共安全": 12,
        "劳动和社会保障": 8,
        "城乡建设": 8,
        "教育": 5,
        "卫生健康": 5,
    },
}
_OTHER_ROOT_WEIGHT = 2.0

INVALID_CALLS = (
    "来电无声，话务员多次询问无应答后挂断。",
    "来电人拨错号码，称要找快递公司。",
    "来电人询问与政务服务无关的私人事务，已告知热线受理范围。",
    "来电人反复辱骂话务员，经警告劝阻无效后挂断。",
    "儿童误拨，无具体诉求。",
)
_ANSWERS = (
    "已根据知识库告知来电人{topic}的办理条件、所需材料和办理地点，来电人表示清楚。",
    "已向来电人解释{topic}的现行政策和办理流程，并告知可通过政务服务网在线办理。",
    "已告知来电人{topic}的咨询电话和窗口地址，来电人无其他诉求。",
    "已答复来电人关于{topic}的问题，并提醒其携带身份证件到窗口办理。",
)
WITHDRAW_NOTES = (
    "来电人表示问题已自行解决，申请撤回诉求。",
    "来电人称已与对方协商一致，要求撤单。",
)


@dataclass
class OrderPlan:
    """One order's call and the turns its handling will take."""

    rng: random.Random
    intake: IntakeInput
    leaf: Leaf
    street: AreaSpec
    disposition: str  # answer, dispatch (by the operator), queue, register, withdraw, invalid
    text: str = ""  # answer text or closing note
    abusive: bool = False
    lead: str = ""
    co: tuple[str, ...] = ()
    lead_return: str | None = None  # redispatch, requeue or reject
    return_after_sign: bool = False
    co_return: str | None = None  # redispatch or reject
    extension: str | None = None  # approve or deny
    urge: bool = False
    supervise: bool = False
    escalate: bool = False
    consult: bool = False
    review_fails: int = 0
    withdraw_midway: bool = False
    release_co: bool = False
    visits: list[VisitResult] = field(default_factory=list)
    redo: list[bool] = field(default_factory=list)  # after each unsatisfied visit: redo or close
    redo_co: bool = False
    reopen: bool = False
    duplicates: int = 0
    stop: str | None = None  # forced plans: the flow ends when the order reaches this state
    fast: bool = False  # forced plans: short delays, so that the state is reached in time

    def next_visit(self) -> VisitResult:
        if self.visits:
            return self.visits.pop(0)
        return reached(self.rng, unsatisfied_share=0.15)

    def outcome(self) -> str:
        """How the department's reply reads, to match the visit that follows."""
        upcoming = next((v for v in self.visits if v.contact is VisitContact.REACHED), None)
        if upcoming is None or upcoming.resolution is None:
            return "resolved"
        return upcoming.resolution.value


def reached(rng: random.Random, unsatisfied_share: float) -> VisitResult:
    draw = rng.random()
    if draw < unsatisfied_share:
        resolution = Resolution.UNRESOLVED if rng.random() < 0.7 else Resolution.PARTLY
        return VisitResult(
            VisitContact.REACHED,
            resolution,
            Satisfaction.UNSATISFIED,
            text.visit_note(rng, satisfied=False),
        )
    if draw < unsatisfied_share + 0.2:
        return VisitResult(
            VisitContact.REACHED,
            Resolution.PARTLY,
            Satisfaction.BASIC,
            text.visit_note(rng, satisfied=True),
        )
    return VisitResult(
        VisitContact.REACHED,
        Resolution.RESOLVED,
        Satisfaction.SATISFIED,
        text.visit_note(rng, satisfied=True),
    )


def unreached(contact: VisitContact) -> VisitResult:
    note = "多次拨打未接通。" if contact is VisitContact.UNREACHABLE else "来电人表示不愿接受回访。"
    return VisitResult(contact, note=note)


# --------------------------------------------------------------------------------------- calls


def _caller(
    world: DemoWorld, rng: random.Random, request_type: str, leaf: Leaf, street: AreaSpec
) -> tuple[CallerInput, bool]:
    """The caller and whether they asked for confidentiality."""
    if request_type == "report":
        confidential = rng.random() < 0.6
        anonymous = rng.random() < 0.35
    else:
        confidential = request_type == "complaint" and rng.random() < 0.03
        anonymous = rng.random() < 0.03
    if anonymous:
        phone = text.mobile(rng) if rng.random() < 0.5 else None
        return CallerInput(kind=CallerKind.ANONYMOUS.value, phone=phone), confidential
    enterprise_share = 0.7 if leaf.path[0] == ENTERPRISE_ROOT else 0.14
    if request_type in ("consult", "complaint", "help", "suggestion") and (
        rng.random() < enterprise_share
    ):
        spec, home = world.enterprises[int(len(world.enterprises) * rng.random() ** 1.5)]
        return CallerInput(
            kind=CallerKind.ENTERPRISE.value,
            name=spec.name,
            phone=text.mobile(rng) if rng.random() < 0.2 else _enterprise_phone(spec),
            credit_code=spec.credit_code,
            industry=spec.industry,
            size=spec.size,
            area_code=home.code,
        ), confidential
    if rng.random() < 0.18:
        person = world.persons[int(len(world.persons) * rng.random() ** 2)]
        return CallerInput(
            name=person.name,
            phone=person.phone,
            id_number=person.id_number,
            area_code=person.street.code,
        ), confidential
    return CallerInput(
        name=text.person_name(rng),
        phone=text.mobile(rng),
        id_number=text.resident_id(rng) if rng.random() < 0.1 else None,
        area_code=street.code,
    ), confidential


def _enterprise_phone(spec: text.EnterpriseSpec) -> str:
    """An enterprise's own contact number (stable, so the enterprise is a repeat caller)."""
    digits = "".join(ch for ch in spec.credit_code if ch.isdigit())[-8:].rjust(8, "0")
    return "139" + digits


def plan_order(world: DemoWorld, rng: random.Random) -> OrderPlan:
    """A natural order: the call and its handling drawn from the demo's proportions."""
    invalid = rng.random() < 0.025
    request_type = "other" if invalid else pick(rng, _TYPES, _TYPE_WEIGHTS).value
    weights = _ROOT_WEIGHTS.get(request_type, {})
    roots = list(world.leaves_by_root)
    root = pick(rng, roots, [weights.get(r, _OTHER_ROOT_WEIGHT) for r in roots])
    leaf: Leaf = rng.choice(world.leaves_by_root[root])
    street: AreaSpec = rng.choice(world.streets)
    caller, confidential = _caller(world, rng, request_type, leaf, street)
    address = text.address(rng, street.name)
    if invalid:
        description = rng.choice(INVALID_CALLS)
    else:
        description = text.description(rng, leaf.path, request_type, street.name, address)
    label = text.REQUEST_TYPE_LABELS[request_type]
    urgency = Urgency.NORMAL.value
    if request_type in ("complaint", "help", "report"):
        urgency = pick(rng, ("normal", "urgent", "critical"), (93, 6, 1))
    intake = IntakeInput(
        request_type=request_type,
        description=description,
        caller=caller,
        title="" if invalid else f"{street.short_name}{leaf.short_name}{label}",
        category=None if invalid else leaf.code,
        area=street.code,
        address="" if invalid else address,
        urgency=urgency,
        confidential=confidential,
    )
    plan = OrderPlan(rng=rng, intake=intake, leaf=leaf, street=street, disposition="queue")
    if invalid:
        plan.disposition = "invalid"
        plan.abusive = "辱骂" in description and caller.kind != CallerKind.ANONYMOUS.value
        return plan
    draw = rng.random()
    if (request_type == "consult" and draw < 0.86) or (request_type == "praise" and draw < 0.5):
        plan.disposition = "answer"
        plan.text = rng.choice(_ANSWERS).format(topic=leaf.path[-1])
        plan.reopen = rng.random() < 0.003
        return plan
    if draw > 0.985:
        plan.disposition = "withdraw"
        plan.text = rng.choice(WITHDRAW_NOTES)
        return plan
    plan.disposition = "dispatch" if rng.random() < 0.2 else "queue"
    _handling(world, plan)
    if caller.phone is None:  # nobody to call back
        plan.visits = [unreached(VisitContact.UNREACHABLE)] * world.visit_max_attempts
    return plan


def _handling(world: DemoWorld, plan: OrderPlan) -> None:
    """The turns of a dispatched order."""
    rng = plan.rng
    plan.lead, catalogue_co = world.lead(plan.leaf, plan.street)
    co = [c for c in catalogue_co if rng.random() < 0.6]
    if rng.random() < 0.04:
        co.append(world.other_municipal(rng, plan.lead, *co))
    plan.co = tuple(co)
    draw = rng.random()
    if draw < 0.05:
        plan.lead_return = pick(rng, ("redispatch", "reject", "requeue"), (6, 3, 1))
        plan.return_after_sign = rng.random() < 0.4
    plan.co_return = (
        pick(rng, ("redispatch", "reject"), (6, 4)) if co and rng.random() < 0.08 else None
    )
    plan.extension = pick(rng, ("approve", "deny"), (3, 1)) if rng.random() < 0.06 else None
    plan.urge = rng.random() < 0.06
    plan.supervise = rng.random() < 0.02
    plan.escalate = rng.random() < 0.005
    plan.consult = rng.random() < (0.08 if co else 0.005)
    plan.review_fails = 1 if rng.random() < 0.06 else 0
    plan.withdraw_midway = rng.random() < 0.01
    plan.release_co = bool(co) and rng.random() < 0.03
    plan.duplicates = (
        (1 + int(rng.random() < 0.3))
        if (plan.intake.request_type in ("complaint", "help", "report") and rng.random() < 0.03)
        else 0
    )
    draw = rng.random()
    if draw < 0.04:
        misses = rng.randint(1, world.visit_max_attempts)
        plan.visits = [unreached(VisitContact.UNREACHABLE)] * misses
        if misses < world.visit_max_attempts:
            plan.visits.append(reached(rng, unsatisfied_share=0.1))
    elif draw < 0.06:
        plan.visits = [unreached(VisitContact.DECLINED)]
    else:
        plan.visits = [reached(rng, unsatisfied_share=0.12)]
    plan.redo = [rng.random() < 0.55, rng.random() < 0.2]
    plan.redo_co = bool(co) and rng.random() < 0.3
    plan.reopen = rng.random() < 0.008


def plan_duplicate(world: DemoWorld, parent: OrderPlan, rng: random.Random) -> OrderPlan:
    """Another caller reporting the same matter at the same place (merged by the dispatcher)."""
    street, leaf = parent.street, parent.leaf
    request_type = parent.intake.request_type
    caller = CallerInput(name=text.person_name(rng), phone=text.mobile(rng), area_code=street.code)
    description = text.description(rng, leaf.path, request_type, street.name, parent.intake.address)
    intake = replace(parent.intake, caller=caller, description=description, confidential=False)
    visit = reached(rng, 0.05) if rng.random() < 0.93 else unreached(VisitContact.UNREACHABLE)
    return OrderPlan(
        rng=rng,
        intake=intake,
        leaf=leaf,
        street=street,
        disposition="queue",
        visits=[visit],
        redo=[False],
    )


def delays(plan: OrderPlan) -> float:
    """The factor on every delay: forced plans that must reach a state in time move fast."""
    return 0.15 if plan.fast else 1.0
