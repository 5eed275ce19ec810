"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from models.errors import NotFound

# Registers the upkeep of the directors' roll-ups on every write of a deliverable or a
# meeting, of a meeting's "minutes written" flag on every write of a minutes version, and of
# a meeting's next step time on every write that can bring a step forward, whoever writes
# them (the ORM's flush events), before any session of this process can flush.
from service.lifecycle import stale as _stale  # noqa: F401
from service.minutes import written as _written  # noqa: F401
from service.reports import held_tally as _held_tally  # noqa: F401
from service.reports import tally as _tally  # noqa: F401

__all__ = [
    "Engine",
    "Session",
    "checkpoint_after_commit",
    "create_engine",
    "get_or_refuse",
    "ping",
    "session_scope",
    "zero_what_is_deleted",
]

Row = TypeVar("Row", bound=SQLModel)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions lazily and breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself
    # (the recipe from SQLAlchemy's SQLite dialect docs) and switch on what SQLite leaves off.
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")  # as long as the connect timeout
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str) -> Engine:
    """Create an engine for `url`, with the SQLite settings the product relies on."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_or_refuse(
    session: Session, model: type[Row], ident: int, message: str, *, field: str, **params: Any
) -> Row:
    """The row of `model` with this id, or NotFound with `message` (which may name `%(id)s`)."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound(message, field=field, id=ident, **params)
    return row


def ping(session: Session) -> None:
    """Ask the database something trivial: it answers, or this raises."""
    session.execute(sa.select(1))


def zero_what_is_deleted(session: Session) -> None:
    """On SQLite, have this session's connection overwrite deleted content with zeros.

    Only for an erasure: a connection flag, so other writers keep SQLite's faster default.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA secure_delete=ON")


def checkpoint_after_commit(session: Session) -> None:
    """Once the session commits, fold SQLite's write-ahead log into the file and empty it.

    Until a checkpoint the log still holds the pages as they were before an erasure; PostgreSQL
    needs nothing here.
    """

    def _checkpoint(committed: Session) -> None:
        bind = committed.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        if engine.dialect.name != "sqlite":
            return
        raw = engine.raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        try:
            # Never hold the request up: a reader still on the old pages makes it busy, so try
            # a few times briefly; the next erasure (or SQLite's own checkpoint) finishes it.
            driver.execute("PRAGMA busy_timeout=50")
            for _ in range(5):
                if not driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
                    break
                time.sleep(0.05)
        finally:
            driver.execute("PRAGMA busy_timeout=30000")
            raw.close()

    sa.event.listen(session, "after_commit", _checkpoint, once=True)
