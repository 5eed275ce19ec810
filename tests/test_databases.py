"""The tests' own databases: a restored copy holds exactly the template's rows again."""

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from models.organisations import Organisation
from models.programmes import Programme
from service.db import create_engine
from tests.databases import libpq, restore


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the models know, in a stable order."""
    with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(sa.select(table))), key=repr)
            for table in Organisation.metadata.sorted_tables
        }


def _new_programme(engine: Engine, slug: str) -> int:
    with engine.begin() as connection:
        inserted: sa.CursorResult[Any] = connection.execute(
            sa.insert(Programme)
            .values(slug=slug, name="Nieuw programma", first_year=2026)
            .returning(sa.column("id"))
        )
        return int(inserted.scalar_one())


@pytest.fixture
def copy(demo_database_copy: str) -> Iterator[Engine]:
    engine = create_engine(demo_database_copy)
    yield engine
    engine.dispose()


def test_a_restored_copy_has_the_templates_rows_and_next_ids(
    backend: str, demo_database_template: str, demo_database_copy: str, copy: Engine
) -> None:
    template = create_engine(demo_database_template)
    try:
        expected = _rows(template)
    finally:
        template.dispose()
    restore(backend, demo_database_copy, template=demo_database_template)
    first_id = _new_programme(copy, "een")
    with copy.begin() as connection:
        connection.execute(sa.text("UPDATE working_group SET name = 'Veranderd'"))
        connection.execute(sa.text("DELETE FROM audit_entry"))
    assert _rows(copy) != expected

    copy.dispose()
    restore(backend, demo_database_copy, template=demo_database_template)

    assert _rows(copy) == expected
    # The ids go on from the template's, not from what the test used.
    assert _new_programme(copy, "twee") == first_id


def test_a_copy_whose_schema_changed_is_copied_again(
    backend: str, demo_database_template: str, demo_database_copy: str, copy: Engine
) -> None:
    restore(backend, demo_database_copy, template=demo_database_template)
    with copy.begin() as connection:
        connection.execute(sa.text("ALTER TABLE programme ADD COLUMN extra integer"))
        connection.execute(sa.text("CREATE TABLE stray (id integer)"))
    copy.dispose()

    restore(backend, demo_database_copy, template=demo_database_template)

    columns = {c["name"] for c in sa.inspect(copy).get_columns("programme")}
    assert "extra" not in columns
    assert "stray" not in sa.inspect(copy).get_table_names()


def test_a_session_left_open_does_not_hold_up_the_restore(
    backend: str, demo_database_template: str, demo_database_copy: str
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite's copy waits for the writer's lock like the app does")
    restore(backend, demo_database_copy, template=demo_database_template)
    left = psycopg.connect(libpq(demo_database_copy))
    left.execute("UPDATE working_group SET name = 'Half af'")  # a transaction left open
    try:
        restore(backend, demo_database_copy, template=demo_database_template)
        with psycopg.connect(libpq(demo_database_copy)) as check:
            names = check.execute("SELECT count(*) FROM working_group WHERE name = 'Half af'")
            assert names.fetchone() == (0,)
        assert left.closed or left.broken or _ended(left)
    finally:
        left.close()


def _ended(connection: psycopg.Connection[Any]) -> bool:
    """Whether the server ended this session (the next statement fails)."""
    try:
        connection.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False
