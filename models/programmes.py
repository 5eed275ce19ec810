"""Programmes of the multi-year plan, the level above the working groups."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


# Shared properties
class ProgrammeBase(SQLModel):
    slug: str = Field(max_length=60, regex=r"^[a-z0-9-]+$")
    name: str = Field(min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    first_year: int = Field(ge=2000, le=2100)
    last_year: int | None = Field(default=None, ge=2000, le=2100)


# Properties to receive on creation
class ProgrammeCreate(ProgrammeBase):
    pass


# Database table
class Programme(ProgrammeBase, table=True):
    __table_args__ = (
        sa.UniqueConstraint("slug"),
        sa.CheckConstraint("last_year IS NULL OR last_year >= first_year", name="years_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
