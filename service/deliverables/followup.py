"""Follow deliverables up by themselves: reminders, escalating overdue notices, director digests.

Before the due day (the last day of a fuzzy period) the accountable person is reminded 7 days
and 1 day ahead. After it, overdue notices escalate a step each: 1 day late to the accountable
person, 7 days to the group's chair, 14 days to the group's secretariat, and from then on the
item stands in the directors' weekly digest. Blocked items pause until they are unblocked.

Each message has an outbox key made of the deliverable, its due day, the stage and the
recipient, so it goes out once per stage and due date, however often or late this runs; a
moved due date starts a new ladder. A late run sends only the latest reminder before the due
day (an earlier one would say less), but every escalation step that is due, because each goes
to someone else. Steps older than `STALE` are history, not news, and are left out.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from models.deliverables import Deliverable, DeliverableChange, DeliverableField, DeliverableStatus
from models.groups import WorkingGroup
from models.memberships import MembershipRole
from models.people import Person, StaffRole
from service.clock import local_today
from service.deliverables import deliverables, rag
from service.deliverables.rag import Rag
from service.directory import memberships
from service.mail import outbox

STALE = timedelta(days=30)
ACTIVE = (DeliverableStatus.planned, DeliverableStatus.in_progress, DeliverableStatus.at_risk)
DIGEST_LIMIT = 25


class Stage(StrEnum):
    """A step of the follow-up, named by its distance from the due day."""

    before_7 = "before-7"
    before_1 = "before-1"
    overdue_1 = "overdue-1"
    overdue_7 = "overdue-7"
    overdue_14 = "overdue-14"


OFFSET = {
    Stage.before_7: -7,
    Stage.before_1: -1,
    Stage.overdue_1: 1,
    Stage.overdue_7: 7,
    Stage.overdue_14: 14,
}
# Who hears of a stage: the accountable person first, then a step up the ladder each time.
LEVEL = {
    Stage.before_7: MembershipRole.member,
    Stage.before_1: MembershipRole.member,
    Stage.overdue_1: MembershipRole.member,
    Stage.overdue_7: MembershipRole.chair,
    Stage.overdue_14: MembershipRole.secretariat,
}


@dataclass
class FollowUpReport:
    """What one run queued."""

    reminders: int = 0
    overdue_notices: int = 0
    digests: int = 0


def stages_due(due: date, today: date) -> list[Stage]:
    """The stages to send on `today` for an item due on `due` (see the module docstring)."""
    reached = [
        stage
        for stage in Stage
        if timedelta(0) <= today - (due + timedelta(days=OFFSET[stage])) <= STALE
    ]
    overdue = [stage for stage in reached if OFFSET[stage] > 0]
    if overdue or today > due:
        return overdue
    return reached[-1:]


def active_ids(session: Session) -> list[int]:
    """The deliverables still to follow up (ids only, oldest first)."""
    ids = session.exec(
        select(Deliverable.id)
        .where(col(Deliverable.status).in_(ACTIVE))
        .order_by(col(Deliverable.id))
    ).all()
    return [i for i in ids if i is not None]


def run(
    session: Session,
    *,
    base_url: str,
    now: datetime,
    deliverable_ids: Sequence[int] | None = None,
    digests: bool = True,
) -> FollowUpReport:
    """Queue every reminder, notice and digest that is due by `now` and not queued before.

    Of the deliverables given, when given (a batch on one worker); the directors' digests
    only when `digests`. Each message links to its page under `base_url` (the public URL): a
    reminder or notice to the deliverable on its group's page, a digest to the directors'
    overview.
    """
    report = FollowUpReport()
    today = local_today(now)
    query = select(Deliverable).where(col(Deliverable.status).in_(ACTIVE))
    if deliverable_ids is not None:
        query = query.where(col(Deliverable.id).in_(list(deliverable_ids)))
    for item in session.exec(query.order_by(col(Deliverable.id))).all():
        due = deliverables.due_day(item)
        for stage in stages_due(due, today):
            for person in _recipients(session, item, LEVEL[stage], today):
                added = outbox.queue(
                    session,
                    key=f"deliverable-{item.id}:due-{due.isoformat()}:{stage.value}:person-{person.id}",
                    kind="deliverable_reminder" if OFFSET[stage] < 0 else "deliverable_overdue",
                    recipient=person,
                    now=now,
                    context={
                        **_item_context(session, item, stage=stage, today=today),
                        "url": f"{base_url}{deliverable_path(session, item)}",
                    },
                )
                if OFFSET[stage] < 0:
                    report.reminders += added
                else:
                    report.overdue_notices += added
    if digests:
        report.digests = _digests(session, base_url=base_url, now=now, today=today)
    return report


def _recipients(
    session: Session, item: Deliverable, level: MembershipRole, today: date
) -> list[Person]:
    """Who hears of a stage; a missing level passes the message one step up."""
    if level is MembershipRole.member and item.accountable_person_id is not None:
        person = session.get(Person, item.accountable_person_id)
        if person is not None and person.erased_at is None:
            return [person]
    ladder = [MembershipRole.chair, MembershipRole.secretariat]
    start = 0 if level in (MembershipRole.member, MembershipRole.chair) else 1
    current = memberships.current(session, group_id=item.group_id, on=today)
    for role in ladder[start:]:
        found = _people(session, [m.person_id for m in current if m.role is role])
        if found:
            return found
    return staff(session, StaffRole.secretariat)


def _people(session: Session, ids: list[int]) -> list[Person]:
    people = (session.get(Person, i) for i in sorted(set(ids)))
    return [p for p in people if p is not None and p.erased_at is None]


def staff(session: Session, role: StaffRole) -> list[Person]:
    """Everyone with a staff role who has not been erased."""
    return list(
        session.exec(
            select(Person)
            .where(Person.staff_role == role, col(Person.erased_at).is_(None))
            .order_by(col(Person.id))
        )
    )


def _item_context(
    session: Session, item: Deliverable, *, stage: Stage | None, today: date
) -> dict[str, Any]:
    group = session.get(WorkingGroup, item.group_id)
    assert group is not None
    due = deliverables.due_day(item)
    return {
        "deliverable_id": item.id,
        "title": item.title,
        "group_name": group.short_name,
        "group_slug": group.slug,
        "status": item.status.value,
        "progress": item.progress,
        "due_on": item.due_on.isoformat(),
        "due_precision": item.due_precision.value,
        "days_overdue": max((today - due).days, 0),
        "stage": stage.value if stage else None,
    }


def deliverable_path(session: Session, item: Deliverable) -> str:
    """Where a deliverable is shown: its entry on its group's deliverables page."""
    group = session.get(WorkingGroup, item.group_id)
    assert group is not None
    return f"/groups/{group.slug}/deliverables#deliverable-{item.id}"


def _digests(session: Session, *, base_url: str, now: datetime, today: date) -> int:
    """One digest per director per ISO week, queued by the first run of the week."""
    year, week, _ = today.isocalendar()
    directors = staff(session, StaffRole.director)
    if not directors:
        return 0
    context = digest_context(session, now=now, today=today)
    queued = 0
    for director in directors:
        queued += outbox.queue(
            session,
            key=f"director-digest:{year}-W{week:02d}:person-{director.id}",
            kind="director_digest",
            recipient=director,
            now=now,
            context={**context, "week": f"{year}-W{week:02d}", "url": f"{base_url}/directors"},
        )
    return queued


def digest_context(session: Session, *, now: datetime, today: date) -> dict[str, Any]:
    """What directors read each week: colours, escalated and blocked items, slips, deliveries."""
    week_ago = now - timedelta(days=7)
    counts = {colour.value: 0 for colour in Rag}
    escalated, blocked, delivered = [], [], []
    for item in session.exec(select(Deliverable)).all():
        colour = rag.colour(item, today)
        if colour is not None:
            counts[colour.value] += 1
        due = deliverables.due_day(item)
        if item.status in ACTIVE and (today - due).days >= OFFSET[Stage.overdue_14]:
            escalated.append(_item_context(session, item, stage=None, today=today))
        elif item.status is DeliverableStatus.blocked:
            blocked.append(
                {
                    **_item_context(session, item, stage=None, today=today),
                    "reason": item.status_reason,
                }
            )
        elif item.delivered_on is not None and item.delivered_on >= week_ago.date():
            delivered.append(_item_context(session, item, stage=None, today=today))
    slipped = []
    moves = session.exec(
        select(DeliverableChange)
        .where(
            DeliverableChange.field == DeliverableField.due,
            col(DeliverableChange.changed_at) >= week_ago,
        )
        .order_by(col(DeliverableChange.changed_at))
    ).all()
    for move in moves:
        moved = session.get(Deliverable, move.deliverable_id)
        if moved is None or move.old_value is None:
            continue
        old_on, old_precision = deliverables.parse_due_label(move.old_value)
        new_on, new_precision = deliverables.parse_due_label(move.new_value)
        slipped.append(
            {
                **_item_context(session, moved, stage=None, today=today),
                "old_on": old_on.isoformat(),
                "old_precision": old_precision.value,
                "due_on": new_on.isoformat(),
                "due_precision": new_precision.value,
                "reason": move.reason,
            }
        )
    escalated.sort(key=lambda entry: -int(entry["days_overdue"]))
    return {
        "counts": counts,
        "escalated": escalated[:DIGEST_LIMIT],
        "blocked": blocked[:DIGEST_LIMIT],
        "slipped": slipped[:DIGEST_LIMIT],
        "delivered": delivered[:DIGEST_LIMIT],
    }
