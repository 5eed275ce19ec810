"""After an erasure no file under the data folder names the person (issue 16).

The local mailbox kept the mail sent to them, and SQLite kept the old pages in its file and its
write-ahead log until a checkpoint. The call's answers stay counted as before.
"""

from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from models.agenda import Submission
from service import demo
from service.access import sign_in
from service.db import create_engine, session_scope
from service.directory import people, privacy
from service.mail import delivery
from service.mail.mailer import MailboxMailer
from service.settings import Settings
from tests.conftest import NOW
from tests.factories import ACTOR

NAME, ADDRESS = "Sander Mertens", "sander.mertens@antwerpen.example"
OTHER = "griet.vanhoutte@kcvs.example"
POLICY = sign_in.SignInPolicy(
    secret_key="test-secret",
    base_url="https://overleg.example",
    link_lifetime=timedelta(minutes=15),
    session_lifetime=timedelta(days=14),
)


def _answers(session: Session) -> Counter[int]:
    return Counter(s.call_id for s in session.exec(select(Submission)))


def _naming(folder: Path) -> list[str]:
    """Every file under the folder that holds the name or the address, in any case."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            if NAME.lower().encode() in data or ADDRESS.encode() in data:
                found.append(path.name)
    return found


async def test_an_erased_person_is_in_no_file_of_the_data_folder(
    schema_database_url: str, tmp_path: Path
) -> None:
    engine = create_engine(schema_database_url)
    mailbox = tmp_path / "mailbox"
    with session_scope(engine) as session:
        demo.load(session, now=NOW)
        for address in (ADDRESS, OTHER):
            sign_in.request_link(session, email=address, client="test", policy=POLICY, now=NOW)
        before = _answers(session)
    settings = Settings(data_dir=tmp_path)
    await delivery.deliver_due(engine, mailer=MailboxMailer(mailbox), settings=settings, now=NOW)
    assert len(list(mailbox.glob("*.eml"))) == 2
    assert _naming(mailbox)

    with session_scope(engine) as session:
        person = people.find_by_email(session, email=ADDRESS)
        assert person is not None and person.id is not None
        privacy.erase(session, person_id=person.id, actor=ACTOR, now=NOW, mailbox_dir=mailbox)
    with Session(engine) as session:
        assert _answers(session) == before
        # Searched while the service still runs: its connections keep the log in place.
        assert _naming(tmp_path) == []
    assert len(list(mailbox.glob("*.eml"))) == 1  # the other person's mail stays
    engine.dispose()
