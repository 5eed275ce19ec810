"""A group's members as its chair manages them: who sits in the group, add, change role, end.

The same use cases as the register's (service.directory.memberships), held to one group: a
membership of another group is unknown here, so a chair changes only their own group.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.errors import N_, NotFound
from models.memberships import Membership, MembershipCreate, MembershipRole
from models.organisations import Organisation
from models.people import Person
from service.audit import Actor
from service.directory import groups, memberships


@dataclass(frozen=True)
class RosterLine:
    """A current member of a group, with their organisation."""

    membership: Membership
    person: Person
    organisation: Organisation


def roster(session: Session, *, slug: str, on: date) -> list[RosterLine]:
    """The group's members on a day, chairs first, then by name."""
    group = groups.get_by_slug(session, slug=slug)
    in_force = {m.person_id: m for m in memberships.current(session, group_id=group.id or 0, on=on)}
    if not in_force:
        return []
    rows = session.exec(
        select(Person, Organisation)
        .join(Organisation)
        .where(col(Person.id).in_(in_force), col(Person.erased_at).is_(None))
    )
    lines = [RosterLine(in_force[p.id or 0], p, o) for p, o in rows]
    return sorted(
        lines, key=lambda x: (x.membership.role is not MembershipRole.chair, x.person.name)
    )


def _of_group(session: Session, *, slug: str, membership_id: int) -> Membership:
    """A membership of this group, or unknown (a membership of another group is not shown)."""
    group = groups.get_by_slug(session, slug=slug)
    membership = session.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        raise NotFound(N_("Unknown membership."), field="membership")
    return membership


def add(
    session: Session,
    *,
    slug: str,
    email: str,
    role: MembershipRole,
    joined_on: date,
    actor: Actor,
    now: datetime,
) -> Membership:
    """Add someone in the register (named by address) to the group from a day."""
    return memberships.add(
        session,
        membership_in=MembershipCreate(
            person_email=email, group=slug, role=role, joined_on=joined_on
        ),
        actor=actor,
        now=now,
    )


def change_role(
    session: Session,
    *,
    slug: str,
    membership_id: int,
    role: MembershipRole,
    on: date,
    actor: Actor,
    now: datetime,
) -> Membership:
    """Give a member of the group another role from a day on."""
    _of_group(session, slug=slug, membership_id=membership_id)
    return memberships.change_role(
        session, membership_id=membership_id, role=role, on=on, actor=actor, now=now
    )


def end(
    session: Session, *, slug: str, membership_id: int, on: date, actor: Actor, now: datetime
) -> Membership:
    """End a membership of the group; its past stays on record."""
    _of_group(session, slug=slug, membership_id=membership_id)
    return memberships.end(session, membership_id=membership_id, on=on, actor=actor, now=now)
