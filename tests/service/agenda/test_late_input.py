"""Late input is parked for the meeting after the one it was sent for (issue 16).

It used to go to the group's next meeting after today, which can come before the meeting the
question was sent for (an extra meeting planned in between).
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from models.agenda import Submission, SubmissionStatus
from service.agenda import late_input
from tests.factories import ACTOR, make_group, make_meeting, make_person
from tests.service.agenda.agenda_helpers import close, open_call


def test_late_input_goes_to_the_meeting_after_the_one_it_was_sent_for(
    session: Session, now: datetime
) -> None:
    group = make_group(session, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=30))
    make_meeting(session, now=now, group=group, starts_in=timedelta(days=20))  # an extra one
    following = make_meeting(session, now=now, group=group, starts_in=timedelta(days=60))
    call = open_call(session, now=now, meeting=meeting)
    close(session, call)
    person = make_person(session, now=now)
    assert call.id is not None and person.id is not None and meeting.id is not None
    late = Submission(
        call_id=call.id,
        person_id=person.id,
        organisation_id=person.organisation_id,
        rank=1,
        question="Mag het nog?",
        status=SubmissionStatus.late,
        received_late=True,
        submitted_at=call.deadline + timedelta(hours=1),
        updated_at=call.deadline + timedelta(hours=1),
    )
    session.add(late)
    session.flush()
    assert late.id is not None

    parked = late_input.park(
        session,
        meeting_id=meeting.id,
        submission_id=late.id,
        actor=ACTOR,
        now=call.deadline + timedelta(days=1),
    )
    assert parked.meeting.id == following.id
    assert late.parked_for_meeting_id == following.id
