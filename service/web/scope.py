"""What a route acts on and who acts: the group and meeting of the path, and the acting person.

Dependencies that only rearrange what others found are `async`: FastAPI runs them on the event
loop instead of taking a worker thread, so a request holds few threads while it holds SQLite's
write lock (a pool full of requests waiting for that lock would wait for each other).

Every route states its rule through one of these (or `security.require`), so route signatures
stay short and the authorisation test finds the rule by walking the dependencies.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Protocol, TypedDict

from fastapi import Depends

from models.groups import WorkingGroup
from models.meetings import Meeting
from models.people import Person
from service.access.permissions import Access, Principal
from service.audit import Actor
from service.directory import groups
from service.followups import FollowUps
from service.meetings import meetings
from service.web.deps import IdPath, NowDep, Session, SessionDep
from service.web.security import require, signed_in
from service.web.triggers import AfterDep


def _group(slug: str, session: SessionDep) -> WorkingGroup:
    return groups.get_by_slug(session, slug=slug)


def _meeting(slug: str, meeting_id: IdPath, session: SessionDep) -> Meeting:
    return meetings.in_group(session, slug=slug, meeting_id=meeting_id)


GroupDep = Annotated[WorkingGroup, Depends(_group)]
# The meeting of the path, refused as unknown (404) when it belongs to another group.
MeetingDep = Annotated[Meeting, Depends(_meeting)]


@dataclass(frozen=True)
class MeetingAt:
    """The group and the meeting of the path, for pages that return to one or the other."""

    group: WorkingGroup
    meeting: Meeting

    @property
    def meeting_id(self) -> int:
        """The meeting's id."""
        return id_of(self.meeting)

    @classmethod
    def of(cls, session: Session, *, slug: str, meeting_id: int) -> "MeetingAt":
        """A group's meeting, refused as unknown when it is of another group."""
        group = groups.get_by_slug(session, slug=slug)
        return cls(group, meetings.in_group(session, slug=slug, meeting_id=meeting_id))


async def _at(group: GroupDep, meeting: MeetingDep) -> MeetingAt:
    return MeetingAt(group=group, meeting=meeting)


At = Annotated[MeetingAt, Depends(_at)]


def _principal(access: Access) -> Any:
    async def principal(found: Annotated[Principal | None, require(access)]) -> Principal | None:
        return found

    return Depends(principal)


def _actor(access: Access) -> Any:
    async def actor(principal: Annotated[Principal | None, require(access)]) -> Actor:
        return Actor.of(signed_in(principal).person)

    return Depends(actor)


def _person(access: Access) -> Any:
    async def person(principal: Annotated[Principal | None, require(access)]) -> Person:
        return signed_in(principal).person

    return Depends(person)


class By(TypedDict):
    """Who makes a change and when: the keyword arguments every use case takes."""

    actor: Actor
    now: datetime


class ByThen(By):
    """Who, when, and where the use case puts what must follow its change."""

    after: FollowUps


@dataclass(frozen=True)
class Act:
    """A change a person makes now, as the keyword arguments of its use case.

    `changes.cancel(session, meeting_id=..., reason=..., **act.then)`: the actor, the clock and
    the follow-ups in one typed argument, so route functions stay short and mypy still checks.
    """

    actor: Actor
    now: datetime
    after: FollowUps

    @property
    def by(self) -> By:
        """Actor and clock, for use cases that ask for nothing to follow."""
        return By(actor=self.actor, now=self.now)

    @property
    def then(self) -> ByThen:
        """Actor, clock and follow-ups."""
        return ByThen(actor=self.actor, now=self.now, after=self.after)


def _act(access: Access) -> Any:
    async def act(
        principal: Annotated[Principal | None, require(access)], now: NowDep, after: AfterDep
    ) -> Act:
        return Act(actor=Actor.of(signed_in(principal).person), now=now, after=after)

    return Depends(act)


class _HasId(Protocol):
    id: int | None


def id_of(row: _HasId) -> int:
    """The id of a row read from the database (which always has one)."""
    assert row.id is not None
    return row.id


# A change by the person the route's rule allows: `**act.by` or `**act.then` for its use case.
ChairAct = Annotated[Act, _act(Access.group_chair)]
MemberAct = Annotated[Act, _act(Access.group_member)]
# Anyone in the group, for changes whose use case decides further (an item's presenter).
ReaderAct = Annotated[Act, _act(Access.group_read)]
SecretariatAct = Annotated[Act, _act(Access.secretariat)]
SignedInAct = Annotated[Act, _act(Access.signed_in)]
# The signed-in person allowed by the route's rule, as the actor its change is recorded under.
ChairActor = Annotated[Actor, _actor(Access.group_chair)]
MemberActor = Annotated[Actor, _actor(Access.group_member)]
SecretariatActor = Annotated[Actor, _actor(Access.secretariat)]
SignedInActor = Annotated[Actor, _actor(Access.signed_in)]
# The signed-in person allowed by the route's rule (a detached snapshot).
SignedInPerson = Annotated[Person, _person(Access.signed_in)]
MemberPerson = Annotated[Person, _person(Access.group_member)]
SecretariatPerson = Annotated[Person, _person(Access.secretariat)]
# The principal (or nobody) allowed by the route's rule, for pages that show more to some.
Reader = Annotated[Principal | None, _principal(Access.group_read)]
# ... and the stand-ins of the path's meeting, for reading that meeting's materials.
MeetingReader = Annotated[Principal | None, _principal(Access.meeting_read)]
Chair = Annotated[Principal | None, _principal(Access.group_chair)]
AnyoneSignedIn = Annotated[Principal | None, _principal(Access.signed_in)]
Staff = Annotated[Principal | None, _principal(Access.read_all)]
