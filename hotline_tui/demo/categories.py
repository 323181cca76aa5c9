"""The demo city's three-level request category tree (our own invention, not a real catalogue).

The tree is written compactly below: each first-level class lists its second-level branches, and
each branch its leaves as one space-separated string. A ``name:short`` entry gives the node a short
name (shown in narrow columns). :data:`CATEGORIES` holds one :class:`CategorySpec` per leaf, in tree
order; :data:`BRANCH_SHORT_NAMES` holds the short names of first- and second-level branches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """One leaf of the category tree: its full path (level 1, 2, 3) and an optional short name."""

    path: tuple[str, str, str]
    short_name: str | None = None


ENTERPRISE_ROOT = "企业服务"
"""First-level class of enterprise requests (business environment, 营商环境)."""

_Tree = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

_TREE: _Tree = (
    (
        "市场监管",
        (
            (
                "食品安全",
                "餐饮服务卫生 过期变质食品 食品标签标识 无证食品经营 网络订餐食品安全:网络订餐",
            ),
            ("消费维权", "预付卡退费 商品质量纠纷 售后服务 虚假宣传 价格欺诈"),
            ("特种设备", "电梯安全 锅炉压力容器 大型游乐设施:游乐设施"),
            ("计量与质量", "计量器具缺斤短两:缺斤短两 产品质量抽检 加油站计量"),
            ("药品医疗器械:药械", "药店违规销售 医疗器械质量 化妆品安全"),
        ),
    ),
    (
        "城乡建设:住建",
        (
            (
                "房地产市场:房地产",
                "商品房交付延期:交房延期 购房合同纠纷 不动产权证办理:办证 中介违规 房屋租赁备案",
            ),
            (
                "物业管理:物业",
                "物业服务质量 物业费收取 专项维修资金使用:维修资金 业主委员会选举 小区公共收益",
            ),
            ("工程质量", "房屋质量问题 施工安全隐患 工地围挡设置 保障性住房质量"),
            ("城乡规划:规划", "规划许可查询 规划公示异议 建筑采光遮挡"),
            ("房屋征收", "征收补偿标准 安置房分配 棚户区改造 老旧小区改造"),
        ),
    ),
    (
        "劳动和社会保障:人社",
        (
            ("劳动关系", "拖欠工资:欠薪 劳动合同纠纷 加班费争议 违法解除劳动合同:违法解约"),
            (
                "社会保险:社保",
                "社保缴费 养老保险待遇 失业保险金申领:失业金 工伤认定 社保关系转移接续:社保转移",
            ),
            ("就业创业", "就业登记 职业技能培训 创业担保贷款 高校毕业生就业"),
            ("人事人才", "职称评审 人才引进补贴 事业单位招聘"),
        ),
    ),
    (
        "教育",
        (
            ("学前教育", "幼儿园入园 幼儿园收费 普惠性幼儿园:普惠园"),
            ("义务教育", "入学划片 转学手续 课后服务 学生课业负担:减负"),
            ("校外培训", "违规培训机构 培训费退费 培训虚假广告"),
            ("职业与高等教育", "学历学位认证:学历认证 中职招生 学生资助"),
        ),
    ),
    (
        "卫生健康:卫健",
        (
            ("医疗服务", "医疗纠纷 医务人员服务态度 挂号就诊难 医院收费"),
            ("公共卫生", "预防接种 传染病防控 病媒生物防治:除四害"),
            ("妇幼健康", "出生医学证明 生育登记 母婴保健"),
            ("职业健康", "职业病诊断 职业病危害防护:职业防护 放射卫生"),
        ),
    ),
    (
        "环境保护:环保",
        (
            ("大气污染", "工业废气 餐饮油烟 露天焚烧 异味扰民"),
            ("水污染", "河道污染 企业偷排 黑臭水体"),
            ("噪声污染:噪声", "工业噪声 建筑施工噪声:施工噪声 社会生活噪声 交通噪声"),
            ("固体废物", "危险废物处置 建筑垃圾倾倒 医疗废物处置"),
        ),
    ),
    (
        "交通运输:交通",
        (
            ("公共交通", "公交线路调整 公交司乘服务 公交站点设置 轨道交通运营"),
            ("出租车和网约车:出租车", "出租车拒载 出租车绕路 网约车服务 非法营运"),
            ("公路建设与养护:公路", "道路破损 公路施工 农村公路"),
            ("道路运输", "货运车辆管理 驾驶员培训机构:驾校 客运站服务"),
        ),
    ),
    (
        "公共安全",
        (
            ("消防安全:消防", "消防通道堵塞 消防设施损坏 电动车违规充电 火灾隐患"),
            ("治安管理:治安", "治安秩序 电信网络诈骗:反诈 户籍办理 出入境证件"),
            ("道路交通管理:交管", "违章停车 交通信号灯 驾驶证业务 交通违法处理"),
            ("安全生产", "非法生产经营 危险化学品安全:危化品 有限空间作业"),
        ),
    ),
    (
        "民政",
        (
            ("社会救助", "最低生活保障:低保 特困人员供养 临时救助"),
            ("养老服务", "养老机构服务 高龄津贴 居家养老服务"),
            ("婚姻殡葬", "婚姻登记 殡葬服务 公墓管理"),
            ("社会组织与社区:社区", "社会组织登记 社区服务 慈善捐赠"),
        ),
    ),
    (
        ENTERPRISE_ROOT + ":营商",
        (
            (
                "市场准入",
                "营业执照办理:营业执照 经营范围变更 企业注销 企业名称登记 个体工商户登记:个体户",
            ),
            (
                "工程建设项目审批:工程审批",
                "工程建设许可:建设许可 施工图审查 竣工验收备案 用地规划许可 审批时限超期",
            ),
            ("税费服务:税费", "税费办理 发票领用 出口退税 减税降费政策:减税降费 社保费征缴"),
            ("融资与惠企政策:惠企", "融资贷款:融资 惠企政策兑现 融资担保 政府采购"),
            ("用工服务:用工", "企业招聘用工:招聘 稳岗补贴 企业社保办理 人才公寓申请"),
        ),
    ),
    (
        "城市管理:城管",
        (
            ("市容环境:市容", "占道经营 乱贴小广告 垃圾清运 公厕管理 户外广告"),
            ("市政设施", "路灯不亮 井盖缺失 排水管道堵塞 人行道破损"),
            ("园林绿化:绿化", "树木修剪 绿地侵占 公园管理"),
            ("违法建设:违建", "违建拆除 私搭乱建 楼顶加建"),
        ),
    ),
    (
        "水电气暖",
        (
            ("供水", "停水 水压不足 水质异常 水费缴纳"),
            ("供电", "停电 电压不稳 电费缴纳 用电报装"),
            ("燃气", "燃气泄漏 燃气开户 燃气费缴纳 燃气安全检查"),
            ("供暖", "暖气不热 供暖费收取 供暖报停"),
        ),
    ),
    (
        "医疗保障:医保",
        (
            ("医保参保", "居民医保参保 医保电子凭证:医保凭证 医保关系转移"),
            (
                "医保待遇",
                "门诊费用报销:门诊报销 住院费用报销:住院报销 异地就医备案 门诊慢特病认定:慢特病",
            ),
            ("医保基金监管", "欺诈骗保举报:骗保 定点机构违规 药品价格"),
        ),
    ),
    (
        "住房公积金:公积金",
        (
            ("公积金缴存", "缴存基数调整 单位缴存开户 公积金补缴"),
            ("公积金提取", "租房提取 购房提取 离职销户提取"),
            ("公积金贷款", "贷款额度 贷款审批进度 异地贷款"),
        ),
    ),
    (
        "其他",
        (
            ("文化旅游", "景区服务 旅行社纠纷 文化娱乐场所"),
            ("农业农村", "农资质量 动物防疫 农村宅基地"),
            ("政务服务", "办事窗口服务 热线服务意见 政务网站"),
            ("其他事项", "其他政策咨询 其他意见 其他求助"),
        ),
    ),
)


def _split(entry: str) -> tuple[str, str | None]:
    name, _, short = entry.partition(":")
    return name, (short or None)


def _build() -> tuple[tuple[CategorySpec, ...], dict[tuple[str, ...], str]]:
    leaves: list[CategorySpec] = []
    branch_short: dict[tuple[str, ...], str] = {}
    for first_entry, branches in _TREE:
        first, first_short = _split(first_entry)
        if first_short:
            branch_short[(first,)] = first_short
        for second_entry, leaf_text in branches:
            second, second_short = _split(second_entry)
            if second_short:
                branch_short[(first, second)] = second_short
            for leaf_entry in leaf_text.split():
                leaf, leaf_short = _split(leaf_entry)
                leaves.append(CategorySpec((first, second, leaf), leaf_short))
    return tuple(leaves), branch_short


_LEAVES, _BRANCH_SHORT = _build()

CATEGORIES: tuple[CategorySpec, ...] = _LEAVES
"""Every leaf of the tree, in tree order (about two hundred)."""

BRANCH_SHORT_NAMES: Mapping[tuple[str, ...], str] = MappingProxyType(_BRANCH_SHORT)
"""Short names of first-level ``(a,)`` and second-level ``(a, b)`` branches that have one."""

FIRST_LEVEL_NAMES: tuple[str, ...] = tuple(dict.fromkeys(c.path[0] for c in CATEGORIES))
"""The first-level classes, in tree order."""


def is_enterprise_category(path: tuple[str, ...]) -> bool:
    """Whether a category path (any depth) belongs to the enterprise-service class."""
    return bool(path) and path[0] == ENTERPRISE_ROOT


def short_name_of(path: tuple[str, ...]) -> str:
    """The short name of a branch or leaf, falling back to its own last element."""
    if len(path) == 3:
        for spec in CATEGORIES:
            if spec.path == path:
                return spec.short_name or path[-1]
    return BRANCH_SHORT_NAMES.get(path, path[-1] if path else "")


# ------------------------------------------------------------------------------ caller phrases


@dataclass(frozen=True, slots=True)
class CategoryPhrases:
    """What callers typically mention for one first-level class (used by the text generator).

    Entries may hold the slots ``{actor}``, ``{topic}``, ``{addr}``, ``{when}``, ``{times}``,
    ``{days}`` and ``{money}``. An entry written ``branch>text`` (or ``a,b>text``) belongs to those
    second-level branches only; :meth:`for_branch` picks the entries that fit one branch.
    """

    actors: tuple[str, ...]
    situations: tuple[str, ...]
    questions: tuple[str, ...]

    def for_branch(self, second: str) -> CategoryPhrases:
        """The entries for second-level branch ``second``: its own and the untagged ones."""
        return CategoryPhrases(
            _fitting(self.actors, second),
            _fitting(self.situations, second),
            _fitting(self.questions, second),
        )


def _fitting(entries: tuple[str, ...], second: str) -> tuple[str, ...]:
    chosen: list[str] = []
    for entry in entries:
        tags, mark, text = entry.rpartition(">")
        if not mark:
            chosen.append(entry)
        elif second in tags.split(","):
            chosen.append(text)
    return tuple(chosen)


def parse_template_source(source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Parse a template source into section → kind → entries.

    ``[name]`` starts a section; every other line is ``<kind> entry|entry|…`` where ``kind`` is a
    short tag; entries of a kind repeated over several lines are joined in order.
    """
    sections: dict[str, dict[str, tuple[str, ...]]] = {}
    current: dict[str, tuple[str, ...]] = {}
    for line in source.strip().splitlines():
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            kind, _, entries = line.partition(" ")
            current[kind] = current.get(kind, ()) + tuple(e for e in entries.split("|") if e)
    return sections


# a actors, s situations (problems described), q questions asked; "branch>" limits an entry
_PHRASE_SOURCE = """
[市场监管]
a 某商家|食品安全,药品医疗器械>一家小吃店|食品安全>街边餐馆|消费维权>某健身房
a 消费维权,计量与质量>一家超市|药品医疗器械>一家药店|特种设备>物业公司|计量与质量>农贸市场摊主
s {actor}卖的东西有问题，去理论还被态度恶劣地赶出来。|{topic}的问题在这一带很普遍。
s 食品安全>{actor}后厨卫生条件很差，有老鼠出没。|食品安全>{actor}没有营业执照还在经营。
s 消费维权>办了{money}元的预付卡，{actor}突然关门了。|消费维权>商品有质量问题，商家拒绝退换。
s 特种设备>小区电梯{when}困人{times}，维保单位不管。|计量与质量>买了两斤菜回家一称少了三两。
s 药品医疗器械>{actor}不要处方就卖处方药。|计量与质量,消费维权>标价和实际收费不一致。
q 请问怎么查询商家的营业执照信息？|消费维权>消费纠纷怎么维权，需要提供什么材料？
q 特种设备>电梯多久要检验一次？|投诉需要保留哪些证据？
[城乡建设]
a 开发商|物业管理>物业公司|工程质量>施工单位|房地产市场>房产中介|物业管理>业委会
a 房屋征收>征收办|城乡规划>建设单位
s {actor}{when}没有按约定履行义务。|这个{topic}问题涉及整栋楼几十户人家。
s 房地产市场>房子交付{days}天了，{actor}还没办完产权证。|物业管理>小区门禁经常坏，{actor}不管。
s 工程质量>工地围挡破损，夜里材料堆到路上。|工程质量>房屋墙面开裂渗水，找{actor}都没人修。
s 物业管理>物业费年年涨，公共收益去向不公开。|房屋征收>补偿款{days}天了还没有到位。
s 城乡规划>新建楼房离我们楼太近，冬天完全晒不到太阳。
q 房地产市场>请问不动产权证办理需要哪些材料？|物业管理>维修资金怎么申请使用？
q 物业管理>物业费标准是怎么定的？|房屋征收>征收补偿标准在哪里公示？|请问这件事归哪个部门管？
[劳动和社会保障]
a 公司|用人单位|老板|劳动关系>劳务公司|劳动关系>包工头|社会保险,就业创业>社保窗口
s 劳动关系>{actor}拖欠工资{money}元，已经{days}天没发了。|劳动关系>被{actor}无故辞退，没有补偿。
s 劳动关系,社会保险>{actor}不给缴纳社保，也不签劳动合同。|劳动关系>加班没有加班费。
s 社会保险>社保转移办理了{days}天还没有办好。|就业创业>报名的技能培训一直没有开班。
s 人事人才>职称材料交上去{days}天没有任何消息。|{topic}的事情跑了{times}都没办成。
q 社会保险>请问社保断缴了怎么补缴？|劳动关系>劳动仲裁需要提交什么材料？
q 社会保险>失业金申领有什么条件？|就业创业>创业担保贷款怎么申请？|人事人才>人才补贴怎么领？
[教育]
a 学校|幼儿园|培训机构|班主任
s 孩子所在的{actor}乱收费，收了{money}元资料费。|校外培训>{actor}突然关门，学费退不了。
s 义务教育>孩子入学划片不合理，离学校太远。|义务教育>布置的作业太多，孩子负担太重。
s 学前教育>附近没有普惠园，私立园一个月要{money}元。|{topic}的政策家长们都不太清楚。
q 义务教育>请问入学报名需要准备哪些材料？|义务教育>转学手续怎么办理？
q 职业与高等教育>学生资助怎么申请？|学前教育>幼儿园报名什么时候开始？
q 校外培训>怎么查询培训机构是否有办学许可？
[卫生健康]
a 医院|社区卫生服务中心|诊所|医生
s 医疗服务>在{actor}看病，医生态度很差。|医疗服务>{actor}收费不透明，检查费用很高。
s 公共卫生>小区附近蚊虫老鼠多，担心传播疾病。|医疗服务>{actor}挂号很难，网上一直约不上。
s 职业健康>厂里粉尘很大，工人没有任何防护。|{topic}的问题找{actor}{times}都说不清楚。
q 妇幼健康>请问出生医学证明丢了怎么补办？|公共卫生>疫苗接种需要预约吗？
q 职业健康>职业病诊断需要什么材料？|这方面有没有补助政策？
[环境保护]
a 工厂|餐馆|养殖场|洗车店|加工厂
s 大气污染>{actor}每天晚上排放刺鼻气味，窗户都不敢开。|水污染>{actor}往河里偷排污水。
s 噪声污染>{actor}机器噪音很大，晚上十点后还在作业。|大气污染>有人在{addr}附近焚烧垃圾。
s 固体废物>附近有人乱倒建筑垃圾和废料。|水污染>河水发黑发臭，夏天味道特别大。
s 周边居民对{topic}意见很大，已经向{actor}反映过。
q 请问污染投诉需要提供什么证据？|大气污染>餐饮油烟排放有什么标准？
q 噪声污染>夜间施工有没有时间限制？
[交通运输]
a 施工单位|公共交通>公交车司机|出租车和网约车>出租车司机|出租车和网约车>网约车司机
a 道路运输>客运站
s 出租车和网约车>坐{actor}的车被绕路多收费。|公共交通>{actor}服务态度差，到站不停车。
s 公路建设与养护>道路破损严重，{when}有人骑车摔倒。|公共交通>线路调整后居民出行很不方便。
s 公路建设与养护>路面施工{days}天了，没有任何提示标志。|{topic}的事情周边群众反映强烈。
q 公共交通>请问公交线路调整在哪里公示？|出租车和网约车>出租车发票丢了还能投诉吗？
q 道路运输>驾校退费有什么规定？|公路建设与养护>道路维修归哪个部门管？
[公共安全]
a 商铺|住户|工厂|网吧|物流仓库
s 消防安全>楼道里有人给电动车充电，消防通道被堵。|消防安全>{actor}灭火器过期，消防栓没水。
s 道路交通管理>路口信号灯坏了，车辆乱成一团。|道路交通管理>有车辆长期占用人行道停车。
s 治安管理>接到自称公检法人员的电话，要求转账{money}元。|安全生产>{actor}私存大量易燃品。
s {topic}的问题存在很大隐患，担心出事。
q 治安管理>请问户籍迁移需要什么材料？|治安管理>出入境证件在哪里办理？
q 道路交通管理>驾驶证到期换证怎么办理？|这种情况应该找哪个部门？
[民政]
a 社区|居委会|养老服务>养老院|婚姻殡葬>殡仪馆
s 社会救助>家里老人申请低保{days}天了，还没有结果。|养老服务>{actor}服务不到位，老人没人管。
s 养老服务>高龄津贴已经{days}天没有发放了。|婚姻殡葬>{actor}收费项目不清楚，费用很高。
s {topic}的事情在社区问了{times}，都说不清楚。
q 社会救助>请问低保申请需要准备哪些材料？|婚姻殡葬>婚姻登记需要预约吗？
q 养老服务>高龄津贴怎么领取？|社会组织与社区>社会组织登记要什么材料？
[企业服务]
a 审批窗口|代办机构|开户银行|税务窗口|园区管委会
s 我们公司在政务服务中心办理{topic}，材料交了{days}天一直没有结果。
s 窗口要求补充的材料前后不一致，来回跑了{times}。|企业办事需要的证明材料太多。
s 市场准入>新开的门店要办营业执照，网上提交后一直显示审核中。
s 工程建设项目审批>工程项目的施工许可迟迟拿不到，影响开工。
s 用工服务>公司给员工缴社保和公积金，系统一直提示办理失败。
s 税费服务,市场准入>执照地址变更后，税务登记信息没有同步。
s 融资与惠企政策>申请的{money}元惠企补贴，{days}天了还没兑现。
s 融资与惠企政策>企业想申请融资贷款，银行要政府出具证明材料。
q 市场准入>请问办理营业执照需要哪些材料，能不能全程网办？
q 用工服务>新办企业的社保和公积金开户去哪里办理？|工程建设项目审批>建设许可审批时限是多久？
q 税费服务>执照变更后发票怎么领用？|税费服务,融资与惠企政策>小微企业有哪些减税降费政策？
q {topic}能不能一次办好，需要哪些材料？
[城市管理]
a 流动摊贩|沿街商户|环卫公司|施工队
s 市容环境>{addr}附近有{actor}占道经营，晚上噪音和垃圾很多。|市容环境>垃圾桶满了没人清运。
s 市政设施>路灯坏了{days}天，晚上路过很不安全。|市政设施>井盖缺失，很容易有人掉下去。
s 违法建设>有人在楼顶私搭乱建，存在安全隐患。|园林绿化>行道树挡住了窗户，很多年没人修剪。
s {topic}的问题{when}就有了，一直没人管。
q 市容环境>请问户外广告设置需要审批吗？|违法建设>楼顶加建怎么举报？|园林绿化>树木修剪找谁？
q 市政设施>路灯坏了找哪个部门报修？
[水电气暖]
a 物业|供水>自来水公司|供电>供电公司|燃气>燃气公司|供暖>热力公司
s 供水>{when}开始停水，没有任何通知。|供电>家里突然停电，打{actor}电话一直占线。
s 供水>水龙头出来的水发黄有异味。|燃气>楼道里闻到燃气味，担心泄漏。
s 供暖>暖气一直不热，室温只有十几度。|供电>电压不稳，家里电器经常自动关机。
s 家里有老人小孩，{topic}的问题影响很大。
q 供水>请问水费在哪里可以缴纳？|燃气>燃气开户需要带什么材料？|供暖>供暖报停要怎么办理？
q 供电>新房用电报装要多久？
[医疗保障]
a 定点医院|定点药店|医保窗口
s 医保待遇>住院费用报销{days}天了还没有到账。|医保基金监管>{actor}让用医保卡买生活用品。
s 医保待遇>异地就医结算不了，只能全额自费。|医保待遇>慢特病认定申请被退回，说材料不全。
s 医保参保>医保关系转了{days}天还没转过来。|{topic}的事情在{actor}问了{times}没有答复。
q 医保待遇>请问异地就医备案怎么办理？|医保参保>居民医保参保需要什么材料？
q 医保待遇>门诊报销比例是多少？|医保基金监管>举报骗保有没有奖励？
[住房公积金]
a 单位|公司人事|公积金中心窗口
s 公积金缴存>{actor}一直没有给缴纳公积金。|公积金提取>提取申请提交{days}天了还没到账。
s 公积金贷款>公积金贷款审批进度一直没有变化。|公积金提取>离职后公积金账户没法转移。
s {topic}的事情{actor}说要等通知，{days}天了还没消息。
q 公积金提取>请问租房提取公积金需要什么材料？|公积金贷款>公积金贷款额度怎么计算？
q 公积金缴存>单位缴存开户去哪里办理？
[其他]
a 办事窗口|文化旅游>景区|文化旅游>旅行社|文化旅游>娱乐场所|农业农村>农资店
s 在{actor}受到不公正对待。|{actor}工作人员服务态度不好。|这件事找了好几个部门都说不归他们管。
s 农业农村>买的种子出苗率很低，怀疑是假种子。
q 请问这个事情应该找哪个部门？|有没有相关政策可以参考？
"""

CATEGORY_PHRASES: Mapping[str, CategoryPhrases] = MappingProxyType(
    {
        name: CategoryPhrases(kinds["a"], kinds["s"], kinds["q"])
        for name, kinds in parse_template_source(_PHRASE_SOURCE).items()
    }
)
"""First-level class → typical actors, situations and questions (filter with ``for_branch``)."""
