"""Recording answers: the SEQUENCE rule, each message once, expected attendance, privacy."""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from models.audit import AuditEntry
from models.replies import MeetingReply, MessageOutcome, ReplyAnswer, UnmatchedReason
from service.directory import privacy
from service.feeds.calendar_events import meeting_uid
from service.lifecycle import changes
from service.replies import expected, matching
from service.settings import Settings
from tests.factories import ACTOR, StaffedMeeting, make_staffed_meeting
from tests.service.replies import shapes

SETTINGS = Settings(base_url="https://overleg.example")


def _staffed(session: Session, now: datetime) -> StaffedMeeting:
    return make_staffed_meeting(session, meeting_at=now + timedelta(days=20))


def _message(session: Session, raw: bytes, now: datetime, uid: int = 1) -> matching.Fetched:
    head = raw.split(b"\n\n", 1)[0]
    return matching.Fetched("INBOX", uid, matching.digest(head, raw), now, raw)


def _move(session: Session, staffed: StaffedMeeting, by: timedelta, now: datetime) -> None:
    meeting = staffed.meeting
    assert meeting.id and meeting.starts_at and meeting.ends_at
    changes.reschedule(
        session,
        meeting_id=meeting.id,
        starts_at=meeting.starts_at + by,
        ends_at=meeting.ends_at + by,
        reason=None,
        actor=ACTOR,
        now=now,
    )


def test_an_answer_to_an_earlier_revision_counts_when_the_day_was_kept(
    session: Session, now: datetime
) -> None:
    staffed = _staffed(session, now)
    _move(session, staffed, timedelta(hours=3), now)
    uid = meeting_uid(staffed.meeting.id or 0, SETTINGS)
    raw = shapes.apple(uid, 0, staffed.members[1].email, tag="same-day")
    record = matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    assert record.outcome is MessageOutcome.recorded
    assert session.exec(select(MeetingReply)).one().counts


def test_an_answer_to_an_earlier_day_is_kept_but_does_not_count(
    session: Session, now: datetime
) -> None:
    staffed = _staffed(session, now)
    _move(session, staffed, timedelta(days=1), now)
    uid = meeting_uid(staffed.meeting.id or 0, SETTINGS)
    raw = shapes.apple(uid, 0, staffed.members[1].email, tag="other-day")
    record = matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    assert record.reason is UnmatchedReason.day_changed
    reply = session.exec(
        select(MeetingReply).where(MeetingReply.meeting_id == staffed.meeting.id)
    ).one()
    assert not reply.counts
    view = expected.expected(session, meeting_id=staffed.meeting.id or 0)
    assert view.totals["declined"] == 0 and view.totals["none"] == 6


def test_the_same_message_is_recorded_once(session: Session, now: datetime) -> None:
    staffed = _staffed(session, now)
    uid = meeting_uid(staffed.meeting.id or 0, SETTINGS)
    raw = shapes.gmail(uid, 0, staffed.members[0].email, tag="twice")
    first = matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    # The same Message-ID found again, e.g. copied to another folder with another IMAP uid.
    again = matching.process(
        session, _message(session, raw, now, uid=9), settings=SETTINGS, now=now
    )
    assert again.id == first.id
    assert len(session.exec(select(MeetingReply)).all()) == 1


def test_a_uid_of_another_host_names_no_meeting(session: Session, now: datetime) -> None:
    staffed = _staffed(session, now)
    uid = f"meeting-{staffed.meeting.id}@elders.example"
    raw = shapes.gmail(uid, 0, staffed.members[0].email, tag="other-host")
    record = matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    assert record.reason is UnmatchedReason.unknown_meeting and record.meeting_id is None


def test_an_answer_after_the_start_is_left(session: Session, now: datetime) -> None:
    staffed = _staffed(session, now)
    uid = meeting_uid(staffed.meeting.id or 0, SETTINGS)
    raw = shapes.gmail(uid, 0, staffed.members[0].email, tag="late")
    late = now + timedelta(days=21)
    record = matching.process(session, _message(session, raw, late), settings=SETTINGS, now=late)
    assert record.reason is UnmatchedReason.meeting_started


def test_the_answers_are_exported_and_the_note_is_erased(session: Session, now: datetime) -> None:
    staffed = _staffed(session, now)
    person = staffed.members[2]
    uid = meeting_uid(staffed.meeting.id or 0, SETTINGS)
    raw = shapes.outlook(uid, 0, person.email, tag="note")
    matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    exported = privacy.export(session, person_id=person.id or 0)
    assert [row["answer"] for row in exported["meeting_reply"]] == ["tentative"]
    privacy.erase(session, person_id=person.id or 0, actor=ACTOR, now=now)
    reply = session.exec(select(MeetingReply)).one()
    assert (reply.person_id, reply.comment, reply.answer) == (None, None, ReplyAnswer.tentative)
    entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "meeting_reply")).all()
    assert entries and all((e.after or {}).get("comment") is None for e in entries)


def test_a_nul_in_the_reply_is_dropped_before_the_database(session: Session, now: datetime) -> None:
    staffed = _staffed(session, now)
    uid = meeting_uid(staffed.meeting.id or 0, SETTINGS)
    ics = shapes.minimal(uid, 0, staffed.members[0].email)
    ics = ics.replace("END:VEVENT", "COMMENT:Graag\x00 tot dan\nEND:VEVENT")
    raw = b"Message-ID: <nul@test.example>\nContent-Type: text/calendar; method=REPLY\n\n"
    raw += ics.replace("mailto:", "mailto:\x00").encode()
    record = matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    assert record.outcome is MessageOutcome.recorded
    assert session.exec(select(MeetingReply)).one().comment == "Graag tot dan"
