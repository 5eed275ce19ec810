"""The migrations create exactly the schema the models describe, on every backend."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from service import migrate


def test_database_is_at_the_newest_revision(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_every_table_is_created(engine: Engine) -> None:
    with engine.connect() as connection:
        existing = set(connection.dialect.get_table_names(connection))
    assert set(SQLModel.metadata.tables) <= existing
