"""Sign-in without passwords: single-use links by email, and browser sessions."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.auth import SignInLink, WebSession
from models.errors import N_, DomainError
from models.people import Person
from service import tokens
from service.access import rate_limits
from service.directory import people
from service.mail import links, outbox

SIGN_IN_PURPOSE = links.SIGN_IN_PURPOSE
LINKS_PER_ADDRESS_PER_HOUR = 5
LINKS_PER_CLIENT_PER_HOUR = 30


@dataclass(frozen=True)
class SignInPolicy:
    """The secrets and lifetimes sign-in works with, taken from the settings at the edge."""

    secret_key: str
    base_url: str
    link_lifetime: timedelta
    session_lifetime: timedelta


def request_link(
    session: Session, *, email: str, client: str, policy: SignInPolicy, now: datetime
) -> None:
    """Queue a sign-in link for a known, active address; unknown ones get the same silence."""
    address = people.normalise_email(email)
    hour = timedelta(hours=1)
    rate_limits.hit(
        session,
        key=f"sign-in:client:{client}",
        limit=LINKS_PER_CLIENT_PER_HOUR,
        window=hour,
        now=now,
    )
    # Per address *and* client: requests for someone's address from elsewhere use up only
    # their own count, so nobody can lock a person out; the person's own device still gets its
    # links. (Forwarded addresses count only from configured proxies: forwarded_allow_ips.)
    rate_limits.hit(
        session,
        key=f"sign-in:address:{address}:client:{client}",
        limit=LINKS_PER_ADDRESS_PER_HOUR,
        window=hour,
        now=now,
    )
    person = people.find_by_email(session, email=address)
    # The same work for known and unknown addresses until the rows are written.
    seed = tokens.new_secret()
    nonce = links.sign_in_nonce(seed, key=policy.secret_key)
    if person is None or not person.active:
        return
    assert person.id is not None
    # The outbox keeps only the seed; the link is made from it and the key at send time.
    link = SignInLink(
        person_id=person.id,
        nonce_hash=tokens.digest(nonce),
        created_at=now,
        expires_at=now + policy.link_lifetime,
    )
    session.add(link)
    session.flush()
    outbox.queue(
        session,
        key=f"sign-in:{link.id}",
        kind="sign_in",
        recipient=person,
        now=now,
        context={
            links.LINK: links.sign_in_link(seed),
            "expires_at": link.expires_at.isoformat(),
        },
    )


def check_link(session: Session, *, token: str, policy: SignInPolicy, now: datetime) -> SignInLink:
    """Return the unused, unexpired link behind a token, or refuse with a clear message."""
    nonce = tokens.unsign(token, key=policy.secret_key, purpose=SIGN_IN_PURPOSE)
    link = (
        None
        if nonce is None
        else session.exec(
            select(SignInLink).where(SignInLink.nonce_hash == tokens.digest(nonce))
        ).first()
    )
    if link is None:
        raise DomainError(N_("This sign-in link is not valid. Ask for a new one."), field="token")
    if link.used_at is not None:
        raise DomainError(
            N_("This sign-in link has already been used. Ask for a new one."), field="token"
        )
    if link.expires_at <= now:
        raise DomainError(N_("This sign-in link has expired. Ask for a new one."), field="token")
    return link


def use_link(session: Session, *, token: str, policy: SignInPolicy, now: datetime) -> str:
    """Spend a sign-in link and open a session; return the session token for the cookie."""
    link = check_link(session, token=token, policy=policy, now=now)
    # Guarded update: of two simultaneous uses of one link, exactly one wins.
    spent = session.execute(
        sa.update(SignInLink)
        .where(col(SignInLink.id) == link.id, col(SignInLink.used_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(
            N_("This sign-in link has already been used. Ask for a new one."), field="token"
        )
    person = session.get(Person, link.person_id)
    if person is None or not person.active:
        raise DomainError(N_("This sign-in link is not valid. Ask for a new one."), field="token")
    secret = tokens.new_secret()
    session.add(
        WebSession(
            person_id=link.person_id,
            token_hash=tokens.digest(secret),
            created_at=now,
            expires_at=now + policy.session_lifetime,
        )
    )
    session.flush()
    return secret


def person_for_session(session: Session, *, token: str, now: datetime) -> Person | None:
    """Return the person signed in with this cookie token, if the session is still valid."""
    row = session.exec(
        select(WebSession).where(WebSession.token_hash == tokens.digest(token))
    ).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    person = session.get(Person, row.person_id)
    if person is None or not person.active:
        return None
    return person


def sign_out(session: Session, *, token: str, now: datetime) -> None:
    """Revoke the session behind a cookie token; unknown tokens are ignored."""
    session.execute(
        sa.update(WebSession)
        .where(
            col(WebSession.token_hash) == tokens.digest(token), col(WebSession.revoked_at).is_(None)
        )
        .values(revoked_at=now)
    )
