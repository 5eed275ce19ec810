"""One Prefect test server for the whole session, tuned as measured in shared/docs/prefect.md."""

import os
import tempfile

# Prefect reads its settings at import, so these come first.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="overleg-prefect-"))
os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")

import importlib
from collections.abc import Iterator

import pytest
import yaml
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from prefect.testing.utilities import prefect_test_harness

from flows import resources
from tests.conftest import REPO_ROOT
from tests.imap import PASSWORD, USER, Dovecot, ImapServer, dovecot


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A Prefect server in a subprocess, shared by every flow test."""
    with (
        prefect_test_harness(server_startup_timeout=120),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@pytest.fixture(scope="session")
def deployments(prefect_server: None) -> list[str]:
    """Every deployment of prefect.yaml registered on the test server, as `flow/deployment`.

    No worker runs them: runs that flows book (a call's closing at its deadline) stay
    scheduled, and the tests check them and run the flow themselves.
    """
    config = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    names = []
    for deployment in config["deployments"]:
        path, function = deployment["entrypoint"].split(":")
        flow = getattr(
            importlib.import_module(path.removesuffix(".py").replace("/", ".")), function
        )
        flow.to_deployment(name=deployment["name"]).apply()
        names.append(f"{flow.name}/{deployment['name']}")
    return names


@pytest.fixture
def flow_database(
    deployments: list[str], schema_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Point the flows' composition root at a database of this test's own."""
    monkeypatch.setenv("DATABASE_URL", schema_database_url)
    resources.reset()
    yield schema_database_url
    resources.reset()


@pytest.fixture
def imap_process(flow_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dovecot]:
    """A fresh Dovecot mailbox, and the flows' settings pointing at it."""
    with dovecot() as (server, process):
        for name, value in {
            "OVERLEG_IMAP_HOST": server.host,
            "OVERLEG_IMAP_PORT": str(server.port),
            "OVERLEG_IMAP_TLS": "none",
            "OVERLEG_IMAP_USERNAME": server.user,
            "OVERLEG_IMAP_PASSWORD": server.password,
        }.items():
            monkeypatch.setenv(name, value)
        resources.reset()
        yield process


@pytest.fixture
def imap(imap_process: Dovecot) -> ImapServer:
    """Where the test mailbox listens and how to log in."""
    return ImapServer("127.0.0.1", imap_process.port, USER, PASSWORD, imap_process.root)
