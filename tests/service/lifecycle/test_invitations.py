"""Invitations by email: a REQUEST or CANCEL per person and revision, read by four parsers."""

import os
import re
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models.dates import DatePrecision
from models.groups import GroupKind, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate, MeetingFormat
from models.notifications import Notification
from models.people import Language, Person, PersonCreate
from service import formatting
from service.directory import groups, people, privacy
from service.lifecycle import changes, invitations
from service.mail import messages, outbox
from service.meetings import meetings, planning
from service.settings import Settings
from tests.calendars.conformance import Seen, invitation_parties, read_everywhere, when
from tests.factories import ACTOR, make_organisation, make_person

SETTINGS = Settings(base_url="https://overleg.kcvs.example")
GOLDEN = Path(__file__).parents[2] / "calendars" / "snapshots"
# The KBO netwerkdag: 18 December 2025, 09:30-16:30 in Brussels, postponed on 1 December.
NETWORK_DAY = datetime(2025, 12, 18, 8, 30, tzinfo=UTC)
DECIDED = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


def _group(session: Session, now: datetime) -> WorkingGroup:
    """The same group in every test, so that golden files do not depend on test order."""
    existing = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "gdpr")).first()
    return existing or groups.create(
        session,
        group_in=WorkingGroupCreate(
            slug="gdpr", short_name="GDPR", name="Werkgroep GDPR", kind=GroupKind.werkgroep
        ),
        actor=ACTOR,
        now=now,
    )


def _person(session: Session, now: datetime, name: str, email: str) -> Person:
    organisation = make_organisation(session, now=now, name="Stad Gent")
    return people.create(
        session,
        person_in=PersonCreate(name=name, email=email, organisation=organisation.slug),
        actor=ACTOR,
        now=now,
    )


def _meeting(
    session: Session, *, now: datetime, starts_at: datetime, hours: float = 2, **fields: object
) -> Meeting:
    group = _group(session, now)
    return meetings.schedule(
        session,
        meeting_in=MeetingCreate.model_validate(
            {
                "group": group.slug,
                "title": "Werkgroep GDPR – vergadering 1/2027",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours),
                **fields,
            }
        ),
        actor=ACTOR,
        now=now,
    )


def _rows(session: Session, person: Person) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(Notification.recipient_person_id == person.id)
            .order_by(Notification.id)  # type: ignore[arg-type]
        )
    )


def _ics(row: Notification) -> str:
    ics: str = row.context["calendar"]["ics"]
    return ics


def _expected(meeting: Meeting, *, status: str, summary: str, start: datetime) -> Seen:
    assert meeting.id is not None
    return Seen(
        uid=f"meeting-{meeting.id}@overleg.kcvs.example",
        sequence=meeting.revision,
        status=status,
        summary=summary,
        start=when(start),
        end=when(start + timedelta(hours=2)),
    )


def _without_texts(seen: Seen) -> Seen:
    return Seen(seen.uid, seen.sequence, seen.status, seen.summary, seen.start, seen.end)


def _golden(name: str, text: str, ids: dict[int, int]) -> None:
    """Compare with a golden file, database ids replaced by stable numbers."""
    for real, stable in ids.items():
        text = re.sub(rf"\bmeeting-{real}@", f"meeting-{stable}@", text)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1 once"
    assert text.encode("utf-8") == path.read_bytes()


def test_request_goes_out_once_per_revision(session: Session, now: datetime) -> None:
    start = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
    meeting = _meeting(session, now=now, starts_at=start, join_url="https://meet.example/g-1")
    person = make_person(session, now=now, name="An Peeters")
    assert meeting.id is not None and person.id is not None
    assert invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    assert not invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    (row,) = _rows(session, person)
    assert row.idempotency_key == f"invitation:meeting-{meeting.id}:rev-0:person-{person.id}"
    assert row.kind == "meeting_invitation" and row.context["update"] is False
    assert row.context["calendar"]["method"] == "REQUEST"
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    assert row.context["materials_url"] == (
        f"https://overleg.kcvs.example/groups/{group.slug}/meetings/{meeting.id}/materials"
    )
    (seen,) = read_everywhere([_ics(row)], invitation=True)
    assert [_without_texts(s) for s in seen] == [
        _expected(meeting, status="TENTATIVE", summary=meeting.title, start=start)
    ]
    assert seen[0].location == "https://meet.example/g-1"
    assert invitation_parties(_ics(row)) == (
        "mailto:secretariaat@kcvs.example",
        [f"mailto:{person.email}"],
    )
    assert invitations.invited_person_ids(session, meeting_id=meeting.id) == {person.id}


def test_a_moved_meeting_is_a_new_request_that_says_what_changed(
    session: Session, now: datetime
) -> None:
    start = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
    meeting = _meeting(session, now=now, starts_at=start, location="Stadhuis, Botermarkt 1; Gent")
    person = _person(session, now, "An Peeters", "an.peeters@gent.example")
    assert meeting.id is not None
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    moved = start + timedelta(days=7)
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=moved,
        ends_at=moved + timedelta(hours=2),
        reason="Samen met de stuurgroep",
        actor=ACTOR,
        now=now,
    )
    assert invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    first, update = _rows(session, person)
    (seen,) = read_everywhere([_ics(first), _ics(update)], invitation=True)[1:]
    assert [_without_texts(s) for s in seen] == [
        _expected(meeting, status="TENTATIVE", summary=meeting.title, start=moved)
    ]
    assert seen[0].sequence == 1 and update.context["update"] is True
    message = message_from_bytes(
        messages.build(update, recipient_name="An Peeters", settings=SETTINGS, now=now).as_bytes(),
        policy=default,
    )
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",))
    assert text is not None
    body = text.get_content()
    assert "Nieuw tijdstip: dinsdag 19 januari 2027, 14:00 tot 16:00" in body
    assert "(was dinsdag 12 januari 2027, 14:00)" in body
    assert "Reden: Samen met de stuurgroep" in body
    assert message["Subject"].startswith("Gewijzigd: ")
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST" and parts[0].get_content_charset() == "utf-8"
    assert parts[0].get_content().replace("\r\n", "\n") == _ics(update).replace("\r\n", "\n")
    assert message.get_content_type() == "multipart/alternative"
    _golden("invitation_moved.ics", _ics(update), {meeting.id: 1})


@pytest.mark.parametrize(
    ("first_in", "moved_to", "urgent"),
    [
        (timedelta(days=30), timedelta(days=37), False),
        (timedelta(days=1), timedelta(days=30), True),
    ],
)
def test_a_change_within_48_hours_of_the_meeting_goes_before_routine_mail(
    session: Session, now: datetime, first_in: timedelta, moved_to: timedelta, urgent: bool
) -> None:
    meeting = _meeting(session, now=now, starts_at=now + first_in)
    person = _person(session, now, "An Peeters", "an.peeters@gent.example")
    assert meeting.id is not None
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=now + moved_to,
        ends_at=now + moved_to + timedelta(hours=2),
        reason="Zaal niet vrij",
        actor=ACTOR,
        now=now,
    )
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    first, update = _rows(session, person)
    assert first.priority == outbox.ROUTINE
    assert update.priority == (outbox.URGENT if urgent else outbox.ROUTINE)


def test_a_cancelled_meeting_is_a_cancel_with_the_same_uid(session: Session, now: datetime) -> None:
    start = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
    meeting = _meeting(session, now=now, starts_at=start)
    person = _person(session, now, "An Peeters", "an.peeters@gent.example")
    english = make_person(session, now=now, name="Julien Lambert")
    english.language = Language.en
    assert meeting.id is not None and person.id is not None
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    changes.cancel(
        session, meeting_id=meeting.id, reason="Te weinig agendapunten", actor=ACTOR, now=now
    )
    with pytest.raises(ValueError, match="CANCEL, not a REQUEST"):
        invitations.queue_request(
            session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
        )
    for someone in (person, english):
        assert invitations.queue_cancel(
            session, meeting_id=meeting.id, person=someone, settings=SETTINGS, now=now
        )
        assert not invitations.queue_cancel(
            session, meeting_id=meeting.id, person=someone, settings=SETTINGS, now=now
        )
    cancel = _rows(session, person)[-1]
    (english_cancel,) = _rows(session, english)
    assert cancel.idempotency_key == (
        f"invitation-cancel:meeting-{meeting.id}:rev-1:person-{person.id}"
    )
    seen = read_everywhere([_ics(cancel), _ics(english_cancel)], invitation=True)
    assert [_without_texts(s) for s in seen[0]] == [
        _expected(meeting, status="CANCELLED", summary=f"Geannuleerd: {meeting.title}", start=start)
    ]
    assert seen[1][0].summary == f"Cancelled: {meeting.title}"
    assert "METHOD:CANCEL" in _ics(cancel) and cancel.kind == "meeting_cancellation"
    # Only REQUESTs count as invitations.
    assert invitations.invited_person_ids(session, meeting_id=meeting.id) == {person.id}
    _golden("invitation_cancelled.ics", _ics(cancel), {meeting.id: 2})


def test_the_postponed_network_day_is_cancelled_at_its_last_slot_then_requested_again(
    session: Session,
) -> None:
    now = DECIDED
    meeting = _meeting(
        session,
        now=now,
        starts_at=NETWORK_DAY,
        hours=7,
        title="Netwerkdag Interne audit en continue verbetering",
        format=MeetingFormat.physical,
        location="Bischoffsheimlaan 1-8, 1000 Brussel",
    )
    person = _person(session, now, "Hannelore Stessens", "hannelore.stessens@tnu-connect.example")
    assert meeting.id is not None
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    changes.postpone(
        session,
        meeting_id=meeting.id,
        period_start=date(2026, 2, 1),
        precision=DatePrecision.month,
        reason="Verplaatst naar februari 2026 door onverwachte omstandigheden",
        actor=ACTOR,
        now=now,
    )
    assert invitations.queue_cancel(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    cancel = _rows(session, person)[-1]
    (seen,) = read_everywhere([_ics(cancel)], invitation=True)
    assert (seen[0].status, seen[0].sequence, seen[0].start, seen[0].end) == (
        "CANCELLED",
        1,
        "2025-12-18T08:30:00.000Z",
        "2025-12-18T15:30:00.000Z",
    )
    assert seen[0].summary == (
        "Uitgesteld naar februari 2026: Netwerkdag Interne audit en continue verbetering"
    )
    message = message_from_bytes(
        messages.build(
            cancel, recipient_name="Hannelore Stessens", settings=SETTINGS, now=now
        ).as_bytes(),
        policy=default,
    )
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",))
    assert text is not None and "uitgesteld naar februari 2026" in text.get_content()
    assert message["Subject"] == f"Uitgesteld: {meeting.title} – 18 december 2025"
    _golden("invitation_network_day_postponed.ics", _ics(cancel), {meeting.id: 3})
    # The day becomes known: the same UID comes back as a REQUEST with a higher SEQUENCE.
    later = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    new_day = datetime(2026, 2, 12, 8, 30, tzinfo=UTC)
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=new_day,
        ends_at=new_day + timedelta(hours=7),
        reason=None,
        actor=ACTOR,
        now=later,
    )
    assert invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=later
    )
    request = _rows(session, person)[-1]
    (again,) = read_everywhere([_ics(request)], invitation=True)
    assert (again[0].uid, again[0].status, again[0].sequence) == (seen[0].uid, "TENTATIVE", 2)
    assert again[0].start == "2026-02-12T08:30:00.000Z"
    assert request.context["previous_starts_at"] == NETWORK_DAY.isoformat()


def test_texts_with_commas_semicolons_newlines_and_accents(session: Session, now: datetime) -> None:
    start = datetime(2027, 3, 2, 13, 0, tzinfo=UTC)
    meeting = _meeting(
        session,
        now=now,
        starts_at=start,
        title='Budget, "Q3"; review \\ draft: één, twee; drie',
        description="Regel 1, met komma; en puntkomma\nRegel 2 — Brussel-Hoofdstad, Région",
        location="Zaal 3; verdieping 2, Stadhuis",
    )
    person = _person(session, now, "Zoë D'hondt, Gent", "zoe.dhondt@gent.example")
    assert meeting.id is not None
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    (row,) = _rows(session, person)
    (seen,) = read_everywhere([_ics(row)], invitation=True)
    assert seen[0].summary == meeting.title and seen[0].location == meeting.location
    assert seen[0].description is not None
    assert seen[0].description.startswith(meeting.description or "")
    assert 'CN="Zoë D\'hondt, Gent"' in _ics(row).replace("\r\n ", "")
    _golden("invitation_texts.ics", _ics(row), {meeting.id: 4})


def test_an_erased_person_is_not_invited(session: Session, now: datetime) -> None:
    meeting = _meeting(session, now=now, starts_at=datetime(2027, 1, 12, 13, 0, tzinfo=UTC))
    person = make_person(session, now=now)
    assert meeting.id is not None and person.id is not None
    privacy.erase(session, person_id=person.id, actor=ACTOR, now=now)
    erased = session.get(Person, person.id)
    assert erased is not None
    assert not invitations.queue_request(
        session, meeting_id=meeting.id, person=erased, settings=SETTINGS, now=now
    )
    assert _rows(session, erased) == []


def test_the_organizer_comes_from_the_settings() -> None:
    settings = Settings(organizer="Secretariaat KCVS <secretariaat@kcvs.example>")
    assert invitations.organizer(settings).email == "secretariaat@kcvs.example"
    with pytest.raises(ValueError, match="OVERLEG_ORGANIZER"):
        invitations.organizer(Settings(organizer="Secretariaat"))


def test_a_planned_meeting_that_moves_is_named_by_its_new_day_only(
    session: Session, now: datetime
) -> None:
    """Planning stores no date in the title, so an update never carries the old day."""
    group = groups.create(
        session,
        group_in=WorkingGroupCreate(
            slug="gdpr",
            short_name="GDPR",
            name="Werkgroep GDPR",
            kind=GroupKind.werkgroep,
            meetings_per_year=1,
            preferred_weekday=1,
        ),
        actor=ACTOR,
        now=now,
    )
    (meeting,) = planning.plan_year(session, group_slug=group.slug, year=2027, actor=ACTOR, now=now)
    assert meeting.id is not None and meeting.starts_at is not None
    old_day = formatting.period(meeting.starts_at.date(), DatePrecision.day, "nl")
    assert meeting.title == "GDPR"
    person = _person(session, now, "An Peeters", "an.peeters@gent.example")
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    moved = meeting.starts_at + timedelta(days=14)
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=moved,
        ends_at=moved + timedelta(hours=2),
        reason=None,
        actor=ACTOR,
        now=now,
    )
    invitations.queue_request(
        session, meeting_id=meeting.id, person=person, settings=SETTINGS, now=now
    )
    first, update = _rows(session, person)
    subjects = [
        str(messages.build(row, recipient_name="An Peeters", settings=SETTINGS, now=now)["Subject"])
        for row in (first, update)
    ]
    assert subjects == [
        f"Uitnodiging: GDPR, {formatting.instant(moved - timedelta(days=14))}",
        f"Gewijzigd: GDPR, {formatting.instant(moved)}",
    ]
    assert old_day not in subjects[1]
    cancelled = changes.cancel(
        session, meeting_id=meeting.id, reason="Geen agenda", actor=ACTOR, now=now
    )
    assert invitations.queue_cancel(
        session, meeting_id=cancelled.id or 0, person=person, settings=SETTINGS, now=now
    )
    cancel = _rows(session, person)[-1]
    subject = messages.build(cancel, recipient_name="An Peeters", settings=SETTINGS, now=now)
    new_day = formatting.period(moved.date(), DatePrecision.day, "nl")
    assert str(subject["Subject"]) == f"Geannuleerd: GDPR – {new_day}"
