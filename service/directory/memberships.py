"""Use cases for memberships: who sits in which group."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.errors import N_, DomainError
from models.memberships import Membership, MembershipCreate
from service import audit
from service.audit import Actor
from service.directory import groups, people


def add(
    session: Session, *, membership_in: MembershipCreate, actor: Actor, now: datetime
) -> Membership:
    """Add a person to a group from a date, refusing overlapping memberships."""
    person = people.get_by_email(session, email=membership_in.person_email)
    group = groups.get_by_slug(session, slug=membership_in.group)
    if membership_in.left_on is not None and membership_in.left_on < membership_in.joined_on:
        raise DomainError(N_("A member cannot leave before joining."), field="left_on")
    assert person.id is not None and group.id is not None
    overlapping = session.exec(
        select(Membership).where(
            Membership.person_id == person.id,
            Membership.group_id == group.id,
            sa.or_(
                col(Membership.left_on).is_(None),
                col(Membership.left_on) >= membership_in.joined_on,
            ),
            *(
                [col(Membership.joined_on) <= membership_in.left_on]
                if membership_in.left_on is not None
                else []
            ),
        )
    ).first()
    if overlapping is not None:
        raise DomainError(
            N_("This person is already a member of the group in that period."), field="joined_on"
        )
    membership = Membership(
        person_id=person.id,
        group_id=group.id,
        role=membership_in.role,
        joined_on=membership_in.joined_on,
        left_on=membership_in.left_on,
    )
    audit.save(session, row=membership, before=None, actor=actor, now=now)
    return membership


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
