"""Secrets that grant access: calendar feed tokens and personal API keys, stored as hashes."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime, enum_type


class FeedScope(StrEnum):
    """What a feed shows: one person's items, a group, an organisation, or a public group feed."""

    person = "person"
    group = "group"
    organisation = "organisation"
    public_group = "public_group"


# Database table
class FeedToken(SQLModel, table=True):
    __tablename__ = "feed_token"
    __table_args__ = (
        sa.UniqueConstraint("token_hash"),
        sa.CheckConstraint("scope = 'person' OR scope_id IS NOT NULL", name="scope_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    scope: FeedScope = Field(sa_type=enum_type(FeedScope))
    scope_id: int | None = None  # the group or organisation id
    label: str | None = Field(default=None, max_length=100)
    token_hash: str = Field(max_length=64)  # SHA-256 hex of the token; the token is shown once
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The ETag of the body last served, and when it last changed: Last-Modified never goes back.
    etag: str | None = Field(default=None, max_length=64)
    content_changed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


# Database table
class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"
    __table_args__ = (sa.UniqueConstraint("key_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    label: str = Field(min_length=1, max_length=100)
    prefix: str = Field(max_length=12)  # shown in lists so a key can be recognised
    key_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
