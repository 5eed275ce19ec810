"""Overleg's data model: SQLModel tables and the schemas that feed them.

Importing this package registers every table on `SQLModel.metadata`, which Alembic and the
tests compare against the migrations.
"""

from models import (
    access,
    agenda,
    audit,
    auth,
    deliverables,
    groups,
    materials,
    meetings,
    memberships,
    minutes,
    notifications,
    organisations,
    people,
    programmes,
)

__all__ = [
    "access",
    "agenda",
    "audit",
    "auth",
    "deliverables",
    "groups",
    "materials",
    "meetings",
    "memberships",
    "minutes",
    "notifications",
    "organisations",
    "people",
    "programmes",
]
