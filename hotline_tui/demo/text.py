"""Deterministic Chinese text for demo data: names, identifiers, addresses and work-order texts.

Every function takes the :class:`random.Random` to draw from, so a fixed seed gives the same text.
Templates are our own; slots such as ``{topic}`` and ``{addr}`` are filled from small word lists.
Request types and outcomes are accepted either as the domain identifiers (``"consult"``,
``"resolved"``, …) or as their Chinese labels (``"咨询"``, ``"已解决"``, …).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from hotline_tui.demo.categories import CATEGORY_PHRASES, parse_template_source
from hotline_tui.demo.city import AREAS, CITY_CODE, CITY_NAME, DEPARTMENTS
from hotline_tui.domain.validation import resident_id_check_char, uscc_check_char

__all__ = [
    "REQUEST_TYPE_LABELS",
    "RETURN_REASON_LABELS",
    "EnterpriseSpec",
    "address",
    "description",
    "enterprise",
    "extension_reason",
    "mobile",
    "note",
    "person_name",
    "reply_text",
    "resident_id",
    "return_basis",
    "visit_note",
]


@dataclass(frozen=True, slots=True)
class EnterpriseSpec:
    """A fictional enterprise caller; ``size`` is micro, small, medium or large."""

    name: str
    credit_code: str
    industry: str
    size: str


REQUEST_TYPE_LABELS: Mapping[str, str] = {
    "consult": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
    "other": "其他",
}
RETURN_REASON_LABELS: Mapping[str, str] = {
    "wrong_area": "属地不符",
    "not_our_duty": "非职责范围",
    "ownership_unclear": "权属不清",
    "overlapping_duty": "职能交叉",
    "incomplete_info": "信息不全",
}


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split("|") if part)


# --------------------------------------------------------------------------- people and numbers

_SURNAMES = _pool(
    "王|李|张|刘|陈|杨|黄|赵|吴|周|徐|孙|马|朱|胡|郭|何|高|林|罗|郑|梁|谢|宋|唐|许|韩|冯|邓|曹|彭"
    "|曾|肖|田|董|袁|潘|于|蒋|蔡|余|杜|叶|程|苏|魏|吕|丁|任|沈|姚|卢|姜|崔|钟|谭|陆|汪|范|金|石"
    "|廖|贾|夏|韦|方|白|邹|孟|熊|秦|邱|江|尹|薛|段|雷|侯|龙|史|陶|黎|贺|顾|毛|郝|龚|邵|万|钱|严"
    "|欧阳|司马|上官"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉力斌宇浩凯鹏欣怡婷雪晨阳佳嘉"
    "子梓诗雨思晓俊志海国春云兰博宁泽瑞琳颖航哲睿然萱彤轩"
)
_MOBILE_PREFIXES = _pool(
    "130|131|132|133|134|135|136|137|138|139|147|150|151|152|153|155|156|157|158|159|166|172|173"
    "|175|176|177|178|180|181|182|183|184|185|186|187|188|189|191|193|195|198|199"
)
_ID_REGIONS = _pool("110105|310104|320102|330106|420106|430104|440106|500103|510107|610113")


def person_name(rng: random.Random) -> str:
    """A Chinese personal name: a surname and one or two given characters."""
    given_length = 1 if rng.random() < 0.3 else 2
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(given_length))


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number matching ``1[3-9]`` + 9 digits."""
    return rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def resident_id(rng: random.Random) -> str:
    """A valid 18-character resident ID (GB 11643) of someone born 1945–2006."""
    birth = date.fromordinal(
        rng.randint(date(1945, 1, 1).toordinal(), date(2006, 12, 31).toordinal())
    )
    first17 = f"{rng.choice(_ID_REGIONS)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + resident_id_check_char(first17)


# ----------------------------------------------------------------------------------- enterprises

# (national economy industry, word used in company names)
_INDUSTRIES: tuple[tuple[str, str], ...] = tuple(
    (pair.partition(":")[0], pair.partition(":")[2])
    for pair in _pool(
        "批发和零售业:商贸|住宿和餐饮业:餐饮管理|建筑业:建筑工程|建筑业:装饰工程"
        "|房地产业:房地产开发|房地产业:物业服务|制造业:机械制造|制造业:食品"
        "|信息传输、软件和信息技术服务业:信息技术"
        "|交通运输、仓储和邮政业:物流|租赁和商务服务业:企业管理咨询|科学研究和技术服务业:环保科技"
        "|居民服务、修理和其他服务业:家政服务|教育:教育咨询|卫生和社会工作:健康管理"
        "|文化、体育和娱乐业:文化传媒|农、林、牧、渔业:农业开发"
    )
)
_TRADE_NAME_FIRST = "瑞华鼎恒佳宏锦惠新德金青润盛嘉和丰远汇康永泰安博云"
_TRADE_NAME_SECOND = "丰信盛通和达程民源胜穗禾泽祥隆辉晟诚越邦创"
_SIZES = ("micro", "small", "medium", "large")
_SIZE_WEIGHTS = (45, 35, 15, 5)
_ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_AREA_BY_CODE = {area.code: area for area in AREAS}


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714 check character), credit-code alphabet only."""
    if rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(_ORG_CODE_CHARS) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(
        (int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10) * weight
        for ch, weight in zip(body, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _district_of(area_code: str | None) -> tuple[str, str]:
    """(district number or ``"00"``, name prefix) for an area code of the demo city."""
    area = _AREA_BY_CODE.get(area_code or "")
    while area is not None and area.level == "street":
        area = _AREA_BY_CODE.get(area.parent_code or "")
    if area is None or area.level != "district":
        return "00", CITY_NAME
    number = area.code[len(CITY_CODE) :]
    return number, area.name if area.name.endswith("县") else CITY_NAME + area.name


def enterprise(rng: random.Random, area_code: str | None) -> EnterpriseSpec:
    """A fictional enterprise registered in ``area_code`` (a district or street of the city)."""
    number, prefix = _district_of(area_code)
    industry, trade = rng.choice(_INDUSTRIES)
    size = rng.choices(_SIZES, weights=_SIZE_WEIGHTS)[0]
    trade_name = rng.choice(_TRADE_NAME_FIRST) + rng.choice(_TRADE_NAME_SECOND)
    suffix = "股份有限公司" if size == "large" and rng.random() < 0.5 else "有限公司"
    first17 = f"91{'4399' + number}{_org_code(rng)}"
    credit_code = first17 + uscc_check_char(first17)
    return EnterpriseSpec(f"{prefix}{trade_name}{trade}{suffix}", credit_code, industry, size)


# ------------------------------------------------------------------------------------- addresses

_ROADS = _pool(
    "建设路|解放路|人民路|青年路|滨湖大道|新华街|文化路|兴业路|长青路|和平街|光明路|创业大道|学府路"
)
_COMMUNITIES = _pool(
    "阳光花园|锦绣家园|翠湖苑|幸福里小区|滨江一号|东方名城|书香门第|枫林雅居|青川花园|金色港湾"
)


def address(rng: random.Random, street_name: str) -> str:
    """A street address in ``street_name``, e.g. ``湖滨街道人民路123号翠湖苑2栋``."""
    road, number = rng.choice(_ROADS), rng.randint(1, 399)
    form = rng.random()
    if form < 0.6:
        building = f"{rng.randint(1, 28)}栋"
        if rng.random() < 0.5:
            building += f"{rng.randint(1, 4)}单元{rng.randint(1, 26)}0{rng.randint(1, 4)}室"
        return f"{street_name}{road}{number}号{rng.choice(_COMMUNITIES)}{building}"
    if form < 0.8:
        return f"{street_name}{road}{number}号沿街商铺"
    other = rng.choice([r for r in _ROADS if r != road])
    return f"{street_name}{road}与{other}交叉口"


# -------------------------------------------------------------------------------- descriptions
#
# Templates per request type (see parse_template_source): o openers, every one naming the topic;
# c closers. The middle sentences come from CATEGORY_PHRASES of the first-level class.

_DESCRIPTION_SOURCE = """
[咨询]
o 您好，我想咨询一下{topic}方面的问题。|请问{topic}需要什么材料，去哪里办理？
o 我想问一下{topic}现在是怎么规定的。|请问在{area}办理{topic}需要准备哪些材料？
o 您好，{topic}的办理流程是怎样的，能不能网上办？|请问{topic}有没有最新的政策文件？
o 想了解一下{topic}的办理时限和收费标准。|我是{area}的居民，想咨询{topic}相关事宜。
o 请问{topic}应该找哪个部门？|您好，麻烦问一下{topic}的具体要求。
c 希望能给个明确答复。|请工作人员回电告知。|麻烦尽快回复，谢谢。|请发一份办事指南。
[投诉]
o 来电反映{addr}{topic}问题，{when}一直没有解决。
o 我要投诉{topic}的问题，已经{times}反映无人处理。
o 来电人称{area}的{topic}问题严重影响正常生活。|投诉{addr}附近的{actor}，{topic}问题持续{days}天了。
o 市民反映{area}的{topic}问题，之前打过{times}电话都没有结果。
o 我住在{addr}，{topic}的事情{when}就开始了，多次反映无人处理。
o 对{actor}在{topic}方面的做法非常不满，要求有关部门处理。|来电人投诉{topic}，称相关单位互相推诿。
c 请相关部门尽快处理。|要求有关部门查处并给个说法。|希望尽快解决，否则将继续投诉。
c 请尽快派人现场核实。|来电人要求回电告知处理结果。
[求助]
o 我遇到了{topic}的问题，不知道该怎么办，请帮帮忙。|来电人求助：{addr}{topic}，需要尽快协调处理。
o 家里老人遇到{topic}的情况，想请政府帮忙协调。|{when}出现{topic}问题，自己联系{actor}没有用。
o 求助{topic}，我已经找了{times}，还是没有办法。|我在{area}，{topic}的事情急需帮助。
o 请求有关部门协助处理{addr}的{topic}问题。|来电人称因{topic}问题生活受到影响，请求帮忙。
c 情况比较急，请尽快联系我。|希望有关部门帮忙协调。|谢谢政府帮忙。|请安排人员联系。
[举报]
o 我要举报{addr}的{actor}，涉及{topic}问题。|举报{area}有{actor}存在{topic}问题，{when}一直这样。
o 实名举报{actor}{topic}问题，有照片和视频可以提供。|来电人匿名举报{addr}{topic}，要求保密。
o 发现{actor}在{topic}方面违规，已经持续{days}天。|举报{topic}，地点在{addr}，请执法部门查处。
o 听说{actor}有{topic}问题，希望有关部门查一下。|来电举报{area}{topic}问题，称周边群众意见很大。
c 请依法查处。|请为举报人保密。|希望尽快核查。|请反馈查处结果。
[建议]
o 建议有关部门加强对{topic}的管理。|我有一个关于{topic}的建议，希望能采纳。
o 建议在{area}增加{topic}方面的服务。|针对{topic}，建议简化办理流程，减少跑腿。
o 来电人建议完善{topic}相关政策。|建议{area}定期开展{topic}专项检查。
o 希望{topic}能实现网上办理，方便群众和企业。|建议公开{topic}的办理进度，让大家心里有数。
c 谢谢。|希望能予以考虑。|请转相关部门参考。|以上建议供参考。
[表扬]
o 我要表扬{area}处理{topic}的工作人员，态度非常好。|之前反映的{topic}问题解决了，特地来电感谢。
o 感谢{actor}在{topic}上帮了大忙，效率很高。|表扬{area}工作人员，{topic}的事{days}天就办好了。
o 来电人对{topic}的处理结果很满意，要求表扬承办人员。
o 上次反映{topic}，工作人员主动上门，服务很到位。
o 特别感谢热线，{topic}的问题终于有了着落。|对{area}处理{topic}问题的工作人员提出表扬。
c 希望转达谢意。|谢谢你们！|希望大家继续保持。
[其他]
o 来电人反映{topic}相关情况。|来电人询问此前反映的{topic}问题处理进度。
o 来电人对{topic}的答复有疑问，要求再次说明。|来电人称{topic}的事情之前反映过，想了解进展。
o 关于{topic}，来电人有情况需要说明。|来电人要求补充{topic}诉求的相关信息。
o 来电人反映{area}{topic}，诉求内容较多。|来电人就{topic}提出意见。
c 请相关部门知悉。|请予以关注。|请回电说明。
"""

_TYPE_TEXT = parse_template_source(_DESCRIPTION_SOURCE)
_WHEN = _pool("最近一周|上个月|这几天|从去年开始|今天上午|上周末|半个月前|春节前后")
_TIMES = _pool("两次|三次|多次|好几次|四五次")


def _label(request_type: str) -> str:
    label = REQUEST_TYPE_LABELS.get(request_type, request_type)
    return label if label in _TYPE_TEXT else "其他"


def description(
    rng: random.Random,
    category_path: tuple[str, str, str],
    request_type: str,
    area_name: str,
    address: str,
) -> str:
    """A caller's 1–4 sentence description of a request on the leaf topic of ``category_path``."""
    label = _label(request_type)
    templates = _TYPE_TEXT[label]
    phrases = CATEGORY_PHRASES.get(category_path[0], CATEGORY_PHRASES["其他"])
    phrases = phrases.for_branch(category_path[1])
    situations = phrases.situations
    slots = {
        "topic": category_path[-1],
        "area": area_name,
        "addr": address,
        "actor": rng.choice(phrases.actors),
        "when": rng.choice(_WHEN),
        "times": rng.choice(_TIMES),
        "days": str(rng.randint(3, 60)),
        "money": str(rng.randint(2, 300) * 100),
    }
    sentences = [rng.choice(templates["o"])]
    if label == "咨询":
        if rng.random() < 0.6:
            sentences.append(rng.choice(phrases.questions))
    elif label in ("投诉", "举报", "求助"):
        sentences += rng.sample(situations, k=min(1 if rng.random() < 0.6 else 2, len(situations)))
    elif label in ("建议", "其他") and rng.random() < 0.5:
        sentences.append(rng.choice(situations))
    if rng.random() < 0.7:
        sentences.append(rng.choice(templates["c"]))
    return "".join(sentence.format_map(slots) for sentence in sentences)


# ---------------------------------------------------------------------- handling and follow-up

# Follow-up texts, in the same source format: t texts; f optional follow-up sentences.
_FOLLOW_UP_SOURCE = """
[resolved]
t 经核实，来电人反映的{topic}问题属实，我单位已于{date}现场处置，问题已解决。
t 接到工单后，我单位立即联系来电人了解情况，经协调，{topic}问题已妥善处理。
t 关于{topic}，我单位已责令相关单位限期整改，经{date}复查已整改到位。
t 已于{date}电话联系来电人，详细解释了{topic}的相关政策、办理流程和所需材料。
f 已电话告知来电人，来电人表示认可。|下一步我单位将加强日常巡查，防止问题反弹。
f 已将处理结果短信告知来电人。|感谢来电人对我单位工作的监督。
[partly]
t 经核实，{topic}问题部分属实，我单位已处理其中可即时解决的部分，其余诉求需协调相关单位。
t 关于{topic}，已于{date}组织相关方协商，达成初步处理方案，剩余问题正在推进中。
f 我单位将持续跟进，并及时向来电人反馈进展。|已向来电人说明后续安排。
[unresolved]
t 经核实，来电人反映的{topic}问题与现场情况不符，已于{date}向来电人说明核查结果。
t {topic}诉求涉及历史遗留问题，目前暂不具备解决条件，已向来电人做好解释工作。
t 来电人关于{topic}的诉求超出现行政策规定，无法满足，已向其解释相关规定并告知救济途径。
f 如有新的情况，来电人可再次反映。|我单位将继续关注该问题。
[wrong_area]
t 经现场核实，该地址属于{area}辖区，不在我单位管辖范围内，建议改派属地处理。
t 来电人所述地点实际位于{area}，按属地管理原则应由{area}负责。
[not_our_duty]
t 根据我单位职能配置，该事项不属于我单位职责范围，建议转{dept}办理。
t 该诉求属于{dept}的法定职责，我单位无执法权限，申请退回改派。
[ownership_unclear]
t 经查，涉及设施的产权和管理主体尚不明确，需先由属地确认权属后再行派单。
t 该地块权属存在争议，无法确定管理责任单位，申请退回。
[overlapping_duty]
t 该事项涉及{dept}与我单位的交叉职能，建议由{dept}主办、我单位协办。
t 诉求涉及多个部门职责，建议由热线组织会商明确主办单位。
[incomplete_info]
t 工单未写明具体地址和联系方式，多次联系来电人未接通，无法核实办理。
t 诉求内容不完整，缺少事发时间和具体位置，请补充信息后重新派单。
[extension]
t 该事项涉及多个部门，需进一步协调会商。|需委托第三方检测，检测周期较长。
t 需现场勘查并组织专家论证。|当事单位正在整改，整改周期超出办理时限。
t 来电人近期在外地，需约定时间上门核实。|需调取历史档案资料，查档需要时间。
t 涉及资金审批，需按程序报批。
[satisfied]
t 来电人表示问题已解决，对处理结果满意。|来电人表示承办单位已联系并处理，基本满意。
t 来电人认可答复内容，表示满意，感谢热线跟进。|来电人表示已按答复办理完成，满意。
[unsatisfied]
t 来电人表示问题仍未解决，对答复不满意，要求重新办理。|来电人称承办单位未与其联系，不认可答复。
t 来电人表示现场情况没有改变，不满意。|来电人认为答复避重就轻，要求继续处理。
[note]
t 来电人情绪较激动，已做安抚。|来电人要求对其个人信息保密。|已告知来电人办理时限。
t 来电人此前反映过类似问题。|来电人要求处理结果短信告知。|来电人表示工作日白天方便接听电话。
t 已提醒来电人保留相关证据。|来电人为老年人，沟通时请耐心。
"""
_FOLLOW_UP = parse_template_source(_FOLLOW_UP_SOURCE)
_OUTCOME_ALIASES = {
    "已解决": "resolved",
    "解决": "resolved",
    "explained": "resolved",
    "部分解决": "partly",
    "partially_resolved": "partly",
    "未解决": "unresolved",
}


def _date_text(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def reply_text(rng: random.Random, description_topic: str, outcome: str) -> str:
    """A department's reply on ``description_topic``; ``outcome`` is resolved/partly/unresolved."""
    section = _FOLLOW_UP.get(_OUTCOME_ALIASES.get(outcome, outcome), _FOLLOW_UP["resolved"])
    text = rng.choice(section["t"])
    if rng.random() < 0.6:
        text += rng.choice(section["f"])
    return text.format(topic=description_topic, date=_date_text(rng))


def return_basis(rng: random.Random, reason_code: str) -> str:
    """The basis a department gives for returning an order with ``reason_code``."""
    if reason_code not in RETURN_REASON_LABELS:
        reason_code = "not_our_duty"
    template = rng.choice(_FOLLOW_UP[reason_code]["t"])
    area = rng.choice([a.name for a in AREAS if a.level != "city"])
    dept = rng.choice([d.name for d in DEPARTMENTS if d.kind == "municipal"])
    return template.format(area=area, dept=dept)


def extension_reason(rng: random.Random) -> str:
    """Why a department asks for more time."""
    return rng.choice(_FOLLOW_UP["extension"]["t"])


def visit_note(rng: random.Random, satisfied: bool) -> str:
    """The operator's note after a return visit."""
    return rng.choice(_FOLLOW_UP["satisfied" if satisfied else "unsatisfied"]["t"])


def note(rng: random.Random) -> str:
    """A short free-text note on an order."""
    return rng.choice(_FOLLOW_UP["note"]["t"])
