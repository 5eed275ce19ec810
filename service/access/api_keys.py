"""Personal API keys for the secretariat's scripts: shown once, stored as a hash, revocable."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.access import ApiKey
from models.errors import N_, DomainError, NotFound
from models.people import Person
from service import audit, tokens
from service.audit import Actor

PREFIX = "ovl_"


@dataclass(frozen=True)
class NewKey:
    """A key just made: the secret is here once and never again."""

    key: ApiKey
    secret: str


def create(session: Session, *, person: Person, label: str, actor: Actor, now: datetime) -> NewKey:
    """Make a key for a person; the returned secret is not stored anywhere."""
    label = label.strip()
    if not label:
        raise DomainError(N_("Give the key a name, so you recognise it later."), field="label")
    assert person.id is not None
    secret = PREFIX + tokens.new_secret()
    key = ApiKey(
        person_id=person.id,
        label=label[:100],
        prefix=secret[:12],
        key_hash=tokens.digest(secret),
        created_at=now,
    )
    audit.save(session, row=key, before=None, actor=actor, now=now)
    return NewKey(key=key, secret=secret)


def revoke(session: Session, *, person: Person, key_id: int, actor: Actor, now: datetime) -> ApiKey:
    """Revoke one of a person's own keys."""
    key = session.get(ApiKey, key_id)
    if key is None or key.person_id != person.id:
        raise NotFound(N_("Unknown API key."), field="key")
    if key.revoked_at is None:
        with audit.changing(session, key, actor=actor, now=now):
            key.revoked_at = now
    return key


def for_person(session: Session, *, person_id: int) -> list[ApiKey]:
    """A person's keys, newest first."""
    return list(
        session.exec(
            select(ApiKey).where(ApiKey.person_id == person_id).order_by(col(ApiKey.id).desc())
        )
    )


def person_for_key(session: Session, *, secret: str, now: datetime) -> Person | None:
    """Return the owner of an active key, noting when it was last used."""
    key = session.exec(select(ApiKey).where(ApiKey.key_hash == tokens.digest(secret))).first()
    if key is None or key.revoked_at is not None:
        return None
    person = session.get(Person, key.person_id)
    if person is None or not person.active:
        return None
    key.last_used_at = now
    session.add(key)
    return person
