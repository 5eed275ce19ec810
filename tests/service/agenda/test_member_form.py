"""The member's form behind a personal link: who it opens for, what it stores, what it refuses."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from models.agenda import AgendaCall, Submission, SubmissionCreate, SubmissionStatus
from models.errors import DomainError
from models.groups import WorkingGroup
from models.meetings import Meeting
from models.memberships import Membership
from models.people import Person
from service import tokens
from service.agenda import late_input, links, member_form
from service.agenda.member_form import Phase
from service.directory.privacy import erase
from service.lifecycle import changes
from service.mail.links import LinkRefused
from tests.conftest import table_counts
from tests.factories import ACTOR, StaffedMeeting, make_meeting, make_staffed_meeting
from tests.service.agenda.agenda_helpers import close, open_call

KEY = "form-test-key"


def _entries(*questions: str) -> list[SubmissionCreate]:
    return [SubmissionCreate(rank=r, question=q) for r, q in enumerate(questions, start=1)]


def _token(call: AgendaCall, person: Person) -> str:
    assert call.id is not None and person.id is not None
    return links.make_token(call_id=call.id, person_id=person.id, key=KEY)


def _form(session: Session, call: AgendaCall, person: Person, now: datetime) -> member_form.Form:
    return member_form.open_form(session, token=_token(call, person), key=KEY, now=now)


@pytest.fixture
def staffed(session: Session, now: datetime) -> StaffedMeeting:
    return make_staffed_meeting(session, meeting_at=now + timedelta(days=20))


@pytest.fixture
def call(session: Session, now: datetime, staffed: StaffedMeeting) -> AgendaCall:
    return open_call(session, now=now, meeting=staffed.meeting)


def test_a_member_saves_edits_and_withdraws_until_the_deadline(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    member = staffed.members[1]
    form = _form(session, call, member, now)
    assert (form.phase, form.questions, form.group.id) == (Phase.open, [], staffed.meeting.group_id)

    member_form.save(session, form=form, entries=_entries("Wat is NIS2?", "Logbeheer?"), now=now)
    later = now + timedelta(days=1)
    form = _form(session, call, member, later)
    assert [q.question for q in form.questions] == ["Wat is NIS2?", "Logbeheer?"]

    member_form.save(session, form=form, entries=_entries("Back-ups?"), now=later)
    form = _form(session, call, member, later)
    assert [(q.rank, q.question) for q in form.questions] == [(1, "Back-ups?")]

    member_form.withdraw(session, form=form, now=later)
    assert _form(session, call, member, later).questions == []
    rows = session.exec(select(Submission).where(Submission.person_id == member.id)).all()
    assert sorted(r.status for r in rows) == [SubmissionStatus.withdrawn] * 2  # kept, not deleted


def test_the_last_answer_says_the_call_may_close(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    outcomes = [
        member_form.save(
            session, form=_form(session, call, person, now), entries=_entries("Vraag?"), now=now
        ).all_answered
        for person in staffed.members
    ]
    assert outcomes == [False, False, False, True]


def test_two_people_of_the_same_city_both_submit(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    first, second = staffed.members[1], staffed.members[2]
    second.organisation_id = first.organisation_id
    session.add(second)
    for person in (first, second):
        member_form.save(
            session, form=_form(session, call, person, now), entries=_entries("Zelfde?"), now=now
        )
    stored = session.exec(select(Submission).where(Submission.call_id == call.id)).all()
    assert {s.person_id for s in stored} == {first.id, second.id}


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([], "Write at least one question"),
        (_entries("Een?", "Twee?", "Drie?", "Vier?"), "at most 3 questions"),
        (_entries("Dezelfde vraag?", "dezelfde  VRAAG?"), "same question twice"),
        (_entries("x" * 501), "at most 500 characters"),
        ([SubmissionCreate(rank=1, question="   ")], "cannot be empty"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    session: Session,
    now: datetime,
    staffed: StaffedMeeting,
    call: AgendaCall,
    entries: list[SubmissionCreate],
    message: str,
) -> None:
    member = staffed.members[1]
    member_form.save(
        session, form=_form(session, call, member, now), entries=_entries("Oud?"), now=now
    )
    before = table_counts(session)
    with pytest.raises(DomainError, match=message):
        member_form.save(session, form=_form(session, call, member, now), entries=entries, now=now)
    assert table_counts(session) == before
    assert [q.question for q in _form(session, call, member, now).questions] == ["Oud?"]


def test_markup_is_stored_as_the_text_it_is(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    text = '<script>alert("x")</script> & <b>vet</b>'
    form = _form(session, call, staffed.members[1], now)
    member_form.save(session, form=form, entries=_entries(text), now=now)
    assert _form(session, call, staffed.members[1], now).questions[0].question == text


def test_links_that_open_nothing(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    member = staffed.members[1]
    token = _token(call, member)
    assert call.id is not None and member.id is not None
    refused = {
        "tampered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "other purpose": tokens.sign(f"{call.id}:{member.id}", key=KEY, purpose="sign-in"),
        "other key": links.make_token(call_id=call.id, person_id=member.id, key="other"),
        "unknown call": links.make_token(call_id=999_999, person_id=member.id, key=KEY),
    }
    for name, bad in refused.items():
        with pytest.raises(LinkRefused) as caught:
            member_form.open_form(session, token=bad, key=KEY, now=now)
        assert caught.value.reason == "invalid", name


def test_a_link_expires_when_the_meeting_has_ended(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    assert staffed.meeting.ends_at is not None
    with pytest.raises(LinkRefused, match="expired") as caught:
        _form(session, call, staffed.members[1], staffed.meeting.ends_at)
    assert caught.value.reason == "expired"


def test_a_link_of_a_cancelled_meeting_opens_nothing(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    assert staffed.meeting.id is not None
    changes.cancel(
        session, meeting_id=staffed.meeting.id, reason="Geen sprekers", actor=ACTOR, now=now
    )
    with pytest.raises(LinkRefused, match="cancelled"):
        _form(session, call, staffed.members[1], now)


def test_a_link_for_a_group_the_person_has_left(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    member = staffed.members[1]
    membership = session.exec(select(Membership).where(Membership.person_id == member.id)).one()
    membership.left_on = now.date() - timedelta(days=1)
    session.add(membership)
    with pytest.raises(LinkRefused, match="not a member") as caught:
        _form(session, call, member, now)
    assert caught.value.reason == "not_member"


def test_a_member_of_two_groups_opens_only_the_call_of_their_own_group(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    outsider = make_staffed_meeting(session, meeting_at=now + timedelta(days=40)).members[1]
    with pytest.raises(LinkRefused) as caught:
        _form(session, call, outsider, now)  # a signed link, but for a group they are not in
    assert caught.value.reason == "not_member"


def test_an_erased_person_has_no_form(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    member = staffed.members[1]
    assert member.id is not None
    token = _token(call, member)
    erase(session, person_id=member.id, actor=ACTOR, now=now)
    with pytest.raises(LinkRefused):
        member_form.open_form(session, token=token, key=KEY, now=now)


def test_a_call_not_yet_open_shows_but_stores_nothing(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    call.status = call.status.draft
    call.opens_at = now + timedelta(hours=1)
    session.add(call)
    form = _form(session, call, staffed.members[1], now)
    assert form.phase is Phase.not_open
    before = table_counts(session)
    with pytest.raises(DomainError, match="not opened yet"):
        member_form.save(session, form=form, entries=_entries("Vroeg?"), now=now)
    assert table_counts(session) == before


def test_after_the_deadline_input_is_kept_apart_for_the_secretariat(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    member = staffed.members[1]
    member_form.save(
        session, form=_form(session, call, member, now), entries=_entries("Op tijd?"), now=now
    )
    late = call.deadline + timedelta(minutes=1)
    form = _form(session, call, member, late)
    assert form.phase is Phase.late

    saved = member_form.save(session, form=form, entries=_entries("Te laat?", "Nog een?"), now=late)
    assert saved.late and not saved.all_answered
    form = _form(session, call, member, late)
    assert [q.question for q in form.questions] == ["Op tijd?"]  # what came in time stays
    assert [q.question for q in form.late] == ["Te laat?", "Nog een?"]

    # A newer late post replaces the older one; nothing is deleted.
    member_form.save(session, form=form, entries=_entries("Beter verwoord?"), now=late)
    assert [q.question for q in _form(session, call, member, late).late] == ["Beter verwoord?"]
    assert call.meeting_id is not None
    assert [s.question for s in late_input.waiting(session, meeting_id=call.meeting_id)] == [
        "Beter verwoord?"
    ]


def test_the_secretariat_parks_late_input_for_the_next_meeting_or_declines_it(
    session: Session, now: datetime, staffed: StaffedMeeting, call: AgendaCall
) -> None:
    meeting = staffed.meeting
    assert meeting.id is not None
    close(session, call)
    late = call.deadline + timedelta(minutes=5)
    for person in staffed.members[1:3]:
        member_form.save(
            session, form=_form(session, call, person, late), entries=_entries("Laat?"), now=late
        )
    first, second = late_input.waiting(session, meeting_id=meeting.id)
    assert first.id is not None and second.id is not None

    before = table_counts(session)
    with pytest.raises(DomainError, match="no next meeting"):
        late_input.park(
            session, meeting_id=meeting.id, submission_id=first.id, actor=ACTOR, now=late
        )
    assert table_counts(session) == before

    following = _next_meeting(session, staffed, now)
    parked = late_input.park(
        session, meeting_id=meeting.id, submission_id=first.id, actor=ACTOR, now=late
    )
    assert parked.meeting.id == following.id
    assert (first.status, first.parked_for_meeting_id) == (SubmissionStatus.parked, following.id)
    late_input.decline(
        session, meeting_id=meeting.id, submission_id=second.id, actor=ACTOR, now=late
    )
    assert second.status is SubmissionStatus.declined
    assert late_input.waiting(session, meeting_id=meeting.id) == []

    with pytest.raises(DomainError, match="already been handled"):
        late_input.decline(
            session, meeting_id=meeting.id, submission_id=first.id, actor=ACTOR, now=late
        )
    assert following.id is not None
    with pytest.raises(DomainError, match="Unknown late question"):
        late_input.park(
            session, meeting_id=following.id, submission_id=second.id, actor=ACTOR, now=late
        )


def _next_meeting(session: Session, staffed: StaffedMeeting, now: datetime) -> Meeting:
    group = session.get(WorkingGroup, staffed.meeting.group_id)
    assert group is not None
    return make_meeting(session, now=now, group=group, starts_in=timedelta(days=60))
