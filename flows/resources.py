"""The flows' composition root: settings, one engine per process, sessions, and the clock."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import migrate
from service.clock import utcnow
from service.db import create_engine, session_scope
from service.settings import Settings, get_settings


def settings() -> Settings:
    """The settings of this flow process."""
    return get_settings()


@lru_cache
def engine() -> Engine:
    """The application database, migrated to the newest revision."""
    created = create_engine(settings().resolved_database_url())
    migrate.upgrade(created)
    return created


@contextmanager
def session() -> Iterator[Session]:
    """A session that commits when the block succeeds."""
    with session_scope(engine()) as opened:
        yield opened


def now(pinned: datetime | None = None) -> datetime:
    """The flow's clock: the pinned instant (tests, backfills) or the wall clock."""
    return pinned if pinned is not None else utcnow()


def reset() -> None:
    """Forget the cached settings and engine (tests point flows at another database)."""
    if engine.cache_info().currsize:
        engine().dispose()
    engine.cache_clear()
    get_settings.cache_clear()
