"""Persistence: engine and sessions, SQLModel tables, Alembic migrations, queries. Knows no UI."""
