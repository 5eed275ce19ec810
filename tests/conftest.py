"""Shared fixtures: a migrated database per backend, and a rolled-back transaction per test.

Every test that asks for `session` runs once on SQLite and, when PostgreSQL is reachable
(TEST_POSTGRES_URL, or 127.0.0.1:5432 database `test`), once more on PostgreSQL. The test
command sets OVERLEG_REQUIRE_POSTGRES=1 so that CI fails instead of quietly skipping it.
"""

import functools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session
from xdist.remote import Producer
from xdist.scheduler import LoadGroupScheduling
from xdist.scheduler.protocol import Scheduling

import models
from service import migrate
from service.db import create_engine
from tests.browser.chromium import SHARED as SHARED_CHROMIUM
from tests.browser.chromium import uses_chromium
from tests.databases import (
    POSTGRES_ADMIN_URL,
    demo_template,
    fresh_database,
    own_copy,
    postgres_reachable,
    schema_template,
)
from tests.live import running_app

REPO_ROOT = Path(__file__).resolve().parent.parent
# A fixed clock for tests: Sunday 22 November 2026, 10:00 in Brussels.
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _backends() -> list[str]:
    if postgres_reachable():
        return ["sqlite", "postgresql"]
    if os.environ.get("OVERLEG_REQUIRE_POSTGRES") == "1":
        raise RuntimeError(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}")
    return ["sqlite"]


BACKENDS = _backends()
# A test is marked by what it starts, so a new test gets its markers without anyone remembering
# (pyproject.toml lists them; the README's quick command leaves these out).
MARKS_BY_FIXTURE = {
    "page": ("browser", "slow"),
    "live_app": ("slow",),
    "prefect_server": ("slow",),
}


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark a test by the fixtures it uses, as it is collected: before `-m` selects.

    (Marked in `pytest_collection_modifyitems` below, the marks came after pytest's own `-m`
    selection had run, and the quick command deselected 28 tests instead of every slow one.)
    """
    used = getattr(item, "fixturenames", ())
    for fixture, marks in MARKS_BY_FIXTURE.items():
        if fixture in used:
            for mark in marks:
                item.add_marker(mark)


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by backend
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, one after another."""
    # One Chromium per process serves the browser tests (tests/browser/chromium.py), so they
    # run together: last in one process, after the backend of the last other test (its session
    # fixtures are then not built twice). Under pytest-xdist (`--dist loadgroup`, as the test
    # command runs) they are split into BROWSER_GROUPS groups balanced by measured time, one
    # Chromium and one live app per backend in each; xdist hands out its largest groups first,
    # so each worker starts with a browser group and then shares the rest of the suite.
    browser_items = [item for item in items if uses_chromium(item)]
    others = [item for item in items if not uses_chromium(item)]
    last = _backend_of(others[-1]) if others else None
    browser = sorted(browser_items, key=lambda i: _backend_of(i) != last)
    items[:] = others + browser


# Seconds per browser module, both backends, setup and call, from `pytest tests/browser -n 0
# --durations=100` on 5 December 2026 under a load of 17 (only the proportions matter; the
# first test's start of the shared app is left out); a module not listed counts as the median.
BROWSER_SECONDS = {
    "test_first_year.py": 307,  # its own app on an empty database, per backend
    "test_homework.py": 70,
    "test_secretariat_work.py": 47,
    "test_meeting_pack.py": 38,
    "test_people.py": 33,
    "test_plan_and_overrun.py": 32,
    "test_accessibility.py": 30,
    "test_answer_links.py": 29,
    "test_agenda_table.py": 27,
    "test_question_outcomes.py": 27,
    "test_calendars.py": 22,
    "test_attendance.py": 21,
    "test_directors.py": 19,
    "test_stand_in_materials.py": 19,
    "test_materials.py": 18,
    "test_agenda_form.py": 17,
    "test_replies.py": 17,
    "test_error_pages.py": 16,
    "test_sign_in.py": 14,
    "test_header.py": 11,
}
BROWSER_GROUPS = 2
BROWSER_TESTS = "tests/browser/"
# Each starts a Prefect server, workers and the app: one after the other, never side by side.
PROCESS_TESTS = frozenset({"tests/test_embedded_run.py", "tests/test_several_processes.py"})


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Scheduling | None:
    """Under `--dist loadgroup`, hand out the browser tests in BROWSER_GROUPS groups of modules.

    pytest-xdist 3.8 groups tests by appending the `xdist_group` mark's name to their ids,
    which pytest 9 no longer lets it do: marked tests were handed out one by one. So the
    groups are made here, from the ids: a module under tests/browser/ goes to its group.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    return BrowserGroupScheduling(config, log)


class BrowserGroupScheduling(LoadGroupScheduling):  # type: ignore[misc]  # xdist is untyped
    """Load scheduling in which each browser group is one unit of work, the rest test by test."""

    _groups: dict[str, str] | None = None

    def _split_scope(self, nodeid: str) -> str:
        """The browser group of a browser test, or "processes"; any other test is its own unit."""
        path = nodeid.split("::", 1)[0]
        if path in PROCESS_TESTS:
            return "processes"
        if not path.startswith(BROWSER_TESTS):
            return nodeid
        if self._groups is None:
            collected = next(iter(self.registered_collections.values()))
            paths = {n.split("::", 1)[0] for n in collected}
            modules = {p.rsplit("/", 1)[-1] for p in paths if p.startswith(BROWSER_TESTS)}
            self._groups = _browser_groups(modules)
        return self._groups[path.rsplit("/", 1)[-1]]


def _browser_groups(modules: set[str]) -> dict[str, str]:
    """Each browser module's xdist group: longest first, each to the group with least so far."""
    known = sorted(BROWSER_SECONDS.values())
    typical = known[len(known) // 2] if known else 1.0
    loads = [0.0] * BROWSER_GROUPS
    groups: dict[str, str] = {}
    for module in sorted(modules, key=lambda m: (-BROWSER_SECONDS.get(m, typical), m)):
        least = loads.index(min(loads))
        loads[least] += BROWSER_SECONDS.get(module, typical)
        groups[module] = f"chromium-{least + 1}"
    return groups


def _backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("backend") if callspec is not None else None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Stop the shared Chromium before a test that does not drive it (it holds the loop)."""
    if not uses_chromium(item):
        SHARED_CHROMIUM.stop()


def pytest_sessionfinish() -> None:
    """Stop the shared Chromium at the end."""
    SHARED_CHROMIUM.stop()


@pytest.fixture(scope="session")
def now() -> datetime:
    """The fixed clock of the test session."""
    return NOW


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """'sqlite' or 'postgresql': every database test runs once per backend."""
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database shared by the tests of this session; tests roll back what they write."""
    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def demo_database_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every migration and the demo organisation, built once per backend, to copy from."""
    with demo_template(backend, tmp_path_factory.mktemp("template")) as url:
        yield url


@pytest.fixture(scope="session")
def demo_database_copy(
    backend: str, demo_database_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One copy of the template per backend and test process, made fresh for each test."""
    with fresh_database(
        backend, tmp_path_factory.mktemp("demo"), template=demo_database_template
    ) as url:
        yield url


@pytest.fixture
def demo_database_url(
    backend: str, demo_database_template: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database of the test's own with the demo organisation: a copy of the template.

    On SQLite a file copy in the test's folder; on PostgreSQL the process's copy with the
    template's rows put back (`tests.databases.restore`), cheaper than a new database.
    """
    copy = functools.partial(request.getfixturevalue, "demo_database_copy")
    with own_copy(backend, tmp_path, template=demo_database_template, reusable=copy) as url:
        yield url


@pytest.fixture(scope="session")
def schema_database_template(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Every migration and no rows, built once per backend, to copy from."""
    with schema_template(backend, tmp_path_factory.mktemp("schema")) as url:
        yield url


@pytest.fixture(scope="session")
def schema_database_copy(
    backend: str, schema_database_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One copy of the schema template per backend and test process, emptied for each test."""
    with fresh_database(
        backend, tmp_path_factory.mktemp("schema-copy"), template=schema_database_template
    ) as url:
        yield url


@pytest.fixture
def schema_database_url(
    backend: str, schema_database_template: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database of the test's own at the newest migration, with no rows (code commits).

    Like `empty_database_url`, it is the app's database when the test runs the app.
    """
    if "demo_database_url" in request.fixturenames:
        yield request.getfixturevalue("demo_database_url")
        return
    copy = functools.partial(request.getfixturevalue, "schema_database_copy")
    with own_copy(backend, tmp_path, template=schema_database_template, reusable=copy) as url:
        yield url


@pytest.fixture
def empty_database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database of the test's own, for code that commits (the app, the command line).

    Empty, unless the test runs the app (`app`, `live_app`: they use `demo_database_url`):
    then it is the app's database, so a test reads and writes what the app sees.
    """
    if "demo_database_url" in request.fixturenames:
        yield request.getfixturevalue("demo_database_url")
        return
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
def live_app(demo_database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app in uvicorn on a port of its own, with demo data; yields its URL and data folder."""
    with running_app(demo_database_url, tmp_path) as url:
        yield url, tmp_path
