"""``hotline ticket <action>``: every lifecycle action of the closed loop, one service call each.

``--if-version N`` carries the version the user saw (the order's for order actions, the
assignment's for a department's actions); without it the version read in the same transaction
is used.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hotline_tui.cli.output import emit_json, line
from hotline_tui.cli.state import state
from hotline_tui.cli.ticket_cmd import done
from hotline_tui.services.tickets import (
    dispatch,
    editing,
    handling,
    intake,
    materials,
    supervision,
    visits,
)

IF_VERSION = typer.Option(None, "--if-version", help="refuse if the version changed")
JSON = typer.Option(False, "--json")
DEPT = typer.Option(None, "--dept", help="department code (default: yours / the only one)")
NOTE = typer.Option("", "--note", "-n")


def register(app: typer.Typer) -> None:
    """Add the action commands to the ``ticket`` group."""

    @app.command("answer")
    def answer(
        ctx: typer.Context,
        number: str,
        text: str = typer.Option(..., "--text"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """直接答复 and close a registered or queued order."""
        st = state(ctx)
        done(intake.answer(st.hl, st.actor, number, text, if_version=if_version), as_json)

    @app.command("dispatch")
    def dispatch_(
        ctx: typer.Context,
        number: str,
        lead: str = typer.Option(..., "--lead", help="主办单位 code"),
        co: list[str] = typer.Option([], "--co", help="协办单位 code (repeatable)"),
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """派单 to a lead department and optional co-handlers."""
        st = state(ctx)
        done(
            dispatch.dispatch(st.hl, st.actor, number, lead, co, note, if_version=if_version),
            as_json,
        )

    @app.command("sign")
    def sign(
        ctx: typer.Context,
        number: str,
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """签收 (department)."""
        st = state(ctx)
        done(handling.sign(st.hl, st.actor, number, dept=dept, if_version=if_version), as_json)

    @app.command("return")
    def return_(
        ctx: typer.Context,
        number: str,
        reason: str = typer.Option(
            ...,
            "--reason",
            help="wrong_area, not_our_duty, ownership_unclear, overlapping_duty, incomplete_info",
        ),
        basis: str = typer.Option(..., "--basis", help="依据"),
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """退单 with a reason code and its basis."""
        st = state(ctx)
        done(
            handling.return_order(
                st.hl,
                st.actor,
                number,
                reason=reason,
                basis=basis,
                dept=dept,
                if_version=if_version,
            ),
            as_json,
        )

    @app.command("review-return")
    def review_return(
        ctx: typer.Context,
        number: str,
        accept: bool = typer.Option(..., "--accept/--reject"),
        to: str | None = typer.Option(None, "--to", help="改派 to this dept"),
        dept: str | None = DEPT,
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """退单审核: accept (and re-dispatch with --to) or reject."""
        st = state(ctx)
        done(
            dispatch.review_return(
                st.hl,
                st.actor,
                number,
                accept=accept,
                redispatch_to=to,
                dept=dept,
                note=note,
                if_version=if_version,
            ),
            as_json,
        )

    @app.command("extend")
    def extend(
        ctx: typer.Context,
        number: str,
        days: int = typer.Option(..., "--days"),
        reason: str = typer.Option(..., "--reason"),
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """延期申请 (department), in working days."""
        st = state(ctx)
        done(
            handling.request_extension(
                st.hl, st.actor, number, days=days, reason=reason, dept=dept, if_version=if_version
            ),
            as_json,
        )

    @app.command("decide-extension")
    def decide_extension(
        ctx: typer.Context,
        number: str,
        approve: bool = typer.Option(..., "--approve/--deny"),
        days: int | None = typer.Option(None, "--days", help="working days granted"),
        dept: str | None = DEPT,
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """延期审批: approve (with the days granted) or deny."""
        st = state(ctx)
        done(
            dispatch.decide_extension(
                st.hl,
                st.actor,
                number,
                approve=approve,
                days=days,
                dept=dept,
                note=note,
                if_version=if_version,
            ),
            as_json,
        )

    @app.command("reply")
    def reply(
        ctx: typer.Context,
        number: str,
        text: str = typer.Option(..., "--text"),
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """答复 (department); the lead replies once every co-handler has."""
        st = state(ctx)
        done(
            handling.reply(st.hl, st.actor, number, text=text, dept=dept, if_version=if_version),
            as_json,
        )

    @app.command("review")
    def review(
        ctx: typer.Context,
        number: str,
        passed: bool = typer.Option(..., "--pass/--fail"),
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """审核 the lead's reply: pass → 待回访, fail → back to the department."""
        st = state(ctx)
        done(
            dispatch.review(
                st.hl, st.actor, number, passed=passed, note=note, if_version=if_version
            ),
            as_json,
        )

    @app.command("visit")
    def visit(
        ctx: typer.Context,
        number: str,
        contact: str = typer.Option(
            "reached", "--contact", help="reached / unreachable / declined"
        ),
        resolution: str | None = typer.Option(
            None, "--resolution", help="resolved / partly / unresolved"
        ),
        satisfaction: str | None = typer.Option(
            None, "--satisfaction", help="satisfied / basic / unsatisfied"
        ),
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """回访: record whether the caller was reached, resolved and satisfied."""
        st = state(ctx)
        result = visits.parse_visit(contact, resolution, satisfaction, note)
        done(visits.visit(st.hl, st.actor, number, result, if_version=if_version), as_json)

    @app.command("redo")
    def redo(
        ctx: typer.Context,
        number: str,
        co: list[str] = typer.Option([], "--co", help="co-handlers to redo too"),
        note: str = typer.Option(..., "--note", "-n"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """重办 after an unsatisfied visit: back to the lead (and chosen co-handlers)."""
        st = state(ctx)
        done(
            dispatch.redo(st.hl, st.actor, number, co_depts=co, note=note, if_version=if_version),
            as_json,
        )

    @app.command("close")
    def close(
        ctx: typer.Context,
        number: str,
        note: str = typer.Option(..., "--note", "-n"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """办结 after an unsatisfied visit, without a redo."""
        st = state(ctx)
        done(dispatch.close(st.hl, st.actor, number, note, if_version=if_version), as_json)

    @app.command("merge")
    def merge(
        ctx: typer.Context,
        number: str,
        into: str = typer.Option(..., "--into"),
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """并单: merge a duplicate into a lead order."""
        st = state(ctx)
        done(intake.merge(st.hl, st.actor, number, into, note, if_version=if_version), as_json)

    @app.command("withdraw")
    def withdraw(
        ctx: typer.Context,
        number: str,
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """撤单: the caller withdraws the request."""
        st = state(ctx)
        done(intake.withdraw(st.hl, st.actor, number, note, if_version=if_version), as_json)

    @app.command("invalid")
    def invalid(
        ctx: typer.Context,
        number: str,
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """无效来电: close without counting against anyone."""
        st = state(ctx)
        done(intake.mark_invalid(st.hl, st.actor, number, note, if_version=if_version), as_json)

    @app.command("reopen")
    def reopen(
        ctx: typer.Context,
        number: str,
        note: str = typer.Option(..., "--note", "-n"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """重启 a closed order (counted)."""
        st = state(ctx)
        done(dispatch.reopen(st.hl, st.actor, number, note, if_version=if_version), as_json)

    @app.command("archive")
    def archive(
        ctx: typer.Context, number: str, if_version: int | None = IF_VERSION, as_json: bool = JSON
    ) -> None:
        """归档 a closed order."""
        st = state(ctx)
        done(dispatch.archive(st.hl, st.actor, number, if_version=if_version), as_json)

    @app.command("release")
    def release(
        ctx: typer.Context,
        number: str,
        dept: str = typer.Option(..., "--dept"),
        note: str = NOTE,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """释放 a co-handler."""
        st = state(ctx)
        done(dispatch.release(st.hl, st.actor, number, dept, note, if_version=if_version), as_json)

    @app.command("urge")
    def urge(
        ctx: typer.Context,
        number: str,
        note: str = NOTE,
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """催办 a department."""
        st = state(ctx)
        done(
            supervision.urge(st.hl, st.actor, number, note, dept=dept, if_version=if_version),
            as_json,
        )

    @app.command("supervise")
    def supervise(
        ctx: typer.Context,
        number: str,
        note: str = typer.Option(..., "--note", "-n"),
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """督办 a department (it must answer)."""
        st = state(ctx)
        done(
            supervision.supervise(st.hl, st.actor, number, note, dept=dept, if_version=if_version),
            as_json,
        )

    @app.command("supervise-reply")
    def supervise_reply(
        ctx: typer.Context,
        number: str,
        answer: str = typer.Option(..., "--answer"),
        dept: str | None = DEPT,
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """督办回复 (department)."""
        st = state(ctx)
        done(
            supervision.supervise_reply(
                st.hl, st.actor, number, answer, dept=dept, if_version=if_version
            ),
            as_json,
        )

    @app.command("escalate")
    def escalate(
        ctx: typer.Context,
        number: str,
        note: str = typer.Option(..., "--note", "-n"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """提级 for leadership coordination."""
        st = state(ctx)
        done(supervision.escalate(st.hl, st.actor, number, note, if_version=if_version), as_json)

    @app.command("consult")
    def consult(
        ctx: typer.Context,
        number: str,
        note: str = typer.Option(..., "--note", "-n"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """会商 of the departments concerned."""
        st = state(ctx)
        done(supervision.consult(st.hl, st.actor, number, note, if_version=if_version), as_json)

    @app.command("edit")
    def edit(
        ctx: typer.Context,
        number: str,
        description: str | None = typer.Option(None, "--description"),
        title: str | None = typer.Option(None, "--title"),
        category: str | None = typer.Option(None, "--category"),
        area: str | None = typer.Option(None, "--area"),
        address: str | None = typer.Option(None, "--address"),
        urgency: str | None = typer.Option(None, "--urgency"),
        confidential: bool | None = typer.Option(None, "--confidential/--not-confidential"),
        if_version: int | None = IF_VERSION,
        as_json: bool = JSON,
    ) -> None:
        """修改 the order's own fields."""
        st = state(ctx)
        given = {
            "description": description,
            "title": title,
            "category": category,
            "area": area,
            "address": address,
            "urgency": urgency,
            "confidential": confidential,
        }
        changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
        done(editing.edit(st.hl, st.actor, number, changes, if_version=if_version), as_json)

    @app.command("mark-abusive")
    def mark_abusive(
        ctx: typer.Context,
        number: str,
        note: str = typer.Option(..., "--note", "-n"),
        as_json: bool = JSON,
    ) -> None:
        """Mark the caller as abusive (recorded; calls are never silently blocked)."""
        st = state(ctx)
        done(editing.mark_abusive(st.hl, st.actor, number, note), as_json)

    @app.command("attach")
    def attach(
        ctx: typer.Context, number: str, file: Path, note: str = NOTE, as_json: bool = JSON
    ) -> None:
        """附件: attach a file once; every department on the order sees it."""
        st = state(ctx)
        view = materials.add_material(st.hl, st.actor, number, file, note)
        if as_json:
            emit_json(view)
        else:
            line(f"已添加附件 {view.filename}（{view.size} 字节，{view.sha256[:12]}）")
