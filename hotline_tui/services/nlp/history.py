"""Labelled examples from the city's own orders: what the operators finally chose.

An order's category and request type are its fields as they stand now (an edit after a wrong
first guess replaced them); its department is the lead of the order's current lead assignment,
so an order returned (退单) and dispatched again teaches the department it went to in the end,
not the one that sent it back. Orders still waiting on a return (the lead returned it and no new
lead yet) teach no department; invalid calls (无效来电) teach nothing. The text is the
description the operator typed at intake.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from db.models import Assignment, Category, Department, Ticket
from hotline_tui.domain.states import AssignmentState, Ending
from hotline_tui.services.context import Hotline
from hotline_tui.services.nlp.datasets import Examples

__all__ = ["examples_from_orders"]

_UNSETTLED = (AssignmentState.RETURNED.value, AssignmentState.RETURN_REVIEW.value)


def examples_from_orders(hl: Hotline, task: str, since: datetime | None) -> Examples:
    """The orders registered since ``since`` (all when None) as ``task``'s examples: category
    paths, request-type codes or department codes."""
    query = select(col(Ticket.description), *_label_columns(task)).where(
        col(Ticket.ending).is_(None) | (col(Ticket.ending) != Ending.INVALID.value)
    )
    if task == "category":
        query = query.join(Category, col(Category.id) == col(Ticket.category_id))
    elif task == "department":
        query = (
            query.join(Assignment, col(Assignment.id) == col(Ticket.lead_assignment_id))
            .join(Department, col(Department.id) == col(Assignment.dept_id))
            .where(col(Assignment.state).not_in(_UNSETTLED))
        )
    if since is not None:
        query = query.where(col(Ticket.created_at) >= since)
    with hl.reading() as session:
        rows = session.execute(query.order_by(col(Ticket.id))).all()
    texts = tuple(str(text) for text, _label in rows)
    labels = tuple(str(label) for _text, label in rows)
    return Examples(texts, labels, 0, f"orders since {since:%Y-%m-%d}" if since else "orders")


def _label_columns(task: str) -> tuple[object, ...]:
    if task == "category":
        return (col(Category.path),)
    if task == "department":
        return (col(Department.code),)
    return (col(Ticket.request_type),)
