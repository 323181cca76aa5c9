"""What a registration reads before its write transaction, so that the transaction needs no
statement for it: on SQLite the first statement takes the write lock, which every other
operator's save waits for while it is held."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import select

from db.models import Area, Category
from hotline_tui.domain.errors import NotFound
from hotline_tui.domain.intake import IntakeInput
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets.common import dept_by_code
from hotline_tui.services.tickets.timelimits import calendar_for, limits_for


def prepare_registration(
    hl: Hotline, intake: IntakeInput, lead: str | None, co: Sequence[str] = ()
) -> None:
    """Cache the ids of the codes the call names (an unknown one is refused here, as the
    transaction would) and, when it is dispatched to ``lead`` (and ``co``), the departments,
    the order's time limits and the working calendar. The caches are the process's own
    (``Hotline.code_ids``, ``dept_ids``, :mod:`timelimits`); a warm process reads nothing."""
    with hl.reading() as session:  # a connection is taken only if something is not cached
        codes: list[tuple[type[Area] | type[Category], str | None]] = [
            (Category, intake.category),
            (Area, intake.area),
            (Area, intake.caller.area_code),
        ]
        for model, code in codes:
            key = (model.__tablename__, code or "")
            if code is not None and key not in hl.code_ids:
                found = session.exec(select(model.id).where(model.code == code)).one_or_none()
                if found is None:
                    raise NotFound(f"not_found.{model.__tablename__}", code=code)
                hl.code_ids[key] = int(found)
        if lead is None:
            return
        for dept in (lead, *co):
            if dept not in hl.dept_ids:
                hl.dept_ids[dept] = dept_by_code(session, dept).id or 0
        category = hl.code_ids.get(("category", intake.category or ""))
        limits_for(hl, session, intake.request_type, category, intake.urgency)
        calendar_for(hl)
