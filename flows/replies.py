"""Read the answers calendar clients send to the organizer's mailbox, and record them once."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from prefect import flow, get_run_logger, task

from flows import resources
from service.replies import mailbox


@task(retries=2, retry_delay_seconds=[30, 120])
def read_mailbox(now: datetime) -> dict[str, Any]:
    """Read every message not read before; return the counts (never an address)."""
    batch = mailbox.read(resources.settings(), sessions=resources.session, now=now)
    return asdict(batch)


@flow(name="read-replies")
def read_replies(now: datetime | None = None) -> dict[str, Any] | None:
    """Record the iTIP answers in the mailbox; running it twice records nothing twice."""
    logger = get_run_logger()
    if not mailbox.configured(resources.settings()):
        logger.info("no IMAP mailbox is set up: answers are read from the answer links only")
        return None
    counts = read_mailbox(resources.now(now))
    logger.info(
        "read %(read)d messages: %(recorded)d recorded, %(unmatched)d left for a person,"
        " %(failed)d to try again",
        counts,
    )
    return counts
