"""People: members of the groups, the secretariat and the directors."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
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


# Properties to receive on creation or change; the organisation is named by its slug.
# Plain fields: the use case (service.directory.people) checks them, so that a page and the
# API refuse bad input with the same translated message.
class PersonCreate(SQLModel):
    name: str
    email: str
    organisation: str
    job_title: str | None = None
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
    # Set when the person leaves: history stays, mail and feeds stop, sign-in is refused.
    deactivated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

    @property
    def active(self) -> bool:
        """Whether the person still gets mail and feeds and may sign in."""
        return self.erased_at is None and self.deactivated_at is None
