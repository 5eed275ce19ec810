"""Alembic environment: runs against the engine handed over in the config's attributes."""

from alembic import context
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
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left dangling references: {broken[:5]}")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                _pragma(connection, "PRAGMA foreign_keys=ON")


def _pragma(connection: Connection, statement: str) -> None:
    """Run a pragma on the driver connection, outside any transaction SQLAlchemy would begin."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(statement)


run_migrations_online()
