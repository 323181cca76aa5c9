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
from hotline_tui.launch import resume_collector

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
        "状态: database, scheduler lease and last scan, calendar, audit checkpoint.",
    ),
    "demo": Lazy(
        "command",
        _cli("demo_cmd"),
        "demo",
        "Prepare the database and seed the demo: the city, its users, a year of orders and the\n"
        "knowledge base.",
    ),
    "kpi": Lazy(
        "command",
        _cli("kpi_cmd"),
        "kpi",
        "指标: the measures with numerators, denominators, 同比 and 环比; the orders behind them.",
    ),
    "db": Lazy("group", _cli("db_cmd"), "app", "数据库: migrations, backup and restore."),
    "user": Lazy("group", _cli("user_cmd"), "app", "用户管理."),
    "area": Lazy(
        "group", _cli("ref_cmd"), "area_app", "行政区划: import and list administrative areas."
    ),
    "dept": Lazy(
        "group", _cli("ref_cmd"), "dept_app", "单位: import and list handling departments."
    ),
    "category": Lazy(
        "group", _cli("ref_cmd"), "category_app", "分类: import and list the request category tree."
    ),
    "catalogue": Lazy(
        "group",
        _cli("ref_cmd"),
        "catalogue_app",
        "派单目录: import, list and apply the dispatch catalogue.",
    ),
    "calendar": Lazy(
        "group",
        _cli("calendar_cmd"),
        "app",
        "节假日日历: import a year's holiday notice, show what is known.",
    ),
    "sla": Lazy(
        "group",
        _cli("sla_cmd"),
        "app",
        "限时规则: list, set and import time-limit rules; check a due time.",
    ),
    "ticket": Lazy(
        "group", _cli("ticket_group"), "app", "工单: register, act on and read work orders."
    ),
    "audit": Lazy(
        "group", _cli("audit_cmd"), "app", "审计: verify the HMAC chain, record checkpoints."
    ),
    "kb": Lazy(
        "group", _cli("kb_cmd"), "app", "知识库: knowledge articles, search, import, reindex."
    ),
    "scheduler": Lazy(
        "group",
        _cli("scheduler_cmd"),
        "app",
        "调度: flag, urge and escalate late orders; daily jobs.",
    ),
    "stats": Lazy(
        "group", _cli("stats_cmd"), "app", "指标汇总: rebuild the measures' daily roll-up."
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
    help="12345 热线工单系统 — Hotline Console: the console (no command, or `console`), "
    "administration and work-order commands.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    db: str | None = typer.Option(None, "--db", help="Database URL (overrides the settings)."),
    as_user: str | None = typer.Option(
        None, "--as", help="Act as this hotline user (root or the admin group only)."
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
        False, "--low-bandwidth", help="16 colours, no animation or blinking, no mouse."
    ),
    lang: str | None = typer.Option(None, "--lang", help="zh (default) or en."),
    user: str | None = typer.Option(None, "--user", help="User name offered at login."),
) -> None:
    """控制台: open the operator console (the same as `hotline` without a command)."""
    from hotline_tui.cli.state import state

    st = state(ctx)
    extra = ["--low-bandwidth"] if low_bandwidth else []
    extra += ["--lang", lang] if lang else []
    extra += ["--user", user] if user else []
    raise typer.Exit(open_console(st.db_url, st.as_user, extra))


def open_console(db: str | None, as_user: str | None, extra: list[str] | None = None) -> int:
    """Start the Textual console (imported only now: the rest of the CLI never loads it)."""
    from hotline_tui.ui.entry import main as console_main

    argv = (["--db", db] if db else []) + (["--as", as_user] if as_user else [])
    return console_main(argv + (extra or []))


def refuse(exc: HotlineError, fields: dict[str, str] | None = None) -> NoReturn:
    """The error in Chinese on stderr (a field named by the option typed for it), and its
    kind's exit code."""
    from hotline_tui.cli.messages import describe
    from hotline_tui.cli.output import error

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
