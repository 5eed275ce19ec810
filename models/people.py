"""People: members of the groups, the secretariat and the directors."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from pydantic import EmailStr
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type


class Language(StrEnum):
    """Languages a person can read the product in; Dutch first."""

    nl = "nl"
    en = "en"
    fr = "fr"


class StaffRole(StrEnum):
    """A role that holds across every group, as opposed to a membership role."""

    none = "none"
    secretariat = "secretariat"
    director = "director"


# Shared properties
class PersonBase(SQLModel):
    name: str = Field(min_length=2, max_length=200)
    email: str = Field(max_length=254)
    job_title: str | None = Field(default=None, max_length=200)
    language: Language = Field(default=Language.nl, sa_type=enum_type(Language))
    staff_role: StaffRole = Field(default=StaffRole.none, sa_type=enum_type(StaffRole))


# Properties to receive on creation; the organisation is named by its slug
class PersonCreate(SQLModel):
    name: str = Field(min_length=2, max_length=200)
    email: EmailStr
    organisation: str
    job_title: str | None = Field(default=None, max_length=200)
    language: Language = Language.nl
    staff_role: StaffRole = StaffRole.none


# Database table
class Person(PersonBase, table=True):
    __table_args__ = (
        sa.UniqueConstraint("email"),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    # Set when the secretariat erases the person (GDPR art. 17); name and email are then blanked.
    erased_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
