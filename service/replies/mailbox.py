"""Read the organizer's mailbox over IMAP (imapclient) and hand every new message to matching.

Messages are never deleted or moved. Each one read gets the keyword $OverlegRead (and
$OverlegUnmatched when it is left for a person) after its record is committed; a run that
stops between the two finds the record by the message's digest and only sets the keyword.
Messages are fetched with BODY.PEEK, so they stay unread for the people using the mailbox.
"""

import logging
import ssl
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from imapclient import IMAPClient
from sqlmodel import Session

from models.replies import MessageOutcome
from service.replies import matching
from service.settings import Settings

READ = b"$OverlegRead"
UNMATCHED = b"$OverlegUnmatched"
_log = logging.getLogger(__name__)

Sessions = Callable[[], AbstractContextManager[Session]]


@dataclass
class Batch:
    """What one reading of the mailbox did."""

    read: int = 0
    recorded: int = 0
    unmatched: int = 0
    failed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def configured(settings: Settings) -> bool:
    """Whether an IMAP mailbox is set up; without one, answers come from the links only."""
    return bool(settings.imap_host and settings.imap_username)


def connect(settings: Settings) -> IMAPClient:
    """Open and log in to the organizer's mailbox, with TLS as the settings say."""
    assert settings.imap_host and settings.imap_username
    context = ssl.create_default_context()
    client = IMAPClient(
        settings.imap_host,
        port=settings.imap_port,
        ssl=settings.imap_tls == "tls",
        ssl_context=context,
        timeout=30,
    )
    if settings.imap_tls == "starttls":
        client.starttls(context)
    password = settings.imap_password.get_secret_value() if settings.imap_password else ""
    client.login(settings.imap_username, password)
    client.normalise_times = False  # aware INTERNALDATEs, not local wall-clock times
    return client


def _fetch(client: IMAPClient, uid: int, folder: str, limit: int) -> matching.Fetched:
    head = client.fetch([uid], [b"RFC822.SIZE", b"INTERNALDATE", b"BODY.PEEK[HEADER]"])[uid]
    headers = bytes(head[b"BODY[HEADER]"])
    raw = None
    if int(head[b"RFC822.SIZE"]) <= limit:
        raw = bytes(client.fetch([uid], [b"BODY.PEEK[]"])[uid][b"BODY[]"])
    arrived: datetime = head[b"INTERNALDATE"]
    if arrived.tzinfo is None:
        arrived = arrived.replace(tzinfo=UTC)
    return matching.Fetched(
        folder=folder,
        imap_uid=uid,
        digest=matching.digest(headers, raw),
        received_at=arrived.astimezone(UTC),
        raw=raw,
    )


def read(settings: Settings, *, sessions: Sessions, now: datetime) -> Batch:
    """Read every message not read before; each is committed, then flagged, one at a time."""
    batch = Batch()
    folder = settings.imap_folder
    with connect(settings) as client:
        client.select_folder(folder)
        for uid in client.search(["NOT", "KEYWORD", READ.decode()]):
            # A lost connection ends the batch here: what was committed stays, unflagged
            # messages are read again next time and found by their digest.
            fetched = _fetch(client, uid, folder, settings.imap_max_message_bytes)
            try:
                with sessions() as session:
                    record = matching.process(session, fetched, settings=settings, now=now)
                    outcome, reason = record.outcome, record.reason
            except Exception:  # one message the database refuses must not stop the batch
                _log.exception("reply message uid %s could not be read", uid)
                batch.failed += 1
                continue
            flags = [READ] if outcome is MessageOutcome.recorded else [READ, UNMATCHED]
            client.add_flags([uid], flags)
            batch.read += 1
            if outcome is MessageOutcome.recorded:
                batch.recorded += 1
            else:
                batch.unmatched += 1
                key = reason.value if reason else "unknown"
                batch.reasons[key] = batch.reasons.get(key, 0) + 1
    return batch
