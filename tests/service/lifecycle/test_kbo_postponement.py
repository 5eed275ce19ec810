"""The KBO netwerkdag of 18 December 2025, postponed to February 2026, then given its day.

Through the lifecycle as it runs: the members were invited; the postponement raises the
revision, turns the event in every feed into a cancelled one with the reason in its title,
and sends a METHOD:CANCEL to everyone; the new day sends a REQUEST with a higher SEQUENCE
under the same UID, and the feed shows the meeting confirmed on its new day.
"""

from datetime import UTC, date, datetime, timedelta
from email import message_from_string

from icalendar import Calendar
from sqlmodel import Session, col, select

from models.access import FeedScope
from models.dates import DatePrecision
from models.groups import GroupKind, WorkingGroupCreate
from models.meetings import Meeting, MeetingChange, MeetingCreate, MeetingKind, MeetingStatus
from models.memberships import MembershipRole
from models.notifications import Notification
from models.organisations import OrganisationKind
from models.people import Person
from service.audit import Actor
from service.directory import groups
from service.feeds import content, subscriptions
from service.lifecycle import advance, changes
from service.mail import messages
from service.meetings import meetings
from service.settings import Settings
from tests.factories import ACTOR, join, make_organisation, make_person

SETTINGS = Settings(secret_key="k", base_url="https://overleg.kcvs.example")
NETWORK_DAY = datetime(2025, 12, 18, 8, 30, tzinfo=UTC)  # 09:30 in Brussels
INVITED = datetime(2025, 12, 13, 9, 0, tzinfo=UTC)
POSTPONED = datetime(2025, 12, 15, 10, 0, tzinfo=UTC)
NEW_DAY = datetime(2026, 2, 12, 8, 30, tzinfo=UTC)
DECIDED = datetime(2026, 1, 20, 10, 0, tzinfo=UTC)


def _kbo(session: Session) -> tuple[int, list[Person]]:
    earlier = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    group = groups.create(
        session,
        actor=ACTOR,
        now=earlier,
        group_in=WorkingGroupCreate(
            slug="kbo",
            short_name="KBO",
            name="KBO – Kwaliteit, Beleid & Organisatiebeheersing",
            kind=GroupKind.traject,
        ),
    )
    people = []
    for city in ("Stad Gent", "Stad Leuven", "Stad Hasselt"):
        organisation = make_organisation(
            session, now=earlier, name=city, kind=OrganisationKind.centre_city
        )
        people.append(make_person(session, now=earlier, organisation=organisation))
    join(session, person=people[0], group=group, now=earlier, role=MembershipRole.chair)
    for person in people[1:]:
        join(session, person=person, group=group, now=earlier)
    meeting = meetings.schedule(
        session,
        actor=ACTOR,
        now=earlier,
        meeting_in=MeetingCreate(
            group="kbo",
            title="Netwerkdag Interne audit en continue verbetering",
            kind=MeetingKind.network_day,
            location="Bischoffsheimlaan 1-8, 1000 Brussel",
            starts_at=NETWORK_DAY,
            ends_at=NETWORK_DAY + timedelta(hours=7),
            status=MeetingStatus.confirmed,
        ),
    )
    assert meeting.id is not None
    return meeting.id, people


def _member_feed(session: Session, person: Person, now: datetime) -> Calendar:
    token = subscriptions.create(
        session, person=person, scope=FeedScope.person, scope_id=None, actor=ACTOR, now=now
    )
    served = content.serve(session, token_hash=token.token.token_hash, settings=SETTINGS, now=now)
    assert served is not None
    return Calendar.from_ical(served.body)


def _calendar_parts(session: Session, kind: str) -> list[tuple[Notification, Calendar, str]]:
    """Each outbox row of a kind, with its iTIP part and its plain text as built for sending."""
    found = []
    rows = session.exec(
        select(Notification).where(Notification.kind == kind).order_by(col(Notification.id))
    )
    for row in rows:
        message = message_from_string(
            messages.build(
                row, recipient_name="Lid", settings=SETTINGS, now=row.created_at
            ).as_string()
        )
        parts = {p.get_content_type(): p for p in message.walk()}
        ics = parts["text/calendar"]
        assert ics.get_param("method") == row.context["calendar"]["method"]
        payload = ics.get_payload(decode=True)
        text = parts["text/plain"].get_payload(decode=True)
        assert isinstance(payload, bytes) and isinstance(text, bytes)
        found.append((row, Calendar.from_ical(payload), text.decode("utf-8")))
    return found


def test_the_netwerkdag_postponed_to_february_and_then_given_its_day(session: Session) -> None:
    meeting_id, people = _kbo(session)
    assert advance.advance(session, now=INVITED, settings=SETTINGS).invitations == 3
    uid = f"meeting-{meeting_id}@overleg.kcvs.example"

    changes.postpone(
        session,
        meeting_id=meeting_id,
        period_start=date(2026, 2, 1),
        precision=DatePrecision.month,
        reason="Door onverwachte omstandigheden",
        actor=Actor.of(people[0]),
        now=POSTPONED,
    )
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    assert (meeting.revision, meeting.status, meeting.period_start) == (
        1,
        MeetingStatus.postponed,
        date(2026, 2, 1),
    )
    change = session.exec(select(MeetingChange).where(MeetingChange.meeting_id == meeting_id)).one()
    assert (change.revision, change.old_starts_at) == (1, NETWORK_DAY)

    # Everyone hears at once, by email: a CANCEL of the 18 December slot, saying why.
    report = advance.advance(session, now=POSTPONED, settings=SETTINGS)
    assert (report.invitations, report.cancellations) == (0, 3)
    assert advance.advance(session, now=POSTPONED, settings=SETTINGS).cancellations == 0
    for row, calendar, text in _calendar_parts(session, "meeting_cancellation"):
        event = calendar.walk("VEVENT")[0]
        assert calendar["METHOD"] == "CANCEL"
        assert (str(event["UID"]), int(str(event["SEQUENCE"])), str(event["STATUS"])) == (
            uid,
            1,
            "CANCELLED",
        )
        assert event.decoded("DTSTART") == NETWORK_DAY
        assert "februari 2026" in text and "Door onverwachte omstandigheden" in text
        # The recipient alone is the attendee: one ATTENDEE line, their own address.
        assert str(event["ATTENDEE"]) == f"mailto:{row.recipient_email}"

    # The feed keeps the old slot, marked as postponed, under the same UID.
    event = _member_feed(session, people[1], POSTPONED).walk("VEVENT")[0]
    assert (str(event["UID"]), int(str(event["SEQUENCE"])), str(event["STATUS"])) == (
        uid,
        1,
        "CANCELLED",
    )
    assert str(event["SUMMARY"]).startswith("Uitgesteld naar februari 2026")
    assert event.decoded("DTSTART") == NETWORK_DAY
    assert "ATTENDEE" not in event and "ORGANIZER" not in event

    # The day is decided: 12 February 2026. The same UID comes back, one revision higher.
    changes.reschedule(
        session,
        meeting_id=meeting_id,
        starts_at=NEW_DAY,
        ends_at=NEW_DAY + timedelta(hours=7),
        reason="Nieuwe datum vastgelegd",
        actor=Actor.of(people[0]),
        now=DECIDED,
    )
    assert advance.advance(session, now=DECIDED, settings=SETTINGS).invitations == 3
    updates = [
        entry
        for entry in _calendar_parts(session, "meeting_invitation")
        if int(str(entry[1].walk("VEVENT")[0]["SEQUENCE"])) == 2
    ]
    assert len(updates) == 3
    for _, calendar, _ in updates:
        event = calendar.walk("VEVENT")[0]
        assert calendar["METHOD"] == "REQUEST" and str(event["UID"]) == uid
        assert event.decoded("DTSTART") == NEW_DAY
    event = _member_feed(session, people[2], DECIDED).walk("VEVENT")[0]
    assert (str(event["UID"]), int(str(event["SEQUENCE"])), str(event["STATUS"])) == (
        uid,
        2,
        "CONFIRMED",
    )
    assert event.decoded("DTSTART") == NEW_DAY
    assert not str(event["SUMMARY"]).startswith("Uitgesteld")
