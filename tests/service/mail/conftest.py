"""What the outbox's tests share: a real SMTP server, and a migrated database of the test's own."""

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from service.db import create_engine
from tests.smtp import SmtpServer, running_smtp_server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An aiosmtpd server on a loopback port of its own, recording what it receives."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def engine_with_schema(schema_database_url: str) -> Iterator[Engine]:
    """A database of the test's own with every migration applied (code under test commits)."""
    engine = create_engine(schema_database_url)
    yield engine
    engine.dispose()
