"""Count requests per key in a sliding window, in the database so every worker sees them."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.auth import RateLimitHit
from models.errors import N_, TooManyRequests
from service import tokens


def hit(session: Session, *, key: str, limit: int, window: timedelta, now: datetime) -> None:
    """Count one request for `key`, refusing it when `limit` were made within `window`."""
    key_hash = tokens.digest(key)
    since = now - window
    recent = session.exec(
        select(sa.func.count())
        .select_from(RateLimitHit)
        .where(RateLimitHit.key_hash == key_hash, col(RateLimitHit.at) > since)
    ).one()
    if recent >= limit:
        raise TooManyRequests(N_("Too many requests. Try again in a little while."), field="email")
    session.add(RateLimitHit(key_hash=key_hash, at=now))
    session.flush()
