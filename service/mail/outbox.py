"""Queue email in the outbox, in the same transaction as the change that causes it."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from models.notifications import Notification
from models.people import Person

# Kinds that go before routine mail when a backlog exists: a sign-in link someone waits for,
# a cancelled meeting (templates/emails/<kind>/).
URGENT_KINDS = frozenset({"sign_in", "meeting_cancellation"})
URGENT, ROUTINE = 0, 1


def queue(
    session: Session,
    *,
    key: str,
    kind: str,
    recipient: Person,
    context: dict[str, Any],
    now: datetime,
    urgent: bool = False,
) -> bool:
    """Add a message to the outbox once per idempotency key; return whether it was new.

    Urgent messages (`urgent`, or an urgent kind) go before routine ones in a backlog.
    Nothing is queued for someone deactivated or erased: this is the one place that stops
    their mail, whichever part of the product writes it.
    """
    if not recipient.active or exists(session, key=key):
        return False
    notification = Notification(
        idempotency_key=key,
        kind=kind,
        recipient_person_id=recipient.id,
        recipient_email=recipient.email,
        language=recipient.language,
        context=context,
        created_at=now,
        next_attempt_at=now,
        priority=URGENT if urgent or kind in URGENT_KINDS else ROUTINE,
    )
    try:
        with session.begin_nested():  # a concurrent writer of the same key wins, not an error
            session.add(notification)
            session.flush()
    except sa.exc.IntegrityError:
        return False
    return True


def exists(session: Session, *, key: str) -> bool:
    """Whether a message with this idempotency key is in the outbox (in any state)."""
    found = session.exec(select(Notification.id).where(Notification.idempotency_key == key))
    return found.first() is not None
