"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from db.models.audit import AuditEvent, AuditHead
from db.models.knowledge import (
    KbArticle,
    KbArticleVersion,
    KbFeedback,
    KbSearchGap,
    KbSynonymGroup,
)
from db.models.meta import DatabaseMark
from db.models.reference import Area, CatalogueRule, Category, Department
from db.models.scheduling import EscalationStep, KpiSnapshot, SchedulerJob, SchedulerLease
from db.models.tickets import Assignment, Caller, CallerPhone, Material, Supervision, Ticket
from db.models.timelimits import CalendarDay, CalendarYear, SlaRule
from db.models.users import User

__all__ = [
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
    "KbArticle",
    "KbArticleVersion",
    "KbFeedback",
    "KbSearchGap",
    "KbSynonymGroup",
    "KpiSnapshot",
    "Material",
    "SchedulerJob",
    "SchedulerLease",
    "SlaRule",
    "Supervision",
    "Ticket",
    "User",
]
