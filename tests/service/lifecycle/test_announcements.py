"""Invitations go out when the agenda is published or the meeting is near; changes follow them.

The meeting is on Tuesday 10 March 2026, 14:00 Brussels time; invitations are due five days
before at the latest (Thursday 5 March, 14:00).
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from models.agenda import AgendaVersion, AgendaVersionStatus
from models.dates import DatePrecision
from models.errors import DomainError
from models.meetings import MeetingFormat
from models.memberships import Membership
from models.notifications import Notification
from service.i18n import error_message
from service.lifecycle import advance, announcements, changes
from service.settings import Settings
from tests.conftest import table_counts
from tests.factories import ACTOR, StaffedMeeting, make_staffed_meeting

MEETING_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
DUE = MEETING_AT - timedelta(days=5)
SETTINGS = Settings(secret_key="k", base_url="https://overleg.example")


def _advance(session: Session, now: datetime) -> advance.AdvanceReport:
    return advance.advance(session, now=now, settings=SETTINGS)


def _sent(session: Session, kind: str) -> list[tuple[int | None, str]]:
    rows = session.exec(select(Notification).where(Notification.kind == kind))
    return sorted((n.recipient_person_id, n.idempotency_key.split(":")[2]) for n in rows)


def _everyone(setup: StaffedMeeting) -> set[int | None]:
    return {p.id for p in [*setup.members, setup.secretary, setup.observer]}


def test_invitations_go_out_five_days_before_to_everyone_in_the_group(session: Session) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert _advance(session, DUE - timedelta(minutes=1)).invitations == 0
    assert _advance(session, DUE).invitations == 6
    assert _advance(session, DUE + timedelta(minutes=15)).invitations == 0
    sent = _sent(session, "meeting_invitation")
    assert {person for person, _ in sent} == _everyone(setup)
    assert {revision for _, revision in sent} == {"rev-0"}


def test_a_published_agenda_sends_the_invitations_at_once(session: Session) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    early = MEETING_AT - timedelta(days=12)
    assert _advance(session, early).invitations == 0
    session.add(
        AgendaVersion(
            meeting_id=setup.meeting.id,
            number=1,
            status=AgendaVersionStatus.published,
            created_at=early,
            published_at=early,
        )
    )
    assert _advance(session, early).invitations == 6


def test_a_rescheduled_meeting_sends_updates_and_a_cancelled_one_cancellations(
    session: Session,
) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    _advance(session, DUE)
    later = MEETING_AT + timedelta(days=1)
    changes.reschedule(
        session,
        meeting_id=setup.meeting.id,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        reason="Zaal niet vrij",
        actor=ACTOR,
        now=DUE + timedelta(hours=1),
    )
    # Already invited: the update goes out at once, though the new date is six days away.
    assert _advance(session, DUE + timedelta(hours=1)).invitations == 6
    assert [r for _, r in _sent(session, "meeting_invitation")].count("rev-1") == 6
    changes.cancel(
        session,
        meeting_id=setup.meeting.id,
        reason="Te weinig agendapunten",
        actor=ACTOR,
        now=DUE + timedelta(hours=2),
    )
    report = _advance(session, DUE + timedelta(hours=2))
    assert (report.invitations, report.cancellations) == (0, 6)
    assert _advance(session, DUE + timedelta(hours=3)).cancellations == 0
    assert {r for _, r in _sent(session, "meeting_cancellation")} == {"rev-2"}


def test_someone_who_left_after_the_invitation_still_hears_of_the_cancellation(
    session: Session,
) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    _advance(session, DUE)
    leaver = setup.members[3]
    membership = session.exec(select(Membership).where(Membership.person_id == leaver.id)).one()
    membership.left_on = DUE.date()
    session.add(membership)
    later = DUE + timedelta(days=1)
    changes.cancel(session, meeting_id=setup.meeting.id, reason="Ziekte", actor=ACTOR, now=later)
    assert _advance(session, later).cancellations == 6
    assert leaver.id in {person for person, _ in _sent(session, "meeting_cancellation")}


def test_a_postponement_goes_out_by_email_even_before_any_invitation(session: Session) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    early = MEETING_AT - timedelta(days=20)
    changes.postpone(
        session,
        meeting_id=setup.meeting.id,
        period_start=date(2026, 5, 1),
        precision=DatePrecision.month,
        reason="Onverwachte omstandigheden",
        actor=ACTOR,
        now=early,
    )
    report = _advance(session, early)
    assert (report.invitations, report.cancellations) == (0, 6)
    mail = session.exec(
        select(Notification).where(Notification.kind == "meeting_cancellation")
    ).first()
    assert mail is not None and mail.context["postponed_to"] == "mei 2026"


def test_a_meeting_long_past_is_not_announced(session: Session) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    changes.cancel(
        session,
        meeting_id=setup.meeting.id,
        reason="Geen agenda",
        actor=ACTOR,
        now=MEETING_AT - timedelta(days=30),
    )
    assert _advance(session, MEETING_AT + timedelta(days=1)).cancellations == 0
    assert (
        announcements.announce(
            session, now=MEETING_AT + timedelta(days=1), settings=SETTINGS
        ).cancellations
        == 0
    )


def test_a_new_place_after_the_invitations_sends_an_update_saying_so(session: Session) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    _advance(session, DUE)
    changes.change_place(
        session,
        meeting_id=setup.meeting.id,
        format=MeetingFormat.physical,
        location="Botermarkt 1, 9000 Gent",
        join_url=None,
        reason="Fysiek op vraag van de leden",
        actor=ACTOR,
        now=DUE + timedelta(days=2),
    )
    assert setup.meeting.revision == 1
    assert _advance(session, DUE + timedelta(days=2)).invitations == 6
    update = session.exec(
        select(Notification).where(col(Notification.idempotency_key).contains(":rev-1:"))
    ).first()
    assert update is not None
    assert (update.context["update"], update.context["place_changed"]) == (True, True)
    assert "LOCATION:Botermarkt 1\\, 9000 Gent" in update.context["calendar"]["ics"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": MeetingFormat.online, "location": None, "join_url": "ftp://x"}, "https://"),
        ({"format": MeetingFormat.physical, "location": " ", "join_url": None}, "adres"),
        ({"format": MeetingFormat.online, "location": None, "join_url": None}, "niets"),
    ],
)
def test_a_bad_place_change_is_refused_and_changes_nothing(
    session: Session, change: dict[str, Any], message: str
) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    before = table_counts(session)
    with pytest.raises(DomainError) as refused:
        changes.change_place(
            session, meeting_id=setup.meeting.id, reason=None, actor=ACTOR, now=DUE, **change
        )
    assert message in error_message(refused.value)
    assert table_counts(session) == before


def test_a_postponed_meeting_given_its_day_sends_the_invitation_at_once(session: Session) -> None:
    setup = make_staffed_meeting(session, meeting_at=MEETING_AT)
    assert setup.meeting.id is not None
    early = MEETING_AT - timedelta(days=20)
    changes.postpone(
        session,
        meeting_id=setup.meeting.id,
        period_start=date(2026, 5, 1),
        precision=DatePrecision.month,
        reason="Onverwachte omstandigheden",
        actor=ACTOR,
        now=early,
    )
    _advance(session, early)
    new_day = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)  # weeks away: not yet due by the clock
    changes.reschedule(
        session,
        meeting_id=setup.meeting.id,
        starts_at=new_day,
        ends_at=new_day + timedelta(hours=2),
        reason=None,
        actor=ACTOR,
        now=early + timedelta(days=1),
    )
    report = _advance(session, early + timedelta(days=1))
    assert report.invitations == len(_everyone(setup))
    assert {p for p, _ in _sent(session, "meeting_invitation")} == _everyone(setup)
