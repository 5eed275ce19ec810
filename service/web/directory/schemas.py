"""What the people, organisations and memberships pages and API take and give.

Form fields take more than the rules allow (up to `_FORM_MAX`), so that a name that is too
long is refused by the use case with a message on the page itself, the typed text kept; the
API's bodies state the rules in their schema.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal, TypedDict

from fastapi import Depends
from pydantic import BaseModel, Field

from models import limits
from models.memberships import MembershipRole
from models.organisations import OrganisationCreate, OrganisationKind
from models.people import Language, PersonCreate, StaffRole
from service.web.deps import IdPath
from service.web.forms import ApiBody, Read, blank_to_none

_FORM_MAX = 1000
# The last word of an organisation's path that switches whether people may join it.
Switch = Literal["deactivate", "reactivate"]


class PersonForm(BaseModel):
    """A person as the page's form sends it."""

    name: str = Field(default="", max_length=_FORM_MAX)
    email: str = Field(default="", max_length=_FORM_MAX)
    organisation: str = Field(default="", max_length=_FORM_MAX)
    job_title: str = Field(default="", max_length=_FORM_MAX)
    language: Language = Language.nl
    staff_role: StaffRole = StaffRole.none

    def to_create(self) -> PersonCreate:
        """The details for the use case."""
        return PersonCreate(
            name=self.name,
            email=self.email,
            organisation=self.organisation,
            job_title=blank_to_none(self.job_title),
            language=self.language,
            staff_role=self.staff_role,
        )


class PersonRequest(ApiBody):
    """A person to add, or a person's new details (every field is given)."""

    name: str = Field(min_length=limits.NAME_MIN, max_length=limits.PERSON_NAME, pattern=r"\S\S")
    email: str = Field(max_length=limits.EMAIL)
    organisation: str = Field(max_length=limits.ORGANISATION_SLUG)
    job_title: str | None = Field(default=None, max_length=limits.JOB_TITLE)
    language: Language = Language.nl
    staff_role: StaffRole = StaffRole.none

    def to_create(self) -> PersonCreate:
        """The details for the use case."""
        return PersonCreate(**self.model_dump())


class PersonResponse(Read):
    """A person in the register."""

    id: int
    name: str
    email: str
    organisation_id: int
    job_title: str | None
    language: Language
    staff_role: StaffRole
    created_at: datetime
    deactivated_at: datetime | None
    erased_at: datetime | None


class OrganisationForm(BaseModel):
    """An organisation as the page's form sends it."""

    slug: str = Field(default="", max_length=_FORM_MAX)
    name: str = Field(default="", max_length=_FORM_MAX)
    kind: OrganisationKind = OrganisationKind.local_government

    def to_create(self) -> OrganisationCreate:
        """The details for the use case."""
        return OrganisationCreate(slug=self.slug, name=self.name, kind=self.kind)


class OrganisationRequest(ApiBody):
    """An organisation to add, or its new details."""

    slug: str = Field(max_length=limits.ORGANISATION_SLUG, pattern=r"^\s*[a-zA-Z0-9-]+\s*$")
    name: str = Field(
        min_length=limits.NAME_MIN, max_length=limits.ORGANISATION_NAME, pattern=r"\S\S"
    )
    kind: OrganisationKind

    def to_create(self) -> OrganisationCreate:
        """The details for the use case."""
        return OrganisationCreate(**self.model_dump())


class OrganisationResponse(Read):
    """An organisation."""

    id: int
    slug: str
    name: str
    kind: OrganisationKind
    deactivated_at: datetime | None


class MembershipForm(BaseModel):
    """A membership as the person's page adds it: the group, the role, from which day."""

    group: str = Field(max_length=limits.ORGANISATION_SLUG)
    role: MembershipRole = MembershipRole.member
    joined_on: date


class MembershipRequest(MembershipForm, ApiBody):
    """A membership to add through the API: the group, the role, from (and until) which day."""

    left_on: date | None = None


class RoleForm(BaseModel):
    """A new role from a day on, as the page's form sends it."""

    role: MembershipRole
    on: date


class RoleChange(ApiBody):
    """A new role from a day on."""

    role: MembershipRole
    on: date


class EndForm(BaseModel):
    """The last day of a membership, as the page's form sends it."""

    on: date


class MembershipEnd(ApiBody):
    """The last day of a membership."""

    on: date


class MembershipResponse(Read):
    """A membership, with its dates."""

    id: int
    person_id: int
    group_id: int
    role: MembershipRole
    joined_on: date
    left_on: date | None


class MembershipIds(TypedDict):
    """The membership of the path, and the person it must belong to."""

    membership_id: int
    person_id: int


@dataclass(frozen=True)
class MembershipOf:
    """The person and membership of a path like /people/{person_id}/memberships/{membership_id}."""

    person_id: int
    membership_id: int

    @property
    def ids(self) -> MembershipIds:
        """As keyword arguments of the membership use cases."""
        return MembershipIds(membership_id=self.membership_id, person_id=self.person_id)


async def _membership_of(person_id: IdPath, membership_id: IdPath) -> MembershipOf:
    return MembershipOf(person_id=person_id, membership_id=membership_id)


MembershipPath = Annotated[MembershipOf, Depends(_membership_of)]
