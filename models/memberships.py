"""Who sits in which group, in what role, from when until when."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_type


class MembershipRole(StrEnum):
    """A person's role in one group."""

    chair = "chair"
    secretariat = "secretariat"
    member = "member"
    observer = "observer"
    external_expert = "external_expert"


# Properties to receive on creation; people and groups are named by natural keys
class MembershipCreate(SQLModel):
    person_email: str
    group: str
    role: MembershipRole = MembershipRole.member
    joined_on: date
    left_on: date | None = None


# Database table
class Membership(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("person_id", "group_id", "joined_on"),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="dates_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    role: MembershipRole = Field(sa_type=enum_type(MembershipRole))
    joined_on: date
    left_on: date | None = None
