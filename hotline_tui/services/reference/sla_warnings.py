"""Warnings about the time-limit rules as they stand: where a raised urgency (紧急, 特急) would
give an order more time than a normal one of the same type and category.

A rule that sets 紧急 办结 to 5wd where the normal limit is 3wd lets a department escape the
shorter limit by nothing more than the order being urgent; so does a normal limit set shorter
than the built-in urgent one. ``hotline sla set`` and ``hotline sla list`` say so
(:func:`limit_warnings`); the ranking itself is :func:`hotline_tui.domain.sla_rules.raised_longer`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from db.models import Category, SlaRule
from hotline_tui.domain.permissions import require
from hotline_tui.domain.sla_rules import raised_longer
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.timelimits import rule_spec, working_hours

__all__ = ["LimitWarning", "limit_warnings"]


@dataclass(frozen=True)
class LimitWarning:
    """For orders of ``request_type`` in ``category_code`` (None: every category), the
    ``urgency`` (urgent or critical) gets ``raised`` for ``limit`` where normal orders get
    ``normal``."""

    request_type: str
    category_code: str | None
    category_path: str | None
    urgency: str
    limit: str
    raised: str
    normal: str


def limit_warnings(
    hl: Hotline,
    actor: Actor,
    *,
    request_type: str | None = None,
    category: str | None = None,
) -> list[LimitWarning]:
    """Every raised urgency longer than the normal limit, over the scopes the stored rules
    name; ``request_type``/``category`` narrow them to one rule's scope (``any``: every type)."""
    require(actor.role, "sla.read", username=actor.username)
    with hl.reading() as session:
        rules = [rule_spec(rule) for rule in session.execute(select(SlaRule)).scalars()]
        categories = {
            cid: (code, path, parent)
            for cid, code, path, parent in session.execute(
                select(
                    col(Category.id),
                    col(Category.code),
                    col(Category.path),
                    col(Category.parent_id),
                )
            ).all()
        }
    chains: dict[int | None, list[int]] = {None: []}
    for rule in rules:
        chain: list[int] = []
        cid = rule.category_id
        while cid is not None and cid not in chain and len(chain) < 16:
            chain.append(cid)
            cid = categories.get(cid, (None, None, None))[2]
        chains[rule.category_id] = chain
    day_hours = working_hours(hl).day_length / 3600
    warnings = []
    for found in raised_longer(rules, chains, day_hours=day_hours):
        code, path, _parent = categories.get(found.category_id or 0, (None, None, None))
        if request_type not in (None, "any", found.request_type):
            continue
        if category is not None and (category.strip() or None) != code:
            continue
        warnings.append(
            LimitWarning(
                found.request_type,
                code,
                path,
                found.urgency,
                found.limit,
                str(found.raised),
                str(found.normal),
            )
        )
    return warnings
