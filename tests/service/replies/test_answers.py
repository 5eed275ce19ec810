"""Recording answers: the SEQUENCE rule, each message once, expected attendance, privacy."""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from models.audit import AuditEntry
from models.meetings import Meeting
from models.notifications import Notification
from models.organisations import Organisation
from models.people import Person
from models.replies import (
    MeetingReply,
    MessageOutcome,
    ReplyAnswer,
    ReplySource,
    UnmatchedReason,
)
from service.directory import privacy
from service.feeds.calendar_events import meeting_uid
from service.lifecycle import attendance_steps, changes
from service.replies import answers, expected, matching
from service.settings import Settings
from tests.factories import ACTOR, StaffedMeeting, make_person, make_staffed_meeting
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


def test_a_stand_ins_own_calendar_reply_counts_for_the_meeting(
    session: Session, now: datetime
) -> None:
    staffed = _staffed(session, now)
    meeting, member = staffed.meeting, staffed.members[1]
    assert meeting.id is not None and member.id is not None
    organisation = session.get(Organisation, member.organisation_id)
    colleague = make_person(session, now=now, organisation=organisation, name="Lotte Smet")
    assert organisation is not None and colleague.id is not None
    uid = meeting_uid(meeting.id, SETTINGS)

    def reply(raw: bytes, imap_uid: int) -> MeetingReply | UnmatchedReason | None:
        fetched = _message(session, raw, now, imap_uid)
        record = matching.process(session, fetched, settings=SETTINGS, now=now)
        if record.outcome is MessageOutcome.unmatched:
            return record.reason
        return session.exec(select(MeetingReply).where(MeetingReply.message_id == record.id)).one()

    def member_line() -> expected.Line:
        view = expected.expected(session, meeting_id=meeting.id or 0)
        [row] = [o for o in view.organisations if o.organisation == organisation.name]
        [line] = row.people
        return line

    # Not named yet: the colleague was never invited.
    before = reply(shapes.thunderbird(uid, 0, colleague.email, tag="early"), 1)
    assert before is UnmatchedReason.not_invited
    _send_stand_in(session, meeting, member, colleague, now)
    accepted = reply(shapes.thunderbird(uid, 0, colleague.email, tag="accepts"), 2)
    assert isinstance(accepted, MeetingReply)
    assert (accepted.person_id, accepted.answer, accepted.source, accepted.counts) == (
        colleague.id,
        ReplyAnswer.accepted,
        ReplySource.calendar,
        True,
    )
    line = member_line()
    assert (line.key, line.stand_in, line.stand_in_answer) == (
        "stand_in",
        "Lotte Smet",
        ReplyAnswer.accepted,
    )
    # The stand-in cannot come after all: no one comes for the organisation.
    declined = reply(
        shapes.bare(
            shapes.minimal(uid, 0, colleague.email, "DECLINED"), sender=colleague.email, tag="no"
        ),
        3,
    )
    assert isinstance(declined, MeetingReply) and declined.answer is ReplyAnswer.declined
    line = member_line()
    assert (line.key, line.stand_in, line.stand_in_answer) == (
        "declined",
        "Lotte Smet",
        ReplyAnswer.declined,
    )
    view = expected.expected(session, meeting_id=meeting.id)
    [row] = [o for o in view.organisations if o.organisation == organisation.name]
    assert row.counts == {"accepted": 0, "tentative": 0, "declined": 1, "stand_in": 0, "none": 0}
    assert not row.coming


def test_a_stand_in_who_cannot_come_is_not_reminded(session: Session, now: datetime) -> None:
    staffed = _staffed(session, now)
    meeting, member = staffed.meeting, staffed.members[1]
    assert meeting.id is not None and meeting.starts_at is not None
    colleague = make_person(
        session, now=now, organisation=session.get(Organisation, member.organisation_id)
    )
    _send_stand_in(session, meeting, member, colleague, now)
    uid = meeting_uid(meeting.id, SETTINGS)
    raw = shapes.bare(
        shapes.minimal(uid, 0, colleague.email, "DECLINED"), sender=colleague.email, tag="no"
    )
    matching.process(session, _message(session, raw, now), settings=SETTINGS, now=now)
    day_before = meeting.starts_at - timedelta(days=1)
    queued = attendance_steps.remind_before(
        session, meeting_id=meeting.id, now=day_before, settings=SETTINGS
    )
    reminded = session.exec(
        select(Notification.recipient_person_id).where(
            Notification.kind == attendance_steps.REMINDER_KIND
        )
    ).all()
    others = [*staffed.members[:1], *staffed.members[2:], staffed.secretary, staffed.observer]
    assert queued == 5
    assert sorted(p or 0 for p in reminded) == sorted(p.id or 0 for p in others)


def _send_stand_in(
    session: Session, meeting: Meeting, member: Person, colleague: Person, now: datetime
) -> None:
    """The member answers through their link that they cannot come and send the colleague."""
    answers.record(
        session,
        meeting=meeting,
        person=member,
        answer=ReplyAnswer.declined,
        comment=None,
        sequence=meeting.revision,
        source=ReplySource.link,
        received_at=now,
        message_id=None,
        now=now,
        stand_in_id=colleague.id,
    )
