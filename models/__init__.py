"""Overleg's data model: SQLModel tables and the schemas that feed them.

Importing this package registers every table on `SQLModel.metadata`, which Alembic and the
tests compare against the migrations.
"""

from sqlmodel import SQLModel

from models import (
    access,
    agenda,
    audit,
    auth,
    deliverables,
    groups,
    homework,
    materials,
    meetings,
    memberships,
    minutes,
    notifications,
    organisations,
    people,
    programmes,
    questions,
    replies,
)
from models.base import never_reuse_ids

never_reuse_ids(SQLModel.metadata)

__all__ = [
    "access",
    "agenda",
    "audit",
    "auth",
    "deliverables",
    "groups",
    "homework",
    "materials",
    "meetings",
    "memberships",
    "minutes",
    "notifications",
    "organisations",
    "people",
    "programmes",
    "questions",
    "replies",
]
