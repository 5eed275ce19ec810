"""What must happen right after a change commits: the urgent runs a use case asks for.

A use case that needs a flow to run now (members told of a moved meeting, a call's closing
booked at its new deadline, a sign-in link sent) adds a follow-up here instead of calling
Prefect itself. The web edge runs them once the request's transaction has committed
(service/web/triggers.py); every one is a shortcut, because the scheduled deployments would do
the same work at their next tick.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AdvanceMeeting:
    """Run one meeting's due steps now (updates, cancellations, invitations)."""

    meeting_id: int
    revision: int
    # What else changed at this revision (a published agenda), so its run is not the one that
    # already ran for the revision: Prefect's idempotency key names it.
    cause: str = ""


@dataclass(frozen=True)
class BookClosing:
    """Book a call's closing at its (new) deadline."""

    call_id: int


@dataclass(frozen=True)
class DeliverNow:
    """Send the outbox now instead of at the next minute; urgent mail has a lane of its own."""

    urgent: bool = False


@dataclass(frozen=True)
class AllAnswered:
    """Every member has answered a call: close it now."""

    call_id: int


@dataclass(frozen=True)
class AdvanceHomework:
    """Run the homework steps now: an assignment just set is mailed without waiting the tick."""

    assignment_id: int


FollowUp = AdvanceMeeting | BookClosing | DeliverNow | AllAnswered | AdvanceHomework


@dataclass
class FollowUps:
    """The follow-ups a request asked for, in order, each once."""

    items: list[FollowUp] = field(default_factory=list)

    def add(self, item: FollowUp) -> None:
        """Ask for a follow-up; asking twice for the same one keeps one."""
        if item not in self.items:
            self.items.append(item)

    def clear(self) -> None:
        """Forget every follow-up: the change they belonged to was refused."""
        self.items.clear()
