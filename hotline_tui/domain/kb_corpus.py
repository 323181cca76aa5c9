"""Knowledge articles written by the project: the demo's standard answers and a large generated
corpus for the search benchmark. Pure and deterministic (a seed gives the same articles).

Every text here is the project's own invention for the fictional city 青川市: the topics below
paraphrase the kinds of questions a 12345 hotline answers (licences, social insurance, housing
fund, utilities, …) with made-up offices, time limits and document numbers. They are not
official answers and must not be read as such.

- :func:`demo_articles` - one article per topic and question kind (about two hundred).
- :func:`generated_articles` - ``n`` articles: the same topics asked by different kinds of
  callers in different districts, with varied details (for the 20,000-article benchmark).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["DEMO_KINDS", "TOPICS", "CorpusArticle", "Topic", "demo_articles", "generated_articles"]

CITY = "青川市"


@dataclass(frozen=True)
class Topic:
    key: str
    subject: str
    dept_code: str
    dept_name: str
    category: str
    materials: tuple[str, ...]
    where: str
    days: int
    fee: str
    basis: str
    tags: tuple[str, ...]
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class CorpusArticle:
    """An article as the generator writes it (dept by code and name; category by path)."""

    key: str
    title: str
    body: str
    tags: tuple[str, ...]
    synonyms: tuple[str, ...]
    dept_code: str
    dept_name: str
    category: str
    policy_refs: tuple[str, ...]


# key | subject | dept code | dept name | category path | materials | where | days | fee | basis |
# tags | synonyms (a line that starts with spaces and "|" continues the one above)
_TOPICS = """
营业执照|个体工商户营业执照|M01|市场监督管理局|企业服务/市场准入/个体工商户登记
    |经营者身份证、经营场所使用证明、个体工商户登记申请书|区政务服务中心市场监管窗口|3|不收费
    |《促进个体工商户发展条例》|个体户 开店 登记|办执照 开个体户
企业设立|有限责任公司设立登记|M01|市场监督管理局|企业服务/市场准入/营业执照办理
    |公司章程、股东身份证明、住所使用证明、法定代表人任职文件|市政务服务中心企业开办专区|1
    |不收费|《市场主体登记管理条例》|开公司 企业开办|注册公司 新办企业
经营范围|企业经营范围变更登记|M01|市场监督管理局|企业服务/市场准入/经营范围变更
    |变更登记申请书、股东会决议、修改后的章程|区政务服务中心市场监管窗口|3|不收费
    |《市场主体登记管理条例实施细则》|变更登记|改经营范围
企业注销|企业简易注销登记|M01|市场监督管理局|企业服务/市场准入/企业注销
    |简易注销全体投资人承诺书、营业执照正副本|市政务服务中心企业开办专区|3|不收费
    |《市场主体登记管理条例》|注销 歇业|关公司 公司注销
食品经营|食品经营许可证|M01|市场监督管理局|市场监管/食品安全/无证食品经营
    |食品经营许可申请书、营业执照、食品安全管理制度、经营场所平面图|区政务服务中心市场监管窗口
    |10|不收费|《食品经营许可和备案管理办法》|餐饮 小吃店|食品许可证 开饭店
预付卡|预付卡退费投诉|M01|市场监督管理局|市场监管/消费维权/预付卡退费
    |购卡凭证、消费记录、与经营者的沟通记录|12315平台或区市场监管分局|7|不收费
    |《青川市单用途预付卡管理办法》|健身卡 美容卡 退卡|办卡退钱 会员卡退费
发票|电子发票开具|M02|税务局|企业服务/税费服务/发票领用
    |营业执照、经办人身份证件、税务数字账户授权|电子税务局或区办税服务厅|1|不收费
    |《中华人民共和国发票管理办法》|开票 数电票|开发票 领发票
个税|个人所得税年度汇算|M02|税务局|企业服务/税费服务/税费办理
    |收入和扣缴记录、专项附加扣除资料、银行卡信息|个人所得税App或办税服务厅|15|不收费
    |《中华人民共和国个人所得税法》|退税 专项附加扣除|个税汇算 个税退税
社保缴费|灵活就业人员社保缴费|M04|人力资源和社会保障局|劳动和社会保障/社会保险/社保缴费
    |身份证、银行卡、灵活就业登记信息|人社服务大厅或青川人社App|1|按缴费基数缴纳
    |《中华人民共和国社会保险法》|养老保险 自由职业|交社保 个人缴社保
社保转移|养老保险关系转移接续|M04|人力资源和社会保障局
    |劳动和社会保障/社会保险/社保关系转移接续|身份证、参保缴费凭证、转移申请表
    |转入地社保经办机构|15|不收费|《城镇企业职工基本养老保险关系转移接续暂行办法》
    |跨省 转移接续|社保转移 转社保
失业金|失业保险金申领|M04|人力资源和社会保障局|劳动和社会保障/社会保险/失业保险金申领
    |身份证、解除劳动合同证明、银行卡|人社服务大厅或线上申领平台|5|不收费|《失业保险条例》
    |失业 领取|领失业金 失业补助
欠薪|拖欠工资投诉|M04|人力资源和社会保障局|劳动和社会保障/劳动关系/拖欠工资
    |劳动合同或工作证明、考勤记录、工资条、欠薪金额明细|区劳动保障监察大队|10|不收费
    |《保障农民工工资支付条例》|讨薪 工资|老板不发工资 欠工资
工伤|工伤认定申请|M04|人力资源和社会保障局|劳动和社会保障/社会保险/工伤认定
    |工伤认定申请表、劳动关系证明、医疗诊断证明|市人社局工伤保险科|60|不收费|《工伤保险条例》
    |受伤 职业伤害|上班受伤 工伤报销
就业登记|就业失业登记|M04|人力资源和社会保障局|劳动和社会保障/就业创业/就业登记
    |身份证、劳动合同或就业证明|街道社区就业服务站|1|不收费|《就业服务与就业管理规定》
    |就业 失业登记|办失业证 就业创业证
创业贷款|创业担保贷款|M04|人力资源和社会保障局|劳动和社会保障/就业创业/创业担保贷款
    |创业计划书、营业执照、身份证、担保材料|区创业服务中心|20|不收费|《创业担保贷款实施办法》
    |贴息 创业|创业贷 小额贷款
技能补贴|职业技能培训补贴|M04|人力资源和社会保障局|劳动和社会保障/就业创业/职业技能培训
    |职业资格证书、身份证、社保卡、培训结业证明|人社服务大厅|20|不收费
    |《职业技能提升行动实施方案》|培训 证书|考证补贴 培训补助
公积金提取|住房公积金租房提取|M10|住房公积金管理中心|住房公积金/公积金提取/租房提取
    |身份证、租房合同、本人名下无房证明|公积金管理中心各管理部或公积金App|3|不收费
    |《住房公积金管理条例》|租房 提取|取公积金 公积金取钱
公积金贷款|住房公积金贷款|M10|住房公积金管理中心|住房公积金/公积金贷款/贷款额度
    |借款申请表、购房合同、收入证明、首付款凭证|公积金管理中心贷款窗口|15|不收费
    |《住房公积金管理条例》|贷款 买房|公积金贷 公积金买房
公积金缴存|单位住房公积金缴存登记|M10|住房公积金管理中心|住房公积金/公积金缴存/单位缴存开户
    |营业执照、经办人身份证、缴存登记表|公积金管理中心或网上业务大厅|1|不收费
    |《住房公积金管理条例》|开户 缴存|单位开户 交公积金
医保报销|住院费用报销|M09|医疗保障局|医疗保障/医保待遇/住院费用报销
    |医保电子凭证或社保卡、住院发票、费用清单、出院小结|各区医保经办窗口|20|不收费
    |《青川市基本医疗保险办法》|住院 报销比例|看病报销 医保报销
异地就医|异地就医备案|M09|医疗保障局|医疗保障/医保待遇/异地就医备案
    |医保电子凭证、异地居住证明或工作证明|国家医保服务平台App或医保经办窗口|1|不收费
    |《基本医疗保险跨省异地就医直接结算经办规程》|跨省 直接结算|外地看病 异地报销
居民医保|城乡居民医保参保|M09|医疗保障局|医疗保障/医保参保/居民医保参保|身份证或户口簿、居住证
    |社区服务站或医保App|1|按年度标准缴费|《青川市城乡居民基本医疗保险办法》|参保 缴费
    |交医保 买医保
慢特病|门诊慢特病待遇认定|M09|医疗保障局|医疗保障/医保待遇/门诊慢特病认定
    |申请表、近一年病历资料、检查报告|定点医疗机构或医保经办窗口|15|不收费
    |《门诊慢特病保障管理办法》|慢性病 门诊|慢病卡 特病认定
不动产证|不动产权证书|M07|自然资源和规划局|城乡建设/房地产市场/不动产权证办理
    |身份证、购房合同、完税凭证、不动产登记申请书|不动产登记中心|5|按登记费标准收取
    |《不动产登记暂行条例》|房产证 过户|办房产证 房本
租赁备案|房屋租赁登记备案|M03|住房和城乡建设局|城乡建设/房地产市场/房屋租赁备案
    |租赁合同、房屋权属证明、双方身份证|街道房屋租赁服务站|3|不收费|《商品房屋租赁管理办法》
    |租房 备案|租房合同备案 租赁登记
维修资金|住宅专项维修资金使用|M03|住房和城乡建设局|城乡建设/物业管理/专项维修资金使用
    |业主表决结果、维修方案、工程预算|区住建局物业科|10|不收费|《住宅专项维修资金管理办法》
    |电梯维修 公共部位|维修基金 动用维修资金
物业服务|物业服务质量投诉|M03|住房和城乡建设局|城乡建设/物业管理/物业服务质量
    |物业服务合同、问题照片、与物业沟通记录|所在街道办事处或区住建局|10|不收费
    |《物业管理条例》|小区 物业公司|物业不作为 投诉物业
交房延期|商品房交付延期|M03|住房和城乡建设局|城乡建设/房地产市场/商品房交付延期
    |购房合同、付款凭证、开发企业通知|区住建局房地产市场科|15|不收费
    |《城市房地产开发经营管理条例》|期房 延期交付|开发商不交房 延期交房
入学|义务教育入学登记|M11|教育局|教育/义务教育/入学划片
    |户口簿、房产证明或居住证、儿童预防接种证|学区学校或青川教育入学平台|10|不收费
    |《中华人民共和国义务教育法》|小学 初中 学区|上学报名 入学报名
转学|义务教育转学|M11|教育局|教育/义务教育/转学手续|转学申请、户籍或居住证明、学籍信息
    |转入学校及区教育局|10|不收费|《中小学生学籍管理办法》|转校 学籍|转学手续 换学校
校外培训|校外培训机构退费|M11|教育局|教育/校外培训/培训费退费|培训合同、缴费凭证、课时记录
    |区教育局校外培训监管科|10|不收费|《校外培训行政处罚暂行办法》|培训班 退费
    |补习班退钱 培训退费
低保|最低生活保障申请|M16|民政局|民政/社会救助/最低生活保障
    |申请书、家庭成员身份证件、收入和财产情况声明|户籍所在地街道办事处|30|不收费
    |《社会救助暂行办法》|救助 困难家庭|吃低保 申请低保
高龄津贴|高龄津贴申领|M16|民政局|民政/养老服务/高龄津贴|老人身份证、户口簿、银行账户
    |社区服务站|20|不收费|《青川市高龄津贴发放办法》|老人 补贴|老年人补贴 高龄补贴
婚姻登记|结婚登记|M16|民政局|民政/婚姻殡葬/婚姻登记|双方身份证、户口簿、近期半身免冠合影照片
    |区婚姻登记处|1|不收费|《婚姻登记条例》|领证 结婚证|领结婚证 登记结婚
生育登记|生育登记服务|M12|卫生健康委员会|卫生健康/妇幼健康/生育登记|夫妻双方身份证、结婚证
    |户籍地或居住地社区卫生服务中心|1|不收费|《青川市人口与计划生育条例》|生育 准生
    |准生证 生孩子登记
出生证明|出生医学证明办理|M12|卫生健康委员会|卫生健康/妇幼健康/出生医学证明
    |父母身份证、新生儿出院记录|出生医院出生证明办理处|1|不收费|《出生医学证明管理办法》
    |新生儿 出生证|办出生证 孩子出生证
预防接种|儿童预防接种|M12|卫生健康委员会|卫生健康/公共卫生/预防接种
    |儿童预防接种证、监护人身份证|社区卫生服务中心接种门诊|1|免疫规划疫苗免费
    |《中华人民共和国疫苗管理法》|疫苗 打针|打疫苗 小孩打针
户口迁移|户口迁入|M13|公安局|公共安全/治安管理/户籍办理|身份证、户口簿、迁入条件证明材料
    |迁入地派出所户籍窗口|5|不收费|《中华人民共和国户口登记条例》|落户 户籍|迁户口 落户口
居住证|居住证办理|M13|公安局|公共安全/治安管理/户籍办理|身份证、居住地住址证明、近期照片
    |居住地派出所或社区警务室|15|首次申领不收费|《居住证暂行条例》|暂住 外地人
    |办暂住证 申领居住证
出入境|出入境证件办理|M13|公安局|公共安全/治安管理/出入境证件|身份证、近期证件照、出行证明材料
    |出入境管理大队受理窗口|7|按证件标准收费|《中华人民共和国出境入境管理法》|护照 港澳通行证
    |办护照 港澳通行证
驾驶证|驾驶证换证|M13|公安局|公共安全/道路交通管理/驾驶证业务|身份证、原驾驶证、体检证明
    |车管所或交管12123App|1|按标准收取工本费|《机动车驾驶证申领和使用规定》|换证 驾照
    |驾照到期 换驾照
违章停车|违章停车处理|M13|公安局|公共安全/道路交通管理/违章停车|驾驶证、行驶证
    |交管12123App或交警大队处理窗口|1|按处罚决定缴纳罚款|《中华人民共和国道路交通安全法》
    |罚款 扣分|乱停车 交罚款
电动车充电|电动自行车违规充电|M06|消防救援支队|公共安全/消防安全/电动车违规充电
    |现场照片、具体位置|所在街道或消防救援站|3|不收费|《高层民用建筑消防安全管理规定》
    |飞线充电 楼道|电瓶车充电 楼道充电
噪声扰民|建筑施工噪声|M05|生态环境局|环境保护/噪声污染/建筑施工噪声
    |噪声发生时间、地点、施工单位名称|区生态环境分局|7|不收费|《中华人民共和国噪声污染防治法》
    |夜间施工 噪音|工地噪音 晚上施工
餐饮油烟|餐饮油烟扰民|M05|生态环境局|环境保护/大气污染/餐饮油烟|店铺名称、地址、影响时段照片
    |区生态环境分局或街道城管|10|不收费|《中华人民共和国大气污染防治法》|油烟 饭店
    |饭店油烟 排烟扰民
占道经营|占道经营投诉|M14|城市管理局|城市管理/市容环境/占道经营|具体地点、时段、现场照片
    |区城管执法大队|3|不收费|《城市市容和环境卫生管理条例》|摆摊 流动摊贩|马路摆摊 乱摆摊
路灯|路灯不亮报修|M14|城市管理局|城市管理/市政设施/路灯不亮|路灯位置、灯杆编号|市政设施管理处
    |2|不收费|《城市道路照明设施管理规定》|照明 报修|路灯坏了 灯不亮
停水|计划停水和抢修停水|M27|自来水有限公司|水电气暖/供水/停水|用户编号、停水地址
    |自来水公司客服或营业厅|1|不收费|《城市供水条例》|没水 抢修|停水了 家里没水
停电|停电报修|M25|供电公司|水电气暖/供电/停电|户号、停电地址|供电服务热线或网上国网App|1
    |不收费|《供电营业规则》|没电 抢修|停电了 家里没电
燃气开户|燃气开户|M26|燃气集团有限公司|水电气暖/燃气/燃气开户|房屋权属证明或租赁合同、身份证
    |燃气公司营业厅|5|按开户标准收费|《城镇燃气管理条例》|天然气 通气|开通燃气 装燃气
供暖|暖气不热|M28|热力有限公司|水电气暖/供暖/暖气不热|供暖户号、室温测量情况|热力公司客服|2
    |不收费|《青川市供热管理办法》|室温 供热|暖气不热 家里冷
公交线路|公交线路调整|M08|交通运输局|交通运输/公共交通/公交线路调整
    |线路编号、站点位置、出行需求说明|市交通运输局公交处|15|不收费|《城市公共交通条例》
    |公交 站点|坐公交 公交车
出租车|出租车拒载绕路|M08|交通运输局|交通运输/出租车和网约车/出租车拒载
    |车牌号、乘车时间、上下车地点、发票|市交通运输执法支队|10|不收费
    |《巡游出租汽车经营服务管理规定》|打车 的士|出租车拒载 出租车绕路
""".strip()

DEMO_KINDS = ("how", "materials", "time", "where")
_KINDS = ("how", "materials", "time", "fee", "where", "online", "conditions", "progress")
_AUDIENCES = ("", "个人", "企业", "个体工商户", "外地户籍人员", "老年人", "残疾人", "退役军人")
_DISTRICTS = ("东湖区", "西山区", "南岸区", "北城区", "高新区", "青川县")
_CHANNELS = ("“青川政务”App", "青川市一网通办平台", "政务服务网", "自助服务终端")
_NOTES = (
    "如材料不齐全，窗口将一次性告知需要补正的全部内容。",
    "办理过程中如遇问题，可拨打12345政务服务便民热线咨询。",
    "委托他人代办的，还需提供委托书和代办人身份证件。",
    "材料复印件需由申请人签字确认，原件当场核验后退还。",
    "节假日期间窗口按调整后的作息时间对外服务，请提前预约。",
    "对办理结果有异议的，可以依法申请行政复议或者提起行政诉讼。",
    "网上提交的申请，可在“我的办件”中查看审核意见。",
    "老年人、残疾人等特殊群体可申请上门服务或绿色通道。",
    "相关政策如有调整，以最新公布的文件为准。",
    "办理结果可选择窗口领取或免费邮寄送达。",
)


def _records() -> list[str]:
    """The topic lines, with continuation lines (indented, starting with ``|``) joined."""
    records: list[str] = []
    for line in _TOPICS.splitlines():
        if line.startswith(" ") and records:
            records[-1] += line.strip()
        elif line.strip():
            records.append(line.strip())
    return records


def _topics() -> tuple[Topic, ...]:
    topics: list[Topic] = []
    for line in _records():
        key, subject, code, dept, category, materials, where, days, fee, basis, tags, syn = (
            line.split("|")
        )
        topics.append(
            Topic(
                key,
                subject,
                code,
                dept,
                category,
                tuple(materials.split("、")),
                where,
                int(days),
                fee,
                basis,
                tuple(tags.split()),
                tuple(syn.split()),
            )
        )
    return tuple(topics)


TOPICS: tuple[Topic, ...] = _topics()


# Invented place-name syllables: the generated corpus names streets, communities and offices
# so that, as in a real knowledge base, many words are rare (the long tail of a vocabulary).
_NAME_FIRST = "安宝碧朝春翠丹东枫凤富港和红鸿华槐汇吉嘉江金锦景聚兰蓝莲临柳龙绿茂梅明南宁平秋泉瑞"
_NAME_SECOND = "安滨波昌城川春岛东方丰港河湖华佳江景林岭隆梅明宁平桥泉山石顺松塘溪祥新兴秀阳园云洲"
_PLACE_KINDS = ("路", "街", "社区", "小区", "花园", "家园", "苑")


def _place_name(rng: random.Random) -> str:
    return rng.choice(_NAME_FIRST) + rng.choice(_NAME_SECOND) + rng.choice(_PLACE_KINDS)


def _title(topic: Topic, kind: str, who: str, place: str) -> str:
    if who and topic.subject.startswith(who):
        who = ""
    s = f"{place}{who}{topic.subject}"
    return {
        "how": f"{s}如何办理？",
        "materials": f"办理{s}需要哪些材料？",
        "time": f"{s}多长时间能办好？",
        "fee": f"{s}收费吗？",
        "where": f"在哪里办理{s}？",
        "online": f"{s}可以网上办理吗？",
        "conditions": f"申请{s}需要满足什么条件？",
        "progress": f"怎样查询{s}的办理进度？",
    }[kind]


def _local(topic: Topic, place: str, rng: random.Random) -> str:
    """A sentence of local detail: an invented service point, its address and telephone."""
    street, community = _place_name(rng), _place_name(rng)
    number = rng.randint(1, 399)
    phone = f"0{rng.randint(570, 599)}-{rng.randint(81000000, 89999999)}"
    document = f"青政办发〔{rng.randint(2019, 2025)}〕{rng.randint(1, 80)}号"
    return rng.choice(
        (
            f"{place or CITY}{community}便民服务站可代办{topic.key}相关事项，"
            f"地址：{street}{number}号。",
            f"咨询电话：{phone}（工作日）。",
            f"具体办理细则见《关于优化{topic.key}服务的通知》（{document}）。",
            f"{street}{number}号{topic.dept_name}服务点提供预约办理，电话{phone}。",
        )
    )


def _body(topic: Topic, kind: str, who: str, place: str, rng: random.Random) -> str:
    city = place or CITY
    office = f"{city}{topic.dept_name}"
    channel = rng.choice(_CHANNELS)
    items = "\n".join(f"{i}. {m}" for i, m in enumerate(topic.materials, start=1))
    applicant = who or "申请人"
    lead = {
        "how": (
            f"{applicant}可通过{channel}在线申请，也可到{city}{topic.where}现场办理{topic.subject}。"
            f"\n\n办理流程：\n1. 提交申请材料；\n2. 窗口受理并审核；\n3. 审核通过后出具办理结果。"
        ),
        "materials": f"办理{topic.subject}，{applicant}一般需要准备以下材料：\n\n{items}",
        "time": (
            f"材料齐全、符合法定形式的，{office}自受理之日起{topic.days}个工作日内办结；"
            f"需要现场核查的，核查时间不计入办理时限。"
        ),
        "fee": f"{topic.subject}{topic.fee}。请通过官方渠道办理，谨防中介以代办为名收取费用。",
        "where": (
            f"{topic.subject}的办理地点为{city}{topic.where}，工作日上午9:00至12:00、"
            f"下午13:30至17:30对外服务；也可通过{channel}办理。"
        ),
        "online": (
            f"可以。登录{channel}，搜索“{topic.key}”，按提示填写信息、上传材料并提交，"
            f"审核结果将以短信方式通知{applicant}。"
        ),
        "conditions": (
            f"申请{topic.subject}应当符合{topic.basis}规定的条件，并如实提交材料："
            f"{'、'.join(topic.materials)}。"
        ),
        "progress": (
            f"{applicant}可登录{channel}，在“办件查询”中输入受理编号查询{topic.subject}"
            f"的办理进度，也可以致电{office}咨询。"
        ),
    }[kind]
    notes = rng.sample(_NOTES, k=rng.randint(1, 3))
    basis = f"政策依据：{topic.basis}。"
    return "\n\n".join([lead, basis, _local(topic, place, rng), *notes])


def _article(topic: Topic, kind: str, who: str, place: str, rng: random.Random) -> CorpusArticle:
    suffix = f":{place}:{who}" if (who or place) else ""
    return CorpusArticle(
        key=f"{topic.key}:{kind}{suffix}",
        title=_title(topic, kind, who, place),
        body=_body(topic, kind, who, place, rng),
        tags=(topic.key, *topic.tags),
        synonyms=topic.synonyms,
        dept_code=topic.dept_code,
        dept_name=topic.dept_name,
        category=topic.category,
        policy_refs=(topic.basis,),
    )


def demo_articles(seed: int = 12345) -> list[CorpusArticle]:
    """One article per topic and demo question kind: about two hundred standard answers."""
    rng = random.Random(seed)  # noqa: S311  (made-up text, not secrets)
    return [_article(t, kind, "", "", rng) for t in TOPICS for kind in DEMO_KINDS]


def generated_articles(n: int, seed: int = 2026) -> Iterator[CorpusArticle]:
    """``n`` distinct articles: every topic × question kind × caller × district, then again
    with other details, each with a random selection of the notes."""
    rng = random.Random(seed)  # noqa: S311  (made-up text, not secrets)
    combos = [
        (topic, kind, who, place)
        for place in ("", *_DISTRICTS)
        for who in _AUDIENCES
        for topic in TOPICS
        for kind in _KINDS
    ]
    rng.shuffle(combos)
    for index in range(n):
        topic, kind, who, place = combos[index % len(combos)]
        article = _article(topic, kind, who, place, rng)
        if index >= len(combos):
            article = CorpusArticle(
                **{**article.__dict__, "key": f"{article.key}#{index // len(combos)}"}
            )
        yield article
