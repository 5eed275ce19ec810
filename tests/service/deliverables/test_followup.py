"""The follow-up ladder over a simulated 60 days with a controlled clock.

Every reminder and notice must happen exactly once, at the right stage, to the right person:
with daily runs, with every run repeated, with runs that come days late, when the due date
moves, and while an item is blocked.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import Session, col, select

from models.dates import DatePrecision
from models.deliverables import Deliverable, DeliverableCreate, DeliverableStatus
from models.memberships import MembershipRole
from models.notifications import Notification
from models.people import Person, StaffRole
from service.clock import BRUSSELS, brussels
from service.deliverables import deliverables, followup
from service.deliverables.followup import Stage, stages_due
from tests.factories import ACTOR, join, make_group, make_person

START = date(2027, 3, 1)  # day 0 of the simulation; the item is due 30 days later
DUE = START + timedelta(days=30)
BASE_URL = "https://overleg.kcvs.example"


class Ladder:
    """A group with an accountable member, a chair, a secretary, a director and one item."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.group = make_group(session, now=now)
        self.owner = make_person(session, now=now, name="Eigenaar")
        self.chair = make_person(session, now=now, name="Voorzitter")
        self.secretary = make_person(session, now=now, name="Secretaris")
        self.director = make_person(session, now=now, name="Directeur")
        self.director.staff_role = StaffRole.director
        session.add(self.director)
        for person, role in (
            (self.owner, MembershipRole.member),
            (self.chair, MembershipRole.chair),
            (self.secretary, MembershipRole.secretariat),
        ):
            join(session, person=person, group=self.group, now=now, role=role)
        self.item = deliverables.create(
            session,
            deliverable_in=DeliverableCreate(
                group=self.group.slug,
                title="Gezamenlijk advies",
                accountable_email=self.owner.email,
                due_on=DUE,
            ),
            actor=ACTOR,
            now=now,
        )
        assert self.item.id is not None
        self.item_id = self.item.id


@pytest.fixture
def ladder(session: Session) -> Ladder:
    # Other directors would get digests too; this test's director is the only one.
    for other in session.exec(select(Person).where(Person.staff_role == StaffRole.director)):
        other.staff_role = StaffRole.none
    return Ladder(session, brussels(datetime.combine(START, time(8))))


def at(day: int, hour: int = 8) -> datetime:
    """Day `day` of the simulation at `hour` o'clock, Brussels time."""
    return brussels(datetime.combine(START + timedelta(days=day), time(hour)))


def mails(session: Session, *kinds: str) -> list[Notification]:
    kinds = kinds or ("deliverable_reminder", "deliverable_overdue")
    return list(
        session.exec(
            select(Notification)
            .where(col(Notification.kind).in_(kinds))
            .order_by(col(Notification.id))
        )
    )


def sent(session: Session, ladder: Ladder) -> list[tuple[date, str, str]]:
    """(day queued, stage, recipient) for every reminder and notice, in order."""
    names = {p.id: p.name for p in (ladder.owner, ladder.chair, ladder.secretary)}
    return [
        (
            n.created_at.astimezone(BRUSSELS).date(),
            n.context["stage"],
            names[n.recipient_person_id],
        )
        for n in mails(session)
    ]


def expected(due: date) -> list[tuple[date, str, str]]:
    return [
        (due - timedelta(days=7), "before-7", "Eigenaar"),
        (due - timedelta(days=1), "before-1", "Eigenaar"),
        (due + timedelta(days=1), "overdue-1", "Eigenaar"),
        (due + timedelta(days=7), "overdue-7", "Voorzitter"),
        (due + timedelta(days=14), "overdue-14", "Secretaris"),
    ]


def test_daily_runs_send_each_stage_once_on_its_day(session: Session, ladder: Ladder) -> None:
    for day in range(60):
        followup.run(session, base_url=BASE_URL, now=at(day))
    assert sent(session, ladder) == expected(DUE)
    overdue = mails(session, "deliverable_overdue")
    assert [n.context["days_overdue"] for n in overdue] == [1, 7, 14]
    assert all(n.context["due_on"] == DUE.isoformat() for n in mails(session))
    page = f"{BASE_URL}/groups/{ladder.group.slug}/deliverables#deliverable-{ladder.item_id}"
    assert {n.context["url"] for n in mails(session)} == {page}
    digests = mails(session, "director_digest")
    assert digests and {n.context["url"] for n in digests} == {f"{BASE_URL}/directors"}


def test_running_twice_or_four_times_a_day_changes_nothing(
    session: Session, ladder: Ladder
) -> None:
    for day in range(60):
        for hour in (8, 8, 13, 23):
            followup.run(session, base_url=BASE_URL, now=at(day, hour))
    assert sent(session, ladder) == expected(DUE)


def test_late_runs_send_each_escalation_once_and_only_the_latest_reminder(
    session: Session, ladder: Ladder
) -> None:
    """The flow ran only every fifth day, in the afternoon: day 0, 5, 10, ... 55."""
    for day in range(0, 60, 5):
        followup.run(session, base_url=BASE_URL, now=at(day, 15))
    got = sent(session, ladder)
    # Day 25 is 5 days before: the 7-day reminder; day 30 is the due day: the 1-day one.
    # Day 35 (5 late): step 1; day 40 (10 late): step 2; day 45 (15 late): step 3.
    assert got == [
        (START + timedelta(days=25), "before-7", "Eigenaar"),
        (START + timedelta(days=30), "before-1", "Eigenaar"),
        (START + timedelta(days=35), "overdue-1", "Eigenaar"),
        (START + timedelta(days=40), "overdue-7", "Voorzitter"),
        (START + timedelta(days=45), "overdue-14", "Secretaris"),
    ]


def test_a_very_late_first_run_sends_every_escalation_step_at_once(
    session: Session, ladder: Ladder
) -> None:
    followup.run(session, base_url=BASE_URL, now=at(50))
    followup.run(session, base_url=BASE_URL, now=at(50))
    stages = Counter((stage, who) for _, stage, who in sent(session, ladder))
    assert stages == Counter(
        {
            ("overdue-1", "Eigenaar"): 1,
            ("overdue-7", "Voorzitter"): 1,
            ("overdue-14", "Secretaris"): 1,
        }
    )


def test_a_moved_due_date_starts_a_new_ladder(session: Session, ladder: Ladder) -> None:
    new_due = DUE + timedelta(days=20)
    for day in range(60):
        if day == 28:  # after the 7-day reminder, before the 1-day one
            deliverables.change_due(
                session,
                deliverable_id=ladder.item_id,
                due_on=new_due,
                precision=DatePrecision.day,
                reason="Wacht op advies van de VVSG",
                actor=ACTOR,
                now=at(day, 10),
            )
        followup.run(session, base_url=BASE_URL, now=at(day))
    got = sent(session, ladder)
    assert got[0] == (DUE - timedelta(days=7), "before-7", "Eigenaar")
    assert got[1:] == [line for line in expected(new_due) if line[0] < START + timedelta(60)]
    keys = [n.idempotency_key for n in mails(session)]
    assert f"due-{DUE.isoformat()}:before-7" in keys[0]
    assert all(f"due-{new_due.isoformat()}" in key for key in keys[1:])


def test_blocked_items_pause_and_catch_up_when_unblocked(session: Session, ladder: Ladder) -> None:
    for day in range(60):
        if day == 27:
            deliverables.change_status(
                session,
                deliverable_id=ladder.item_id,
                status=DeliverableStatus.blocked,
                reason="Geen budget",
                actor=ACTOR,
                now=at(day, 10),
            )
        if day == 40:
            deliverables.change_status(
                session,
                deliverable_id=ladder.item_id,
                status=DeliverableStatus.in_progress,
                reason="Budget gevonden",
                actor=ACTOR,
                now=at(day, 7),
            )
        followup.run(session, base_url=BASE_URL, now=at(day))
    assert sent(session, ladder) == [
        (DUE - timedelta(days=7), "before-7", "Eigenaar"),
        (START + timedelta(days=40), "overdue-1", "Eigenaar"),
        (START + timedelta(days=40), "overdue-7", "Voorzitter"),
        (DUE + timedelta(days=14), "overdue-14", "Secretaris"),
    ]


def test_delivered_items_are_left_alone(session: Session, ladder: Ladder) -> None:
    for day in range(60):
        if day == 24:
            deliverables.change_status(
                session,
                deliverable_id=ladder.item_id,
                status=DeliverableStatus.delivered,
                reason=None,
                actor=ACTOR,
                now=at(day, 10),
            )
        followup.run(session, base_url=BASE_URL, now=at(day))
    assert sent(session, ladder) == [(DUE - timedelta(days=7), "before-7", "Eigenaar")]


def test_a_month_is_due_on_its_last_day_and_unowned_items_go_to_the_chair(
    session: Session, ladder: Ladder
) -> None:
    item = session.get(Deliverable, ladder.item_id)
    assert item is not None
    item.due_on, item.due_precision = date(2027, 3, 1), DatePrecision.month
    item.accountable_person_id = None
    session.add(item)
    for day in range(45):
        followup.run(session, base_url=BASE_URL, now=at(day))
    march_31 = date(2027, 3, 31)
    assert sent(session, ladder) == [
        (march_31 - timedelta(days=7), "before-7", "Voorzitter"),
        (march_31 - timedelta(days=1), "before-1", "Voorzitter"),
        (march_31 + timedelta(days=1), "overdue-1", "Voorzitter"),
        (march_31 + timedelta(days=7), "overdue-7", "Voorzitter"),
        (march_31 + timedelta(days=14), "overdue-14", "Secretaris"),
    ]


def test_one_digest_per_director_per_week(session: Session, ladder: Ladder) -> None:
    for day in range(60):
        followup.run(session, base_url=BASE_URL, now=at(day))
        followup.run(session, base_url=BASE_URL, now=at(day, 18))
    digests = mails(session, "director_digest")
    weeks = {START + timedelta(days=d) for d in range(60)}
    assert len(digests) == len({d.isocalendar()[:2] for d in weeks}) == 9
    assert {d.recipient_person_id for d in digests} == {ladder.director.id}
    # Monday 1 March 2027 starts the first week; each later digest comes on its Monday.
    assert {d.created_at.astimezone(BRUSSELS).weekday() for d in digests} == {0}
    last = digests[-1].context
    assert [e["title"] for e in last["escalated"]] == ["Gezamenlijk advies"]
    # The one item of this test, overdue for weeks by then.
    assert last["counts"] == {"red": 1, "amber": 0, "green": 0}


def test_the_digest_shows_this_weeks_slips_with_the_reason(
    session: Session, ladder: Ladder
) -> None:
    deliverables.change_due(
        session,
        deliverable_id=ladder.item_id,
        due_on=date(2027, 7, 1),
        precision=DatePrecision.quarter,
        reason="Juridisch advies laat",
        actor=ACTOR,
        now=at(2, 9),
    )
    followup.run(session, base_url=BASE_URL, now=at(7))  # Monday 8 March
    digest = mails(session, "director_digest")[-1].context
    assert digest["slipped"][0]["old_on"] == DUE.isoformat()
    assert digest["slipped"][0]["due_precision"] == "quarter"
    assert digest["slipped"][0]["reason"] == "Juridisch advies laat"


@pytest.mark.parametrize(
    ("today", "stages"),
    [
        (DUE - timedelta(days=8), []),
        (DUE - timedelta(days=7), [Stage.before_7]),
        (DUE - timedelta(days=3), [Stage.before_7]),
        (DUE, [Stage.before_1]),
        (DUE + timedelta(days=3), [Stage.overdue_1]),
        (DUE + timedelta(days=20), [Stage.overdue_1, Stage.overdue_7, Stage.overdue_14]),
        (DUE + timedelta(days=40), [Stage.overdue_14]),
        (DUE + timedelta(days=45), []),
    ],
)
def test_stages_due(today: date, stages: list[Stage]) -> None:
    assert stages_due(DUE, today) == stages
