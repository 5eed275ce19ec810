"""The `overleg` command, run as the installed script in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from models.meetings import Meeting
from service import migrate
from service.db import create_engine

# Every test starts the command in a process of its own.
pytestmark = pytest.mark.slow
OVERLEG = str(Path(sys.executable).with_name("overleg"))
SUBCOMMANDS = ("up", "serve", "migrate", "demo-data", "deliver", "annual-report")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OVERLEG, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_every_subcommand() -> None:
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(name: str) -> None:
    result = _run(name, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_migrate_then_demo_data_twice(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url}
    migrated = _run("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    head = migrate.head_revision()
    assert head is not None and head in migrated.stdout
    first = _run("demo-data", env=env)
    second = _run("demo-data", env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "0 rows added" not in first.stdout
    assert "demo data: 0 rows added" in second.stdout
    engine = create_engine(empty_database_url)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Meeting)).one() > 50
    engine.dispose()
