"""A meeting postponed while its call is open: the call closes at its deadline, the agenda waits.

A postponed meeting has no day, so no length for an agenda to fit in. Its call keeps collecting
until the deadline (`changes.postpone`) and then closes without a draft; the draft is made, and
the reviewers told, by the first run after the meeting is given its day again.
"""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from models.agenda import AgendaCall, AgendaVersion, CallStatus
from models.dates import DatePrecision
from models.memberships import MembershipRole
from models.notifications import Notification
from service.lifecycle import advance, changes
from service.settings import Settings
from tests.factories import ACTOR, join, make_group, make_meeting, make_person

SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")
EARLIER = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def _drafts_ready(session: Session, meeting_id: int) -> list[str]:
    return [
        n.idempotency_key
        for n in session.exec(
            select(Notification).where(
                Notification.kind == "agenda_draft_ready",
                col(Notification.idempotency_key).contains(f"meeting-{meeting_id}:"),
            )
        )
    ]


def test_the_call_closes_without_a_draft_and_the_draft_comes_with_the_new_day(
    session: Session,
) -> None:
    group = make_group(session, now=EARLIER)
    chair, member = make_person(session, now=EARLIER), make_person(session, now=EARLIER)
    join(session, person=chair, group=group, now=EARLIER, role=MembershipRole.chair)
    join(session, person=member, group=group, now=EARLIER)
    meeting = make_meeting(session, now=EARLIER, group=group, starts_in=timedelta(days=40))
    assert meeting.id is not None and meeting.starts_at is not None

    # The call opens (the group's window: weeks before the meeting).
    opened_at = meeting.starts_at - timedelta(days=group.call_opens_days_before)
    advance.advance_meeting(session, meeting_id=meeting.id, now=opened_at, settings=SETTINGS)
    call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting.id)).one()
    assert call.status is CallStatus.open

    changes.postpone(
        session,
        meeting_id=meeting.id,
        period_start=date(2027, 6, 1),
        precision=DatePrecision.month,
        reason="De zaal is niet beschikbaar",
        actor=ACTOR,
        now=opened_at + timedelta(days=1),
    )
    assert call.status is CallStatus.open  # it keeps collecting until its deadline

    after_deadline = call.deadline + timedelta(minutes=15)
    report = advance.advance_meeting(
        session, meeting_id=meeting.id, now=after_deadline, settings=SETTINGS
    )
    status = session.exec(select(AgendaCall.status).where(AgendaCall.id == call.id)).one()
    assert report.calls_closed == [call.id] and status is CallStatus.closed
    agenda = select(AgendaVersion).where(AgendaVersion.meeting_id == meeting.id)
    assert session.exec(agenda).all() == []
    assert _drafts_ready(session, meeting.id) == []
    # Run again before the day is known: still nothing, and nothing fails.
    advance.advance_meeting(
        session, meeting_id=meeting.id, now=after_deadline + timedelta(days=1), settings=SETTINGS
    )
    assert session.exec(agenda).all() == []

    given = after_deadline + timedelta(days=2)
    new_day = datetime(2027, 6, 10, 8, 0, tzinfo=UTC)
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=new_day,
        ends_at=new_day + timedelta(hours=2),
        reason=None,
        actor=ACTOR,
        now=given,
    )
    advance.advance_meeting(session, meeting_id=meeting.id, now=given, settings=SETTINGS)
    versions = session.exec(agenda).all()
    assert len(versions) == 1 and versions[0].number == 0  # the draft
    assert _drafts_ready(session, meeting.id) == [
        f"agenda-draft-ready:meeting-{meeting.id}:person-{chair.id}"
    ]
    # And once only.
    advance.advance_meeting(
        session, meeting_id=meeting.id, now=given + timedelta(minutes=15), settings=SETTINGS
    )
    assert len(session.exec(agenda).all()) == 1
    assert len(_drafts_ready(session, meeting.id)) == 1
