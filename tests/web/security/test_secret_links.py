"""No sign-in or form link is stored: the outbox keeps what makes them with the app's key.

After a sign-in, a call's opening and the delivery of their mails, no table holds a complete
link (nor its token), and the secretariat's mailbox page masks the links it shows.
"""

import re
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from service.mail import delivery
from service.mail.mailer import MailboxMailer
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
TOKEN_IN_LINK = re.compile(r"/(?:sign-in|input)/[\w.\-]{20,}")


def _mailbox_text(folder: Path) -> str:
    """The plain text of every mail in the local mailbox."""
    texts = []
    for path in folder.glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        assert body is not None
        texts.append(str(body.get_content()))
    return "\n".join(texts)


def _dump(db: Engine) -> str:
    """Every value of every table, as text."""
    parts: list[str] = []
    with db.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                parts.extend(str(value) for value in row)
        parts.extend(
            str(value)
            for row in connection.execute(sa.text("SELECT * FROM alembic_version"))
            for value in row
        )
    return "\n".join(parts)


async def test_no_table_holds_a_sign_in_or_form_link(
    app: FastAPI, sign_in: SignIn, db: Engine, now: datetime
) -> None:
    client = await sign_in(SECRETARIAT)
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        meeting = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.confirmed)
            .order_by(col(Meeting.starts_at))
        ).first()
    assert meeting is not None
    opened = await client.post(
        f"/groups/nis2/meetings/{meeting.id}/call/open", data={"csrf_token": await csrf(client)}
    )
    assert opened.status_code == 303, opened.text
    # A second sign-in link, still unused, and every message delivered.
    await client.post("/api/sign-in", json={"email": SECRETARIAT})
    settings = app.state.settings
    sent = await delivery.deliver_due(
        db, mailer=MailboxMailer(settings.mailbox_dir), settings=settings, now=now
    )
    assert sent.sent >= 3
    # The mails that went out carry the links (the local mailbox is the mail server here).
    mailbox = _mailbox_text(Path(settings.mailbox_dir))
    made = TOKEN_IN_LINK.findall(mailbox)
    assert {link.split("/")[1] for link in made} == {"sign-in", "input"} and len(made) >= 4
    dump = _dump(db)
    assert not TOKEN_IN_LINK.search(dump)
    for link in made:
        token = link.rpartition("/")[2]
        assert token not in dump
        assert token.rpartition(".")[2] not in dump  # not even the signature

    page = await client.get("/mailbox")
    assert page.status_code == 200
    assert "/sign-in/…" in page.text and "/input/…" in page.text
    assert not TOKEN_IN_LINK.search(page.text)
