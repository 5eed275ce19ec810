"""The minutes state machine: every allowed and refused step, the lock, and corrections."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaItemKind, AgendaVersion, AgendaVersionStatus
from models.errors import DomainError
from models.meetings import Attendance, AttendanceStatus, Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.minutes import ApprovalMode, MinutesStatus, MinutesVersion
from models.notifications import Notification
from models.people import Person
from service.audit import Actor
from service.lifecycle import changes
from service.materials import materials, places
from service.minutes import minutes
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_meeting, make_person

BASE_URL = "https://overleg.kcvs.example"


class Group:
    """A group with a chair, a secretary, a member and an observer, and a held meeting."""

    def __init__(self, session: Session, now: datetime) -> None:
        earlier = now - timedelta(days=30)
        self.group = make_group(session, now=earlier)
        self.chair = make_person(session, now=earlier, name="Voorzitter Vandamme")
        self.secretary = make_person(session, now=earlier, name="Secretaris Segers")
        self.member = make_person(session, now=earlier, name="Lid Lemmens")
        self.observer = make_person(session, now=earlier, name="Waarnemer Wouters")
        for person, role in (
            (self.chair, MembershipRole.chair),
            (self.secretary, MembershipRole.secretariat),
            (self.member, MembershipRole.member),
            (self.observer, MembershipRole.observer),
        ):
            join(session, person=person, group=self.group, now=earlier, role=role)
        self.meeting = make_meeting(
            session, now=earlier, group=self.group, starts_in=timedelta(days=20)
        )
        assert self.meeting.id is not None
        self.meeting_id = self.meeting.id
        self.next_meeting = make_meeting(
            session, now=earlier, group=self.group, starts_in=timedelta(days=40)
        )


@pytest.fixture
def setup(session: Session, now: datetime) -> Group:
    return Group(session, now)


def _draft(session: Session, setup: Group, now: datetime) -> MinutesVersion:
    return minutes.start_draft(
        session, meeting_id=setup.meeting_id, actor=Actor.of(setup.secretary), now=now
    )


def _in_review(session: Session, setup: Group, now: datetime) -> MinutesVersion:
    version = _draft(session, setup, now)
    assert version.id is not None
    return minutes.open_review(
        session,
        base_url=BASE_URL,
        version_id=version.id,
        deadline=now + timedelta(days=7),
        actor=Actor.of(setup.secretary),
        now=now,
    )


def _approved(session: Session, setup: Group, now: datetime) -> MinutesVersion:
    version = _in_review(session, setup, now)
    assert version.id is not None
    return minutes.approve(
        session,
        base_url=BASE_URL,
        version_id=version.id,
        mode=ApprovalMode.chair,
        actor=Actor.of(setup.chair),
        now=now + timedelta(days=8),
    )


def _mails(session: Session, kind: str) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.kind == kind)))


def test_draft_is_prefilled_from_the_published_agenda_and_the_attendance(
    session: Session, setup: Group, now: datetime
) -> None:
    for person, status in (
        (setup.chair, AttendanceStatus.present),
        (setup.member, AttendanceStatus.present),
        (setup.observer, AttendanceStatus.excused),
    ):
        session.add(
            Attendance(
                meeting_id=setup.meeting_id,
                person_id=person.id,
                organisation_id=person.organisation_id,
                status=status,
            )
        )
    old = AgendaVersion(
        meeting_id=setup.meeting_id, number=1, created_at=now, status=AgendaVersionStatus.superseded
    )
    new = AgendaVersion(
        meeting_id=setup.meeting_id, number=2, created_at=now, status=AgendaVersionStatus.published
    )
    session.add_all([old, new])
    session.flush()
    assert old.id is not None and new.id is not None
    session.add_all(
        [
            AgendaItem(
                version_id=old.id,
                item_key=3,
                position=1,
                title="Oud punt",
                kind=AgendaItemKind.manual,
            ),
            AgendaItem(
                version_id=new.id,
                item_key=1,
                position=1,
                title="Goedkeuring vorig verslag",
                kind=AgendaItemKind.standing,
            ),
            AgendaItem(
                version_id=new.id,
                item_key=2,
                position=2,
                title="NIS2-zorgplicht",
                kind=AgendaItemKind.submitted,
                description="Vraag van Gent",
            ),
        ]
    )
    version = _draft(session, setup, now)
    body = version.body
    assert version.status is MinutesStatus.draft and version.number == 1
    assert "## Aanwezig" in body and "Lid Lemmens" in body and "Voorzitter Vandamme" in body
    assert "## Verontschuldigd" in body and "Waarnemer Wouters" in body
    assert "### 1. Goedkeuring vorig verslag" in body and "### 2. NIS2-zorgplicht" in body
    assert "Vraag van Gent" in body and "Oud punt" not in body


def test_the_whole_way_draft_review_comments_approval(
    session: Session, setup: Group, now: datetime
) -> None:
    version = _in_review(session, setup, now)
    assert version.id is not None
    assert version.status is MinutesStatus.in_review
    reviewers = {n.recipient_person_id for n in _mails(session, "minutes_review")}
    assert reviewers == {p.id for p in (setup.chair, setup.secretary, setup.member, setup.observer)}
    page = f"{BASE_URL}/groups/{setup.group.slug}/meetings/{setup.meeting_id}/minutes"
    assert {n.context["url"] for n in _mails(session, "minutes_review")} == {f"{page}#version-1"}
    minutes.comment(
        session, version_id=version.id, person=setup.member, body="Punt 2 klopt niet", now=now
    )
    minutes.edit(session, version_id=version.id, body="Verbeterde tekst", actor=ACTOR, now=now)
    assert setup.group.id is not None
    materials.add_link(
        session,
        place=places.Place(setup.group.id, setup.meeting_id),
        title="Gedeelde map",
        url="https://share.example/nis2",
        actor=ACTOR,
        now=now,
    )
    approved = minutes.approve(
        session,
        base_url=BASE_URL,
        version_id=version.id,
        mode=ApprovalMode.chair,
        actor=Actor.of(setup.chair),
        now=now + timedelta(days=7),
    )
    assert approved.status is MinutesStatus.approved
    assert (
        approved.approved_by_id == setup.chair.id and approved.approval_mode is ApprovalMode.chair
    )
    assert approved.content_hash == minutes.content_hash("Verbeterde tekst")
    assert minutes.is_intact(approved) is True
    assert len(_mails(session, "minutes_approved")) == 4
    assert {n.context["url"] for n in _mails(session, "minutes_approved")} == {f"{page}#version-1"}
    # The approval mail lists what the meeting worked from; the review mail did not.
    assert [n.context["materials"] for n in _mails(session, "minutes_approved")] == [
        [{"title": "Gedeelde map", "item": "0", "url": "https://share.example/nis2"}]
    ] * 4
    assert all("materials" not in n.context for n in _mails(session, "minutes_review"))
    assert [c.body for c in minutes.comments(session, version_id=version.id)] == [
        "Punt 2 klopt niet"
    ]


def test_approval_at_the_next_meeting(session: Session, setup: Group, now: datetime) -> None:
    version = _in_review(session, setup, now)
    assert version.id is not None and setup.next_meeting.id is not None
    after_review = now + timedelta(days=8)
    with pytest.raises(DomainError, match="next meeting has not taken place"):
        minutes.approve(
            session,
            base_url=BASE_URL,
            version_id=version.id,
            mode=ApprovalMode.next_meeting,
            actor=ACTOR,
            now=after_review,
        )
    assert [
        v.id for v in minutes.awaiting_next_meeting(session, meeting_id=setup.next_meeting.id)
    ] == [version.id]
    at_next = setup.next_meeting.starts_at
    assert at_next is not None
    approved = minutes.approve(
        session,
        base_url=BASE_URL,
        version_id=version.id,
        mode=ApprovalMode.next_meeting,
        actor=ACTOR,
        now=at_next + timedelta(minutes=20),
    )
    assert approved.approval_mode is ApprovalMode.next_meeting
    assert minutes.awaiting_next_meeting(session, meeting_id=setup.next_meeting.id) == []


def test_a_correction_is_a_new_version_and_the_old_stays_readable(
    session: Session, setup: Group, now: datetime
) -> None:
    first = _approved(session, setup, now)
    assert first.id is not None
    original = first.body
    later = now + timedelta(days=20)
    correction = minutes.correct(
        session,
        version_id=first.id,
        reason="Naam van Gent verkeerd gespeld",
        actor=ACTOR,
        now=later,
    )
    assert correction.id is not None
    assert correction.number == 2 and correction.status is MinutesStatus.draft
    assert correction.correction_reason == "Naam van Gent verkeerd gespeld"
    assert first.status is MinutesStatus.approved  # still the valid record until replaced
    minutes.edit(
        session, version_id=correction.id, body=original + "\nGent.", actor=ACTOR, now=later
    )
    minutes.open_review(
        session,
        base_url=BASE_URL,
        version_id=correction.id,
        deadline=later + timedelta(days=3),
        actor=ACTOR,
        now=later,
    )
    minutes.approve(
        session,
        base_url=BASE_URL,
        version_id=correction.id,
        mode=ApprovalMode.chair,
        actor=Actor.of(setup.chair),
        now=later + timedelta(days=4),
    )
    replaced = minutes.get_version(session, version_id=first.id)
    assert replaced.status.value == "corrected"
    assert first.body == original and minutes.is_intact(first) is True
    assert [v.number for v in minutes.versions(session, meeting_id=setup.meeting_id)] == [1, 2]
    approved_mails = _mails(session, "minutes_approved")
    assert sum(n.context["is_correction"] for n in approved_mails) == 4
    assert {n.context["url"] for n in approved_mails if n.context["is_correction"]} == {
        f"{BASE_URL}/groups/{setup.group.slug}/meetings/{setup.meeting_id}/minutes#version-2"
    }


def test_a_changed_locked_body_no_longer_matches_its_hash(
    session: Session, setup: Group, now: datetime
) -> None:
    version = _approved(session, setup, now)
    version.body += " (stil gewijzigd)"
    assert minutes.is_intact(version) is False


def _refused(session: Session, message: str, step: object) -> None:
    counts = table_counts(session)
    with pytest.raises(DomainError, match=message):
        step()  # type: ignore[operator]
    assert table_counts(session) == counts


def test_refused_steps_leave_everything_as_it_was(
    session: Session, setup: Group, now: datetime
) -> None:
    future = make_meeting(session, now=now, group=setup.group, starts_in=timedelta(days=3))
    assert future.id is not None
    _refused(
        session,
        "taken place",
        lambda: minutes.start_draft(session, meeting_id=future.id or 0, actor=ACTOR, now=now),
    )
    changes.cancel(session, meeting_id=future.id, reason="Geen agenda", actor=ACTOR, now=now)
    _refused(
        session,
        "taken place",
        lambda: minutes.start_draft(
            session, meeting_id=future.id or 0, actor=ACTOR, now=now + timedelta(days=10)
        ),
    )

    draft = _draft(session, setup, now)
    assert draft.id is not None
    vid = draft.id
    _refused(session, "already has minutes", lambda: _draft(session, setup, now))
    _refused(
        session,
        "for review before approving",
        lambda: minutes.approve(
            session,
            base_url=BASE_URL,
            version_id=vid,
            mode=ApprovalMode.chair,
            actor=ACTOR,
            now=now,
        ),
    )
    _refused(
        session,
        "only possible while minutes are in review",
        lambda: minutes.comment(session, version_id=vid, person=setup.member, body="x", now=now),
    )
    _refused(
        session,
        "not approved yet",
        lambda: minutes.correct(session, version_id=vid, reason="x", actor=ACTOR, now=now),
    )
    _refused(
        session,
        "cannot be empty",
        lambda: minutes.edit(session, version_id=vid, body="  ", actor=ACTOR, now=now),
    )
    _refused(
        session,
        "in the future",
        lambda: minutes.open_review(
            session, base_url=BASE_URL, version_id=vid, deadline=now, actor=ACTOR, now=now
        ),
    )
    _refused(
        session,
        "in the future",
        lambda: minutes.open_review(
            session,
            base_url=BASE_URL,
            version_id=vid,
            deadline=now + timedelta(days=61),
            actor=ACTOR,
            now=now,
        ),
    )

    minutes.open_review(
        session,
        base_url=BASE_URL,
        version_id=vid,
        deadline=now + timedelta(days=7),
        actor=ACTOR,
        now=now,
    )
    _refused(
        session,
        "already in review",
        lambda: minutes.open_review(
            session,
            base_url=BASE_URL,
            version_id=vid,
            deadline=now + timedelta(days=8),
            actor=ACTOR,
            now=now,
        ),
    )
    _refused(
        session,
        "review period has not ended",
        lambda: minutes.approve(
            session,
            base_url=BASE_URL,
            version_id=vid,
            mode=ApprovalMode.chair,
            actor=ACTOR,
            now=now + timedelta(days=6),
        ),
    )
    _refused(
        session,
        "Only members",
        lambda: minutes.comment(
            session, version_id=vid, person=setup.observer, body="Mag ik?", now=now
        ),
    )
    outsider = make_person(session, now=now)
    _refused(
        session,
        "Only members",
        lambda: minutes.comment(session, version_id=vid, person=outsider, body="Hallo", now=now),
    )
    _refused(
        session,
        "cannot be empty",
        lambda: minutes.comment(session, version_id=vid, person=setup.member, body=" ", now=now),
    )
    _refused(
        session,
        "review period of these minutes has ended",
        lambda: minutes.comment(
            session,
            version_id=vid,
            person=setup.member,
            body="Te laat",
            now=now + timedelta(days=8),
        ),
    )

    minutes.approve(
        session,
        base_url=BASE_URL,
        version_id=vid,
        mode=ApprovalMode.chair,
        actor=Actor.of(setup.chair),
        now=now + timedelta(days=8),
    )
    _refused(
        session,
        "already been approved",
        lambda: minutes.approve(
            session,
            base_url=BASE_URL,
            version_id=vid,
            mode=ApprovalMode.chair,
            actor=ACTOR,
            now=now + timedelta(days=9),
        ),
    )
    _refused(
        session,
        "approved and locked",
        lambda: minutes.edit(
            session, version_id=vid, body="Nieuwe tekst", actor=ACTOR, now=now + timedelta(days=9)
        ),
    )
    _refused(
        session,
        "approved and locked",
        lambda: minutes.open_review(
            session,
            base_url=BASE_URL,
            version_id=vid,
            deadline=now + timedelta(days=12),
            actor=ACTOR,
            now=now + timedelta(days=9),
        ),
    )
    _refused(
        session,
        "Say what the correction is for",
        lambda: minutes.correct(
            session, version_id=vid, reason=" ", actor=ACTOR, now=now + timedelta(days=9)
        ),
    )
    minutes.correct(
        session, version_id=vid, reason="Typfout", actor=ACTOR, now=now + timedelta(days=9)
    )
    _refused(
        session,
        "already under way",
        lambda: minutes.correct(
            session, version_id=vid, reason="Nog een", actor=ACTOR, now=now + timedelta(days=9)
        ),
    )


def test_a_concurrent_second_approval_loses_and_changes_nothing(
    session: Session, setup: Group, now: datetime
) -> None:
    """The guarded update decides: a stale object that still says in_review cannot approve."""
    version = _in_review(session, setup, now)
    assert version.id is not None
    later = now + timedelta(days=8)
    minutes.approve(
        session,
        base_url=BASE_URL,
        version_id=version.id,
        mode=ApprovalMode.chair,
        actor=Actor.of(setup.chair),
        now=later,
    )
    approved_at = version.approved_at
    stale = session.exec(select(MinutesVersion).where(col(MinutesVersion.id) == version.id)).one()
    # What a second request loaded before the first one committed (not a pending change).
    set_committed_value(stale, "status", MinutesStatus.in_review)
    counts = table_counts(session)
    with pytest.raises(DomainError, match="already been approved"):
        minutes.approve(
            session,
            base_url=BASE_URL,
            version_id=version.id,
            mode=ApprovalMode.chair,
            actor=Actor.of(setup.secretary),
            now=later + timedelta(hours=1),
        )
    assert table_counts(session) == counts
    session.refresh(version)
    assert version.status is MinutesStatus.approved and version.approved_at == approved_at
    assert version.approved_by_id == setup.chair.id


def test_erased_people_get_no_mail_and_held_status_counts(
    session: Session, setup: Group, now: datetime
) -> None:
    meeting = session.get(Meeting, setup.meeting_id)
    assert meeting is not None
    meeting.status = MeetingStatus.held
    setup.observer.erased_at = now
    session.add(setup.observer)
    _in_review(session, setup, now)
    recipients = {n.recipient_person_id for n in _mails(session, "minutes_review")}
    assert setup.observer.id not in recipients and len(recipients) == 3
    assert all(isinstance(session.get(Person, r), Person) for r in recipients)
