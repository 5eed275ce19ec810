"""The audit log: who changed what, when, with the values before and after."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, SQLModel

from models.base import UtcDateTime, enum_type


class AuditAction(StrEnum):
    """The kind of change recorded."""

    create = "create"
    update = "update"
    delete = "delete"
    erase = "erase"


# Database table
class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    # Null for the system (a flow); `actor_label` then says which.
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    actor_label: str = Field(max_length=200)
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    entity: str = Field(max_length=60)  # the table name
    entity_id: int
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
