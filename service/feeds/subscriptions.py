"""Calendar feed tokens: a random secret per person and scope, stored only as its hash.

The secret is in the feed URL (Google Calendar cannot send credentials), so it is shown once,
when made or rotated; a revoked or unknown token finds nothing, alike.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.access import FeedScope, FeedToken
from models.errors import N_, DomainError, NotFound
from models.groups import WorkingGroup
from models.memberships import MembershipRole
from models.organisations import Organisation
from models.people import Person
from service import audit, tokens
from service.access.permissions import Access, allows, principal_for
from service.audit import Actor

_PUBLISHERS = frozenset({MembershipRole.chair, MembershipRole.secretariat})


@dataclass(frozen=True)
class NewFeed:
    """A token just made: the secret is here once and never again."""

    token: FeedToken
    secret: str


def check_scope(
    session: Session, *, person: Person, scope: FeedScope, scope_id: int | None, now: datetime
) -> None:
    """Refuse a feed the person may not have: another group, another organisation."""
    principal = principal_for(session, person=person, on=now.date())
    if scope is FeedScope.person:
        if scope_id is not None:
            raise DomainError(N_("Your own feed is about you only."), field="scope_id")
        return
    if scope_id is None:
        raise DomainError(N_("Choose the group or organisation of the feed."), field="scope_id")
    if scope is FeedScope.organisation:
        if session.get(Organisation, scope_id) is None:
            raise NotFound(N_("Unknown organisation."), field="scope_id")
        if not (principal.is_secretariat or principal.is_director) and (
            person.organisation_id != scope_id
        ):
            raise DomainError(N_("You can only follow your own organisation."), field="scope_id")
        return
    if session.get(WorkingGroup, scope_id) is None:
        raise NotFound(N_("Unknown working group."), field="scope_id")
    if scope is FeedScope.group:
        if not allows(Access.group_read, principal, writes=False, group_id=scope_id):
            raise DomainError(N_("You can only follow groups you belong to."), field="scope_id")
        return
    if not (principal.is_secretariat or principal.roles_in(scope_id) & _PUBLISHERS):
        raise DomainError(
            N_("Only the chair or the secretariat can publish a group's public feed."),
            field="scope_id",
        )


def create(
    session: Session,
    *,
    person: Person,
    scope: FeedScope,
    scope_id: int | None,
    actor: Actor,
    now: datetime,
    label: str | None = None,
) -> NewFeed:
    """Make a feed token for a person and scope; the returned secret is stored nowhere."""
    check_scope(session, person=person, scope=scope, scope_id=scope_id, now=now)
    assert person.id is not None
    secret = tokens.new_secret()  # 256 random bits
    token = FeedToken(
        person_id=person.id,
        scope=scope,
        scope_id=scope_id,
        label=(label or "").strip()[:100] or None,
        token_hash=tokens.digest(secret),
        created_at=now,
    )
    audit.save(session, row=token, before=None, actor=actor, now=now)
    return NewFeed(token=token, secret=secret)


def _own(session: Session, *, person: Person, token_id: int) -> FeedToken:
    token = session.get(FeedToken, token_id)
    if token is None or token.person_id != person.id or token.revoked_at is not None:
        raise NotFound(N_("Unknown calendar feed."), field="token")
    return token


def revoke(
    session: Session, *, person: Person, token_id: int, actor: Actor, now: datetime
) -> FeedToken:
    """Revoke one of a person's own feeds: its URL answers 404 from now on."""
    token = _own(session, person=person, token_id=token_id)
    with audit.changing(session, token, actor=actor, now=now):
        token.revoked_at = now
    return token


def rotate(
    session: Session, *, person: Person, token_id: int, actor: Actor, now: datetime
) -> tuple[FeedToken, NewFeed]:
    """Replace a feed's secret: the old URL stops working, a new one for the same scope."""
    with session.begin_nested():
        old = revoke(session, person=person, token_id=token_id, actor=actor, now=now)
        new = create(
            session,
            person=person,
            scope=old.scope,
            scope_id=old.scope_id,
            actor=actor,
            now=now,
            label=old.label,
        )
    return old, new


def active(session: Session, *, person_id: int) -> list[FeedToken]:
    """A person's feeds that still work, oldest first."""
    return list(
        session.exec(
            select(FeedToken)
            .where(FeedToken.person_id == person_id, col(FeedToken.revoked_at).is_(None))
            .order_by(col(FeedToken.id))
        )
    )


def find(session: Session, *, token_hash: str) -> FeedToken | None:
    """The working token with this hash whose owner is active (not erased or deactivated)."""
    token = session.exec(select(FeedToken).where(FeedToken.token_hash == token_hash)).first()
    if token is None or token.revoked_at is not None:
        return None
    person = session.get(Person, token.person_id)
    if person is None or not person.active:
        return None
    return token
