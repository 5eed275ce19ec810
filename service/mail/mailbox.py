"""Read the local mailbox (the embedded default's sent mail) and the failed outbox rows."""

from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models.notifications import Notification, NotificationStatus
from service.mail import links


@dataclass(frozen=True)
class StoredMail:
    """One message in the local mailbox."""

    name: str
    sent_at: datetime
    subject: str
    language: str
    text: str


def read(folder: Path, *, limit: int = 100) -> list[StoredMail]:
    """The newest messages in the mailbox folder, with sign-in and form links masked."""
    if not folder.exists():
        return []
    mails = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)[:limit]:
        message = message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        date = message["Date"]
        mails.append(
            StoredMail(
                name=path.stem,
                sent_at=parsedate_to_datetime(date)
                if date
                else datetime.fromtimestamp(path.stat().st_mtime, UTC),
                subject=str(message["Subject"]),
                language=str(message["Content-Language"] or ""),
                # The secretariat sees what was sent, but not the links that act as someone.
                text=links.mask(body.get_content()) if body is not None else "",
            )
        )
    return mails


def forget(folder: Path, *, words: tuple[str, ...]) -> int:
    """Drop every stored message that names any of `words` (a person's name and address).

    Searched both as stored (headers may be encoded, bodies quoted-printable) and decoded, so
    no copy of an erased person's mail stays in the local mailbox; returns the files dropped.
    """
    if not folder.exists():
        return 0
    wanted = [w.casefold() for w in words if w]
    dropped = 0
    for path in folder.glob("*.eml"):
        raw = path.read_bytes()
        message = message_from_bytes(raw, policy=default)
        assert isinstance(message, EmailMessage)
        readable = [raw.decode("utf-8", "replace"), *(str(v) for v in message.values())]
        readable += [
            part.get_content()
            for part in message.walk()
            if part.get_content_maintype() == "text" and not part.is_multipart()
        ]
        text = "\n".join(readable).casefold()
        if any(word in text for word in wanted):
            path.unlink(missing_ok=True)
            dropped += 1
    return dropped


def failed(session: Session, *, limit: int = 100) -> list[Notification]:
    """Outbox rows that could not be delivered, newest first, with their reasons."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.status == NotificationStatus.failed)
            .order_by(col(Notification.id).desc())
            .limit(limit)
        )
    )
