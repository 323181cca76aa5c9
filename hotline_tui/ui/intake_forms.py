"""The intake and search forms' fields (strings) as the services' typed inputs.

Called in the worker that makes the service call (the services' types load there, not on the UI
thread): :func:`intake_input` for 受理 and for answering from an article, :func:`disposition` for
what becomes of the call, :func:`find_query` for the orders screen's search.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotline_tui.domain.intake import IntakeInput
    from hotline_tui.services.tickets.intake import Disposition
    from hotline_tui.services.tickets.queries import FindQuery

__all__ = ["disposition", "find_query", "intake_input"]


def intake_input(form: Mapping[str, Any]) -> IntakeInput:
    """The intake form's fields as the services' input."""
    from hotline_tui.domain.intake import CallerInput, IntakeInput

    kind = str(form.get("caller_kind") or "person")
    return IntakeInput(
        request_type=str(form.get("request_type") or "consult"),
        urgency=str(form.get("urgency") or "normal"),
        description=str(form.get("description") or ""),
        title=str(form.get("title") or ""),
        category=form.get("category") or None,
        area=form.get("area") or None,
        address=str(form.get("address") or ""),
        confidential=bool(form.get("confidential")),
        channel=str(form.get("channel") or "phone"),
        callback_phone=str(form.get("callback") or "") or None,
        caller=CallerInput(
            kind=kind,
            name=str(form.get("name") or ""),
            phone=str(form.get("phone") or "") or None,
            credit_code=str(form.get("credit_code") or "") or None,
        ),
    )


def disposition(form: Mapping[str, Any], record: IntakeInput) -> Disposition:
    """What becomes of the call: dispatched (lead, co-handlers), answered, or another ending."""
    from hotline_tui.services.tickets.intake import Disposition

    kind = str(form.get("disposition") or "dispatch")
    return Disposition(
        kind=kind,
        answer_text=str(form.get("answer") or ""),
        lead_dept=form.get("lead") or None,
        co_depts=tuple(form.get("co") or ()),
        note=str(form.get("note") or ""),
        # Answered on the call without an article (answering from one is its own action):
        # the knowledge base had nothing the operator used for this description.
        kb_gap=record.description if kind == "answer" else None,
    )


def find_query(criteria: Mapping[str, Any]) -> FindQuery:
    """The orders screen's search fields as a query."""
    from hotline_tui.services.tickets.queries import FindQuery

    return FindQuery(
        number=criteria.get("number") or None,
        phone=criteria.get("phone") or None,
        words=criteria.get("words") or None,
        state=criteria.get("state") or None,
        dept=criteria.get("dept") or None,
        since=criteria.get("since"),
        until=criteria.get("until"),
        limit=int(criteria.get("limit") or 100),
    )
