"""Schema changes only through Alembic: the models and the migrations agree on both backends."""

from __future__ import annotations

from sqlalchemy import inspect, text

from db import migrate
from db.engine import make_engines


def test_alembic_check_finds_no_drift(settings):
    engines = make_engines(settings.db_url)
    try:
        migrate.check(engines.read)  # raises if autogenerate would change anything
        assert migrate.current_revision(engines.read) == migrate.head_revision(engines.read)
    finally:
        engines.dispose()


def test_states_are_strings_with_check_constraints(settings):
    engines = make_engines(settings.db_url)
    try:
        checks = {c["name"] for c in inspect(engines.read).get_check_constraints("ticket")}
        assert {"ck_ticket_state", "ck_ticket_request_type", "ck_ticket_urgency"} <= checks
        with engines.write.connect() as conn:
            try:
                conn.execute(text("UPDATE ticket SET state = 'bogus'"))
                conn.execute(
                    text(
                        "INSERT INTO ticket (number, state, request_type, urgency, channel,"
                        " address, title, description, search_text, contact_name,"
                        " confidential, created_at, registered_by, updated_at,"
                        " handover_count, redo_count, reopen_count, visit_attempts,"
                        " urge_count, supervised, escalated, consulted, version)"
                        " VALUES ('X', 'bogus', 'consult', 'normal', 'phone', '', '', 'd', '',"
                        " '', false, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 0, 0, 0, 0, 0,"
                        " false, false, false, 1)"
                    )
                )
            except Exception as exc:  # the CHECK constraint refuses an unknown state
                assert "check" in str(exc).lower() or "constraint" in str(exc).lower()
            else:
                raise AssertionError("an unknown state was stored")
            finally:
                conn.rollback()
    finally:
        engines.dispose()


def test_sqlite_runs_in_wal_with_a_busy_timeout(tmp_path):
    engines = make_engines(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=4321)
    try:
        with engines.read.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engines.dispose()


def test_sqlite_write_transactions_begin_immediate(tmp_path):
    """A write transaction holds the write lock from BEGIN: a second writer waits, then fails
    cleanly, instead of both starting and one losing its update."""
    url = f"sqlite:///{tmp_path / 'y.db'}"
    first = make_engines(url, busy_timeout_ms=50)
    second = make_engines(url, busy_timeout_ms=50)
    try:
        with first.read.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        with first.write.connect() as holder:
            holder.begin()
            try:
                with second.write.connect() as other:
                    other.begin()
            except Exception as exc:
                assert "locked" in str(exc).lower()
            else:
                raise AssertionError("two write transactions were open at once")
            holder.rollback()
    finally:
        first.dispose()
        second.dispose()
