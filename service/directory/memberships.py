"""Use cases for memberships: who sits in which group."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.audit import AuditAction
from models.errors import N_, DomainError, NotFound
from models.groups import WorkingGroup
from models.memberships import Membership, MembershipCreate, MembershipRole
from service import audit
from service.audit import Actor
from service.directory import groups, people


def add(
    session: Session, *, membership_in: MembershipCreate, actor: Actor, now: datetime
) -> Membership:
    """Add a person (named by address) to a group from a date."""
    person = people.get_by_email(session, email=membership_in.person_email)
    assert person.id is not None
    return join(
        session,
        person_id=person.id,
        group=membership_in.group,
        role=membership_in.role,
        joined_on=membership_in.joined_on,
        left_on=membership_in.left_on,
        actor=actor,
        now=now,
    )


def join(
    session: Session,
    *,
    person_id: int,
    group: str,
    role: MembershipRole,
    joined_on: date,
    left_on: date | None = None,
    actor: Actor,
    now: datetime,
) -> Membership:
    """Add a person to a group (named by its code) from a date, refusing overlapping memberships."""
    person = people.get(session, person_id=person_id)
    if not person.active:
        raise DomainError(
            N_("This person has been deactivated and cannot join a group."), field="person"
        )
    found = _group(session, slug=group)
    if left_on is not None and left_on < joined_on:
        raise DomainError(N_("A member cannot leave before joining."), field="left_on")
    assert found.id is not None
    overlapping = session.exec(
        select(Membership).where(
            Membership.person_id == person_id,
            Membership.group_id == found.id,
            sa.or_(col(Membership.left_on).is_(None), col(Membership.left_on) >= joined_on),
            *([col(Membership.joined_on) <= left_on] if left_on is not None else []),
        )
    ).first()
    if overlapping is not None:
        raise DomainError(
            N_("This person is already a member of the group in that period."), field="joined_on"
        )
    membership = Membership(
        person_id=person_id, group_id=found.id, role=role, joined_on=joined_on, left_on=left_on
    )
    return audit.created(session, membership, actor=actor, now=now)


def _group(session: Session, *, slug: str) -> WorkingGroup:
    """The group named in a request body: unknown is bad input (422), not a missing page."""
    try:
        return groups.get_by_slug(session, slug=slug.strip())
    except NotFound as error:
        raise DomainError(error.msgid, field="group", **error.params) from error


def get(session: Session, *, membership_id: int, person_id: int | None = None) -> Membership:
    """Return the membership with this id (of this person, when named), or refuse as unknown."""
    membership = session.get(Membership, membership_id)
    if membership is None or (person_id is not None and membership.person_id != person_id):
        raise NotFound(N_("Unknown membership."), field="membership")
    return membership


def end(
    session: Session,
    *,
    membership_id: int,
    person_id: int | None = None,
    on: date,
    actor: Actor,
    now: datetime,
) -> Membership:
    """End a membership: `on` is the last day the person belongs to the group.

    The row stays, so the meetings the person attended and the questions they sent still
    count for the group and their organisation.
    """
    membership = get(session, membership_id=membership_id, person_id=person_id)
    if on < membership.joined_on:
        raise DomainError(N_("A member cannot leave before joining."), field="left_on")
    if membership.left_on is not None and membership.left_on <= on:
        return membership  # already ended by then: ending it again changes nothing
    with audit.changing(session, membership, actor=actor, now=now):
        membership.left_on = on
    return membership


def change_role(
    session: Session,
    *,
    membership_id: int,
    person_id: int | None = None,
    role: MembershipRole,
    on: date,
    actor: Actor,
    now: datetime,
) -> Membership:
    """Give a member another role from a day on; the old role stays on record until the day before.

    A role given on the day the membership started is corrected in place instead.
    """
    membership = get(session, membership_id=membership_id, person_id=person_id)
    if membership.role is role:
        return membership
    if membership.left_on is not None and membership.left_on < on:
        raise DomainError(
            N_("This membership has ended; add a new one instead."), field="membership"
        )
    if on < membership.joined_on:
        raise DomainError(
            N_("A role cannot change before the membership starts."), field="joined_on"
        )
    with session.begin_nested():
        if on == membership.joined_on:
            before = audit.snapshot(membership)
            membership.role = role
            audit.save(session, row=membership, before=before, actor=actor, now=now)
            return membership
        left_on = membership.left_on
        before = audit.snapshot(membership)
        membership.left_on = on - timedelta(days=1)
        audit.save(session, row=membership, before=before, actor=actor, now=now)
        successor = Membership(
            person_id=membership.person_id,
            group_id=membership.group_id,
            role=role,
            joined_on=on,
            left_on=left_on,
        )
        audit.save(session, row=successor, before=None, actor=actor, now=now)
    return successor


@dataclass(frozen=True)
class MembershipLine:
    """A membership with its group, for a person's page."""

    membership: Membership
    group: WorkingGroup
    current: bool


def history_of_person(session: Session, *, person_id: int, on: date) -> list[MembershipLine]:
    """Every membership a person had or has, current ones first, each with its group."""
    rows = session.exec(
        select(Membership, WorkingGroup)
        .join(WorkingGroup)
        .where(Membership.person_id == person_id)
        .order_by(col(WorkingGroup.short_name), col(Membership.joined_on))
    )
    lines = [
        MembershipLine(
            membership=m,
            group=g,
            current=m.joined_on <= on and (m.left_on is None or m.left_on >= on),
        )
        for m, g in rows
    ]
    return sorted(lines, key=lambda line: not line.current)


def end_all_of_person(
    session: Session, *, person_id: int, on: date, actor: Actor, now: datetime
) -> int:
    """End every membership of a person that runs past `on`; drop those not yet begun."""
    ended = 0
    running = session.exec(
        select(Membership).where(
            Membership.person_id == person_id,
            sa.or_(col(Membership.left_on).is_(None), col(Membership.left_on) > on),
        )
    )
    for membership in list(running):
        if membership.joined_on > on:
            # Never begun: no meeting or question refers to it, so nothing is lost.
            before = audit.snapshot(membership)
            session.delete(membership)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action=AuditAction.delete,
                row=membership,
                before=before,
                now=now,
            )
        else:
            assert membership.id is not None
            end(session, membership_id=membership.id, on=on, actor=actor, now=now)
        ended += 1
    return ended


def current(session: Session, *, group_id: int, on: date) -> list[Membership]:
    """Return the memberships of a group that are in force on a day."""
    return list(
        session.exec(
            select(Membership).where(
                Membership.group_id == group_id,
                col(Membership.joined_on) <= on,
                sa.or_(col(Membership.left_on).is_(None), col(Membership.left_on) >= on),
            )
        )
    )


def is_member(session: Session, *, person_id: int, group_id: int, on: date) -> bool:
    """Tell whether a person belongs to a group on a day, in any role."""
    return any(m.person_id == person_id for m in current(session, group_id=group_id, on=on))


def of_person(session: Session, *, person_id: int, on: date) -> list[Membership]:
    """Return a person's memberships that are in force on a day."""
    return list(
        session.exec(
            select(Membership).where(
                Membership.person_id == person_id,
                col(Membership.joined_on) <= on,
                sa.or_(col(Membership.left_on).is_(None), col(Membership.left_on) >= on),
            )
        )
    )
