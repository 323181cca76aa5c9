"""Structured errors in words: Chinese for the users, the English code kept for the logs.

Shared by every front end: the ``hotline`` command and the console (:mod:`hotline_tui.ui.i18n`)
word the same error the same way, the knowledge base's among them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotline_tui.domain.errors import HotlineError

STATE_ZH = {
    "registered": "已受理",
    "pending_dispatch": "待派单",
    "pending_sign": "待签收",
    "in_progress": "办理中",
    "return_review": "退单审核中",
    "extension_review": "延期审批中",
    "pending_review": "待审核",
    "pending_visit": "待回访",
    "unsatisfied": "回访不满意",
    "merged": "已并单",
    "closed": "已办结",
    "archived": "已归档",
    "replied": "已答复",
    "done": "已完成",
    "returned": "已退回",
    "released": "已释放",
    "cancelled": "已取消",
}

REQUEST_TYPE_ZH = {
    "consult": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
    "other": "其他",
}


# The knowledge base's article statuses and feedback kinds.
KB_STATUS_ZH = {"draft": "草稿", "review": "待审核", "published": "已发布", "retired": "已停用"}
FEEDBACK_ZH = {"helpful": "有用", "outdated": "已过时", "wrong": "有错误"}
# The scheduler's steps and jobs, for ``hotline scheduler`` and ``hotline status``.
STEP_ZH = {
    "near_due": "黄灯（临期）",
    "overdue": "红灯（超期）",
    "sign_overdue": "签收超时",
    "visit_due": "回访到期",
    "urge": "催办",
    "supervise": "督办",
    "notice": "通报",
    # The hotline's own steps overdue (domain.hotline_steps), escalated to the supervisors.
    "dispatch_late": "派单超时",
    "return_review_late": "退单审核超时",
    "extension_late": "延期审批超时",
    "limit_change": "时限变更",
    "escalate": "提级",
    "consult": "会商",
}
JOB_ZH = {
    "scan": "时限扫描",
    "stats": "指标汇总",
    "kpi_snapshot": "指标快照",
    "kb_expiry": "知识过期检查",
    "calendar_coverage": "节假日覆盖检查",
    "audit_checkpoint": "审计检查点",
    "audit_deep": "审计深度抽查",
}


def zh_state(state: str | None) -> str:
    return STATE_ZH.get(state or "", state or "")


def zh_type(request_type: str) -> str:
    return REQUEST_TYPE_ZH.get(request_type, request_type)


TEMPLATES = {
    "transition.ticket": "工单 {ticket} 当前状态为「{state_zh}」，不能执行「{action}」",
    "transition.assignment": "工单 {ticket} 在 {dept} 的办理状态为「{state_zh}」，不能执行「{action}」",
    "conflict.version": "工单 {ticket} 已被 {changed_by} 于 {at} 修改（{action}），"
    "您看到的是第 {seen} 版，当前为第 {current} 版；请刷新后重试",
    "not_found.ticket": "找不到工单 {ticket}",
    "not_found.assignment": "工单 {ticket} 没有可操作的承办单位记录 {dept}",
    "not_found.dept": "找不到单位 {dept}",
    "not_found.user": "找不到用户 {user}",
    "not_found.category": "找不到分类 {code}",
    "not_found.area": "找不到区划 {code}",
    "not_found.caller": "工单 {ticket} 没有登记来电人",
    "not_found.material": "工单 {ticket} 没有材料 {sha256}",
    "not_found.material_file": "工单 {ticket} 的材料 {sha256} 文件缺失（请联系管理员恢复）",
    "not_found.supervision": "工单 {ticket} 没有待回复的督办",
    "permission.role": "用户 {user}（{role}）无权执行「{action}」",
    "permission.dept": "用户 {user} 只能办理本单位的工单，{ticket} 不在其中",
    "permission.confidential": "工单 {ticket} 为保密件，来电人信息不能向承办单位显示",
    "permission.queue": "用户 {user} 不能查看队列 {queue}",
    "permission.kpi_dept": "用户 {user} 只能查看本单位的指标，不能查看 {dept}",
    "permission.restore_needs_admin": "目标数据库已有数据：只有其管理员可以恢复覆盖",
    "permission.unlisted_command": "命令「{command}」没有登记所需的权限，不予执行",
    "permission.os_admin": "系统账号 {os_user} 不是管理员（root 或管理组），不能执行此操作",
    "config.restore_target_exists": "目标数据库 {path} 已有数据；确需覆盖请加 --force",
    "config.restore_key_differs": "审计密钥 {path} 与备份中的不同；确需替换请加 --force",
    "config.backup_exists": "备份文件 {path} 已存在",
    "config.backup_missing": "找不到备份文件 {path}",
    "config.backup_unreadable": "{path} 不是 hotline db backup 生成的备份（{error}）",
    "config.restore_kind": "这是 {archive} 数据库的备份，不能恢复到 {target} 数据库",
    "config.tool_missing": "找不到命令 {tool}（请安装 PostgreSQL 客户端）",
    "config.tool_failed": "{tool} 执行失败：{message}",
    "audit.checkpoint_rewound": "审计链头（第 {seq} 条）低于上一个检查点（第 {checkpoint_seq} 条）："
    "最新的事件已被删除，拒绝记录检查点；请运行 hotline audit verify",
    "audit.checkpoint_forked": "第 {checkpoint_seq} 条事件已不是上一个检查点记录的那一条（被改写或删除），"
    "拒绝记录检查点；请运行 hotline audit verify",
    "audit.head_mismatch": "链头记录（第 {head} 条）与最新事件（第 {newest} 条）不符，"
    "拒绝记录检查点；请运行 hotline audit verify",
    "audit.checkpoint_file": "检查点文件 {path} 第 {line} 行校验失败（{problem}）："
    "文件被改动、截断或属于另一把密钥，拒绝追加；请运行 hotline audit verify",
    "db.busy": "数据库繁忙（已重试 {attempts} 次），请稍后重试",
    "auth.failed": "用户名或密码错误",
    "auth.locked": "账号 {user} 因多次登录失败被锁定，至 {until}",
    "auth.disabled": "账号 {user} 已停用",
    "auth.unmapped": "系统账号 {os_user} 未对应热线用户；请管理员用 hotline user add --os-account 配置",
    "auth.act_as_denied": "系统账号 {os_user} 无权以 {user} 的身份操作（需 root 或管理组）",
    "config.untrusted_setting": "设置 {setting} 决定谁可以代他人操作、用哪个数据库和审计密钥，只能来自站点配置文件（root 或服务账号所有），不能来自{source}",
    "config.site_untrusted": "配置文件 {path} 不属于 root 或服务账号（或他人可写），不能代替站点配置 {site}",
    "config.database_missing": "数据库文件不存在：{path}（新建请运行 hotline db upgrade；或用 --db 指定已有的数据库）",
    "config.schema_missing": "数据库 {url} 尚未初始化：请运行 hotline db upgrade",
    "config.database_unreachable": "无法连接数据库 {url}：{reason}（请检查服务器是否运行、地址与权限，或设置 database_url）",
    "config.audit_key_missing": "审计密钥文件不存在：{path}（先运行 hotline db upgrade）",
    "config.audit_key_unreadable": "无权读取审计密钥文件：{path}",
    "validation.required": "必填项 {field} 为空",
    "validation.choice": "{field} 的值「{value}」无效，可选：{allowed}",
    "validation.too_long": "{field} 太长（{length} 字，上限 {max}）",
    "validation.kpi_range": "统计区间无效：起始 {first} 晚于结束 {last}",
    "validation.kpi_measure": "没有指标「{value}」，可选：{allowed}",
    "validation.nothing_changed": "工单 {ticket} 没有任何修改",
    "validation.merge_target": "工单 {ticket} 不能并入 {lead}（不能并入自身、已办结或已并入他单的工单）",
    "validation.release_lead": "{dept} 是工单 {ticket} 的主办单位，只能释放协办单位",
    "validation.material_missing": "找不到文件 {path}（应为本机上的文件路径）",
    "validation.material_too_large": "文件太大（{size} 字节，上限 {max}）",
    "transition.co_handlers_pending": "工单 {ticket} 的主办单位暂不能答复：{parts_zh}",
    "config.hotline_limit": "设置 {setting} 的时限「{value}」无效：应为正整数加单位 wd（工作日）、wh（工作小时）、h（小时）或 d（自然日），如 1wd",
    "validation.extension_days": "延期天数 {days} 无效：本次可申请 1 至 {max} 个工作日"
    "（延期上限共 {cap} 个工作日，已批准 {granted} 个）",
    # A department's own windows (domain.part_limits): the return window, the extension rules.
    "validation.extension_days_text": "延期天数「{days}」无效：应为整数个工作日，如 3",
    "validation.extension_grant": "批准天数 {days} 无效：本次可批准 1 至 {max} 个工作日"
    "（申请 {requested} 个，延期上限共 {cap} 个，已批准 {granted} 个）",
    "validation.late_return_approval": "工单 {ticket} 在 {dept} 的退单是超时退单"
    "（退单时限 {window_end} 已过）：同意须明确批准超时退单"
    "（命令行加 --approve-late，界面“批准超时退单”选“是”）；不批准请驳回",
    "transition.return_window": "工单 {ticket} 在 {dept} 的退单时限（派单后 {limit}）"
    "已于 {window_end} 截止，不能再退单：请按期办理；确非本单位职责的，请联系热线分办协调改派，"
    "办理时间不够的可在办结时限前申请延期",
    "transition.extension_after_due": "工单 {ticket} 在 {dept} 的办结时限 {due_at} 已过，"
    "不能再申请延期（延期须在时限届满前申请）：请尽快办理答复，或联系热线说明情况",
    "transition.extension_requests_used": "工单 {ticket} 在 {dept} 已申请延期 {used} 次"
    "（每个承办单位至多 {max} 次），不能再申请：请按期办理，或联系热线说明情况",
    "transition.extension_cap_used": "工单 {ticket} 在 {dept} 已获批延期 {granted} 个工作日，"
    "达到延期上限 {cap} 个工作日，不能再延期：请按期办理（审批时请选择不批准）",
    # Time limits: the working-time calendar and the rules.
    "validation.limit": "{field} 的时限「{value}」无效：应为正整数加单位 wd（工作日）、wh（工作小时）、h（小时）或 d（自然日），如 5wd",
    "validation.limit_range": "{field} 的时限「{value}」超出范围（1 至 {max}）",
    "validation.limit_unit_wd": "{field} 的时限「{value}」必须以工作日（wd）计，如 10wd",
    "validation.warn_fraction": "预警比例「{value}」无效：应不小于 0 且小于 1（如 0.2：剩余 20% 时预警）",
    "validation.working_hours": "工作时间「{value}」无效：应为 HH:MM-HH:MM，多段以逗号分隔、按先后排列且不重叠，如 09:00-12:00,13:30-17:30",
    "validation.datetime": "{field} 的时间「{value}」无效，应为 YYYY-MM-DD HH:MM（北京时间）",
    "validation.date": "{field} 的日期「{value}」无效，应为 YYYY-MM-DD（如 2026-03-02）",
    "validation.date_range": "{field} 的日期「{value}」超出范围（{min} 至 {max}）",
    "validation.nul": "输入含有 NUL 字符（\\0），不能保存，也不能用来查找",
    "validation.not_utf8": "输入含有不是 UTF-8 编码的字节（请把终端的字符编码设为 UTF-8）",
    "validation.number_range": "数字 {value} 超出范围（绝对值至多 {max}）",
    "validation.file_unreadable": "{field} 的文件 {path} 无法读取（{error}）",
    "validation.file_encoding": "{field} 的文件 {path} 不是 UTF-8 编码（第 {line} 行）",
    "validation.sla_empty": "规则至少要设置一项时限或预警比例",
    "config.working_hours": "设置 working_hours 的值「{value}」无效：应为 HH:MM-HH:MM，多段以逗号分隔，如 09:00-12:00,13:30-17:30",
    "import.failed": "导入失败，未做任何修改：{file} 第 {line} 行：{reason}",
    "import.unreadable": "导入失败：无法读取文件 {file}（{error}）",
    # Reasons of import.failed (params["reason"]), put into words by the front ends.
    "import.reason.encoding": "不是 UTF-8 编码",
    "import.reason.csv_syntax": "CSV 格式错误（{error}）",
    "import.reason.field_count": "应有 {expected} 列，实有 {found} 列",
    "import.reason.missing_header": "文件为空，缺少表头",
    "import.reason.unknown_column": "无法识别的列「{column}」，可用的列：{allowed}",
    "import.reason.duplicate_column": "列「{column}」重复",
    "import.reason.missing_column": "缺少列「{column}」",
    "import.reason.too_long": "{column} 太长（上限 {max} 字）",
    "import.reason.required": "{column} 为空",
    "import.reason.bad_code": "{column} 的值「{value}」不是有效代码（字母、数字、_ . -，至多 32 位）",
    "import.reason.bad_level": "区划级别「{value}」无效，可选：{allowed}",
    "import.reason.bad_kind": "单位类型「{value}」无效，可选：{allowed}",
    "import.reason.duplicate_code": "代码 {value} 重复（第 {first_line} 行已使用）",
    "import.reason.duplicate_path": "分类「{value}」重复",
    "import.reason.path_gap": "分类层级不连续（{column} 为空）",
    "import.reason.bad_name": "名称「{value}」含有“/”",
    "import.reason.missing_parent": "{level} 级区划必须填写上级代码",
    "import.reason.unknown_parent": "上级区划 {value} 不存在",
    "import.reason.parent_level": "上级区划 {value}（{parent_level}）的级别不高于本级（{level}）",
    "import.reason.child_level": "改后的级别不再高于其下级区划 {child}（{level}）",
    "import.reason.path_taken": "分类「{path}」已有代码 {code}",
    "import.reason.code_taken": "代码 {value} 已被分类「{path}」使用",
    "import.reason.too_deep": "分类「{path}」超过三级",
    "import.reason.unknown_area": "区划 {value} 不存在",
    "import.reason.unknown_category": "分类 {value} 不存在",
    "import.reason.unknown_dept": "单位 {value} 不存在",
    "import.reason.duplicate_rule": "与第 {first_line} 行是同一分类、同一区划的规则",
    "import.reason.too_big": "文件太大（上限 {max} 字节）",
    "import.reason.calendar_format": "无法识别的格式：应为 JSON（.json）或 iCalendar（.ics）",
    "import.reason.json_syntax": "JSON 格式错误（{error}）",
    "import.reason.calendar_shape": "JSON 应为一个对象，含 year（年份）、holidays 与 workdays（日期列表）、source（来源，可选）",
    "import.reason.calendar_year": "年份「{value}」无效（应为四位数字的 year）",
    "import.reason.calendar_year_mismatch": "文件中的年份 {value} 与指定的年份 {year} 不一致",
    "import.reason.calendar_key": "无法识别的键「{value}」，可用：year、holidays、workdays、source",
    "import.reason.calendar_bad_date": "日期「{value}」无效（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）",
    "import.reason.calendar_bad_range": "日期范围「{value}」无效（终止日不早于起始日，且不超过 {max} 天）",
    "import.reason.calendar_outside_year": "日期「{value}」不在 {year} 年内",
    "import.reason.calendar_weekday_workday": "调休上班日 {value} 本就是周一至周五的工作日；调休上班日应为周六或周日",
    "import.reason.calendar_both": "日期 {value} 既是放假日又是调休上班日（另见第 {first_line} 行）",
    "import.reason.calendar_empty": "文件中没有 {year} 年的放假或调休日期",
    "import.reason.calendar_many_years": "文件包含多个年份（{years}），请用 --year 指定导入哪一年",
    "import.reason.ics_syntax": "iCalendar 格式错误：缺少 {value}",
    "import.reason.ics_not_all_day": "事件时间「{value}」不是全天日期（应为 DTSTART;VALUE=DATE:YYYYMMDD）",
    "import.reason.ics_no_date": "事件缺少 DTSTART",
    "import.reason.ics_recurring": "不支持重复事件（RRULE/RDATE），请逐日或按范围列出",
    "import.reason.limit": "{field} 的时限「{value}」无效（应如 5wd、8wh、24h、15d）",
    "import.reason.limit_range": "{field} 的时限「{value}」超出范围（1 至 {max}）",
    "import.reason.limit_unit_wd": "{field} 的时限「{value}」必须以工作日（wd）计",
    "import.reason.choice": "{field} 的值「{value}」无效，可选：{allowed}",
    "import.reason.warn_fraction": "预警比例「{value}」无效（应不小于 0 且小于 1）",
    "import.reason.sla_empty": "规则没有设置任何时限",
    "import.reason.duplicate_scope": "与第 {first_line} 行是同一类型、同一分类、同一紧急程度的规则",
    # Supervision (提级, 会商) and return visits.
    "visit.retry_too_soon": "工单 {ticket} 上次回访未接通在 {last}，两次未接通的回访至少间隔 {gap} 分钟："
    "请于 {next_at} 之后再拨打（接通或拒绝回访可随时登记）",
    "validation.leader": "「{user}」不能作为提级的领导：领导须为启用的督办或管理员账号（{allowed}），"
    "请用 --leader 指定其用户名",
    "validation.leader_required": "工单 {ticket} 提级须指定领导（--leader 督办或管理员的用户名）",
    "validation.participants_required": "工单 {ticket} 没有正在办理的单位：会商须用 --dept 指定参加单位",
    "validation.too_many_parties": "参加单位太多（{count} 个，上限 {max}）",
    "validation.due_days": "反馈期限 {days} 个工作日无效（1 至 {max}）",
    "not_found.coordination": "工单 {ticket} 没有待反馈结果的{kind_zh}（先提级或会商）",
    # The knowledge base.
    "not_found.kb_article": "找不到知识库文章 {article}",
    "clock.live_database": "这是正式数据库：--now（{at}）只能用于标记为副本的数据库（hotline db mark-copy）；确需在正式数据库上运行请加 --now-on-live-database",
    "validation.future_time": "时间 {value} 晚于数据库时钟 {db_now} 超过 {minutes} 分钟：正式数据库不能记录未来的时间（演练请在副本上进行：hotline db mark-copy）",
    "validation.now_needs_once": "--now 只能与 --once 一起使用",
    "user.last_admin": "{user} 是唯一启用的管理员，不能停用（请先启用或新增另一名管理员）",
    "user.system_required": "内置用户 {user} 供调度程序使用，不能停用",
    "transition.kb": "知识库文章 {article} 当前为「{state_zh}」，不能执行「{action}」",
    "kb.not_offered": "知识库文章 {article} 未发布或不在有效期内（「{state_zh}」），不能用于答复",
    "conflict.kb_version": "知识库文章 {article} 已被 {changed_by} 于 {at} 修改（{action}），"
    "您看到的是第 {seen} 版，当前为第 {current} 版；请刷新后重试",
    "permission.kb_dept": "用户 {user} 只能维护本单位的知识库文章",
    "validation.kb_dates": "失效日期 {expires_on} 早于生效日期 {effective_from}",
    "validation.kb_too_many": "{field} 太多（{count} 项，上限 {max}）",
    "validation.front_matter": "第 {line} 行的文件头格式错误：{text}",
    "kb.index_unavailable": "知识库索引暂不可用（{reason}）：请稍候，"
    "或请管理员运行 hotline kb reindex",
    "kb.index_busy": "本机另一进程正在写知识库索引（{path}），请稍后再试",
    "import.reason.bad_date": "{column} 的日期「{value}」无效（应为 YYYY-MM-DD）",
    "import.reason.too_many": "{column} 项数太多（上限 {max}）",
    "import.reason.kb_dates": "失效日期早于生效日期",
    "import.reason.front_matter": "文件头格式错误：{value}",
    "import.reason.no_markdown": "文件夹中没有 .md 文件",
    "import.reason.synonym_group": "同义词组至少要有两个不同的词",
    "import.reason.invalid": "{column} 的内容无效",
    # Intake, finding orders and the command line (issue 14, rules 8-10).
    "validation.find_limit": "每页最多 {max} 条（给的是 {value}）：用 --page 翻页，或用 --all 列出全部",
    "validation.find_page": "页码 {value} 无效：从 1 开始",
    "validation.channel": "受理渠道「{value}」无效，可选：{allowed}（设置 intake_channels）",
    "validation.no_withdraw_request": "工单 {ticket} 没有待确认的撤单申请（待确认的见 hotline ticket withdrawals）",
    "validation.withdraw_requested": "工单 {ticket} 已于 {at} 申请撤单，等待派单员确认（hotline ticket withdrawals）",
    "not_found.sla_rule": "没有这条限时规则（类型 {request_type}、分类 {category}、紧急程度 {urgency}）：用 hotline sla list 查看已有规则",
}

# What unblocks the lead's reply, by the state of the co-handler's part that holds it up.
_WAITING_PART_ZH = {
    "pending_sign": "尚未签收：请等待其签收并答复，或由派单员释放该协办",
    "in_progress": "尚未答复：请等待其答复，或由派单员释放该协办",
    "return_review": "退单待热线审核：请等待审核，或由派单员释放该协办",
    "extension_review": "延期申请待热线审批：请等待审批，或由派单员释放该协办",
}


def _parts_zh(parts: Any) -> str:
    """The co-handlers a lead's reply waits for, each with its state and what unblocks it."""
    if not isinstance(parts, list | tuple):
        return ""
    lines = []
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        state = str(part.get("state", ""))
        name = _echo(str(part.get("dept_name") or part.get("dept") or ""))
        hint = _WAITING_PART_ZH.get(state, "请等待其答复，或由派单员释放该协办")
        lines.append(f"协办单位 {name}（{zh_state(state)}）{hint}")
    return "；".join(lines)


_REASONS_ZH = {
    "check_digit": "校验位错误",
    "birth_date": "出生日期无效",
    "future_date": "出生日期在未来",
    "length": "位数不对",
    "format": "格式不对",
    "prefix": "号段不对",
    "alphabet": "含有非法字符",
    "area_code": "区号不对",
    "region": "地区码不对",
    "required": "为空",
}

_FIELD_ZH = {
    "validation.mobile": "手机号",
    "validation.landline": "固定电话",
    "validation.phone": "电话号码",
    "validation.callback_phone": "回拨号码",
    "validation.resident_id": "身份证号",
    "validation.credit_code": "统一社会信用代码",
}


ECHO_MAX = 200
"""Longest parameter repeated in a message (a value typed or read from a file)."""


def _echo(value: Any) -> Any:
    """A parameter as it may be printed: input such as an ESC sequence or 70,000 characters is
    repeated inert and short; a list of choices reads as words."""
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        value = "、".join(str(v) for v in value)
    if not isinstance(value, str):
        return value
    # Imported here: domain.text loads the segmenter, which the console must not load before
    # its first paint (it shares this catalogue), and an error is rare.
    from hotline_tui.domain.text import clean_text

    text = clean_text(value, multiline=False)
    return text if len(text) <= ECHO_MAX else text[: ECHO_MAX - 1] + "…"


def describe(error: HotlineError, fields: Mapping[str, str] | None = None) -> str:
    """The Chinese message for a structured error, or its code and parameters.

    ``fields`` names a field as the user knows it (a command's ``-d/--description`` for the
    service's ``description``).
    """
    params: dict[str, Any] = {key: _echo(value) for key, value in error.params.items()}
    if "parts" in error.params:
        params["parts_zh"] = _parts_zh(error.params["parts"])
    if fields and str(params.get("field")) in fields:
        params["field"] = fields[str(params["field"])]
    state = str(params.get("state", ""))
    if "kind" in params:
        params.setdefault("kind_zh", STEP_ZH.get(str(params["kind"]), params["kind"]))
    params.setdefault(
        "state_zh", STATE_ZH.get(state) or KB_STATUS_ZH.get(state, params.get("state"))
    )
    if error.code in _FIELD_ZH:
        reason = _REASONS_ZH.get(str(params.get("reason", "")), params.get("reason", ""))
        extra = {
            k: v
            for k, v in params.items()
            if k not in ("reason", "field", "value", "state_zh", "kind")
        }
        detail = "，".join(f"{k}={v}" for k, v in extra.items())
        return f"{_FIELD_ZH[error.code]}无效：{reason}" + (f"（{detail}）" if detail else "")
    template = TEMPLATES.get(error.code)
    if template is not None:
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            pass
    return error.describe()
