"""One Prefect test server for the whole session, tuned as measured in shared/docs/prefect.md."""

import os
import tempfile

# Prefect reads its settings at import, so these come first.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="overleg-prefect-"))
os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")

from collections.abc import Iterator

import pytest
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from prefect.testing.utilities import prefect_test_harness

from flows import resources


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A Prefect server in a subprocess, shared by every flow test."""
    with (
        prefect_test_harness(server_startup_timeout=120),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@pytest.fixture
def flow_database(
    prefect_server: None, empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Point the flows' composition root at a database of this test's own."""
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    resources.reset()
    yield empty_database_url
    resources.reset()
