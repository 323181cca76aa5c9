"""Entry point of the ``hotline`` command: global options, sub-commands, error handling.

Errors are structured (``HotlineError``); here they become a Chinese sentence on stderr and an
exit code per kind. Logs go to the log file named by the settings, never to the terminal.

Each sub-command's module is imported only when the command is used (:data:`COMMANDS`, see
:mod:`hotline_tui.cli.lazy`): ``hotline ticket show`` does not pay for the knowledge index, the
migrations or the demo generator, and ``hotline --help`` for none of them.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from hotline_tui.cli.lazy import Lazy, LazyCommands
from hotline_tui.collector import resume_collector
from hotline_tui.domain.errors import (
    AuditMismatch,
    AuthError,
    Busy,
    ConfigError,
    Conflict,
    HotlineError,
    IllegalTransition,
    ImportFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)

EXIT_CODES: list[tuple[type[HotlineError], int]] = [
    # Evidence of tampering: the same exit as ``audit verify`` finding it.
    (AuditMismatch, 1),
    (ValidationError, 2),
    (NotFound, 3),
    (PermissionDenied, 4),
    (Conflict, 5),
    (IllegalTransition, 6),
    (Busy, 7),
    (AuthError, 8),
    (ConfigError, 9),
    (ImportFailed, 10),
]


def _cli(module: str) -> str:
    return f"hotline_tui.cli.{module}"


# The help is the command's own (its docstring or its Typer's help), repeated here so that
# ``hotline --help`` imports nothing; tests/cli/test_lazy_commands.py keeps the two equal.
COMMANDS: dict[str, Lazy] = {
    "status": Lazy(
        "command",
        _cli("status_cmd"),
        "status",
        "状态：数据库、调度租约与上次扫描、节假日日历、审计检查点。",
    ),
    "demo": Lazy(
        "command",
        _cli("demo_cmd"),
        "demo",
        "演示数据：准备数据库并生成演示城市、用户、一年的工单和知识库。",
    ),
    "kpi": Lazy(
        "command",
        _cli("kpi_cmd"),
        "kpi",
        "指标：各项指标的分子、分母、同比与环比，以及数字背后的工单。",
    ),
    "hotspot": Lazy(
        "command",
        _cli("hotspot_cmd"),
        "hotspot_command",
        "热点：分类 × 区划的受理量、每万人、超出基线、本周上升与受理时段，以及格背后的工单。",
    ),
    "serve": Lazy(
        "command",
        _cli("serve_cmd"),
        "serve",
        "网站：市民自助页面与 Open311 接口（HTTP 服务）。",
    ),
    "apikey": Lazy("group", _cli("serve_cmd"), "apikey_app", "接口密钥：Open311 合作系统的密钥。"),
    "db": Lazy("group", _cli("db_cmd"), "app", "数据库：迁移、备份与恢复。"),
    "user": Lazy("group", _cli("user_cmd"), "app", "用户管理。"),
    "area": Lazy("group", _cli("ref_cmd"), "area_app", "行政区划：导入与列出。"),
    "dept": Lazy("group", _cli("ref_cmd"), "dept_app", "单位：导入与列出承办单位。"),
    "category": Lazy("group", _cli("ref_cmd"), "category_app", "分类：导入与列出诉求分类树。"),
    "catalogue": Lazy(
        "group",
        _cli("ref_cmd"),
        "catalogue_app",
        "派单目录：导入、列出与试用派单目录。",
    ),
    "calendar": Lazy(
        "group",
        _cli("calendar_cmd"),
        "app",
        "节假日日历：导入一年的放假安排，查看已知年份。",
    ),
    "sla": Lazy(
        "group",
        _cli("sla_cmd"),
        "app",
        "限时规则：列出、设置、导入时限规则；计算截止时间。",
    ),
    "ticket": Lazy("group", _cli("ticket_group"), "app", "工单：受理、办理与查阅。"),
    "audit": Lazy("group", _cli("audit_cmd"), "app", "审计：校验审计链（HMAC），记录检查点。"),
    "kb": Lazy("group", _cli("kb_cmd"), "app", "知识库：文章、检索、导入、重建索引。"),
    "scheduler": Lazy(
        "group",
        _cli("scheduler_cmd"),
        "app",
        "调度：标记、催办、升级超期工单；每日任务。",
    ),
    "nlp": Lazy(
        "group",
        _cli("nlp_group"),
        "app",
        "智能分类：训练与评估诉求类型、分类、主办单位的分类模型。",
    ),
    "stats": Lazy(
        "group", _cli("stats_cmd"), "app", "指标汇总：从工单与审计事件重算每日指标汇总。"
    ),
}


class HotlineGroup(TyperGroup):
    """The root group: turns structured errors into a Chinese sentence on stderr and an exit
    code per kind, and imports each sub-command when it is first looked up."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands, COMMANDS)
        self._listing = False

    # ``Any``: typer vendors its own click; its Context class is not public API.
    def invoke(self, ctx: Any) -> Any:
        rest = list(ctx.args)  # the words after the sub-command's name, before invoke eats them
        try:
            return super().invoke(ctx)
        except HotlineError as exc:
            refuse(exc, self.options_of(ctx, rest, exc))
        except Exception as exc:
            problem = database_problem(exc, ctx.obj)
            if problem is None:
                raise
            logging.getLogger("hotline.cli").warning("database: %s", exc)
            refuse(problem)

    def options_of(self, ctx: Any, rest: list[str], exc: HotlineError) -> dict[str, str]:
        """The option the user typed for the field an error names (``-d/--description``)."""
        from hotline_tui.cli.fields import field_flags, running_command

        field = exc.params.get("field")
        if not isinstance(field, str):
            return {}
        return field_flags(running_command(self, ctx, rest), [field])

    def list_commands(self, ctx: Any) -> list[str]:
        # Typer's own goes through ``commands.items()``, which would import every command.
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and isinstance(self.commands, LazyCommands):
            return self.commands.peek(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # Listing the commands needs their names and help, not their modules.
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=HotlineGroup,
    name="hotline",
    help="12345 热线工单系统：控制台（不带命令，或 console）、管理与工单命令。",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    # ``--install-completion`` / ``--show-completion``: completing a command's options imports
    # only that command's module (the lazy group), and a plain command pays nothing for it.
    add_completion=True,
)


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    db: str | None = typer.Option(None, "--db", help="数据库地址（优先于设置）。"),
    as_user: str | None = typer.Option(
        None, "--as", help="以此热线用户的身份操作（仅 root 或管理组）。"
    ),
) -> None:
    from hotline_tui.cli.state import CliState

    # Click has loaded the command's module by now (the callback runs after the lookup).
    resume_collector()
    ctx.obj = CliState(db_url=db, as_user=as_user)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        raise typer.Exit(open_console(db, as_user))


@app.command("console")
def console(
    ctx: typer.Context,
    low_bandwidth: bool = typer.Option(
        False, "--low-bandwidth", help="低带宽：16 色，无动画、无闪烁、无鼠标。"
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="界面语言：zh（中文，默认）或 en（英文）。"
    ),
    user: str | None = typer.Option(None, "--user", help="登录时预填的用户名。"),
) -> None:
    """控制台：打开话务控制台（与不带命令的 hotline 相同）。"""
    from hotline_tui.cli.state import state

    st = state(ctx)
    extra = ["--low-bandwidth"] if low_bandwidth else []
    extra += ["--lang", lang] if lang else []
    extra += ["--user", user] if user else []
    raise typer.Exit(open_console(st.db_url, st.as_user, extra))


def open_console(db: str | None, as_user: str | None, extra: list[str] | None = None) -> int:
    """Start the Textual console, handed over by the entry point (the CLI never loads it)."""
    from hotline_tui.cli.handoffs import handoffs

    argv = (["--db", db] if db else []) + (["--as", as_user] if as_user else [])
    return handoffs().open_console(argv + (extra or []))


def refuse(exc: HotlineError, fields: dict[str, str] | None = None) -> NoReturn:
    """The error in Chinese on stderr (a field named by the option typed for it), and its
    kind's exit code."""
    from hotline_tui.cli.output import error
    from hotline_tui.labels.errors import describe

    logging.getLogger("hotline.cli").info("refused: %s", exc.describe())
    error(f"错误: {describe(exc, fields or {})}  [{exc.code}]")
    raise typer.Exit(exit_code(exc)) from None


def database_problem(exc: Exception, obj: object) -> HotlineError | None:
    """A database that cannot be reached or has no schema, as a configuration error."""
    from hotline_tui.cli.state import CliState
    from hotline_tui.services.context import database_problem as classify

    url = obj.shown_db_url() if isinstance(obj, CliState) else None
    return classify(exc, url) if url is not None else None


def exit_code(exc: HotlineError) -> int:
    for kind, code in EXIT_CODES:
        if isinstance(exc, kind):
            return code
    return 1


def main() -> None:
    app()


if __name__ == "__main__":
    main()
