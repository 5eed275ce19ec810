"""After an erasure the ids of the erased rows are never handed out again (issue 16).

SQLite used to give the next sign-in link the id of the erased person's deleted link; its
outbox key `sign-in:<id>` then matched the erased person's message and the link was never sent.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.auth import SignInLink
from models.notifications import Notification, NotificationStatus
from service.access import sign_in
from service.directory import privacy
from tests.factories import ACTOR, make_person

POLICY = sign_in.SignInPolicy(
    secret_key="test-secret",
    base_url="https://overleg.example",
    link_lifetime=timedelta(minutes=15),
    session_lifetime=timedelta(days=14),
)


def _ask(session: Session, email: str, now: datetime) -> None:
    sign_in.request_link(session, email=email, client="127.0.0.1", policy=POLICY, now=now)


def test_a_sign_in_after_an_erasure_is_mailed(session: Session, now: datetime) -> None:
    erased, other = make_person(session, now=now), make_person(session, now=now)
    _ask(session, erased.email, now)
    old_link = session.exec(select(SignInLink).where(SignInLink.person_id == erased.id)).one()
    assert erased.id is not None
    privacy.erase(session, person_id=erased.id, actor=ACTOR, now=now)

    _ask(session, other.email, now + timedelta(minutes=1))
    new_link = session.exec(select(SignInLink).where(SignInLink.person_id == other.id)).one()
    assert new_link.id != old_link.id
    mailed = session.exec(
        select(Notification).where(
            Notification.recipient_person_id == other.id, Notification.kind == "sign_in"
        )
    ).all()
    assert [m.status for m in mailed] == [NotificationStatus.pending]
    assert mailed[0].idempotency_key == f"sign-in:{new_link.id}"
    keys = session.exec(select(col(Notification.idempotency_key))).all()
    assert len(keys) == len(set(keys))
