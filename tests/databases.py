"""Throw-away databases for the tests: empty ones, and copies of one demo template per backend.

Migrating a database and loading the demo organisation (every row audited) takes seconds; a
copy of a database that already holds them takes a fraction of that: `CREATE DATABASE …
TEMPLATE …` on PostgreSQL, SQLite's online backup on SQLite. The template is built once per
backend per session by the code the app runs at start (`service.bootstrap.prepare_database`).

On PostgreSQL even a copy costs: `CREATE DATABASE` copies the system catalogs too, about 0.3 s
of the server's CPU a copy on this machine, and the suite made some 300 of them. So the
template also keeps its rows in a schema of their own (`overleg_pristine`), and a database
made from it is made fresh again by putting those rows back (`restore`): a few milliseconds.
An event trigger notes any change of schema; a database whose schema a test changed is copied
from the template again instead.
"""

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from service import bootstrap, migrate
from service.db import create_engine
from service.settings import Settings

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def libpq(url: str) -> str:
    """The URL as libpq (psycopg) takes it: no SQLAlchemy driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_reachable() -> bool:
    """Whether the PostgreSQL server of the tests answers."""
    try:
        with psycopg.connect(libpq(POSTGRES_ADMIN_URL), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _admin(statement: str) -> None:
    with psycopg.connect(libpq(POSTGRES_ADMIN_URL), autocommit=True) as admin:
        admin.execute(statement)


def create_postgres_database(name: str, *, template: str | None = None) -> None:
    """Create a throw-away database on the tests' server, optionally a copy of `template`.

    Its sessions commit without waiting for the WAL to reach the disk (1.3 ms a commit on this
    machine's disk, 0.07 ms without): a test database is dropped after the test, and no test
    crashes the server, so that wait would protect nothing.
    """
    source = f' TEMPLATE "{template}"' if template is not None else ""
    _admin(f'CREATE DATABASE "{name}"{source}')
    # A database's own settings are not copied from its template: set them on every copy.
    _admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


@contextmanager
def fresh_database(backend: str, directory: Path, *, template: str | None = None) -> Iterator[str]:
    """Create a database on `backend` (empty, or a copy of `template`), yield its URL, drop it."""
    if backend == "sqlite":
        path = directory / "overleg.db"
        if template is not None:
            _sqlite_copy(Path(str(make_url(template).database)), path)
        yield f"sqlite:///{path}"
        return
    name = f"overleg_test_{uuid.uuid4().hex[:12]}"
    create_postgres_database(
        name, template=None if template is None else make_url(template).database
    )
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def own_copy(
    backend: str, directory: Path, *, template: str, reusable: Callable[[], str]
) -> Iterator[str]:
    """A test's own copy of `template`: a file copy on SQLite; on PostgreSQL the process's
    copy (`reusable`, made once) with the template's rows put back (`restore`)."""
    if backend == "sqlite":
        with fresh_database(backend, directory, template=template) as url:
            yield url
        return
    url = reusable()
    restore(backend, url, template=template)
    yield url


def _sqlite_copy(source: Path, target: Path) -> None:
    # The backup API copies a consistent snapshot, whatever the WAL of the source holds.
    # The target may be open in a running app (`restore`): wait for its locks like the app does.
    with (
        closing(sqlite3.connect(source)) as origin,
        closing(sqlite3.connect(target, timeout=30)) as copy,
    ):
        origin.backup(copy)


@contextmanager
def demo_template(backend: str, directory: Path) -> Iterator[str]:
    """A migrated database with the demo organisation, to copy from; yields its URL.

    Nothing may stay connected to it: PostgreSQL copies only a template nobody is using.
    """
    with fresh_database(backend, directory) as url:
        settings = Settings(database_url=url, data_dir=directory, load_demo_data=True)
        bootstrap.prepare_database(settings).dispose()
        _keep_pristine(backend, url)
        yield url


@contextmanager
def schema_template(backend: str, directory: Path) -> Iterator[str]:
    """A database with every migration applied and no rows, to copy from; yields its URL.

    For tests of code that migrates its database itself (the flows, the outbox): some 120
    migrations cost about 2 s of CPU a database, a copy a fraction of that.
    """
    with fresh_database(backend, directory) as url:
        engine = create_engine(url)
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        _keep_pristine(backend, url)
        yield url


def _keep_pristine(backend: str, url: str) -> None:
    if backend != "sqlite":
        with psycopg.connect(libpq(url), autocommit=True) as template:
            template.execute(_KEEP_PRISTINE)


def restore(backend: str, url: str, *, template: str) -> None:
    """Make the database at `url` a fresh copy of `template` again, under a running app.

    The app keeps its engine: on PostgreSQL its pooled connections are ended with the old
    database and the pool's ping opens new ones to the copy made under the same name; on
    SQLite the copy is written page by page into the same file, through SQLite's own locks,
    so the app's open connections read the copy from their next transaction on.
    """
    if backend == "sqlite":
        _sqlite_copy(Path(str(make_url(template).database)), Path(str(make_url(url).database)))
        return
    try:
        _put_rows_back(url)
    except psycopg.Error:
        # Its schema changed (a test migrated it, say): copy the whole template again.
        name, source = make_url(url).database, make_url(template).database
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        create_postgres_database(str(name), template=source)


def _put_rows_back(url: str) -> None:
    """Give a copy of the template the template's rows and sequences again, in one transaction."""
    with psycopg.connect(libpq(url)) as copy:
        # As `DROP DATABASE … WITH (FORCE)` did: nobody else keeps a session (or its locks).
        copy.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        copy.execute("SET LOCAL lock_timeout = '10s'")
        copy.execute("SELECT overleg_pristine.restore()")


# Run once in the template, after its migrations and demo data. The tables' column lists leave
# out generated columns (they cannot be inserted); `session_replication_role = replica` skips
# foreign-key checks and triggers while rows go back in any order.
_KEEP_PRISTINE = """
CREATE SCHEMA overleg_pristine;
CREATE TABLE overleg_pristine.changed_schema (tag text NOT NULL);
CREATE TABLE overleg_pristine.kept_tables (name text NOT NULL, columns text NOT NULL);
CREATE TABLE overleg_pristine.kept_sequences (
    name regclass NOT NULL, last_value bigint NOT NULL, is_called boolean NOT NULL
);
DO $$
DECLARE
    kept record;
    last_value bigint;
    is_called boolean;
BEGIN
    FOR kept IN
        SELECT c.relname AS name,
               string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS columns
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        GROUP BY c.relname
    LOOP
        EXECUTE format(
            'CREATE TABLE overleg_pristine.%I AS SELECT %s FROM public.%I',
            kept.name, kept.columns, kept.name
        );
        INSERT INTO overleg_pristine.kept_tables VALUES (kept.name, kept.columns);
    END LOOP;
    FOR kept IN
        SELECT c.oid::regclass AS name FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S'
    LOOP
        EXECUTE format('SELECT last_value, is_called FROM %s', kept.name)
            INTO last_value, is_called;
        INSERT INTO overleg_pristine.kept_sequences VALUES (kept.name, last_value, is_called);
    END LOOP;
END
$$;
CREATE FUNCTION overleg_pristine.restore() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    kept record;
BEGIN
    IF EXISTS (SELECT FROM overleg_pristine.changed_schema) THEN
        RAISE EXCEPTION 'the schema changed since the template: copy it again';
    END IF;
    SET LOCAL session_replication_role = replica;
    FOR kept IN SELECT name, columns FROM overleg_pristine.kept_tables LOOP
        EXECUTE format('DELETE FROM public.%I', kept.name);
        EXECUTE format(
            'INSERT INTO public.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM overleg_pristine.%I',
            kept.name, kept.columns, kept.columns, kept.name
        );
    END LOOP;
    FOR kept IN SELECT name, last_value, is_called FROM overleg_pristine.kept_sequences LOOP
        PERFORM setval(kept.name, kept.last_value, kept.is_called);
    END LOOP;
END
$$;
CREATE FUNCTION overleg_pristine.note_change() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO overleg_pristine.changed_schema VALUES (tg_tag);
END
$$;
CREATE EVENT TRIGGER overleg_pristine_changed ON ddl_command_end
    EXECUTE FUNCTION overleg_pristine.note_change();
CREATE EVENT TRIGGER overleg_pristine_dropped ON sql_drop
    EXECUTE FUNCTION overleg_pristine.note_change();
"""


def empty(backend: str, url: str) -> None:
    """Make the database at `url` empty again (no tables at all), under a running app."""
    if backend == "sqlite":
        target = Path(str(make_url(url).database))
        nothing = target.with_name("empty.db")
        nothing.unlink(missing_ok=True)
        with closing(sqlite3.connect(nothing)) as blank:
            blank.execute("PRAGMA journal_mode=WAL")  # as the app's file is
        _sqlite_copy(nothing, target)
        return
    name = make_url(url).database
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    create_postgres_database(str(name))
