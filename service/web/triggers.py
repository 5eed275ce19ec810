"""Start urgent flows at once, by deployment name: the web app's one door into Prefect."""

import logging
from typing import Annotated

import httpx
from fastapi import Depends
from prefect.deployments import run_deployment
from prefect.exceptions import PrefectException

from service.web.deps import SettingsDep

log = logging.getLogger(__name__)
DELIVERY_DEPLOYMENT = "deliver-notifications/deliver-notifications"


class Triggers:
    """Asks Prefect to run a deployment now; a failure only delays work to the next tick."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled

    async def deliver_now(self) -> str | None:
        """Start mail delivery now; return the flow run id, or None when Prefect is off."""
        if not self.enabled:
            return None
        try:
            run = await run_deployment(DELIVERY_DEPLOYMENT, timeout=0)  # type: ignore[misc]
        except (PrefectException, httpx.HTTPError, RuntimeError) as error:
            # The every-minute schedule delivers it anyway; say so instead of failing the page.
            log.warning("could not start %s now: %s", DELIVERY_DEPLOYMENT, error)
            return None
        return str(run.id)


def get_triggers(settings: SettingsDep) -> Triggers:
    """The triggers for this app's settings."""
    return Triggers(enabled=settings.prefect_enabled)


TriggersDep = Annotated[Triggers, Depends(get_triggers)]
