"""The lead department for an order: the dispatch catalogue first, the model second.

:func:`rank_departments` gives the dispatcher (and the intake form) ranked candidates, each
with the reasons for its place:

- ``catalogue``: the dispatch catalogue (派单目录) has a rule for the order's category in its
  area (:func:`hotline_tui.services.reference.catalogue.suggest_lead`). Where it has one, it
  decides: that department comes first whatever the model says.
- ``model``: the department model's calibrated probability for the description (its labels are
  matched to departments by code, then by name or short name; labels naming no active
  department are dropped). It ranks everything where the catalogue has no rule, and the others
  behind the catalogue's.
- ``returns``: how often the department sent back (退单, return accepted) orders of the same
  category registered in the last :data:`RETURN_DAYS` days. Each such return divides its score
  by ``1 + RETURN_WEIGHT``: a department that keeps returning this kind of order is the wrong
  one more often than its words suggest. (A judgment, not a fitted weight: the city's history
  of returns is what would tune it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlmodel import col

from db.models import Assignment, Category, Department, Ticket
from hotline_tui.domain.states import AssignmentRole, AssignmentState
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.nlp.suggest import Suggester
from hotline_tui.services.reference.catalogue import suggest_lead

__all__ = ["RETURN_DAYS", "RETURN_WEIGHT", "Candidate", "Reason", "rank_departments"]

RETURN_DAYS = 90
RETURN_WEIGHT = 1.0
MODEL_DEPTH = 5


@dataclass(frozen=True)
class Reason:
    kind: Literal["catalogue", "model", "returns"]
    value: float  # the rule (1), the probability, or the number of returns


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    score: float  # what the ranking sorts by, catalogue's rule first (see the module docstring)
    reasons: tuple[Reason, ...]

    @property
    def from_catalogue(self) -> bool:
        return any(r.kind == "catalogue" for r in self.reasons)


def _model_scores(
    suggester: Suggester | None, text: str, by_label: dict[str, Department]
) -> dict[str, float]:
    # The department model is asked for its first few, beyond the three shown.
    ranked = suggester.rank("department", text, MODEL_DEPTH) if suggester else None
    scores: dict[str, float] = {}
    for label, probability in ranked or ():
        dept = by_label.get(label)
        if dept is not None and dept.code not in scores:
            scores[dept.code] = probability
    return scores


def _returns(hl: Hotline, category_code: str | None, codes: list[str]) -> dict[str, int]:
    if category_code is None or not codes:
        return {}
    since = hl.clock() - timedelta(days=RETURN_DAYS)
    with hl.reading() as session:
        rows = session.execute(
            select(col(Department.code), func.count())
            .select_from(Assignment)
            .join(Ticket, col(Ticket.id) == col(Assignment.ticket_id))
            .join(Category, col(Category.id) == col(Ticket.category_id))
            .join(Department, col(Department.id) == col(Assignment.dept_id))
            .where(col(Category.code) == category_code)
            .where(col(Assignment.state) == AssignmentState.RETURNED.value)
            .where(col(Assignment.role) == AssignmentRole.LEAD.value)
            .where(col(Ticket.created_at) >= since)
            .where(col(Department.code).in_(codes))
            .group_by(col(Department.code))
        ).all()
    return {str(code): int(count) for code, count in rows}


def _departments(hl: Hotline) -> tuple[dict[str, Department], dict[str, Department]]:
    """Active departments by code, and by every label a model may use for them."""
    with hl.reading() as session:
        depts = list(session.execute(select(Department).where(col(Department.active))).scalars())
    by_code = {d.code: d for d in depts}
    by_label: dict[str, Department] = {}
    for d in depts:  # names and short names first, so that a code always wins
        for label in (d.short_name, d.name):
            if label:
                by_label.setdefault(label, d)
    by_label.update(by_code)
    return by_code, by_label


def rank_departments(
    hl: Hotline,
    actor: Actor,
    text: str,
    category_code: str | None = None,
    area_code: str | None = None,
    suggester: Suggester | None = None,
) -> list[Candidate]:
    """Candidates for the lead department, best first, each with its reasons."""
    by_code, by_label = _departments(hl)
    rule = suggest_lead(hl, actor, category_code, area_code) if category_code else None
    scores = _model_scores(suggester, text, by_label)
    codes = list(dict.fromkeys([*([rule.code] if rule else []), *scores]))
    returns = _returns(hl, category_code, codes)
    candidates = []
    for code in codes:
        reasons: list[Reason] = []
        if rule is not None and code == rule.code:
            reasons.append(Reason("catalogue", 1.0))
        if code in scores:
            reasons.append(Reason("model", scores[code]))
        if returns.get(code):
            reasons.append(Reason("returns", float(returns[code])))
        score = scores.get(code, 0.0) / (1 + RETURN_WEIGHT * returns.get(code, 0))
        if rule is not None and code == rule.code:
            score += 1.0  # the catalogue decides: above any probability
        dept = by_code.get(code)
        name = dept.name if dept else (rule.name if rule else code)
        candidates.append(Candidate(code, name, score, tuple(reasons)))
    candidates.sort(key=lambda c: (-c.score, c.code))
    return candidates
