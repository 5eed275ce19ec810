"""The outbox: every email the product will send, written in the same transaction as its cause."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, SQLModel

from models.base import UtcDateTime, enum_type, partial_index
from models.people import Language


class NotificationStatus(StrEnum):
    """Pending rows are picked up by delivery; failed ones wait for the secretariat."""

    pending = "pending"
    sent = "sent"
    failed = "failed"
    cancelled = "cancelled"


# Database table
class Notification(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("idempotency_key"),
        sa.CheckConstraint("attempts >= 0", name="attempts_positive"),
        sa.CheckConstraint("priority IN (0, 1)", name="priority_known"),
        # Keys by their prefix ("invitation:meeting-5:rev-%"): the meeting page's who-heard-how.
        # text_pattern_ops, as the database's collation (C.UTF-8) is not "C" for LIKE.
        sa.Index(
            "ix_notification_key_prefix",
            "idempotency_key",
            postgresql_ops={"idempotency_key": "text_pattern_ops"},
        ),
        # Due rows in the order they go out: urgent first, then by their time.
        sa.Index("ix_notification_due", "status", "priority", "next_attempt_at"),
        # Only claimed rows are indexed: marking a row done (claimed_by NULL) adds no entry.
        partial_index(
            "ix_notification_claimed_by",
            "claimed_by",
            where="claimed_by IS NOT NULL",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # What the message is for, e.g. "reminder:deliverable-17:due-2026-02-01:stage-2".
    idempotency_key: str = Field(max_length=300)
    kind: str = Field(max_length=60)  # the template folder under templates/emails/
    recipient_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # Copied at queue time so a message can be sent even if the person changes address later;
    # blanked when the person is erased.
    recipient_email: str | None = Field(default=None, max_length=254)
    language: Language = Field(default=Language.nl, sa_type=enum_type(Language))
    # Ids and values the template needs; rendering happens at delivery.
    context: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: NotificationStatus = Field(
        default=NotificationStatus.pending, sa_type=enum_type(NotificationStatus)
    )
    attempts: int = 0
    # 0 urgent (sign-in links, cancellations, changes shortly before a meeting), 1 routine.
    priority: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # The delivery run that leases this row (service/mail/deliverers.py), until next_attempt_at.
    claimed_by: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(sa_type=UtcDateTime)
    next_attempt_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, max_length=2000)
