"""What a group's members pages and API take and give."""

from datetime import date

from pydantic import BaseModel, Field

from models import limits
from models.memberships import MembershipRole
from service.directory.group_members import RosterLine
from service.web.forms import ApiBody


class MemberForm(BaseModel):
    """Someone in the register to add to the group, as the page's form sends it."""

    email: str = Field(max_length=limits.EMAIL)
    role: MembershipRole = MembershipRole.member
    joined_on: date


# The same fields as the page's form; a field it does not take is refused (ApiBody).
class MemberRequest(MemberForm, ApiBody):
    """Someone in the register (by address) to add to the group, in a role from a day."""


class MemberResponse(BaseModel):
    """A current member of the group."""

    membership_id: int
    person_id: int
    name: str
    organisation: str
    role: MembershipRole
    joined_on: date
    left_on: date | None

    @classmethod
    def of(cls, line: RosterLine) -> "MemberResponse":
        """A roster line as the API answers it."""
        m = line.membership
        return cls(
            membership_id=m.id or 0,
            person_id=m.person_id,
            name=line.person.name,
            organisation=line.organisation.slug,
            role=m.role,
            joined_on=m.joined_on,
            left_on=m.left_on,
        )
