"""Triggers switched on, as when Prefect runs, that never reach a Prefect server."""

from service.web.triggers import Triggers


class OfflineTriggers(Triggers):
    """On, but every start is dropped, as an unreachable Prefect would drop it.

    A test subclasses this and overrides the one trigger it watches. Without it, the other
    triggers a request fires (mail delivery after a sign-in, say) make Prefect's client start
    a temporary server of its own in the test process: seconds of CPU, and nothing checked.
    """

    def __init__(self) -> None:
        super().__init__(enabled=True)

    async def _run(self, deployment: str, **_: object) -> str | None:
        return None

    async def deliver_now(self, *, urgent: bool = False) -> str | None:
        """Dropped."""
        return None

    def all_answered(self, *, call_id: int) -> None:
        """Dropped."""
