"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from db.models.audit import AuditEvent, AuditHead
from db.models.reference import Area, CatalogueRule, Category, Department
from db.models.tickets import Assignment, Caller, CallerPhone, Material, Supervision, Ticket
from db.models.users import User

__all__ = [
    "Area",
    "Assignment",
    "AuditEvent",
    "AuditHead",
    "Caller",
    "CallerPhone",
    "CatalogueRule",
    "Category",
    "Department",
    "Material",
    "Supervision",
    "Ticket",
    "User",
]
