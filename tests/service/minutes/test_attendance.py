"""Recording attendance: per person, idempotent, audited, refused as a whole, erasure-proof."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from models.audit import AuditAction, AuditEntry
from models.errors import DomainError
from models.meetings import Attendance, AttendanceEntry, AttendanceStatus, Meeting, MeetingStatus
from models.memberships import MembershipCreate, MembershipRole
from models.people import Person
from service.audit import Actor
from service.directory import leaving, memberships, privacy
from service.lifecycle import changes
from service.minutes import attendance, minutes
from service.minutes.attendance import Recorded
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_meeting, make_organisation, make_person

P, E, A = AttendanceStatus.present, AttendanceStatus.excused, AttendanceStatus.absent


class Group:
    """A group of people from four organisations, and a meeting that took place two days ago."""

    def __init__(self, session: Session, now: datetime) -> None:
        earlier = now - timedelta(days=60)
        self.group = make_group(session, now=earlier)
        gent = make_organisation(session, now=earlier, name="Stad Gent")
        aalst = make_organisation(session, now=earlier, name="Stad Aalst")
        brugge = make_organisation(session, now=earlier, name="Stad Brugge")
        kcvs = make_organisation(session, now=earlier, name="Kenniscentrum Vlaamse Steden")
        self.chair = make_person(session, now=earlier, organisation=gent, name="Pieter Voorzitter")
        self.secretary = make_person(
            session, now=earlier, organisation=kcvs, name="Griet Secretaris"
        )
        self.member = make_person(session, now=earlier, organisation=aalst, name="Lies Lid")
        self.observer = make_person(session, now=earlier, organisation=brugge, name="Wim Waarnemer")
        self.colleague = make_person(session, now=earlier, organisation=gent, name="An Collega")
        for person, role in (
            (self.chair, MembershipRole.chair),
            (self.secretary, MembershipRole.secretariat),
            (self.member, MembershipRole.member),
            (self.observer, MembershipRole.observer),
            (self.colleague, MembershipRole.member),
        ):
            join(session, person=person, group=self.group, now=earlier, role=role)
        self.meeting = make_meeting(
            session, now=now, group=self.group, starts_in=-timedelta(days=2)
        )
        assert self.meeting.id is not None
        self.meeting_id = self.meeting.id

    def ids(self, *people: Person) -> list[int]:
        return [p.id for p in people if p.id is not None]


@pytest.fixture
def setup(session: Session, now: datetime) -> Group:
    return Group(session, now)


def entries(*pairs: tuple[Person, AttendanceStatus]) -> list[AttendanceEntry]:
    return [AttendanceEntry(person_id=p.id or 0, status=s) for p, s in pairs]


def rows(session: Session, meeting_id: int) -> dict[int | None, tuple[int, AttendanceStatus]]:
    """(organisation, status) per person id of a meeting's attendance rows."""
    found = session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).all()
    return {row.person_id: (row.organisation_id, row.status) for row in found}


def audit_of(session: Session) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry).where(AuditEntry.entity == "attendance").order_by(col(AuditEntry.id))
        )
    )


def test_record_adds_then_corrects_and_the_same_list_again_changes_nothing(
    session: Session, setup: Group, now: datetime
) -> None:
    actor = Actor.of(setup.secretary)
    first = attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.chair, P), (setup.member, P), (setup.observer, E)),
        actor=actor,
        now=now,
    )
    assert first == Recorded(created=3, changed=0, unchanged=0)
    assert rows(session, setup.meeting_id) == {
        setup.chair.id: (setup.chair.organisation_id, P),
        setup.member.id: (setup.member.organisation_id, P),
        setup.observer.id: (setup.observer.organisation_id, E),
    }
    created = audit_of(session)
    assert [(e.action, e.actor_id, e.before) for e in created] == [
        (AuditAction.create, setup.secretary.id, None)
    ] * 3

    counts = table_counts(session)
    again = attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.chair, P), (setup.member, P), (setup.observer, E)),
        actor=actor,
        now=now + timedelta(minutes=5),
    )
    assert again == Recorded(created=0, changed=0, unchanged=3)
    assert table_counts(session) == counts  # no row and no audit entry more

    corrected = attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.member, A), (setup.colleague, E)),
        actor=actor,
        now=now + timedelta(hours=1),
    )
    assert corrected == Recorded(created=1, changed=1, unchanged=0)
    recorded = rows(session, setup.meeting_id)
    assert recorded[setup.member.id] == (setup.member.organisation_id, A)
    assert recorded[setup.chair.id] == (setup.chair.organisation_id, P)  # not named: kept
    change = audit_of(session)[-2]
    assert change.action is AuditAction.update
    assert change.before is not None and change.after is not None
    assert (change.before["status"], change.after["status"]) == ("present", "absent")


def test_a_meeting_under_way_or_held_is_open_and_one_still_to_come_is_not(
    session: Session, setup: Group, now: datetime
) -> None:
    under_way = make_meeting(session, now=now, group=setup.group, starts_in=-timedelta(hours=1))
    assert under_way.status is MeetingStatus.planned and attendance.is_open(under_way, now=now)
    later = make_meeting(session, now=now, group=setup.group, starts_in=timedelta(hours=1))
    assert not attendance.is_open(later, now=now)
    assert attendance.is_open(later, now=now + timedelta(hours=1))
    changes.cancel(session, meeting_id=later.id or 0, reason="Geen agenda", actor=ACTOR, now=now)
    assert not attendance.is_open(later, now=now + timedelta(days=1))
    assert attendance.is_open(setup.meeting, now=now)
    setup.meeting.status = MeetingStatus.held
    assert attendance.is_open(setup.meeting, now=now)


def _refused(
    session: Session, setup: Group, now: datetime, message: str, **changes: object
) -> None:
    """The recording is refused with `message` and the data is exactly as it was."""
    before, counts = rows(session, setup.meeting_id), table_counts(session)
    arguments: dict[str, object] = {
        "meeting_id": setup.meeting_id,
        "entries": entries((setup.member, A)),
        "actor": ACTOR,
        "now": now,
        **changes,
    }
    with pytest.raises(DomainError, match=message):
        attendance.record(session, **arguments)  # type: ignore[arg-type]
    assert rows(session, setup.meeting_id) == before
    assert table_counts(session) == counts


def test_refusals_leave_everything_as_it_was(session: Session, setup: Group, now: datetime) -> None:
    attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.member, P), (setup.chair, P)),
        actor=ACTOR,
        now=now,
    )
    future = make_meeting(session, now=now, group=setup.group, starts_in=timedelta(days=3))
    _refused(session, setup, now, "started or taken place", meeting_id=future.id)
    gone = make_meeting(session, now=now, group=setup.group, starts_in=-timedelta(days=1))
    changes.cancel(
        session, meeting_id=gone.id or 0, reason="Ziekte", actor=ACTOR, now=now - timedelta(days=2)
    )
    _refused(session, setup, now, "started or taken place", meeting_id=gone.id)
    _refused(session, setup, now, "at least one person", entries=[])
    _refused(
        session, setup, now, "only once", entries=entries((setup.member, A), (setup.member, E))
    )
    too_many = [AttendanceEntry(person_id=i, status=P) for i in range(1, 502)]
    _refused(session, setup, now, "At most 500 people", entries=too_many)
    outsider = make_person(session, now=now)
    # One bad name refuses the whole list: the member stays present, not absent.
    _refused(
        session,
        setup,
        now,
        f"Person {outsider.id} was not in this group",
        entries=entries((setup.member, A), (outsider, P)),
    )
    _refused(
        session,
        setup,
        now,
        "was not in this group",
        entries=[AttendanceEntry(person_id=2_000_000_000, status=P)],
    )
    privacy.erase(session, person_id=setup.observer.id or 0, actor=ACTOR, now=now)
    _refused(
        session,
        setup,
        now,
        f"Person {setup.observer.id} has been erased",
        entries=entries((setup.member, A), (setup.observer, P)),
    )


def test_only_the_people_in_the_group_on_the_meeting_day_are_listed_and_recorded(
    session: Session, setup: Group, now: datetime
) -> None:
    # The meeting starts at 00:30 in Brussels on 10 November: 23:30 UTC on the 9th.
    late = make_meeting(session, now=now, group=setup.group, starts_in=timedelta(0))
    late.starts_at = datetime(2026, 11, 9, 23, 30, tzinfo=UTC)
    late.ends_at = late.starts_at + timedelta(hours=1)
    session.add(late)
    newcomer = make_person(session, now=now, name="Nieuw Lid")
    left = make_person(session, now=now, name="Vertrokken Lid")
    joined_later = make_person(session, now=now, name="Later Lid")
    for person, joined, until in (
        (newcomer, date(2026, 11, 10), None),
        (left, date(2025, 1, 1), date(2026, 11, 9)),
        (joined_later, date(2026, 11, 11), None),
    ):
        memberships.add(
            session,
            membership_in=MembershipCreate(
                person_email=person.email, group=setup.group.slug, joined_on=joined, left_on=until
            ),
            actor=ACTOR,
            now=now,
        )
    assert late.id is not None
    listed = {line.name for line in attendance.sheet(session, meeting_id=late.id)}
    assert "Nieuw Lid" in listed
    assert not {"Vertrokken Lid", "Later Lid"} & listed
    assert {"Pieter Voorzitter", "Griet Secretaris", "Lies Lid"} <= listed
    recorded = attendance.record(
        session, meeting_id=late.id, entries=entries((newcomer, P)), actor=ACTOR, now=now
    )
    assert recorded.created == 1
    with pytest.raises(DomainError, match="not in this group on the day"):
        attendance.record(
            session, meeting_id=late.id, entries=entries((left, P)), actor=ACTOR, now=now
        )


def test_the_sheet_lists_by_organisation_with_what_was_recorded(
    session: Session, setup: Group, now: datetime
) -> None:
    attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.chair, P), (setup.observer, E)),
        actor=ACTOR,
        now=now,
    )
    lines = attendance.sheet(session, meeting_id=setup.meeting_id)
    assert [(line.organisation, line.name, line.status) for line in lines] == [
        ("Kenniscentrum Vlaamse Steden", "Griet Secretaris", None),
        ("Stad Aalst", "Lies Lid", None),
        ("Stad Brugge", "Wim Waarnemer", E),
        ("Stad Gent", "An Collega", None),
        ("Stad Gent", "Pieter Voorzitter", P),
    ]
    assert all(line.editable for line in lines)
    assert {line.role for line in lines} == {
        MembershipRole.chair,
        MembershipRole.secretariat,
        MembershipRole.member,
        MembershipRole.observer,
    }


def test_an_erased_person_still_counts_for_their_organisation(
    session: Session, setup: Group, now: datetime
) -> None:
    attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.member, P), (setup.observer, E), (setup.chair, P)),
        actor=ACTOR,
        now=now,
    )
    member_id, organisation_id = setup.member.id, setup.member.organisation_id
    privacy.erase(session, person_id=member_id or 0, actor=ACTOR, now=now)
    recorded = rows(session, setup.meeting_id)
    assert member_id not in recorded and recorded[None] == (organisation_id, P)
    lines = attendance.sheet(session, meeting_id=setup.meeting_id)
    detached = [line for line in lines if not line.editable]
    assert [(d.person_id, d.name, d.organisation, d.status) for d in detached] == [
        (None, None, "Stad Aalst", P)
    ]
    assert "lid van Stad Aalst" not in {line.name for line in lines}  # not listed to record
    # Recording the others again leaves the detached row alone.
    again = attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.observer, E), (setup.chair, A)),
        actor=ACTOR,
        now=now,
    )
    assert again == Recorded(created=0, changed=1, unchanged=1)
    assert rows(session, setup.meeting_id)[None] == (organisation_id, P)
    body = minutes.start_draft(session, meeting_id=setup.meeting_id, actor=ACTOR, now=now).body
    present = body.split("## Aanwezig")[1].split("##")[0]
    assert "- Stad Aalst\n" in present and "Lies Lid" not in body


def test_a_minutes_draft_after_recording_lists_who_was_there_by_organisation(
    session: Session, setup: Group, now: datetime
) -> None:
    attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries(
            (setup.chair, P),
            (setup.colleague, P),
            (setup.secretary, P),
            (setup.observer, E),
            (setup.member, A),
        ),
        actor=Actor.of(setup.chair),
        now=now,
    )
    body = minutes.start_draft(
        session, meeting_id=setup.meeting_id, actor=Actor.of(setup.secretary), now=now
    ).body
    sections = {part.split("\n", 1)[0]: part for part in body.split("## ")[1:]}
    assert [line for line in sections["Aanwezig"].splitlines() if line.startswith("- ")] == [
        "- Griet Secretaris (Kenniscentrum Vlaamse Steden)",
        "- An Collega (Stad Gent)",
        "- Pieter Voorzitter (Stad Gent)",
    ]
    assert [line for line in sections["Verontschuldigd"].splitlines() if line.startswith("- ")] == [
        "- Wim Waarnemer (Stad Brugge)"
    ]
    assert [line for line in sections["Afwezig"].splitlines() if line.startswith("- ")] == [
        "- Lies Lid (Stad Aalst)"
    ]
    meeting = session.get(Meeting, setup.meeting_id)
    assert meeting is not None and meeting.status is MeetingStatus.planned  # under way, no flow


def test_a_member_who_left_still_shows_on_a_past_meetings_list(
    session: Session, now: datetime, setup: Group
) -> None:
    attendance.record(
        session,
        meeting_id=setup.meeting_id,
        entries=entries((setup.member, P), (setup.chair, P)),
        actor=ACTOR,
        now=now,
    )
    before = attendance.sheet(session, meeting_id=setup.meeting_id)
    assert setup.member.id is not None
    leaving.deactivate(session, person_id=setup.member.id, actor=ACTOR, now=now)
    after = attendance.sheet(session, meeting_id=setup.meeting_id)
    assert after == before
    line = next(line for line in after if line.person_id == setup.member.id)
    assert (line.name, line.role, line.status) == ("Lies Lid", MembershipRole.member, P)
