"""Organisations: the centre cities, the VGC, other local governments and partners."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type


class OrganisationKind(StrEnum):
    """What sort of body an organisation is; decides who counts as a member city."""

    centre_city = "centre_city"
    community_commission = "community_commission"  # the VGC in Brussels
    local_government = "local_government"
    care_company = "care_company"
    government_agency = "government_agency"
    knowledge_institution = "knowledge_institution"
    company = "company"
    association = "association"
    knowledge_centre = "knowledge_centre"  # the KCVS itself, home of the secretariat


# Shared properties
class OrganisationBase(SQLModel):
    slug: str = Field(max_length=60, regex=r"^[a-z0-9-]+$")
    name: str = Field(min_length=2, max_length=200)
    kind: OrganisationKind = Field(sa_type=enum_type(OrganisationKind))


# Properties to receive on creation or change; plain fields, checked by the use case
# (service.directory.organisations), so a page and the API refuse with the same message.
class OrganisationCreate(SQLModel):
    slug: str
    name: str
    kind: OrganisationKind


# Database table
class Organisation(OrganisationBase, table=True):
    __table_args__ = (sa.UniqueConstraint("slug"),)

    id: int | None = Field(default=None, primary_key=True)
    # Set when the organisation leaves the network: its history stays, nobody new joins it.
    deactivated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
