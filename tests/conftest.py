"""Shared fixtures: a migrated database per backend, and a rolled-back transaction per test.

Every test that asks for `session` runs once on SQLite and, when PostgreSQL is reachable
(TEST_POSTGRES_URL, or 127.0.0.1:5432 database `test`), once more on PostgreSQL. The test
command sets OVERLEG_REQUIRE_POSTGRES=1 so that CI fails instead of quietly skipping it.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

import models
from service import migrate
from service.db import create_engine
from tests.live import running_app

REPO_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# A fixed clock for tests: Sunday 22 November 2026, 10:00 in Brussels.
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _postgres_reachable() -> bool:
    try:
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _backends() -> list[str]:
    if _postgres_reachable():
        return ["sqlite", "postgresql"]
    if os.environ.get("OVERLEG_REQUIRE_POSTGRES") == "1":
        raise RuntimeError(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}")
    return ["sqlite"]


BACKENDS = _backends()


@pytest.fixture(scope="session")
def now() -> datetime:
    """The fixed clock of the test session."""
    return NOW


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """'sqlite' or 'postgresql': every database test runs once per backend."""
    name: str = request.param
    return name


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """Create an empty database on `backend`, yield its URL, and drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'overleg.db'}"
        return
    name = f"overleg_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database shared by the tests of this session; tests roll back what they write."""
    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, for code that commits (the app, the command line)."""
    with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine of the session's database, with every migration applied."""
    engine = create_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Code under test may commit: its commits become savepoints of the outer transaction.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def table_counts(session: Session) -> dict[str, int]:
    """Row counts of every table, to show that a refused change wrote nothing."""
    session.flush()
    return {
        table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in models.organisations.Organisation.metadata.sorted_tables
    }


@pytest.fixture
def live_app(empty_database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app in uvicorn on a port of its own, with demo data; yields its URL and data folder."""
    with running_app(empty_database_url, tmp_path) as url:
        yield url, tmp_path
