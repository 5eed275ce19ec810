"""Alembic environment: runs against the engine handed over in the config's attributes."""

import sqlalchemy as sa
from alembic import context
from alembic.operations import Operations
from sqlalchemy import Connection
from sqlmodel import SQLModel

import models  # noqa: F401 - registers every table on the metadata
from service.db import create_engine
from service.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Run the migrations inside one transaction on the given (or configured) engine."""
    engine = config.attributes.get("engine") or create_engine(
        get_settings().resolved_database_url()
    )
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by dropping it, which foreign keys pointing at it
            # would refuse; SQLite's own ALTER TABLE procedure switches them off meanwhile
            # (outside the transaction, where the pragma takes effect) and checks afterwards.
            _pragma(connection, "PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
                render_as_batch=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _ids_never_reused(connection)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left dangling references: {broken[:5]}")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                _pragma(connection, "PRAGMA foreign_keys=ON")


def _ids_never_reused(connection: Connection) -> None:
    """Give AUTOINCREMENT back to every integer-keyed table a migration (re)built without it.

    Without it SQLite hands the id of a deleted newest row out again, and a key built from that
    id (an outbox idempotency key, say) collides with the deleted row's. Batch mode rebuilds a
    table from its reflection, which knows nothing of AUTOINCREMENT, so any migration can lose
    it: checking after every upgrade keeps the rule for the migrations still to be written.
    """
    operations = Operations(context.get_context())
    for name in _tables_without_autoincrement(connection):
        with operations.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def _tables_without_autoincrement(connection: Connection) -> list[str]:
    inspector = sa.inspect(connection)
    found = []
    for name in inspector.get_table_names():
        if name == "alembic_version":
            continue
        key = inspector.get_pk_constraint(name)["constrained_columns"]
        columns = {c["name"]: c for c in inspector.get_columns(name)}
        if len(key) != 1 or not isinstance(columns[key[0]]["type"], sa.Integer):
            continue
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).scalar_one()
        if "AUTOINCREMENT" not in sql.upper():
            found.append(name)
    return found


def _pragma(connection: Connection, statement: str) -> None:
    """Run a pragma on the driver connection, outside any transaction SQLAlchemy would begin."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(statement)


run_migrations_online()
