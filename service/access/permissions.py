"""Who may do what: a principal's roles, and the rules routes are guarded by."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from models.memberships import MembershipRole
from models.people import Person, StaffRole
from service.directory import memberships


class Access(StrEnum):
    """The rule a route is guarded by; every route names exactly one."""

    public = "public"  # anyone, signed in or not
    signed_in = "signed_in"  # any signed-in person (their own data)
    read_all = "read_all"  # directors and the secretariat
    secretariat = "secretariat"  # the secretariat only
    group_read = "group_read"  # anyone in the group, directors, the secretariat
    group_member = "group_member"  # members, chairs and the group's secretariat
    group_chair = "group_chair"  # the group's chair and the secretariat
    # Reading one meeting's materials: group_read, and that meeting's stand-ins (the web's
    # Require asks service.replies.stand_ins, as it needs the meeting of the path).
    meeting_read = "meeting_read"


_MEMBER_ROLES = frozenset({MembershipRole.member, MembershipRole.chair, MembershipRole.secretariat})
_MANAGER_ROLES = frozenset({MembershipRole.chair, MembershipRole.secretariat})


@dataclass(frozen=True)
class Principal:
    """A signed-in person with the roles in force today."""

    person: Person
    group_roles: Mapping[int, frozenset[MembershipRole]] = field(default_factory=dict)

    @property
    def is_secretariat(self) -> bool:
        """Staff of the knowledge centre may do everything."""
        return self.person.staff_role is StaffRole.secretariat

    @property
    def is_director(self) -> bool:
        """Directors read everything and change nothing."""
        return self.person.staff_role is StaffRole.director

    def roles_in(self, group_id: int) -> frozenset[MembershipRole]:
        """The person's roles in a group today (empty when not a member)."""
        return self.group_roles.get(group_id, frozenset())

    def manages(self, group_id: int) -> bool:
        """Whether the person may change a group's meetings: its chair or the secretariat."""
        return self.is_secretariat or bool(self.roles_in(group_id) & _MANAGER_ROLES)


def principal_for(session: Session, *, person: Person, on: date) -> Principal:
    """Load a person's group roles in force on a day."""
    assert person.id is not None
    roles: dict[int, set[MembershipRole]] = {}
    for membership in memberships.of_person(session, person_id=person.id, on=on):
        roles.setdefault(membership.group_id, set()).add(membership.role)
    return Principal(person=person, group_roles={g: frozenset(r) for g, r in roles.items()})


def allows(
    access: Access, principal: Principal | None, *, writes: bool, group_id: int | None = None
) -> bool:
    """Decide a rule for a principal; `writes` is true for requests that change something."""
    if access is Access.public:
        return True
    if principal is None:
        return False
    if principal.is_secretariat:
        return True
    if access is Access.signed_in:
        return True
    if access is Access.secretariat:
        return False
    if principal.is_director:
        return not writes
    if access is Access.read_all:
        return False
    assert group_id is not None, "group rules need the group"
    roles = principal.roles_in(group_id)
    if access in (Access.group_read, Access.meeting_read):
        return bool(roles)
    if access is Access.group_member:
        return bool(roles & _MEMBER_ROLES)
    return bool(roles & _MANAGER_ROLES)
