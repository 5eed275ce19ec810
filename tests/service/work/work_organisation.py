"""A test organisation with exactly one piece of work of each kind, at known lateness."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from models.agenda import AgendaCall, AgendaVersion, CallStatus, Submission, SubmissionStatus
from models.dates import DatePrecision
from models.deliverables import Deliverable
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.minutes import MinutesStatus, MinutesVersion
from models.notifications import Notification, NotificationStatus
from models.people import Person
from tests.factories import join, make_group, make_meeting, make_person


@dataclass
class WorkOrganisation:
    """The group with one item of each kind, and a second group with nothing to do."""

    group: WorkingGroup
    quiet: WorkingGroup
    meetings: dict[str, Meeting]


def _meeting(session: Session, group: WorkingGroup, now: datetime, days: float) -> Meeting:
    """A meeting that starts `days` from now (in the past when negative)."""
    return make_meeting(session, now=now, group=group, starts_in=timedelta(days=days))


def build(session: Session, now: datetime) -> WorkOrganisation:
    """One item of each kind in one group; the lateness of each is in its comment."""
    group, quiet = make_group(session, now=now), make_group(session, now=now)
    make_meeting(session, now=now, group=quiet, starts_in=timedelta(days=40))  # nothing to do
    asked = [make_person(session, now=now) for _ in range(3)]
    for person in asked:
        join(session, person=person, group=group, now=now)
    found: dict[str, Meeting] = {}

    # A draft agenda never published: due 5 days before the meeting, in 5 days (-5 d late).
    found["draft"] = _meeting(session, group, now, 10)
    session.add(AgendaVersion(meeting_id=found["draft"].id or 0, number=0, created_at=now))

    # A call closing in 2 days with one answer of three (-2 d).
    found["call"] = _meeting(session, group, now, 20)
    call = AgendaCall(
        meeting_id=found["call"].id or 0,
        opens_at=now - timedelta(days=10),
        deadline=now + timedelta(days=2),
        status=CallStatus.open,
    )
    session.add(call)
    session.flush()
    for rank in (1, 2):  # two questions of one person: one answer
        session.add(_question(call, asked[0], now - timedelta(days=1), rank=rank))

    # Late input waiting since 2 days ago (+2 d).
    found["late"] = _meeting(session, group, now, 15)
    closed = AgendaCall(
        meeting_id=found["late"].id or 0,
        opens_at=now - timedelta(days=20),
        deadline=now - timedelta(days=3),
        status=CallStatus.closed,
    )
    session.add(closed)
    session.flush()
    late = _question(closed, asked[1], now - timedelta(days=2), rank=1)
    late.status, late.received_late = SubmissionStatus.late, True
    session.add(late)

    # Held 10 days ago, no minutes: the reminder fell due about 7 days ago (+7 d).
    found["minutes"] = _held(session, group, now, days_ago=10)

    # Minutes in review whose deadline passed a day ago (+1 d).
    found["review"] = _held(session, group, now, days_ago=20)
    session.add(
        MinutesVersion(
            meeting_id=found["review"].id or 0,
            number=1,
            status=MinutesStatus.in_review,
            body="Verslag",
            created_at=now - timedelta(days=15),
            review_deadline=now - timedelta(days=1),
        )
    )

    # A deliverable due 20 days ago (+19 d).
    session.add(
        Deliverable(
            group_id=group.id or 0,
            title="Draaiboek",
            due_on=now.date() - timedelta(days=20),
            created_at=now - timedelta(days=90),
            updated_at=now - timedelta(days=90),
        )
    )

    # Postponed to a month without a day, 30 days ago (+30 d).
    postponed = _meeting(session, group, now, 5)
    postponed.status, postponed.status_reason = MeetingStatus.postponed, "Te weinig agenda"
    postponed.starts_at = postponed.ends_at = None
    postponed.date_precision, postponed.period_start = DatePrecision.month, date(2027, 2, 1)
    postponed.updated_at = now - timedelta(days=30)
    session.add(postponed)
    found["postponed"] = postponed

    # A mail that failed three hours ago (+3 h).
    session.add(
        Notification(
            idempotency_key=f"test:failed:group-{group.id}",
            kind="agenda_call_open",
            recipient_person_id=asked[2].id,
            recipient_email=asked[2].email,
            context={},
            status=NotificationStatus.failed,
            attempts=8,
            created_at=now - timedelta(days=1),
            next_attempt_at=now - timedelta(hours=3),
            last_error="550 unknown recipient",
        )
    )
    session.flush()
    return WorkOrganisation(group=group, quiet=quiet, meetings=found)


def _question(call: AgendaCall, person: Person, at: datetime, *, rank: int) -> Submission:
    return Submission(
        call_id=call.id or 0,
        person_id=person.id,
        organisation_id=person.organisation_id,
        rank=rank,
        question=f"Vraag {rank}",
        submitted_at=at,
        updated_at=at,
    )


def _held(session: Session, group: WorkingGroup, now: datetime, *, days_ago: int) -> Meeting:
    meeting = _meeting(session, group, now, -days_ago)
    meeting.status = MeetingStatus.held
    session.add(meeting)
    return meeting
