"""Organisations: the centre cities, the VGC, other local governments and partners."""

from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_type


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


# Properties to receive on creation
class OrganisationCreate(OrganisationBase):
    pass


# Database table
class Organisation(OrganisationBase, table=True):
    __table_args__ = (sa.UniqueConstraint("slug"),)

    id: int | None = Field(default=None, primary_key=True)
