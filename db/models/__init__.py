"""SQLModel tables, each module imported when one of its tables is first named.

``from db.models import Ticket`` imports the order tables, not the knowledge base's or the
scheduler's: building a table class costs a few milliseconds, and a command such as
``hotline ticket show`` names a third of them. :func:`load_all` registers every table on
``SQLModel.metadata``, for what needs them all (the migrations, the unit of work's insert order,
the demo's bulk writer).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.models.audit import AuditEvent, AuditHead
    from db.models.channels import ApiKey
    from db.models.knowledge import (
        KbArticle,
        KbArticleVersion,
        KbAutoAnswer,
        KbFeedback,
        KbSearchGap,
        KbSynonymGroup,
    )
    from db.models.meta import DatabaseMark
    from db.models.nlp_log import NlpSuggestion
    from db.models.reference import Area, CatalogueRule, Category, Department
    from db.models.scheduling import (
        EscalationStep,
        HotlineStepLate,
        KpiSnapshot,
        SchedulerJob,
        SchedulerLease,
    )
    from db.models.tickets import (
        Assignment,
        Caller,
        CallerPhone,
        Material,
        Supervision,
        SupervisionParty,
        Ticket,
        VisitAttempt,
    )
    from db.models.timelimits import CalendarDay, CalendarYear, SlaRule
    from db.models.users import User

_MODULE_OF = {
    "ApiKey": "channels",
    "AuditEvent": "audit",
    "AuditHead": "audit",
    "KbArticle": "knowledge",
    "KbArticleVersion": "knowledge",
    "KbAutoAnswer": "knowledge",
    "KbFeedback": "knowledge",
    "KbSearchGap": "knowledge",
    "KbSynonymGroup": "knowledge",
    "DatabaseMark": "meta",
    "NlpSuggestion": "nlp_log",
    "Area": "reference",
    "CatalogueRule": "reference",
    "Category": "reference",
    "Department": "reference",
    "EscalationStep": "scheduling",
    "HotlineStepLate": "scheduling",
    "KpiSnapshot": "scheduling",
    "SchedulerJob": "scheduling",
    "SchedulerLease": "scheduling",
    # Core tables (the measures' roll-up): ``from db.models.stats import stats_daily``.
    "stats_daily": "stats",
    "stats_dept_day": "stats",
    "stats_order": "stats",
    "stats_mark": "stats",
    "Assignment": "tickets",
    "Caller": "tickets",
    "CallerPhone": "tickets",
    "Material": "tickets",
    "Supervision": "tickets",
    "SupervisionParty": "tickets",
    "Ticket": "tickets",
    "VisitAttempt": "tickets",
    "CalendarDay": "timelimits",
    "CalendarYear": "timelimits",
    "SlaRule": "timelimits",
    "User": "users",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'db.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"db.models.{module}"), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Import every table module (so ``SQLModel.metadata`` holds every table)."""
    for module in sorted(set(_MODULE_OF.values())):
        importlib.import_module(f"db.models.{module}")


__all__ = [
    "ApiKey",
    "Area",
    "Assignment",
    "AuditEvent",
    "AuditHead",
    "CalendarDay",
    "CalendarYear",
    "Caller",
    "CallerPhone",
    "CatalogueRule",
    "Category",
    "DatabaseMark",
    "Department",
    "EscalationStep",
    "HotlineStepLate",
    "KbArticle",
    "KbArticleVersion",
    "KbAutoAnswer",
    "KbFeedback",
    "KbSearchGap",
    "KbSynonymGroup",
    "KpiSnapshot",
    "Material",
    "NlpSuggestion",
    "SchedulerJob",
    "SchedulerLease",
    "SlaRule",
    "Supervision",
    "SupervisionParty",
    "Ticket",
    "User",
    "VisitAttempt",
]
