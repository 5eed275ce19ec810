"""When members are invited, and told of a change: the lifecycle's side of the invitations.

A meeting's invitations go out once its agenda is published, once a postponed meeting is given
its new day, and at the latest some days before it, agenda or not. After that, every new
revision (a new time, a postponement, a cancellation) goes to everyone who was invited and
everyone in the group now, as an update or a cancellation; a cancellation or postponement
always goes out by email, invited or not, because calendar feeds refresh slowly. What goes out
is the job of service/lifecycle/invitations.py; every message has an outbox key per meeting,
revision and person, so this can run any number of times.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models.agenda import AgendaVersion, AgendaVersionStatus
from models.meetings import OPEN_STATUSES, Meeting, MeetingStatus
from models.people import Person
from service.directory import memberships, people
from service.feeds import calendar_events
from service.lifecycle import invitations
from service.mail import outbox
from service.replies import stand_ins
from service.settings import Settings

# A changed meeting is announced while it (or its last slot) is still to come.
_CHANGED = (MeetingStatus.cancelled, MeetingStatus.postponed)


@dataclass
class Announced:
    """How many messages one pass queued."""

    invitations: int = 0
    cancellations: int = 0


def participants(session: Session, *, group_id: int, on: date) -> list[Person]:
    """Everyone in the group on a day, in any role, who has not been erased."""
    ids = {m.person_id for m in memberships.current(session, group_id=group_id, on=on)}
    return people.not_erased(session, ids=ids)


def has_published_agenda(session: Session, *, meeting_id: int) -> bool:
    """Whether any version of the meeting's agenda has been published."""
    found = session.exec(
        select(AgendaVersion.id).where(
            AgendaVersion.meeting_id == meeting_id,
            col(AgendaVersion.status).in_(
                [AgendaVersionStatus.published, AgendaVersionStatus.superseded]
            ),
        )
    )
    return found.first() is not None


def invitations_due_at(meeting: Meeting, *, days_before: int) -> datetime:
    """The latest moment a meeting's invitations go out, agenda or not."""
    assert meeting.starts_at is not None
    return meeting.starts_at - timedelta(days=days_before)


def announce(
    session: Session,
    *,
    now: datetime,
    settings: Settings,
    meeting_id: int | None = None,
) -> Announced:
    """Queue every invitation, update and cancellation that is due and not yet queued."""
    done = Announced()
    for meeting in _upcoming(session, now=now, meeting_id=meeting_id):
        assert meeting.id is not None and meeting.starts_at is not None
        invited = invitations.invited_person_ids(session, meeting_id=meeting.id)
        due = (
            bool(invited)
            or now >= invitations_due_at(meeting, days_before=settings.invitation_days_before)
            or has_published_agenda(session, meeting_id=meeting.id)
            # A postponed meeting given its day: the postponement promised the invitation.
            or invitations.told_of_postponement(session, meeting_id=meeting.id)
        )
        if not due:
            continue
        for person in participants(session, group_id=meeting.group_id, on=now.date()):
            assert person.id is not None
            key = invitations.request_key(meeting.id, meeting.revision, person.id)
            if not outbox.exists(session, key=key):
                done.invitations += invitations.queue_request(
                    session, meeting_id=meeting.id, person=person, settings=settings, now=now
                )
        # Stand-ins get every update too, without answer links of their own.
        for stand_in in stand_ins.of_meeting(session, meeting=meeting):
            assert stand_in.person.id is not None
            key = invitations.request_key(meeting.id, meeting.revision, stand_in.person.id)
            if not outbox.exists(session, key=key):
                done.invitations += invitations.queue_request(
                    session,
                    meeting_id=meeting.id,
                    person=stand_in.person,
                    settings=settings,
                    now=now,
                    answer_links=False,
                )
    for meeting in _called_off(session, now=now, meeting_id=meeting_id):
        assert meeting.id is not None
        invited = invitations.invited_person_ids(session, meeting_id=meeting.id)
        current = participants(session, group_id=meeting.group_id, on=now.date())
        former = [session.get(Person, i) for i in sorted(invited - {p.id for p in current})]
        for person in [*current, *(p for p in former if p is not None)]:
            assert person.id is not None
            key = invitations.cancel_key(meeting.id, meeting.revision, person.id)
            if not outbox.exists(session, key=key):
                done.cancellations += invitations.queue_cancel(
                    session, meeting_id=meeting.id, person=person, settings=settings, now=now
                )
    return done


def _upcoming(session: Session, *, now: datetime, meeting_id: int | None) -> list[Meeting]:
    query = select(Meeting).where(
        col(Meeting.status).in_(OPEN_STATUSES), col(Meeting.starts_at) > now
    )
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    return list(session.exec(query.order_by(col(Meeting.starts_at), col(Meeting.id))))


def _called_off(session: Session, *, now: datetime, meeting_id: int | None) -> list[Meeting]:
    """Cancelled or postponed meetings whose slot (the last known one) is still to come."""
    query = select(Meeting).where(col(Meeting.status).in_(_CHANGED))
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    changed = list(session.exec(query.order_by(col(Meeting.id))))
    slots = calendar_events.slots(session, changed)
    return [m for m in changed if m.id in slots and slots[m.id].starts_at > now]
