"""Someone who leaves a group still counts for what they did while in it.

Ending a membership (here through the chair's door, service.directory.group_members) keeps
the person on the attendance sheet of a past meeting, among those who answered its call, with
their questions, and leaves the annual report as it was.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from models.agenda import Submission, SubmissionCreate
from models.groups import WorkingGroup
from models.meetings import AttendanceEntry, AttendanceStatus, MeetingStatus
from models.memberships import Membership
from service.agenda import answers, submissions
from service.audit import Actor
from service.clock import local_today
from service.directory import group_members, memberships
from service.minutes import attendance
from service.reports import annual_report
from tests.factories import ACTOR, make_staffed_meeting
from tests.service.agenda.agenda_helpers import close, open_call


def test_ending_a_membership_keeps_attendance_questions_and_the_annual_report(
    session: Session, now: datetime
) -> None:
    held_at = now - timedelta(days=30)
    staffed = make_staffed_meeting(session, meeting_at=held_at)
    meeting, leaver = staffed.meeting, staffed.members[1]
    assert meeting.id is not None and leaver.id is not None
    asked_at = held_at - timedelta(days=20)
    call = open_call(session, now=asked_at, meeting=meeting)
    assert call.id is not None
    submissions.replace_submissions(
        session,
        call_id=call.id,
        person=leaver,
        actor=Actor.of(leaver),
        now=asked_at + timedelta(days=1),
        entries=[SubmissionCreate(rank=1, question="Wat betekent NIS2 voor onze stad?")],
    )
    close(session, call)
    attendance.record(
        session,
        meeting_id=meeting.id,
        entries=[
            AttendanceEntry(person_id=leaver.id, status=AttendanceStatus.present),
            AttendanceEntry(person_id=staffed.members[0].id or 0, status=AttendanceStatus.present),
        ],
        actor=ACTOR,
        now=now,
    )
    meeting.status = MeetingStatus.held  # what the meeting's flow records once it is over
    session.add(meeting)
    session.flush()
    year = held_at.year

    def history() -> tuple[object, ...]:
        questions = session.exec(
            select(func.count()).select_from(Submission).where(Submission.person_id == leaver.id)
        ).one()
        built = annual_report.build(session, year=year)
        held = {line.group.id: len(line.held) for line in built}[meeting.group_id]
        report = (held, annual_report.markdown(built, year=year))
        return (
            attendance.sheet(session, meeting_id=meeting.id or 0),
            answers.who_answered(session, meeting=meeting, now=now),
            questions,
            report,
        )

    before = history()
    sheet, answered, questions, report = before
    assert questions == 1
    assert isinstance(sheet, list) and isinstance(answered, answers.CallAnswers)
    assert [(x.person_id, x.status) for x in sheet if x.person_id == leaver.id] == [
        (leaver.id, AttendanceStatus.present)
    ]
    asked = {a.person_id: a.questions for o in answered.organisations for a in o.people}
    assert asked[leaver.id] == 1
    assert isinstance(report, tuple) and report[0] == 1  # the meeting counts as held

    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    membership = session.exec(
        select(Membership).where(
            Membership.person_id == leaver.id, col(Membership.group_id) == meeting.group_id
        )
    ).one()
    yesterday = local_today(now) - timedelta(days=1)
    group_members.end(
        session,
        slug=group.slug,
        membership_id=membership.id or 0,
        on=yesterday,
        actor=ACTOR,
        now=now,
    )

    assert not memberships.is_member(
        session, person_id=leaver.id, group_id=meeting.group_id, on=local_today(now)
    )
    assert history() == before
