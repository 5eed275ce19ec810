"""Alembic environment: runs against the engine handed over in the config's attributes."""

from alembic import context
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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
