"""The little of a ``Session`` the ticket operations use, answered by the demo's bulk store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable, Result
from sqlalchemy.sql.util import find_tables
from sqlmodel import Session

from db.models import Assignment, Caller, Department, Supervision, Ticket, VisitAttempt
from hotline_tui.demo.table_writer import WRITTEN

if TYPE_CHECKING:
    from hotline_tui.demo.bulk_store import BulkStore


class StoreSession:
    """The little of a ``Session`` the ticket services' pure helpers use, answered in memory.

    ``get`` finds departments (``move_assignment`` names them), callers (``mark_abusive_op``),
    orders and assignments (the due-time clocks read the lead's reply time); ``add`` takes the
    supervision items ``urge_op``, ``supervise_op`` and ``flag_op`` create and the visit attempts
    ``visit_op`` records; ``execute`` reads
    reference data such as the time-limit rules (in a read session of its own). A query of the
    tables the store writes is refused: it would not see the rows the store has not written yet.
    """

    def __init__(self, store: BulkStore) -> None:
        self._store = store

    def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        touched = {table.name for table in find_tables(statement)} & WRITTEN  # type: ignore[arg-type]
        if touched:
            raise LookupError(f"the demo's bulk store answers for {sorted(touched)} itself")
        with Session(self._store.hl.engines.read) as reader:
            return reader.execute(statement, params).freeze()()

    def flush(self) -> None:
        """Nothing to do: the store writes its records when the batch commits."""

    def get(self, model: type[Any], ident: int, **_options: object) -> Any:
        store = self._store
        if model is Department:
            return store.departments.get(ident)
        if model is Caller:
            caller = store.caller(ident)
            store.touch(caller)
            return caller
        if model is Ticket:
            ticket = store.tickets.get(ident)
            if ticket is not None:
                store.touch(ticket)
            return ticket
        if model is Assignment:
            assignment = store.assignments.get(ident)
            if assignment is not None:
                store.touch(assignment)
            return assignment
        raise LookupError(f"the demo's bulk store does not look up {model.__name__} rows")

    def add(self, obj: object) -> None:
        if isinstance(obj, VisitAttempt):
            self._store.add_visit_attempt(obj)
            return
        if not isinstance(obj, Supervision):
            raise TypeError(f"the demo's bulk store does not add {type(obj).__name__} objects")
        self._store.add_supervision(obj)
