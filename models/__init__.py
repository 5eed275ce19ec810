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
    meetings,
    memberships,
    minutes,
    notifications,
    organisations,
    people,
    programmes,
    replies,
)

__all__ = [
    "access",
    "agenda",
    "audit",
    "auth",
    "deliverables",
    "groups",
    "meetings",
    "memberships",
    "minutes",
    "notifications",
    "organisations",
    "people",
    "programmes",
    "replies",
]
