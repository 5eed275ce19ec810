"""Sign-in links, browser sessions and rate-limit hits; secrets are stored only as hashes."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UtcDateTime


# Database table: a single-use sign-in link sent by email
class SignInLink(SQLModel, table=True):
    __tablename__ = "sign_in_link"
    __table_args__ = (
        sa.UniqueConstraint("nonce_hash"),
        sa.CheckConstraint("expires_at > created_at", name="expiry_after_creation"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    nonce_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


# Database table: a signed-in browser; the cookie holds the token, the table its hash
class WebSession(SQLModel, table=True):
    __tablename__ = "web_session"
    __table_args__ = (sa.UniqueConstraint("token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


# Database table: one request counted against a rate limit, keyed by a hash (never an address)
class RateLimitHit(SQLModel, table=True):
    __tablename__ = "rate_limit_hit"
    __table_args__ = (sa.Index("ix_rate_limit_hit_key_at", "key_hash", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64)
    at: datetime = Field(sa_type=UtcDateTime)
