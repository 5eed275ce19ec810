"""A person leaves: deactivated, not erased; their history stays, their mail and feeds stop."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from models.errors import N_, DomainError
from models.notifications import Notification, NotificationStatus
from models.people import Person
from service import audit
from service.audit import Actor
from service.clock import local_today
from service.directory import memberships, people


def deactivate(session: Session, *, person_id: int, actor: Actor, now: datetime) -> Person:
    """Deactivate a person: memberships end today, mail not yet sent is cancelled.

    Feeds, sessions and API keys stop answering for them (they check `Person.active`); the
    meetings they attended, the questions they sent and the counts stay as they were.
    """
    person = people.get(session, person_id=person_id)
    if person.erased_at is not None:
        raise DomainError(N_("This person has been erased and cannot be changed."), field="person")
    if person.deactivated_at is not None:
        return person  # already deactivated: doing it twice changes nothing
    if actor.person_id == person_id:
        raise DomainError(N_("You cannot deactivate yourself."), field="person")
    with session.begin_nested():
        memberships.end_all_of_person(
            session, person_id=person_id, on=local_today(now), actor=actor, now=now
        )
        session.execute(
            sa.update(Notification)
            .where(
                col(Notification.recipient_person_id) == person_id,
                col(Notification.status) == NotificationStatus.pending,
            )
            .values(status=NotificationStatus.cancelled.value)
        )
        with audit.changing(session, person, actor=actor, now=now):
            person.deactivated_at = now
    return person
