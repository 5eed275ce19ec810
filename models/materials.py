"""Materials: a file or a link on a meeting, an agenda item or a group's standing library."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models import limits
from models.base import UtcDateTime, enum_type


class MaterialKind(StrEnum):
    """An uploaded file (with versions) or a link to somewhere else."""

    file = "file"
    link = "link"


# Database table
class Material(SQLModel, table=True):
    __tablename__ = "material"
    __table_args__ = (
        sa.CheckConstraint("kind = 'file' OR url IS NOT NULL", name="link_has_url"),
        sa.CheckConstraint("item_key IS NULL OR meeting_id IS NOT NULL", name="item_in_meeting"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    # Null for the group's standing library (model agreements, templates): no meeting.
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    # The agenda item's key, stable across agenda versions; null for the meeting as a whole.
    item_key: int | None = Field(default=None)
    # Readable without signing in, when its meeting is public.
    public: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    title: str = Field(min_length=1, max_length=limits.MATERIAL_TITLE)
    kind: MaterialKind = Field(sa_type=enum_type(MaterialKind))
    url: str | None = Field(default=None, max_length=limits.URL)
    # Null once the person who added it is erased: the material stays, their name goes.
    added_by_id: int | None = Field(default=None, foreign_key="person.id")
    added_at: datetime = Field(sa_type=UtcDateTime)
    # Removing keeps the row (and its files) as a record; it is no longer listed.
    removed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    removed_by_id: int | None = Field(default=None, foreign_key="person.id")


# Database table
class MaterialVersion(SQLModel, table=True):
    __tablename__ = "material_version"
    __table_args__ = (
        sa.UniqueConstraint("material_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    material_id: int = Field(foreign_key="material.id", index=True)
    number: int
    # SHA-256 of the bytes: the file's name in the store, so equal files are stored once.
    content_hash: str = Field(max_length=64, index=True)
    size: int
    media_type: str = Field(max_length=100)
    # The name offered on download, made safe (the uploader's name is never a path).
    file_name: str = Field(max_length=limits.FILE_NAME)
    added_by_id: int | None = Field(default=None, foreign_key="person.id")
    added_at: datetime = Field(sa_type=UtcDateTime)
    # The file's text, read once, for the search to come; null when it could not be read.
    text: str | None = Field(default=None)
