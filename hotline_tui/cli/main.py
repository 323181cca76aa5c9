"""Entry point of the ``hotline`` command: global options, sub-commands, error handling.

Errors are structured (``HotlineError``); here they become a Chinese sentence on stderr and an
exit code per kind. Logs go to the log file named by the settings, never to the terminal.
"""

from __future__ import annotations

import logging
from typing import Any

import typer
from typer.core import TyperGroup

from hotline_tui.cli import (
    audit_cmd,
    calendar_cmd,
    db_cmd,
    demo_cmd,
    kb_cmd,
    ref_cmd,
    scheduler_cmd,
    sla_cmd,
    status_cmd,
    ticket_cmd,
    ticket_extra_cmd,
    ticket_flow_cmd,
    user_cmd,
)
from hotline_tui.cli.fields import field_flags, running_command
from hotline_tui.cli.messages import describe
from hotline_tui.cli.output import error
from hotline_tui.cli.state import CliState, state
from hotline_tui.domain.errors import (
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


class HotlineGroup(TyperGroup):
    """Turns structured errors into a Chinese sentence on stderr and an exit code per kind."""

    # ``Any``: typer vendors its own click; its Context class is not public API.
    def invoke(self, ctx: Any) -> Any:
        rest = list(ctx.args)  # the words after the sub-command's name, before invoke eats them
        try:
            return super().invoke(ctx)
        except HotlineError as exc:
            logging.getLogger("hotline.cli").info("refused: %s", exc.describe())
            field = exc.params.get("field")
            fields = (
                field_flags(running_command(self, ctx, rest), [field])
                if isinstance(field, str)
                else {}
            )
            error(f"错误: {describe(exc, fields)}  [{exc.code}]")
            raise typer.Exit(exit_code(exc)) from None


app = typer.Typer(
    cls=HotlineGroup,
    name="hotline",
    help="12345 热线工单系统 — Hotline Console: the console (no command, or `console`), "
    "administration and work-order commands.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cmd.app, name="db")
app.add_typer(user_cmd.app, name="user")
app.add_typer(ref_cmd.area_app, name="area")
app.add_typer(ref_cmd.dept_app, name="dept")
app.add_typer(ref_cmd.category_app, name="category")
app.add_typer(ref_cmd.catalogue_app, name="catalogue")
app.add_typer(calendar_cmd.app, name="calendar")
app.add_typer(sla_cmd.app, name="sla")
app.add_typer(ticket_cmd.app, name="ticket")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(kb_cmd.app, name="kb")
app.add_typer(scheduler_cmd.app, name="scheduler")
app.command("status")(status_cmd.status)
app.command("demo")(demo_cmd.demo)
ticket_flow_cmd.register(ticket_cmd.app)
ticket_extra_cmd.register(ticket_cmd.app)


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    db: str | None = typer.Option(None, "--db", help="Database URL (overrides the settings)."),
    as_user: str | None = typer.Option(
        None, "--as", help="Act as this hotline user (root or the admin group only)."
    ),
) -> None:
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


def exit_code(exc: HotlineError) -> int:
    for kind, code in EXIT_CODES:
        if isinstance(exc, kind):
            return code
    return 1


def main() -> None:
    app()


if __name__ == "__main__":
    main()
